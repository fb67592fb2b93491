/**
 * Waits and timeouts on the Node.js path (issue 17, item 8), through Pulumi's dynamic-provider host: the resource
 * option customTimeouts bounds the wait (the engine hands a dynamic provider no timeout, so the SDK passes it as an
 * input); running out fails the step but keeps the application in state, and the next no-change `pulumi up` continues
 * the wait; a rejection autoResubmit does not answer is said at preview and stored without `pulumi refresh`.
 */
import { CertificateApplication, type CertificateApplicationArgs } from "certapply";
import { Emulator } from "../../emulator/server";
import { startEngine } from "../support";
import { EngineError } from "../harness/engine";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await new Emulator().start();
});
afterAll(async () => {
  await emulator.stop();
});

function args(certificateId: string, over: Partial<CertificateApplicationArgs> = {}): CertificateApplicationArgs {
  return {
    cloud: "tencent",
    certificateId,
    commonName: "www.example.com",
    validationMethod: "DNS",
    tencent: { companyType: 1, contactEmail: "me@example.com" },
    ...over,
  };
}

test("customTimeouts bound the wait on the Node path: running out fails the up, keeps the application, and the next up continues the wait", async () => {
  const engine = await startEngine(emulator);
  try {
    const { certificateId } = emulator.tencent.seed({ productType: "dv" });
    const declare = () => new CertificateApplication("slow", args(certificateId, { waitFor: "issued", waitTimeoutSeconds: 600 }), { customTimeouts: { create: "2s", update: "2s" } });
    const started = Date.now();
    const err = await engine.up(declare).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as Error).message).toMatch(/timed out after 2s \(customTimeouts 2s\) waiting for issued; the application is under-review \(0\): run pulumi up again to continue the wait/);
    expect(engine.resource("slow")).toMatchObject({ id: certificateId, outputs: { status: "under-review" } });
    expect(emulator.tencent.state(certificateId)?.orderCount).toBe(1);

    // The CA issues; the next up, with nothing changed, continues the wait and stores the certificate. No write.
    emulator.tencent.dcv(certificateId);
    emulator.tencent.issue(certificateId);
    emulator.clearLog();
    const res = await engine.up(declare);
    expect(res.steps.map((s) => s.op)).toEqual(["update"]);
    expect(engine.resource("slow")!.outputs.status).toBe("issued");
    expect(emulator.actions("tencent").filter((a) => !a.startsWith("Describe"))).toEqual([]);
    expect(emulator.tencent.state(certificateId)?.orderCount).toBe(1);
  } finally {
    await engine.stop();
  }
}, 60_000);

test("a CA rejection with autoResubmit timeout is said at preview, and the next up stores it (no refresh needed, no write)", async () => {
  const engine = await startEngine(emulator);
  try {
    const { certificateId } = emulator.tencent.seed({ productType: "dv" });
    const declare = () => new CertificateApplication("www", args(certificateId, { autoResubmit: "timeout" }));
    await engine.up(declare);
    emulator.tencent.reject(certificateId, "域名验证失败");
    const before = engine.hostLines().length;
    const pre = await engine.preview(declare);
    expect(pre.steps.map((s) => s.op)).toEqual(["update"]);
    expect(engine.hostLines().slice(before).join("\n")).toMatch(/the CA outcome is failed .*autoResubmit is timeout, so there is no automatic resubmit: fix the cause, then change resubmitTrigger \(or set autoResubmit to "failure"\)/);
    emulator.clearLog();
    await engine.up(declare);
    expect(engine.resource("www")!.outputs.status).toBe("failed");
    expect(emulator.actions("tencent").filter((a) => !a.startsWith("Describe"))).toEqual([]);
  } finally {
    await engine.stop();
  }
}, 60_000);
