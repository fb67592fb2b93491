/**
 * No secret left plain in state (issue 17 item 4): an import through the plugin (Read with only an id) marks
 * organization, admin and tech secret; a refresh of state whose registration did not list an output as secret
 * (certapply 0.1: `privateKey`; `hashSalt` before it was secret) marks it, through Pulumi's own dynamic-provider
 * host; and the next up of that state plans no change.
 */
import path from "node:path";
import { CertificateApplication, APPLICATION_SECRET_OUTPUTS, type CertificateApplicationArgs } from "certapply";
import { Emulator } from "../../emulator/server";
import { tencentBackend } from "../../provider/clouds/tencent";
import { isSecretValue } from "../../provider/resources/secrets";
import type { ApplicationInputs } from "../../provider/resources/types";
import { Engine, repoRoot } from "../harness/engine";
import { ProviderHost } from "../harness/host";
import { makeCtx, startEngine } from "../support";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await new Emulator().start();
});
afterAll(() => emulator.stop());

function args(certificateId: string, over: Partial<CertificateApplicationArgs> = {}): CertificateApplicationArgs {
  return {
    cloud: "tencent",
    certificateId,
    commonName: "www.example.com",
    validationMethod: "DNS",
    organization: { name: "Example Ltd", division: "IT", address: "1 Road", city: "Beijing", region: "Beijing", country: "CN", phoneAreaCode: "010", phoneNumber: "12345678" },
    admin: { firstName: "Ning", lastName: "Huang", email: "ssl@example.com", phone: "13112341234", title: "R&D" },
    tech: { firstName: "Ning", lastName: "Huang", email: "tech@example.com", phone: "13112341234", title: "R&D" },
    ...over,
  };
}

test("the spec keeps hashSalt secret, so the SDK lists it among the secret outputs", () => {
  expect(APPLICATION_SECRET_OUTPUTS).toEqual(expect.arrayContaining(["hashSalt", "privateKey", "organization", "admin", "tech", "tencent"]));
});

describe("plugin: pulumi import (Read with only an id)", () => {
  let host: ProviderHost;
  const urn = "urn:pulumi:dev::other-lang::certapply:index:CertificateApplication::imported";
  beforeAll(async () => {
    host = await ProviderHost.start({ cwd: repoRoot(), project: "other-lang", script: path.join(repoRoot(), "dist", "provider", "plugin.js"), unsetEnv: Object.keys(process.env) });
    await host.configure(Object.fromEntries(Object.entries(emulator.stackConfig()).map(([k, v]) => [k.replace(/^certapply:/, "certapply:config:"), v])));
  });
  afterAll(() => host?.stop());

  test("organization, admin, tech and hashSalt come back marked secret, in the outputs and in the inputs", async () => {
    const { certificateId } = emulator.tencent.seed({ productType: "ov", domainCount: 1 });
    await tencentBackend.submit(makeCtx(emulator.stackConfig()), { ...args(certificateId), autoResubmit: "timeout", onDelete: "cancel", waitFor: "submitted", waitTimeoutSeconds: 600, dnsNames: [] } as unknown as ApplicationInputs);
    const read = await host.read(`tencent/${certificateId}`, urn, {});
    expect(read.id).toBe(certificateId);
    for (const k of ["organization", "admin", "tech", "hashSalt"]) expect([k, isSecretValue(read.properties[k])]).toEqual([k, true]);
    for (const k of ["organization", "admin", "tech"]) expect([k, isSecretValue(read.inputs?.[k])]).toEqual([k, true]);
    expect(isSecretValue(read.properties.commonName)).toBe(false);
  });
});

describe("Node.js: a refresh of older state (dynamic-provider host)", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine(emulator);
  });
  afterAll(() => engine?.stop());

  test("privateKey and hashSalt that state holds plain come back secret, and the next up plans no change", async () => {
    const id = emulator.tencent.seed({ productType: "dv", domainCount: 1 }).certificateId;
    const program = () => new CertificateApplication("cert", args(id, { waitFor: "issued", waitTimeoutSeconds: 30 }));
    const timer = setInterval(() => {
      if (emulator.tencent.state(id)?.status === 0) {
        clearInterval(timer);
        emulator.tencent.issue(id);
      }
    }, 20);
    try {
      await engine.up(program);
    } finally {
      clearInterval(timer);
    }
    // As certapply 0.1 left it: the harness keeps outputs plain, as the engine does for outputs no registration listed.
    const before = engine.resource("cert")!.outputs;
    expect(typeof before.privateKey).toBe("string");
    expect(typeof before.hashSalt).toBe("string");

    await engine.refresh();
    const after = engine.resource("cert")!.outputs;
    expect(isSecretValue(after.privateKey)).toBe(true);
    expect(isSecretValue(after.hashSalt)).toBe(true);
    expect((after.privateKey as { value: unknown }).value).toBe(before.privateKey);
    expect(isSecretValue(after.status)).toBe(false);

    const again = await engine.up(program);
    expect(again.steps.map((s) => s.op)).toEqual(["same"]);
  });
});
