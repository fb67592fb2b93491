/**
 * Messages on the resource (issue 17 item 9), through Pulumi's own Node.js dynamic-provider host: progress lines and
 * warnings reach the engine's log (what `test/harness` records as the engine's `Log` calls) against the resource's
 * URN with their severity, and a change the cloud refuses fails the preview with one clear message, no stack trace.
 */
import path from "node:path";
import { CertificateApplication, type CertificateApplicationArgs } from "certapply";
import { Emulator } from "../../emulator/server";
import { startEngine } from "../support";
import { Engine, EngineError, repoRoot } from "../harness/engine";
import { ProviderHost } from "../harness/host";

let emulator: Emulator;
let engine: Engine;
beforeAll(async () => {
  emulator = await new Emulator().start();
  engine = await startEngine(emulator);
});
afterAll(async () => {
  await engine.stop();
  await emulator.stop();
});

const args = (certificateId: string, over: Partial<CertificateApplicationArgs> = {}): CertificateApplicationArgs => ({
  cloud: "tencent",
  certificateId,
  commonName: "www.example.com",
  validationMethod: "DNS",
  tencent: { companyType: 1, contactEmail: "me@example.com" },
  ...over,
});

test("progress lines go to the engine's log as INFO against the resource's URN", async () => {
  const { certificateId } = emulator.tencent.seed({ productType: "dv" });
  // The host's first call (this check) comes before certapply is loaded; from then on every call knows its resource.
  await engine.up(() => new CertificateApplication("first", args(certificateId)));
  const second = emulator.tencent.seed({ productType: "dv" }).certificateId;
  await engine.up(() => [new CertificateApplication("first", args(certificateId)), new CertificateApplication("www", args(second))]);
  const urn = engine.resource("www")!.urn;
  expect(engine.engineLog()).toEqual(expect.arrayContaining([{ severity: "info", urn, message: expect.stringMatching(/: submitted application /) }]));
  const ours = engine.engineLog().filter((e) => e.message.includes(second));
  expect(ours.length).toBeGreaterThan(0);
  expect(ours.every((e) => e.urn === urn)).toBe(true);
  expect(JSON.stringify(engine.engineLog())).not.toContain("me@example.com");
});

test("a change refused after issue fails the preview with one message naming the field and the fix, and no stack trace", async () => {
  const id = engine.resource("www")!.id;
  emulator.tencent.issue(id);
  const before = engine.hostLines().length;
  const err = (await engine
    .preview(() => [new CertificateApplication("first", args(engine.resource("first")!.id)), new CertificateApplication("www", args(id, { commonName: "shop.example.com" }))])
    .catch((e: unknown) => e)) as EngineError;
  expect(err).toBeInstanceOf(EngineError);
  const said = [...engine.hostLines().slice(before), ...err.errors].join("\n");
  const refusal = /is issued, so commonName cannot change\. Revert the change, or apply for a new certificate by changing certificateId/g;
  expect(said.match(refusal)).toHaveLength(1);
  expect(said).not.toMatch(/^\s+at /m);
  expect(said).not.toMatch(/Error: /);
});

test("an Edgecast domain change while pending: one message naming the field and the fix, no stack trace", async () => {
  const edgecast = (dnsNames: string[]): CertificateApplicationArgs => ({ cloud: "edgecast", commonName: "shop.example.com", dnsNames, validationMethod: "DnsTxtToken" });
  const keep = () => new CertificateApplication("www", args(engine.resource("www")!.id));
  await engine.up(() => [keep(), new CertificateApplication("shop", edgecast(["example.com"]))]);
  const before = engine.hostLines().length;
  const err = (await engine.preview(() => [keep(), new CertificateApplication("shop", edgecast(["example.com", "api.example.com"]))]).catch((e: unknown) => e)) as EngineError;
  expect(err).toBeInstanceOf(EngineError);
  const said = [...engine.hostLines().slice(before), ...err.errors].join("\n");
  expect(said.match(/Edgecast accepts changes of dnsNames only once the certificate is issued .* Revert the change until it is issued, or replace the request/g)).toHaveLength(1);
  expect(said).not.toMatch(/^\s+at /m);
  await engine.up(() => [keep()]);
});

test("a warning goes to the engine's log as WARNING against the resource, without the word in its text", async () => {
  const urn = engine.resource("www")!.urn;
  await engine.destroy();
  const warning = engine.engineLog().find((e) => e.severity === "warning" && e.urn === urn);
  expect(warning?.message).toMatch(/only an application under review \(0, 4, 8\) is withdrawn on delete/);
  expect(warning?.message).not.toMatch(/warning:/);
});

test("the first call of a new provider process (a destroy's delete) logs against the resource too, from the URN the SDK declares", async () => {
  const { certificateId } = emulator.tencent.seed({ productType: "dv" });
  await engine.up(() => [new CertificateApplication("early", args(certificateId))]);
  emulator.tencent.issue(engine.resource("early")!.id);
  const urn = engine.resource("early")!.urn;
  const fresh = await Engine.start({ config: { ...emulator.stackConfig(), "certapply:pollIntervalMs": "50" }, state: engine.exportState() });
  try {
    await fresh.destroy();
    const warnings = fresh.engineLog().filter((e) => e.severity === "warning");
    expect(warnings).toEqual([{ severity: "warning", urn, message: expect.stringMatching(/only an application under review \(0, 4, 8\) is withdrawn on delete/) }]);
  } finally {
    await fresh.stop();
  }
  await engine.up(() => []);
});

test("through the plugin too, a warning reaches the engine as WARNING (it was INFO) and progress as INFO", async () => {
  const host = await ProviderHost.start({ cwd: repoRoot(), project: "msgs", script: path.join(repoRoot(), "dist", "provider", "plugin.js") });
  try {
    const settings = { ...emulator.stackConfig(), "certapply:pollIntervalMs": "50" };
    await host.configure(Object.fromEntries(Object.entries(settings).map(([k, v]) => [k.replace(/^certapply:/, ""), v])));
    const urn = "urn:pulumi:dev::msgs::certapply:index:CertificateApplication::plug";
    const { certificateId } = emulator.tencent.seed({ productType: "dv" });
    const created = await host.create(urn, { ...args(certificateId) });
    emulator.tencent.issue(created.id);
    await host.delete(created.id, urn, created.properties);
    const log = host.engineLog();
    expect(log).toEqual(expect.arrayContaining([{ severity: "info", urn, message: expect.stringMatching(/submitted application/) }]));
    const warnings = log.filter((e) => e.severity === "warning");
    expect(warnings).toEqual([{ severity: "warning", urn, message: expect.stringMatching(/is in .*only an application under review \(0, 4, 8\) is withdrawn on delete/) }]);
  } finally {
    await host.stop();
  }
});
