/**
 * Huawei end to end (issue 4 part 4): Pulumi programs declared with the SDK classes, run under setMocks,
 * driven through Pulumi's own dynamic-provider host over gRPC against the emulator, state kept between runs.
 */
import { CertificateApplication, type CertificateApplicationArgs } from "certapply";
import { Emulator } from "../../emulator/server";
import { emulatorSeed } from "../emulator/seed";
import { movesOnNextRead } from "../huawei/helpers";
import { startEngine as startEngineOn } from "../support";
import { Engine, EngineError } from "../harness/engine";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await new Emulator({ seed: emulatorSeed() }).start();
});
afterAll(async () => {
  await emulator.stop();
});

async function seed(body: Record<string, unknown> = {}): Promise<string> {
  const r = await emulator.huawei.control("seed", body);
  return String((r.body as { certificateId: string }).certificateId);
}
async function state(id: string): Promise<Record<string, unknown> & { internal: Record<string, unknown> }> {
  return (await emulator.huawei.control("state", { id })).body as Record<string, unknown> & { internal: Record<string, unknown> };
}

/** Under review after an apply: `CHECKING`, or `CHECKING_DOMAIN` once the CA takes it up (under a seed, on its own: emulator V5). */
const UNDER_REVIEW = /^CHECKING(_DOMAIN)?$/;


function args(certificateId: string, over: Partial<CertificateApplicationArgs> = {}): CertificateApplicationArgs {
  return {
    cloud: "huawei",
    certificateId,
    commonName: "www.example.com",
    dnsNames: ["example.com"],
    validationMethod: "DNS",
    admin: { firstName: "Emily", lastName: "Chen", email: "admin@example.com", phone: "13212345678" },
    tech: { firstName: "Tom", lastName: "Li", email: "tech@example.com", phone: "13312345678" },
    autoResubmit: "failure",
    waitTimeoutSeconds: 10,
    ...over,
  };
}

function startEngine(extra: Record<string, string> = {}): Promise<Engine> {
  return startEngineOn(emulator, { "certapply:pollIntervalMs": "20", ...extra });
}

/** The Huawei actions the emulator served since the last call, in order. */
function calls(): string[] {
  const out = emulator.actions("huawei");
  emulator.clearLog();
  return out;
}
/** Writes that change the application (the owner tag, when certapply sets an owner key, is covered by the backend tests). */
const writes = (actions: string[]) => actions.filter((a) => !["ShowCertificate", "ListCertificates", "ListTagsByCertificate", "CreateCertificateTag", "ExportCertificate"].includes(a));
const reads = (actions: string[]) => actions.filter((a) => a === "ShowCertificate");

describe("huawei lifecycle through Pulumi's provider host", () => {
  let engine: Engine;
  let id: string;
  beforeAll(async () => {
    id = await seed();
    engine = await startEngine();
    emulator.clearLog();
  });
  afterAll(async () => {
    await engine.stop();
  });

  test("up applies for the purchased certificate and stores the DNS validation records the CA published; the next up reads once and changes nothing", async () => {
    const res = await engine.up(() => new CertificateApplication("www", args(id)));
    expect(res.steps.map((s) => s.op)).toEqual(["create"]);
    const created = calls();
    expect(writes(created)).toEqual(["ApplyCertificate"]);
    // The status before the write, then one read after it for the records the user publishes now.
    expect(reads(created)).toEqual(["ShowCertificate", "ShowCertificate"]);
    const www = engine.resource("www")!;
    expect(www.id).toBe(id);
    expect(www.outputs).toMatchObject({ applicationId: id, rawStatus: expect.stringMatching(UNDER_REVIEW) });
    expect(www.outputs.status).toBe(www.outputs.rawStatus === "CHECKING" ? "under-review" : "awaiting-validation");
    expect(engine.resource("www")!.outputs.validationRecords).toEqual([
      expect.objectContaining({ domain: "www.example.com", type: "TXT", name: "_dnsauth.www.example.com" }),
      expect.objectContaining({ domain: "example.com", type: "TXT", name: "_dnsauth.example.com" }),
    ]);
    // Then one read; nothing changes unless that read is the one the CA moves on (a no-write update of the status).
    const moves = movesOnNextRead(emulator, id);
    expect((await engine.up(() => new CertificateApplication("www", args(id)))).steps.map((s) => s.op)).toEqual([moves ? "update" : "same"]);
    expect(calls()).toEqual(["ShowCertificate"]);
    await engine.refresh();
    expect(engine.resource("www")!.outputs.validationRecords).toEqual([
      expect.objectContaining({ domain: "www.example.com", type: "TXT", name: "_dnsauth.www.example.com" }),
      expect.objectContaining({ domain: "example.com", type: "TXT", name: "_dnsauth.example.com" }),
    ]);
    calls();
    expect((await state(id)).internal.lastApplyBody).toMatchObject({ agree_privacy_protection: true, domain_method: "DNS" });
    for (const t of engine.providerTexts()) expect(t).not.toContain(emulator.credentials.huawei.secretKey);
  });

  test("rejected → preview says why → up applies again", async () => {
    await emulator.huawei.control("reject", { id, reason: "DNS record not found" });
    const before = engine.hostLines().length;
    const pre = await engine.preview(() => new CertificateApplication("www", args(id)));
    expect(pre.steps.map((s) => s.op)).toEqual(["update"]);
    expect(writes(calls())).toEqual([]);
    expect(engine.hostLines().slice(before).join("\n")).toMatch(/plan: resubmit: the CA outcome is failed \(application rejected\) and autoResubmit is failure/);
    const res = await engine.up(() => new CertificateApplication("www", args(id)));
    expect(res.steps.map((s) => s.op)).toEqual(["update"]);
    expect(writes(calls())).toEqual(["ApplyCertificate"]);
    expect(engine.resource("www")!.outputs).toMatchObject({ rawStatus: expect.stringMatching(UNDER_REVIEW), resubmitCount: 1 });
    expect((await state(id)).internal.applyCount).toBe(2);
  });

  const edited = { admin: { firstName: "Mei", lastName: "Li", email: "mei@example.com", phone: "13112349999" } };

  test("content edit → preview says withdraw → up withdraws, waits for PAID and applies again", async () => {
    const before = engine.hostLines().length;
    await engine.preview(() => new CertificateApplication("www", args(id, edited)));
    expect(engine.hostLines().slice(before).join("\n")).toMatch(/withdraw it \(cancel-cert.*back to PAID.*apply again/);
    calls();
    const res = await engine.up(() => new CertificateApplication("www", args(id, edited)));
    expect(res.steps.map((s) => s.op)).toEqual(["update"]);
    expect(writes(calls())).toEqual(["CancelCertificateRequest", "ApplyCertificate"]);
    const s = await state(id);
    expect(s.status).toMatch(UNDER_REVIEW);
    expect((s.application_info as Record<string, unknown>).applicant_email).toBe("mei@example.com");
  });

  test("an undocumented status survives a refresh as unknown with the raw value kept", async () => {
    await emulator.huawei.control("status", { id, status: "WAIT_FOR_NEW_FLOW" });
    await engine.refresh();
    expect(engine.resource("www")!.outputs).toMatchObject({ status: "unknown", rawStatus: "WAIT_FOR_NEW_FLOW" });
    await emulator.huawei.control("status", { id, status: "CHECKING_DOMAIN" });
    await engine.refresh();
    expect(engine.resource("www")!.outputs).toMatchObject({ rawStatus: "CHECKING_DOMAIN" });
  });

  test("destroy withdraws the application and waits for it to settle; the certificate is back to PAID", async () => {
    calls();
    const res = await engine.destroy();
    expect(res.steps.map((s) => s.op)).toEqual(["delete"]);
    expect(writes(calls())).toEqual(["CancelCertificateRequest"]);
    expect((await state(id)).status).toBe("PAID");
  });
});

describe("huawei: issued certificates", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine({ "certapply:maxRetries": "1" });
  });
  afterAll(async () => {
    await engine.stop();
  });

  test("bad input fails at check with the fields named and no API call", async () => {
    emulator.clearLog();
    const err = (await engine
      .up(() => new CertificateApplication("bad", args("scs123", { validationMethod: "HTTP", admin: { firstName: "Emily", lastName: "Chen" } })))
      .catch((e: unknown) => e)) as EngineError;
    expect(err).toBeInstanceOf(EngineError);
    expect(err.failures.map((f) => f.property)).toEqual(expect.arrayContaining(["certificateId", "validationMethod", "admin.email", "admin.phone"]));
    expect(emulator.actions("huawei")).toEqual([]);
  });

  test("a content change to an issued certificate is refused; destroy leaves it issued with a warning", async () => {
    const id = await seed();
    await engine.up(() => new CertificateApplication("issued", args(id)));
    await emulator.huawei.control("issue", { id });
    const err = (await engine.preview(() => new CertificateApplication("issued", args(id, edited2))).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(EngineError);
    expect(err.message).toMatch(/issued/);
    calls();
    await engine.destroy();
    expect(writes(calls())).toEqual([]);
    expect((await state(id)).status).toBe("ISSUED");
    expect(engine.hostLines().join("\n")).toMatch(/status ISSUED.*left as it is/);
  });
});

const edited2 = { dnsNames: ["example.com", "api.example.com"] };

describe("huawei: the issued certificate as outputs", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(async () => {
    await engine.stop();
  });

  test("refresh after issuance: certificate (PEM, chain, dates, serial, fingerprints) from the read plus one export; stable after", async () => {
    const id = await seed();
    await engine.up(() => new CertificateApplication("cert", args(id)));
    await emulator.huawei.control("issue", { id });
    calls();
    await engine.refresh();
    // The read and its export, then the engine's refresh Diff, whose live read is one more ShowCertificate.
    expect(calls()).toEqual(["ShowCertificate", "ExportCertificate", "ShowCertificate"]);
    const outs = engine.resource("cert")!.outputs as { status: string; certificate: Record<string, string> };
    expect(outs.status).toBe("issued");
    const { X509Certificate } = await import("node:crypto");
    const x = new X509Certificate(outs.certificate.certificatePem);
    expect(x.subjectAltName).toBe("DNS:www.example.com, DNS:example.com");
    expect(outs.certificate).toMatchObject({
      notBefore: new Date(x.validFrom).toISOString(),
      notAfter: new Date(x.validTo).toISOString(),
      serialNumber: x.serialNumber.toLowerCase(),
      sha256Fingerprint: x.fingerprint256.replace(/:/g, "").toLowerCase(),
      thumbprint: x.fingerprint.replace(/:/g, ""),
    });
    expect(outs.certificate.chainPem).toMatch(/BEGIN CERTIFICATE/);
    const first = JSON.stringify(outs.certificate);
    await engine.refresh();
    expect(calls()).toEqual(["ShowCertificate", "ShowCertificate"]); // exported once: the same certificate; the second is the refresh Diff's read
    expect(JSON.stringify(engine.resource("cert")!.outputs.certificate)).toBe(first);
    const noop = await engine.up(() => new CertificateApplication("cert", args(id)));
    expect(noop.steps.map((s) => s.op)).toEqual(["same"]);
    expect(calls()).toEqual(["ShowCertificate"]);
  });
});

describe("huawei: a refresh whose Diff saw the status move", () => {
  test("the read that Diff kept for a no-write update never decides a later update: a rejection after it is applied again", async () => {
    const engine = await startEngine();
    try {
      const id = await seed();
      await engine.up(() => new CertificateApplication("moved", args(id)));
      // The refresh's Read shows CHECKING; its Diff's read is the one on which the CA moves on (a status-only plan).
      await emulator.huawei.control("checking", { id, reads: 1 });
      await engine.refresh();
      expect((await state(id)).status).toBe("CHECKING_DOMAIN");
      await emulator.huawei.control("reject", { id, reason: "DNS record not found" });
      calls();
      const res = await engine.up(() => new CertificateApplication("moved", args(id)));
      expect(res.steps.map((s) => s.op)).toEqual(["update"]);
      expect(writes(calls())).toEqual(["ApplyCertificate"]);
      expect(engine.resource("moved")!.outputs).toMatchObject({ resubmitCount: 1 });
    } finally {
      await engine.stop();
    }
  });
});

describe("huawei: without huaweiDomainId", () => {
  test("the provider looks the account id up once through IAM (GET /v3/auth/domains) and signs it into every call", async () => {
    const engine = await startEngine({ "certapply:huaweiDomainId": "" });
    try {
      const a = await seed();
      const b = await seed();
      calls();
      await engine.up(() => {
        new CertificateApplication("a", args(a));
        new CertificateApplication("b", args(b, { commonName: "api.example.com", dnsNames: [] }));
      });
      expect(emulator.log.filter((e) => e.cloud === "huawei").every((e) => e.status === 200)).toBe(true);
      const made = calls();
      expect(made.filter((x) => x === "KeystoneListAuthDomains")).toHaveLength(1);
      expect(made[0]).toBe("KeystoneListAuthDomains");
      expect(made.filter((x) => x === "ApplyCertificate")).toHaveLength(2);
    } finally {
      await engine.stop();
    }
  });
});
