/**
 * PulumiPlugin.yaml serves the same core as a plugin (provider.main) for programs in other languages:
 * spawned like the engine spawns it and driven over gRPC against the emulator.
 */
import path from "node:path";
import { Emulator } from "../../emulator/server";
import { ProviderHost } from "../harness/host";
import { repoRoot } from "../harness/engine";

let emulator: Emulator;
let host: ProviderHost;
const urn = "urn:pulumi:dev::other-lang::certapply:index:CertificateApplication::www";
const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

beforeAll(async () => {
  emulator = await new Emulator().start();
  host = await ProviderHost.start({
    cwd: repoRoot(),
    project: "other-lang",
    script: path.join(repoRoot(), "dist", "provider", "plugin.js"),
    env: { PULUMI_CONFIG: JSON.stringify({ ...emulator.stackConfig(), "certapply:pollIntervalMs": "50" }) },
  });
});
afterAll(async () => {
  await host?.stop();
  await emulator.stop();
});

test("the plugin checks, creates, diffs and deletes through the shared core, unwrapping secret inputs", async () => {
  const { certificateId } = emulator.tencent.seed({ productType: "dv" });
  const news = {
    cloud: "tencent",
    certificateId,
    commonName: "WWW.example.com",
    validationMethod: "DNS",
    tencent: secret({ companyType: 1, contactEmail: "me@example.com" }),
  };
  const bad = await host.check(urn, {}, { ...news, commonName: "not a domain" });
  expect(bad.failures.map((f) => f.property)).toContain("commonName");
  const checked = await host.check(urn, {}, news);
  expect(checked.failures).toEqual([]);
  expect(checked.inputs.commonName).toBe("www.example.com");

  const created = await host.create(urn, checked.inputs);
  expect(created.id).toBe(certificateId);
  expect(created.properties).toMatchObject({ applicationId: certificateId, status: "under-review" });
  expect(emulator.actions("tencent")).toContain("CertificateInfoSubmit");

  const same = await host.diff(certificateId, urn, created.properties, checked.inputs);
  expect(same.changes).toBe(1); // DIFF_NONE

  emulator.clearLog();
  await host.delete(certificateId, urn, created.properties);
  expect(emulator.actions("tencent")).toContain("CancelAuditCertificate");
});
