/**
 * `pulumi import` and `.get()`: an application submitted outside Pulumi (by another client, seeded in the
 * emulator) is adopted by a Read that carries only its id, `<cloud>/<applicationId>`. Through the plugin
 * (what `pulumi import` sends: no properties at all) and through Pulumi's dynamic-provider host (what
 * `CertificateApplication.get` sends: only the serialized provider). The read fills the whole state and
 * the inputs; the next diff of the same declaration is "no change", and the id is the plain application id.
 *
 * Each cloud's backend implements `importApplication`; until it does, these tests fail with its TODO error.
 */
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Emulator } from "../../emulator/server";
import { emulatorSeed } from "../emulator/seed";
import { tencentBackend } from "../../provider/clouds/tencent";
import type { ApplicationInputs } from "../../provider/resources/types";
import applicationProvider = require("../../sdk/application-provider");
import { Engine, repoRoot } from "../harness/engine";
import { ProviderHost } from "../harness/host";
import { makeCtx, startEngine } from "../support";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await new Emulator({ seed: emulatorSeed() }).start();
});
afterAll(() => emulator.stop());

/** What the user declares in the program: the same application they submitted elsewhere. */
function declared(certificateId: string): Record<string, unknown> {
  return {
    cloud: "tencent",
    certificateId,
    commonName: "www.example.com",
    dnsNames: ["api.example.com"],
    validationMethod: "DNS",
    organization: { name: "Example Ltd", division: "IT", address: "1 Road", city: "Beijing", region: "Beijing", country: "CN", phoneAreaCode: "010", phoneNumber: "12345678" },
    admin: { firstName: "Ning", lastName: "Huang", email: "ssl@example.com", phone: "13112341234", title: "R&D" },
    tech: { firstName: "Ning", lastName: "Huang", email: "tech@example.com", phone: "13112341234", title: "R&D" },
  };
}

/** An application submitted by another client, outside any stack. */
async function submittedElsewhere(): Promise<string> {
  const { certificateId } = emulator.tencent.seed({ productType: "dv", domainCount: 2 });
  const ctx = makeCtx(emulator.stackConfig());
  await tencentBackend.submit(ctx, declared(certificateId) as unknown as ApplicationInputs);
  expect(emulator.tencent.state(certificateId)?.status).toBe(0);
  emulator.clearLog();
  return certificateId;
}

describe("through the plugin (pulumi import)", () => {
  let host: ProviderHost;
  const urn = "urn:pulumi:dev::other-lang::certapply:index:CertificateApplication::imported";
  beforeAll(async () => {
    host = await ProviderHost.start({
      cwd: repoRoot(),
      project: "other-lang",
      script: path.join(repoRoot(), "dist", "provider", "plugin.js"),
      unsetEnv: Object.keys(process.env),
    });
    await host.configure(Object.fromEntries(Object.entries(emulator.stackConfig()).map(([k, v]) => [k.replace(/^certapply:/, "certapply:config:"), v])));
  });
  afterAll(() => host?.stop());

  test("Read with only tencent/<id> fills state and inputs; the next diff is no change", async () => {
    const id = await submittedElsewhere();
    const read = await host.read(`tencent/${id}`, urn, {});
    expect(read.id).toBe(id);
    expect(read.properties).toMatchObject({ cloud: "tencent", applicationId: id, certificateId: id, commonName: "www.example.com", status: "under-review" });
    expect(read.inputs).toMatchObject({ cloud: "tencent", certificateId: id, commonName: "www.example.com", dnsNames: ["api.example.com"] });
    expect(emulator.actions("tencent").every((a) => a.startsWith("Describe"))).toBe(true);

    const checked = await host.check(urn, read.inputs ?? {}, declared(id));
    expect(checked.failures).toEqual([]);
    const diff = await host.diff(read.id, urn, read.properties, checked.inputs, read.inputs);
    expect(diff.changes).toBe(1); // DIFF_NONE
  });

  test("an id that does not exist imports nothing", async () => {
    const read = await host.read("tencent/Gone1234", urn, {});
    expect(read.id).toBe("");
  });
});

describe("through the dynamic-provider host (CertificateApplication.get)", () => {
  let engine: Engine;
  const urn = "urn:pulumi:dev::certapply-test::pulumi-nodejs:dynamic/certapply:CertificateApplication::imported";
  let providerText: string;
  beforeAll(async () => {
    engine = await startEngine(emulator);
    providerText = (await pulumi.runtime.serializeFunction(() => applicationProvider, { allowSecrets: true })).text;
  });
  afterAll(() => engine?.stop());

  test("Read with tencent/<id> and only __provider fills state; the next diff is no change", async () => {
    const id = await submittedElsewhere();
    const read = await engine.host.read(`tencent/${id}`, urn, { __provider: providerText });
    expect(read.id).toBe(id);
    expect(read.properties).toMatchObject({ __provider: providerText, applicationId: id, commonName: "www.example.com", status: "under-review" });

    const checked = await engine.host.check(urn, {}, { ...declared(id), __provider: providerText });
    expect(checked.failures).toEqual([]);
    const diff = await engine.host.diff(read.id, urn, read.properties, checked.inputs);
    expect(diff.changes).toBe(1); // DIFF_NONE
  });

  test("an upgrade to the one-line __provider of an npm install plans no change, and that text loads in the host", async () => {
    const id = await submittedElsewhere();
    const read = await engine.host.read(`tencent/${id}`, urn, { __provider: providerText });
    // What Pulumi writes for the shim module of a package under node_modules (test/unit/serialization.test.ts).
    const installedText = [
      "exports.handler = __f0;",
      'const provider = require("certapply/dist/sdk/application-provider.js");',
      "",
      "function __f0() {",
      "  return (function() {",
      "    with({ this: undefined, arguments: undefined }) {",
      "",
      "return () => provider;",
      "",
      "    }",
      "  }).apply(undefined, undefined).apply(this, arguments);",
      "}",
      "",
    ].join("\n");
    const checked = await engine.host.check(urn, read.properties, { ...declared(id), __provider: installedText });
    expect(checked.failures).toEqual([]);
    const diff = await engine.host.diff(read.id, urn, read.properties, checked.inputs);
    expect(diff.changes).toBe(1); // DIFF_NONE
  });
});
