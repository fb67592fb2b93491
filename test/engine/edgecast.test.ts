/**
 * Edgecast end to end: Pulumi programs declared with the SDK classes, run under setMocks, driven through
 * Pulumi's own dynamic-provider host over gRPC against the emulator, with state kept between runs.
 */
import { CertificateApplication, type CertificateApplicationArgs } from "certapply";
import { Emulator } from "../../emulator/server";
import { emulatorSeed } from "../emulator/seed";
import { startEngine as startEngineOn } from "../support";
import { Engine, EngineError } from "../harness/engine";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await new Emulator({ seed: emulatorSeed() }).start();
});
afterAll(async () => {
  await emulator.stop();
});

function args(over: Partial<CertificateApplicationArgs> = {}): CertificateApplicationArgs {
  return {
    cloud: "edgecast",
    commonName: "www.example.com",
    dnsNames: ["example.com"],
    validationMethod: "DnsTxtToken",
    edgecast: { description: "shop", notifications: [{ notificationType: "CertificateExpiring", enabled: true, emails: ["ops@example.com"] }] },
    ...over,
  };
}

function startEngine(extra: Record<string, string> = {}): Promise<Engine> {
  return startEngineOn(emulator, extra);
}

/** Edgecast write calls since the last call (reads and tokens left out). */
function writes(): string[] {
  const out = emulator.actions("edgecast").filter((a) => !a.startsWith("GET ") && a !== "POST /connect/token");
  emulator.clearLog();
  return out;
}
const state = async (id: string | number) => (await emulator.edgecast.control("state", { id: Number(id) })).body as Record<string, unknown>;
const ctl = async (command: string, id: string | number, extra: Record<string, unknown> = {}) => {
  const r = await emulator.edgecast.control(command, { id: Number(id), ...extra });
  if (r.status !== 200) throw new Error(`${command}: ${JSON.stringify(r.body)}`);
};

describe("edgecast lifecycle: up → timeout → retrigger → issued → destroy keeps the certificate", () => {
  let engine: Engine;
  let id: string;
  beforeAll(async () => {
    emulator.reset();
    engine = await startEngine();
  });
  afterAll(async () => {
    await engine.stop();
  });

  test("up creates the request, then sets its notifications", async () => {
    const res = await engine.up(() => new CertificateApplication("www", args()));
    expect(res.steps.map((s) => s.op)).toEqual(["create"]);
    // one read per create at most: the search for this resource's own request (when certapply gave it an owner
    // key); the POST reply is the status after
    const reads = emulator.actions("edgecast").filter((a) => a.startsWith("GET "));
    expect(reads.filter((a) => a !== "GET /v2.0/certificates")).toEqual([]);
    expect(reads.length).toBeLessThanOrEqual(1);
    expect(writes()).toEqual(["POST /v2.0/certificates/cdnprovided", "PATCH /v2.0/certificates/{id}/notifications"]);
    const www = engine.resource("www")!;
    id = www.id;
    expect(www.outputs).toMatchObject({ applicationId: id, status: "under-review", rawStatus: "Processing" });
    expect(www.outputs.edgecast).toMatchObject({ requestId: Number(id), description: "shop", certificateStatus: "Processing", expirationDate: "" });
    expect((await state(id)).label).toMatch(/^www-example-com-[a-z0-9]{6}$/);
    // notification e-mails are not kept in plain state
    expect(JSON.stringify(www.outputs)).not.toContain("ops@example.com");
  });

  test("a no-op up while Processing reads /status once and nothing else", async () => {
    emulator.clearLog();
    const res = await engine.up(() => new CertificateApplication("www", args()));
    expect(res.steps.map((s) => s.op)).toEqual(["same"]);
    expect(emulator.actions("edgecast").filter((a) => a !== "POST /connect/token")).toEqual(["GET /v2.0/certificates/{id}/status"]);
  });

  test("DCV starts: refresh shows the TXT records; a second up changes nothing", async () => {
    await ctl("advance", id);
    await engine.refresh();
    const www = engine.resource("www")!;
    expect(www.outputs.status).toBe("awaiting-validation");
    expect(www.outputs.validationRecords).toEqual([
      { domain: "www.example.com", type: "TXT", name: "www.example.com", value: expect.stringMatching(/^[0-9a-f]{32}$/) },
      { domain: "example.com", type: "TXT", name: "example.com", value: expect.stringMatching(/^[0-9a-f]{32}$/) },
    ]);
    const res = await engine.up(() => new CertificateApplication("www", args()));
    expect(res.steps.map((s) => s.op)).toEqual(["same"]);
    expect(writes()).toEqual([]);
  });

  test("a domain times out → preview says a retrigger is planned → up retriggers", async () => {
    await ctl("timeout", id, { domain: "example.com" });
    const before = engine.hostLines().length;
    const pre = await engine.preview(() => new CertificateApplication("www", args()));
    expect(pre.steps.map((s) => s.op)).toEqual(["update"]);
    expect(writes()).toEqual([]);
    expect(engine.hostLines().slice(before).join("\n")).toMatch(/plan: resubmit: the CA outcome is timed-out.*timed out for example.com.*retrigger/);
    const res = await engine.up(() => new CertificateApplication("www", args()));
    expect(res.steps.map((s) => s.op)).toEqual(["update"]);
    expect(writes()).toEqual(["PUT /v2.0/certificates/{id}/retrigger"]);
    expect(engine.resource("www")!.outputs).toMatchObject({ status: "under-review", resubmitCount: 1, autoResubmitAttempts: 1 });
    expect((await state(id)).retriggerCount).toBe(1);
  });

  test("issued: the CNAME target, expiry and certificate (expiration, thumbprint) show up after a refresh, and stay", async () => {
    await ctl("issue", id);
    await engine.refresh();
    const www = engine.resource("www")!;
    expect(www.outputs).toMatchObject({ status: "issued", rawStatus: "Active", validationRecords: [] });
    const ec = www.outputs.edgecast as Record<string, string>;
    expect(ec.cnameTarget).toMatch(/edgecastcdn\.net$/);
    expect(Date.parse(ec.expirationDate)).toBeGreaterThan(Date.now());
    const s = await state(id);
    expect(www.outputs.certificate).toEqual({ notAfter: s.expirationDate, thumbprint: s.thumbprint });
    expect(s.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    await engine.refresh();
    expect(engine.resource("www")!.outputs.certificate).toEqual(www.outputs.certificate);
    const res = await engine.up(() => new CertificateApplication("www", args()));
    expect(res.steps.map((x) => x.op)).toEqual(["same"]);
  });

  test("destroy leaves the issued certificate in place and warns", async () => {
    emulator.clearLog();
    const res = await engine.destroy();
    expect(res.steps.map((s) => s.op)).toEqual(["delete"]);
    expect(writes()).toEqual([]);
    expect((await state(id)).status).toBe("Active");
    expect(engine.hostLines().join("\n")).toMatch(/is issued, so it was left in place/);
  });

  test("nothing the provider printed carries a credential or a notification e-mail", () => {
    const printed = engine.hostLines().join("\n");
    for (const canary of [emulator.credentials.edgecast.clientSecret, "ops@example.com"]) expect(printed).not.toContain(canary);
    for (const t of engine.providerTexts()) expect(t).not.toContain(emulator.credentials.edgecast.clientSecret);
  });
});

describe("edgecast changes", () => {
  // one engine (stack) per test: a program that no longer declares a resource deletes it
  let engine: Engine;
  beforeAll(() => emulator.reset());
  beforeEach(async () => {
    engine = await startEngine({ "certapply:maxRetries": "1" });
  });
  afterEach(async () => {
    await engine.stop();
  });

  test("while pending: a domain change is refused in preview with the reason; label and description are PATCHed", async () => {
    await engine.up(() => new CertificateApplication("app", args()));
    const id = engine.resource("app")!.id;
    emulator.clearLog();
    const err = (await engine.preview(() => new CertificateApplication("app", args({ dnsNames: ["example.com", "api.example.com"] }))).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(EngineError);
    expect(err.message).toMatch(/accepts changes of dnsNames only once the certificate is issued/);
    expect(writes()).toEqual([]);
    const res = await engine.up(() => new CertificateApplication("app", args({ edgecast: { certificateLabel: "shop-cert", description: "new shop", autoRenew: false } })));
    expect(res.steps.map((s) => s.op)).toEqual(["update"]);
    expect(writes()).toEqual(["PATCH /v2.0/certificates/{id}", "PATCH /v2.0/certificates/{id}/notifications"]);
    expect(await state(id)).toMatchObject({ label: "shop-cert", description: expect.stringMatching(/^new shop certapply-owner-[0-9a-f]{16}$/), autoRenew: false });
    const n = (await state(id)).notifications as { notification_type: string; enabled: boolean }[];
    expect(n.find((x) => x.notification_type === "CertificateExpiring")?.enabled).toBe(false);
  });

  test("a validationType change replaces delete-first: the pending request is cancelled, the new one gets a fresh label", async () => {
    await engine.up(() => new CertificateApplication("rep", args()));
    const oldId = engine.resource("rep")!.id;
    const oldLabel = (await state(oldId)).label as string;
    emulator.clearLog();
    const ovArgs = args({
      edgecast: { validationType: "OV" },
      organization: { name: "Example Inc", address: "1 Main St", city: "Springfield", region: "IL", postalCode: "62701", country: "US" },
      admin: { firstName: "Ada", lastName: "Admin", email: "ada@example.com", phone: "+1 555 0100" },
    });
    const res = await engine.up(() => new CertificateApplication("rep", ovArgs));
    expect(res.steps.map((s) => s.op)).toEqual(["replace"]);
    expect(res.steps[0].diff).toMatchObject({ replaces: expect.arrayContaining(["edgecast.validationType"]), deleteBeforeReplace: true });
    expect(writes()).toEqual(["PUT /v2.0/certificates/{id}/cancel", "POST /v2.0/certificates/cdnprovided"]);
    const newId = engine.resource("rep")!.id;
    expect(newId).not.toBe(oldId);
    expect((await state(oldId)).orderStatus).toBe("Canceled");
    const fresh = await state(newId);
    expect(fresh).toMatchObject({ validationType: "OV" });
    expect(fresh.label).toMatch(/^www-example-com-[a-z0-9]{6}$/);
    expect(fresh.label).not.toBe(oldLabel);
  });

  test("resubmitTrigger retriggers on demand a request that timed out (with autoResubmit never)", async () => {
    const base = args({ autoResubmit: "never", commonName: "api.example.com", dnsNames: [] });
    await engine.up(() => new CertificateApplication("manual", base));
    const id = engine.resource("manual")!.id;
    await ctl("advance", id);
    await ctl("timeout", id);
    emulator.clearLog();
    // autoResubmit never: no write; the stored status moves to timed-out, and the preview says what to do.
    expect((await engine.up(() => new CertificateApplication("manual", base))).steps.map((s) => s.op)).toEqual(["update"]);
    expect(writes()).toEqual([]);
    expect(engine.resource("manual")!.outputs.status).toBe("timed-out");
    expect(engine.hostLines().join("\n")).toMatch(/autoResubmit is never, so there is no automatic retrigger: fix the cause, then change resubmitTrigger/);
    expect((await engine.up(() => new CertificateApplication("manual", base))).steps.map((s) => s.op)).toEqual(["same"]);
    const res = await engine.up(() => new CertificateApplication("manual", { ...base, resubmitTrigger: "2026-01-01" }));
    expect(res.steps.map((s) => s.op)).toEqual(["update"]);
    expect(writes()).toEqual(["PUT /v2.0/certificates/{id}/retrigger"]);
  });
});

describe("edgecast issued certificates", () => {
  let engine: Engine;
  beforeAll(async () => {
    emulator.reset();
    engine = await startEngine();
  });
  afterAll(async () => {
    await engine.stop();
  });

  test("settings of an issued certificate are PATCHed in place without counting a resubmit; deleteIssuedCertificate opted in later lets destroy delete it", async () => {
    const base = args({ commonName: "shop.example.com", dnsNames: [] });
    await engine.up(() => new CertificateApplication("live", base));
    const id = engine.resource("live")!.id;
    await ctl("advance", id);
    await ctl("issue", id);
    emulator.clearLog();

    const res = await engine.up(() => new CertificateApplication("live", { ...base, edgecast: { ...base.edgecast, description: "renamed" } }));
    expect(res.steps.map((s) => s.op)).toEqual(["update"]);
    expect(writes()).toEqual(["PATCH /v2.0/certificates/{id}"]);
    expect(engine.resource("live")!.outputs).toMatchObject({ status: "issued", resubmitCount: 0 });

    const optIn = { ...base, edgecast: { ...base.edgecast, description: "renamed", deleteIssuedCertificate: true } };
    await engine.up(() => new CertificateApplication("live", optIn));
    expect(writes()).toEqual([]);
    await engine.destroy();
    expect(writes()).toEqual(["DELETE /v2.0/certificates/{id}"]);
    expect(engine.hostLines().join("\n")).toMatch(/CNAME target( .*)? is removed too/);
  });

  test("a resubmitTrigger change on an issued request is refused in preview with the reason", async () => {
    const base = args({ commonName: "done.example.com", dnsNames: [] });
    await engine.up(() => new CertificateApplication("done", base));
    await ctl("issue", engine.resource("done")!.id);
    emulator.clearLog();
    const err = (await engine.preview(() => new CertificateApplication("done", { ...base, resubmitTrigger: "now" })).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(EngineError);
    expect(err.message).toMatch(/resubmitTrigger changed, but Edgecast retriggers only a request whose domain validation timed out/);
    expect(writes()).toEqual([]);
  });

  test("on a request that is validating (never timed out, or retriggered already) it is taken without an API call", async () => {
    const base = args({ commonName: "pending.example.com", dnsNames: [] });
    await engine.up(() => new CertificateApplication("pending", base));
    emulator.clearLog();
    const res = await engine.up(() => new CertificateApplication("pending", { ...base, resubmitTrigger: "now" }));
    expect(res.steps.map((s) => s.op)).toEqual(["update"]);
    expect(writes()).toEqual([]);
    expect(engine.hostLines().join("\n")).toMatch(/already validating again/);
  });
});

describe("edgecast retrigger whose reply was lost", () => {
  let engine: Engine;
  beforeAll(async () => {
    emulator.reset();
    // no retries and a short request timeout, so the retrigger's reply is lost once and the update fails
    engine = await startEngine({ "certapply:maxRetries": "0", "certapply:requestTimeoutMs": "1000" });
  });
  afterAll(async () => {
    await engine.stop();
  });

  test("later previews and ups go through; the retrigger is not sent again", async () => {
    const base = args({ autoResubmit: "never", commonName: "lost.example.com", dnsNames: [] });
    await engine.up(() => new CertificateApplication("lost", base));
    const id = engine.resource("lost")!.id;
    await ctl("advance", id);
    await ctl("timeout", id);
    emulator.injectFault({ cloud: "edgecast", action: "PUT /v2.0/certificates/{id}/retrigger", kind: "delay", count: 1, delayMs: 1500 });
    const failed = await engine.up(() => new CertificateApplication("lost", { ...base, resubmitTrigger: "1" })).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(EngineError);
    await new Promise((r) => setTimeout(r, 1600));
    // Edgecast applied the retrigger; state still holds the old trigger
    expect((await state(id)).retriggerCount).toBe(1);
    expect(engine.resource("lost")!.inputs.resubmitTrigger).toBeUndefined();
    emulator.clearLog();
    const pre = await engine.preview(() => new CertificateApplication("lost", { ...base, resubmitTrigger: "1" }));
    expect(pre.steps.map((s) => s.op)).toEqual(["update"]);
    const res = await engine.up(() => new CertificateApplication("lost", { ...base, resubmitTrigger: "1" }));
    expect(res.steps.map((s) => s.op)).toEqual(["update"]);
    expect(writes()).toEqual([]);
    expect((await state(id)).retriggerCount).toBe(1);
    expect((await engine.preview(() => new CertificateApplication("lost", { ...base, resubmitTrigger: "1" }))).steps.map((s) => s.op)).toEqual(["same"]);
  });
});

/** The id of the request whose label starts with `prefix`, once the emulator holds it. */
async function requestWithLabel(prefix: string, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (let n = 11605; n < 11705; n++) {
      const s = await emulator.edgecast.control("state", { id: n });
      if (s.status === 200 && String((s.body as { label: string }).label).startsWith(prefix)) return n;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no request labelled ${prefix}*`);
}

describe("edgecast token expiry", () => {
  let engine: Engine;
  beforeAll(async () => {
    emulator.reset();
    engine = await startEngine();
  });
  afterAll(async () => {
    await engine.stop();
  });

  test("a token that expires in the middle of a run is survived (401 → one new token → retry)", async () => {
    // waitFor validation-records keeps create polling; the emulator clock jumps past the token lifetime meanwhile
    const run = engine.up(() => new CertificateApplication("wait", args({ commonName: "wait.example.com", dnsNames: [], waitFor: "validation-records", waitTimeoutSeconds: 30 })));
    const id = await requestWithLabel("wait-example-com-");
    const tokensBefore = emulator.edgecast.tokensIssued;
    expect(tokensBefore).toBe(1);
    emulator.advanceClock(301);
    await new Promise((r) => setTimeout(r, 150)); // a few polls with the expired token
    await ctl("advance", id);
    const res = await run;
    expect(res.steps.map((s) => s.op)).toEqual(["create"]);
    const www = engine.resource("wait")!;
    expect(www.outputs.status).toBe("awaiting-validation");
    expect(www.outputs.validationRecords).toHaveLength(1);
    expect(emulator.log.filter((l) => l.cloud === "edgecast" && l.status === 401)).toHaveLength(1);
    expect(emulator.edgecast.tokensIssued).toBe(2);
  });
});
