/**
 * What Edgecast replies say and how often certapply asks: rejected statuses (issue 8 #3), replies checked against
 * the CPS models (issue 9 #5), a retrigger whose reply was lost (issue 9 #4), one read per create and per no-op
 * read (issue 11 #1), and the issued certificate's expiration and thumbprint (issue 10 #4).
 */
import { createHash, X509Certificate } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { edgecastBackend as b } from "../../provider/clouds/edgecast";
import { getStatus } from "../../provider/clouds/edgecast/api";
import { readRequest } from "../../provider/clouds/edgecast/backend";
import type { KnownLive } from "../../provider/resources/backend";
import { EdgecastClient } from "../../provider/clouds/edgecast/client";
import { CloudApiError } from "../../provider/http/errors";
import type { CloudContext, LiveApplication } from "../../provider/resources/backend";
import { decide } from "../../provider/resources/plan";
import { storedOutputs } from "../support";
import { control, dv, edgecastConfig, makeCtx, useEdgecastEmulator } from "./helpers";

let logs: string[];
let ctx: CloudContext;
const emulator = useEdgecastEmulator((c, l) => {
  ctx = c;
  logs = l;
});

const ctl = (command: string, id: string, extra: Record<string, unknown> = {}) => control(emulator, command, { id: Number(id), ...extra });
const mustRead = async (id: string, known?: KnownLive): Promise<LiveApplication> => {
  const live = await readRequest(ctx, id, known);
  if (!live) throw new Error(`request ${id} reads as gone`);
  return live;
};
/** CPS calls since the last call (tokens left out). */
const calls = (): string[] => {
  const out = emulator.actions("edgecast").filter((a) => a !== "POST /connect/token");
  emulator.clearLog();
  return out;
};

describe("rejected statuses are a failed application with the reason", () => {
  test.each(["RenewalRejected", "ReissueRejected", "Canceled", "Deleted"])("a later order %s leaves the certificate in service: issued", async (order) => {
    const r = await b.submit(ctx, dv());
    await ctl("issue", r.applicationId);
    await ctl("order", r.applicationId, { status: order });
    const live = await mustRead(r.applicationId);
    expect(live).toMatchObject({ status: "issued", rawStatus: "Active" });
    expect(live.statusMessage).toContain(`its later order ended (${order})`);
  });

  test("validation rejections only /status reports are read: a domain's, the organization's", async () => {
    const r = await b.submit(ctx, dv());
    await ctl("advance", r.applicationId);
    await ctl("reject", r.applicationId, { domain: "example.com", in: "status" });
    const live = await mustRead(r.applicationId);
    expect(live.status).toBe("failed");
    expect(live.statusMessage).toContain("the certificate authority rejected the validation of example.com");
    const o = await b.submit(ctx, dv());
    await ctl("advance", o.applicationId);
    await ctl("reject", o.applicationId, { organization: true, in: "status" });
    const org = await mustRead(o.applicationId);
    expect(org.status).toBe("failed");
    expect(org.statusMessage).toContain("rejected the organization validation");
  });

  test.each([
    [false, "Rejected"],
    [true, "SecretRejected"],
  ])("domain status %s / %s", async (secret, domainStatus) => {
    const r = await b.submit(ctx, dv());
    await ctl("advance", r.applicationId);
    await ctl("reject", r.applicationId, { domain: "example.com", secret });
    const live = await mustRead(r.applicationId);
    expect(live.status).toBe("failed");
    expect(live.statusMessage).toContain(`the certificate authority rejected example.com (${domainStatus})`);
  });
});

test("a rejected request is not retriggered; the error says to replace it", async () => {
  const r = await b.submit(ctx, dv());
  await ctl("advance", r.applicationId);
  await ctl("reject", r.applicationId);
  const live = await mustRead(r.applicationId);
  calls();
  await expect(b.resubmit(ctx, r.applicationId, dv(), live)).rejects.toThrow(/rejected it .*pulumi up --replace <urn>.*autoResubmit to "timeout"/);
  expect(calls()).toEqual([]);
});

describe("replies that do not fit the CPS model are InvalidReply errors, never state", () => {
  let garbage: http.Server;
  let url: string;
  let body = "";
  beforeAll(async () => {
    garbage = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { "content-type": body.startsWith("<") ? "text/html" : "application/json", "x-request-id": "req-7f3a" });
      res.end(body);
    });
    await new Promise<void>((resolve) => garbage.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(garbage.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => garbage.close(() => resolve()));
  });

  test.each([
    ["an error body under HTTP 200", '{"@type":"Error","code":"ValidationFailed","status_code":400}'],
    ["null", "null"],
    ["wrong types", '{"id":"11605","status":7}'],
    ["HTML", "<html><body>Bad gateway</body></html>"],
    ["an empty body", ""],
  ])("%s from GET …/status", async (_what, reply) => {
    body = reply;
    // tokens from the emulator's identity server, CPS calls to a server that answers garbage
    const g = makeCtx({ ...edgecastConfig(emulator), "certapply:edgecastApiUrl": url }, logs, { maxRetries: 1 });
    const err = (await b.read(g, "11605").catch((e: unknown) => e)) as CloudApiError;
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err).toMatchObject({ cloud: "edgecast", action: "GET /v2.0/certificates/{id}/status", code: "InvalidReply", requestId: "req-7f3a" });
    expect(err.message).toMatch(/^edgecast GET \/v2.0\/certificates\/\{id\}\/status failed: InvalidReply: .*nothing was stored.*request id req-7f3a/);
  });

  test("a garbled 204 reply of a write is an error too", async () => {
    body = '{"unexpected":true}';
    const g = makeCtx({ ...edgecastConfig(emulator), "certapply:edgecastApiUrl": url }, logs, { maxRetries: 0 });
    const c = new EdgecastClient(g.config, g.transport);
    await expect(getStatus(c, "1")).rejects.toMatchObject({ code: "InvalidReply" });
    const live: LiveApplication = { status: "issued", rawStatus: "Active", statusMessage: "", validationRecords: [], edgecast: { expirationDate: "2030-01-01T00:00:00Z" } };
    const olds = storedOutputs(dv({ edgecast: { deleteIssuedCertificate: true } }), "11605", {}, live);
    await expect(b.cancel(g, "11605", olds, live)).rejects.toMatchObject({ code: "InvalidReply", action: "DELETE /v2.0/certificates/{id}" });
  });
});

describe("a retrigger whose reply was lost", () => {
  test("resubmit reads before sending it again, and finds it done", async () => {
    const r = await b.submit(ctx, dv());
    await ctl("advance", r.applicationId);
    await ctl("timeout", r.applicationId);
    const live = await mustRead(r.applicationId);
    expect(live.status).toBe("timed-out");
    // applied after 600 ms; the client gives up after 300 ms and waits 800 ms before a second try
    emulator.injectFault({ cloud: "edgecast", action: "PUT /v2.0/certificates/{id}/retrigger", kind: "delay", count: 1, delayMs: 600 });
    const slow = makeCtx(edgecastConfig(emulator), logs, { timeoutMs: 300, baseDelayMs: 800, maxDelayMs: 800, maxRetries: 2 });
    const after = await b.resubmit(slow, r.applicationId, dv(), live);
    expect(after).toMatchObject({ status: "under-review", rawStatus: "Processing" });
    expect((await ctl("state", r.applicationId)).retriggerCount).toBe(1);
    expect(emulator.actions("edgecast").filter((a) => a === "PUT /v2.0/certificates/{id}/retrigger")).toHaveLength(1);
  });

  test("the next plan takes the changed resubmitTrigger without a call instead of failing the preview", async () => {
    const r = await b.submit(ctx, dv());
    await ctl("advance", r.applicationId);
    await ctl("timeout", r.applicationId);
    const timedOut = await mustRead(r.applicationId);
    const olds = storedOutputs(dv({ resubmitTrigger: "1" }), r.applicationId, {}, timedOut);
    // the retrigger reached Edgecast, its reply did not reach certapply: state still holds the old trigger
    emulator.injectFault({ cloud: "edgecast", action: "PUT /v2.0/certificates/{id}/retrigger", kind: "delay", count: 1, delayMs: 600 });
    const once = makeCtx(edgecastConfig(emulator), logs, { timeoutMs: 300, maxRetries: 0 });
    await expect(b.resubmit(once, r.applicationId, dv({ resubmitTrigger: "2" }), timedOut)).rejects.toMatchObject({ code: "RequestTimeout" });
    await new Promise((res) => setTimeout(res, 700));
    const now = await mustRead(r.applicationId);
    expect(now.status).toBe("under-review");
    const plan = decide(b, olds, dv({ resubmitTrigger: "2" }), { live: now }, Date.now());
    expect(plan).toMatchObject({ kind: "policy", reason: expect.stringMatching(/resubmitTrigger changed/) });
    emulator.clearLog();
    expect(await b.resubmit(ctx, r.applicationId, dv({ resubmitTrigger: "2" }), now)).toBe(now);
    expect(calls()).toEqual([]);
    expect((await ctl("state", r.applicationId)).retriggerCount).toBe(1);
    // an issued request still refuses a trigger change
    await ctl("issue", r.applicationId);
    const issued = await mustRead(r.applicationId);
    expect(() => decide(b, olds, dv({ resubmitTrigger: "3" }), { live: issued }, Date.now())).toThrow(/Revert resubmitTrigger/);
  });
});

describe("reads: one per create and per no-op read", () => {
  test("create: the search for an own request, then the POST; its reply is the status (no read after)", async () => {
    emulator.clearLog();
    const r = await b.submit(ctx, dv());
    expect(calls()).toEqual(["GET /v2.0/certificates", "POST /v2.0/certificates/cdnprovided"]);
    expect(r.live).toMatchObject({ status: "under-review", rawStatus: "Processing", edgecast: { requestId: Number(r.applicationId), cnameTarget: "", expirationDate: "" } });
  });

  test("Processing: /status only", async () => {
    const r = await b.submit(ctx, dv());
    calls();
    expect(await mustRead(r.applicationId)).toMatchObject({ status: "under-review", validationRecords: [] });
    expect(calls()).toEqual(["GET /v2.0/certificates/{id}/status"]);
  });

  test("validating: the certificate and DCV the first time; with what was read before, /status only", async () => {
    const r = await b.submit(ctx, dv());
    await ctl("advance", r.applicationId);
    calls();
    const first = await mustRead(r.applicationId);
    expect(calls()).toEqual(["GET /v2.0/certificates/{id}/status", "GET /v2.0/certificates/{id}", "GET /v2.0/dcv/certificates/{id}"]);
    const again = await mustRead(r.applicationId, first);
    expect(calls()).toEqual(["GET /v2.0/certificates/{id}/status"]);
    expect(again).toMatchObject({ status: "awaiting-validation", validationRecords: first.validationRecords });
    // a timeout makes the request require attention: the certificate is read again and shows it
    await ctl("timeout", r.applicationId);
    expect((await mustRead(r.applicationId, again)).status).toBe("timed-out");
    expect(calls()).toContain("GET /v2.0/certificates/{id}");
  });

  test("issued: the certificate once; then /status only, until the status moves", async () => {
    const r = await b.submit(ctx, dv());
    await ctl("issue", r.applicationId);
    calls();
    const first = await mustRead(r.applicationId);
    expect(calls()).toEqual(["GET /v2.0/certificates/{id}/status", "GET /v2.0/certificates/{id}"]);
    const stored = { ...storedOutputs(dv(), r.applicationId, {}, first), certificate: first.certificate };
    const again = await mustRead(r.applicationId, stored);
    expect(calls()).toEqual(["GET /v2.0/certificates/{id}/status"]);
    expect(again).toMatchObject({ status: "issued", rawStatus: "Active" });
    // fields not read are left out, so the stored CNAME target stands; the stored certificate is carried (its
    // notAfter decides a renewal, and the outputs keep it)
    expect(again.certificate).toEqual(first.certificate);
    expect(again.edgecast?.cnameTarget).toBeUndefined();
    await ctl("order", r.applicationId, { status: "Revoked" });
    expect((await mustRead(r.applicationId, stored)).status).toBe("revoked");
    expect(calls()).toEqual(["GET /v2.0/certificates/{id}/status", "GET /v2.0/certificates/{id}"]);
  });

  test("a settings change implies the status it had: no read after the PATCH", async () => {
    const r = await b.submit(ctx, dv());
    const live = await mustRead(r.applicationId);
    calls();
    const written = await b.applyContentChange(ctx, r.applicationId, storedOutputs(dv(), r.applicationId, {}, live), dv({ edgecast: { description: "new" } }), live);
    expect(written).toBe(live);
    expect(calls()).toEqual(["GET /v2.0/certificates/{id}", "PATCH /v2.0/certificates/{id}"]);
  });
});

describe("the issued certificate", () => {
  test("Edgecast's expiration date and thumbprint, from a real certificate the emulator issued; stable across reads", async () => {
    const r = await b.submit(ctx, dv());
    expect((await mustRead(r.applicationId)).certificate).toBeUndefined();
    await ctl("advance", r.applicationId);
    await ctl("advance", r.applicationId);
    const live = await mustRead(r.applicationId);
    expect(live.status).toBe("issued");
    const pem = (await ctl("state", r.applicationId)).certificatePem as string;
    const x = new X509Certificate(pem);
    expect(x.subject).toContain("CN=www.example.com");
    expect(x.subjectAltName).toBe("DNS:www.example.com, DNS:example.com");
    const sha1 = createHash("sha1").update(x.raw).digest("hex").toUpperCase();
    expect(live.certificate).toEqual({ notAfter: new Date(x.validTo).toISOString(), thumbprint: sha1 });
    expect(live.edgecast?.expirationDate).toBe(live.certificate?.notAfter);
    expect(Date.parse(x.validTo) - Date.parse(x.validFrom)).toBe(397 * 86_400_000);
    expect(await mustRead(r.applicationId)).toEqual(live);
  });
});
