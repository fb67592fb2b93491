/**
 * Tencent end to end: Pulumi programs declared with the SDK classes, run under setMocks, driven through
 * Pulumi's own dynamic-provider host over gRPC against the emulator, with state kept between runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CertificateApplication, ConfirmLetter, type CertificateApplicationArgs } from "certapply";
import { Emulator } from "../../emulator/server";
import { emulatorSeed } from "../emulator/seed";
import { startEngine as startEngineOn } from "../support";
import { Engine, EngineError } from "../harness/engine";

const dir = mkdtempSync(path.join(tmpdir(), "certapply-engine-"));
const letterFile = path.join(dir, "confirm-letter.pdf");
writeFileSync(letterFile, Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(3000, 0x20)]));

let emulator: Emulator;
beforeAll(async () => {
  emulator = await new Emulator({ seed: emulatorSeed() }).start();
});
afterAll(async () => {
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
});

function args(certificateId: string, over: Partial<CertificateApplicationArgs> = {}): CertificateApplicationArgs {
  return {
    cloud: "tencent",
    certificateId,
    commonName: "www.example.com",
    dnsNames: ["example.com"],
    validationMethod: "DNS",
    organization: {
      name: "Example Ltd",
      division: "IT",
      address: "1 Example Road",
      city: "Guangzhou",
      region: "Guangdong",
      country: "CN",
      phoneAreaCode: "020",
      phoneNumber: "12345678",
    },
    admin: { firstName: "Ning", lastName: "Huang", email: "admin@example.com", phone: "13112341234", title: "CTO" },
    tech: { firstName: "Ning", lastName: "Huang", email: "tech@example.com", phone: "13112341234", title: "SRE" },
    tencent: { keyPass: "s3cret-key-pass" },
    ...over,
  };
}

function startEngine(extra: Record<string, string> = {}): Promise<Engine> {
  return startEngineOn(emulator, extra);
}

/** The Tencent actions the emulator served since the last call, in order. */
function calls(): string[] {
  const out = emulator.actions("tencent");
  emulator.clearLog();
  return out;
}
const writes = (actions: string[]) => actions.filter((a) => !a.startsWith("Describe"));

describe("tencent lifecycle through Pulumi's provider host", () => {
  let engine: Engine;
  let id: string;
  beforeAll(async () => {
    id = emulator.tencent.seed({ productType: "ev", requiresLetter: true, domainCount: 2 }).certificateId;
    engine = await startEngine();
    emulator.clearLog();
  });
  afterAll(async () => {
    await engine.stop();
  });

  test("up saves the materials and sends the order: one read, the order's reply is the status, orderId comes out", async () => {
    const res = await engine.up(() => new CertificateApplication("www", args(id)));
    expect(res.steps.map((s) => s.op)).toEqual(["create"]);
    expect(calls()).toEqual(["DescribeCertificateDetail", "CertificateInfoSubmit", "CertificateOrderSubmit"]);
    const www = engine.resource("www")!;
    expect(www.id).toBe(id);
    const st = emulator.tencent.state(id)!;
    expect(www.outputs).toMatchObject({ applicationId: id, status: "awaiting-confirm-letter", rawStatus: "8", resubmitCount: 0, orderId: st.orderId });
    expect(st.status).toBe(8);
  });

  test("personal data goes in as secrets and the serialized provider is small and holds no credential", () => {
    const www = engine.resource("www")!;
    expect(www.secretInputKeys).toEqual(expect.arrayContaining(["organization", "admin", "tech", "tencent"]));
    const texts = engine.providerTexts();
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) {
      expect(Buffer.byteLength(t)).toBeLessThan(4096);
      expect(t).not.toContain(emulator.credentials.tencent.secretKey);
      expect(t).not.toContain(emulator.credentials.tencent.secretId);
      expect(t).not.toContain("s3cret-key-pass");
    }
  });

  test("a second up with nothing changed does nothing: one read, no write", async () => {
    const res = await engine.up(() => new CertificateApplication("www", args(id)));
    expect(res.steps.map((s) => s.op)).toEqual(["same"]);
    expect(calls()).toEqual(["DescribeCertificateDetail"]);
  });

  test("letter upload once the certificate awaits it; state keeps its hash, not its bytes", async () => {
    const res = await engine.up(() => {
      const app = new CertificateApplication("www", args(id));
      new ConfirmLetter("letter", { certificateId: app.applicationId, file: letterFile });
    });
    expect(res.steps.map((s) => `${s.name}:${s.op}`)).toEqual(["www:same", "letter:create"]);
    expect(writes(calls())).toEqual(["UploadConfirmLetter"]);
    const letter = engine.resource("letter")!;
    expect(letter.outputs).toMatchObject({ certificateId: id, sizeBytes: 3009, format: "pdf" });
    expect(letter.outputs.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(engine.exportState()).not.toContain(Buffer.from("%PDF-1.7").toString("base64"));
    expect(emulator.tencent.state(id)?.status).toBe(0);
  });

  const withLetter = (over: Partial<CertificateApplicationArgs> = {}) => () => {
    const app = new CertificateApplication("www", args(id, over));
    new ConfirmLetter("letter", { certificateId: app.applicationId, file: letterFile });
  };

  test("CA times out → preview says why → up resubmits", async () => {
    emulator.tencent.timeout(id);
    const before = engine.hostLines().length;
    const pre = await engine.preview(withLetter());
    // The application's outputs are unknown in a preview of its update, so the letter may change: decided at apply.
    expect(pre.steps.map((s) => `${s.name}:${s.op}`)).toEqual(["www:update", "letter:update"]);
    expect(writes(calls())).toEqual([]);
    const said = engine.hostLines().slice(before).join("\n");
    expect(said).toMatch(/plan: resubmit: the CA outcome is timed-out.*autoResubmit is timeout/);

    const res = await engine.up(withLetter());
    // The resubmit brings the certificate back to 8: the letter is uploaded again in the same up.
    expect(res.steps.map((s) => `${s.name}:${s.op}`)).toEqual(["www:update", "letter:update"]);
    expect(writes(calls())).toEqual(["ModifyCertificateResubmit", "CertificateInfoSubmit", "CertificateOrderSubmit", "UploadConfirmLetter"]);
    expect(emulator.tencent.state(id)?.status).toBe(0);
    expect(engine.resource("www")!.outputs).toMatchObject({ status: "awaiting-confirm-letter", resubmitCount: 1, autoResubmitAttempts: 1 });
    expect(engine.resource("www")!.outputs.lastResubmitAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  const edited = { admin: { firstName: "Mei", lastName: "Li", email: "mei@example.com", phone: "13112349999", title: "CISO" } };

  test("content edit → up cancels the running review and resubmits the new content", async () => {
    const res = await engine.up(withLetter(edited));
    expect(res.steps.map((s) => `${s.name}:${s.op}`)).toEqual(["www:update", "letter:update"]);
    expect(writes(calls())).toEqual(["CancelAuditCertificate", "ModifyCertificateResubmit", "CertificateInfoSubmit", "CertificateOrderSubmit", "UploadConfirmLetter"]);
    expect(engine.resource("www")!.outputs).toMatchObject({ resubmitCount: 2, autoResubmitAttempts: 0, status: "awaiting-confirm-letter" });
    expect(engine.resource("www")!.outputs.orderId).toBe(emulator.tencent.state(id)?.orderId);
    expect(JSON.stringify(emulator.tencent.state(id))).toContain("mei@example.com");
  });

  test("a new letter file while under review is recorded and says so; a resubmit sends it", async () => {
    writeFileSync(letterFile, Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(4000, 0x21)]));
    const before = engine.hostLines().length;
    const res = await engine.up(withLetter(edited));
    // www: the stored status moved (an update with no write); the letter: recorded.
    expect(res.steps.map((s) => `${s.name}:${s.op}`)).toEqual(["www:update", "letter:update"]);
    expect(writes(calls())).toEqual([]);
    expect(engine.hostLines().slice(before).join("\n")).toMatch(/past the letter step.*only after the application is resubmitted/);
    expect(engine.resource("letter")!.outputs).toMatchObject({ sizeBytes: 4009 });

    const again = await engine.up(withLetter({ ...edited, resubmitTrigger: "new letter" }));
    expect(again.steps.map((s) => `${s.name}:${s.op}`)).toEqual(["www:update", "letter:update"]);
    expect(writes(calls())).toEqual(["CancelAuditCertificate", "ModifyCertificateResubmit", "CertificateInfoSubmit", "CertificateOrderSubmit", "UploadConfirmLetter"]);
    expect(emulator.tencent.state(id)?.status).toBe(0);
  });

  test("destroy withdraws the application under review and leaves the letter alone", async () => {
    const res = await engine.destroy();
    expect(res.steps.map((s) => `${s.name}:${s.op}`).sort()).toEqual(["letter:delete", "www:delete"]);
    expect(writes(calls())).toEqual(["CancelAuditCertificate"]);
    expect([6, 7]).toContain(emulator.tencent.state(id)?.status);
    expect(engine.hostLines().join("\n")).toMatch(/no API to withdraw an uploaded confirmation letter/);
  });

  test("nothing the provider printed in the whole lifecycle carries a credential or personal data", () => {
    const printed = engine.hostLines().join("\n");
    for (const canary of [emulator.credentials.tencent.secretKey, "s3cret-key-pass", "admin@example.com", "mei@example.com", "13112341234", "12345678"]) {
      expect(printed).not.toContain(canary);
    }
  });
});

describe("tencent failures", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine({ "certapply:maxRetries": "1" });
  });
  afterAll(async () => {
    await engine.stop();
  });

  test("bad input fails at check with every field named and zero API calls", async () => {
    emulator.clearLog();
    const err = (await engine
      .up(() => new CertificateApplication("bad", args("short", { commonName: "not a domain", admin: { email: "nope" }, validationMethod: "EMAIL" })))
      .catch((e: unknown) => e)) as EngineError;
    expect(err).toBeInstanceOf(EngineError);
    const props = err.failures.map((f) => f.property);
    expect(props).toEqual(expect.arrayContaining(["certificateId", "commonName", "admin.email", "validationMethod", "admin.firstName"]));
    expect(err.steps.filter((s) => s.op === "create" && !s.failures)).toHaveLength(0);
    expect(emulator.log).toHaveLength(0);
    expect(engine.resource("bad")).toBeUndefined();
  });

  test("a create that fails after the order was accepted keeps the id in state; nothing is submitted twice", async () => {
    const id = emulator.tencent.seed({ productType: "ov", domainCount: 2 }).certificateId;
    emulator.clearLog();
    // waitFor issued needs reads after the order: they fail twice (first try and its one retry).
    emulator.injectFault({ cloud: "tencent", action: "DescribeCertificateDetail", kind: "internal", count: 2, skip: 1 });
    const err = await engine.up(() => new CertificateApplication("late", args(id, { waitFor: "issued", waitTimeoutSeconds: 5 }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as Error).message).toMatch(/InternalError/);
    expect(engine.resource("late")?.id).toBe(id);
    // The re-run continues the wait the failure cut short (an update with no write).
    const res = await engine.up(() => new CertificateApplication("late", args(id, { waitFor: "issued", waitTimeoutSeconds: 5 })));
    expect(res.steps.map((s) => s.op)).toEqual(["update"]);
    expect(emulator.actions("tencent").filter((a) => a === "CertificateInfoSubmit")).toHaveLength(1);
    expect(emulator.tencent.state(id)?.orderCount).toBe(1);
  });

  test("a run that saved the materials but lost the order's reply is finished by the next run: only the order is sent", async () => {
    const id = emulator.tencent.seed({ productType: "ov", domainCount: 2 }).certificateId;
    await engine.destroy();
    emulator.clearLog();
    // The order fails without being applied (reset before the emulator handles it), and the read that checks fails too.
    emulator.injectFault({ cloud: "tencent", action: "CertificateOrderSubmit", kind: "reset", count: 1 });
    emulator.injectFault({ cloud: "tencent", action: "DescribeCertificateDetail", kind: "internal", count: 2, skip: 1 });
    const err = await engine.up(() => new CertificateApplication("half", args(id))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(emulator.tencent.state(id)).toMatchObject({ status: 5, submitCount: 1, orderCount: 0 });
    emulator.clearLog();
    const res = await engine.up(() => new CertificateApplication("half", args(id)));
    expect(res.steps.map((s) => s.op)).toEqual(["create"]);
    expect(calls()).toEqual(["DescribeCertificateDetail", "CertificateOrderSubmit"]);
    expect(emulator.tencent.state(id)).toMatchObject({ status: 0, submitCount: 1, orderCount: 1 });
  });

  test("a create re-run after the state was lost adopts the submitted application instead of submitting twice", async () => {
    const id = emulator.tencent.seed({ productType: "ov", domainCount: 2 }).certificateId;
    await engine.up(() => new CertificateApplication("crash", args(id)));
    const fresh = await startEngine();
    try {
      emulator.clearLog();
      const res = await fresh.up(() => new CertificateApplication("crash", args(id)));
      expect(res.steps.map((s) => s.op)).toEqual(["create"]);
      expect(calls()).toEqual(["DescribeCertificateDetail"]);
      expect(fresh.hostLines().join("\n")).toMatch(/adopted application .* already submitted with the same content/);
      expect(fresh.resource("crash")?.outputs).toMatchObject({ applicationId: id, status: "under-review" });
    } finally {
      await fresh.stop();
    }
  });

  test("a delete-before-replace on the same certificate: the delete withdraws, the create reopens it (no purchase, one order)", async () => {
    const id = emulator.tencent.seed({ productType: "ov", domainCount: 2 }).certificateId;
    const own = await startEngine();
    try {
      await own.up(() => new CertificateApplication("again", args(id)));
      emulator.clearLog();
      // The engine's delete-before-replace is these two steps: the old resource's Delete, then the new one's Create.
      await own.destroy();
      expect([6, 7]).toContain(emulator.tencent.state(id)?.status);
      const res = await own.up(() => new CertificateApplication("again", args(id)));
      expect(res.steps.map((s) => s.op)).toEqual(["create"]);
      expect(writes(calls())).toEqual(["CancelAuditCertificate", "ModifyCertificateResubmit", "CertificateInfoSubmit", "CertificateOrderSubmit"]);
      expect(own.resource("again")?.outputs).toMatchObject({ applicationId: id, status: "under-review" });
      expect(emulator.tencent.state(id)).toMatchObject({ status: 0, resubmitCount: 1, orderCount: 2 });
    } finally {
      await own.stop();
    }
  });

  test("a content change to an issued certificate is refused in preview with the reason", async () => {
    const id = emulator.tencent.seed({ productType: "dv", domainCount: 3 }).certificateId;
    await engine.up(() => new CertificateApplication("issued", args(id)));
    emulator.tencent.issue(id);
    emulator.clearLog();
    const err = (await engine
      .preview(() => new CertificateApplication("issued", args(id, { dnsNames: ["example.com", "api.example.com"] })))
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(EngineError);
    expect(err.message).toMatch(/is issued, so dnsNames cannot change/);
    expect(writes(calls())).toEqual([]);
  });
});

describe("tencent issued certificate", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(async () => {
    await engine.stop();
  });

  test("once issued, the certificate (with the key Tencent generated) is in the outputs, and it does not change on the next up", async () => {
    const id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
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
    const outs = engine.resource("cert")!.outputs as { status: string; certificate?: { notAfter: string; sha256Fingerprint: string; certificatePem: string; privateKeyPem?: string }; privateKey?: string };
    expect(outs.status).toBe("issued");
    const issued = await emulator.tencent.certificate(id);
    expect(outs.certificate).toMatchObject({ sha256Fingerprint: issued!.sha256Fingerprint, certificatePem: issued!.certificatePem });
    expect(outs.certificate?.privateKeyPem).toBeUndefined();
    expect(outs.privateKey).toBe(issued!.privateKeyPem);
    const again = await engine.up(program);
    expect(again.steps.map((s) => s.op)).toEqual(["same"]);
    expect(engine.resource("cert")!.outputs.certificate).toEqual(outs.certificate);
  });
});

describe("tencent waits and backoff", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(async () => {
    await engine.stop();
  });

  test("waitFor validation-records polls until the CA publishes the records, with progress messages", async () => {
    const id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
    // The CA starts domain validation while create waits: after create's first read of the submitted application.
    emulator.clearLog();
    const timer = setInterval(() => {
      const log = emulator.actions("tencent");
      if (log.lastIndexOf("DescribeCertificateDetail") > log.indexOf("CertificateOrderSubmit") && log.includes("CertificateOrderSubmit")) {
        clearInterval(timer);
        emulator.tencent.dcv(id);
      }
    }, 50);
    try {
      await engine.up(() => new CertificateApplication("dcv", args(id, { waitFor: "validation-records", waitTimeoutSeconds: 30 })));
    } finally {
      clearInterval(timer);
    }
    const outs = engine.resource("dcv")!.outputs as { status: string; validationRecords: { domain: string; type: string }[] };
    expect(outs.status).toBe("awaiting-validation");
    expect(outs.validationRecords.map((r) => `${r.type} ${r.domain}`).sort()).toEqual(["TXT example.com", "TXT www.example.com"]);
    expect(engine.hostLines().join("\n")).toMatch(/waiting up to 30s for validation-records \(now under-review\)[\s\S]*status awaiting-validation/);
  });

  test("waitFor issued gives up at waitTimeoutSeconds without failing: the resource is saved with its status", async () => {
    const id = emulator.tencent.seed({ productType: "ov", domainCount: 2 }).certificateId;
    const started = Date.now();
    const res = await engine.up(() => new CertificateApplication("slow", args(id, { waitFor: "issued", waitTimeoutSeconds: 1 })));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(res.steps.filter((s) => s.name === "slow").map((s) => s.op)).toEqual(["create"]);
    expect(engine.resource("slow")!.outputs.status).toBe("under-review");
    expect(engine.hostLines().join("\n")).toMatch(/still under-review \(0\) after waiting 1s for issued; the next pulumi up continues the wait/);
  });

  test("a second timeout right after an automatic resubmit waits for the backoff; resubmitTrigger overrides it", async () => {
    const id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
    const program = (trigger = "") => () => new CertificateApplication("again", args(id, { resubmitTrigger: trigger }));
    await engine.up(program());
    emulator.tencent.dcv(id);
    emulator.tencent.timeout(id);
    await engine.up(program());
    expect(engine.resource("again")!.outputs).toMatchObject({ resubmitCount: 1, autoResubmitAttempts: 1 });
    emulator.tencent.dcv(id);
    emulator.tencent.timeout(id);
    emulator.clearLog();
    const res = await engine.up(program());
    // No write; the stored status moves to timed-out, and the preview says when the next attempt is due.
    expect(res.steps.map((s) => s.op)).toEqual(["update"]);
    expect(writes(calls())).toEqual([]);
    expect(engine.resource("again")!.outputs.status).toBe("timed-out");
    expect(engine.hostLines().join("\n")).toMatch(/next automatic resubmit is due after .*change resubmitTrigger to do it now/);
    const forced = await engine.up(program("retry-now"));
    expect(forced.steps.map((s) => s.op)).toEqual(["update"]);
    expect(writes(calls())).toEqual(["ModifyCertificateResubmit", "CertificateInfoSubmit", "CertificateOrderSubmit"]);
    expect(engine.resource("again")!.outputs).toMatchObject({ resubmitCount: 2, autoResubmitAttempts: 1 });
  });
});

