import { edgecastBackend } from "../../provider/clouds/edgecast";
import { deriveLabel, labelPrefix, ownerMarker } from "../../provider/clouds/edgecast/backend";
import { findCertificates } from "../../provider/clouds/edgecast/api";
import { EdgecastClient } from "../../provider/clouds/edgecast/client";
import type { CloudContext, LiveApplication } from "../../provider/resources/backend";
import type { ApplicationInputs, ApplicationOutputs } from "../../provider/resources/types";
import { UNKNOWN } from "../../provider/resources/types";
import { storedOutputs } from "../support";
import { control, dv, edgecastConfig, makeCtx, useEdgecastEmulator } from "./helpers";

let logs: string[];
let ctx: CloudContext;
const b = edgecastBackend;
const emulator = useEdgecastEmulator((c, l) => {
  ctx = c;
  logs = l;
});


const ov = (over: Partial<ApplicationInputs> = {}): ApplicationInputs =>
  dv({
    edgecast: { validationType: "OV" },
    organization: { name: "Example Inc", address: "1 Main St", city: "Springfield", region: "IL", postalCode: "62701", country: "US" },
    admin: { firstName: "Ada", lastName: "Admin", email: "ada@example.com", phone: "+1 555 0100" },
    ...over,
  });

/** Stored outputs as the resource layer would keep them. */
const outputsOf = (inputs: ApplicationInputs, id: string, live?: LiveApplication): ApplicationOutputs =>
  storedOutputs(inputs, id, { rawStatus: live?.rawStatus ?? "Processing" }, live);

const state = (id: string) => control(emulator, "state", { id: Number(id) });
/** Resolves once `done` holds (polled every 20 ms), or fails after `ms`. */
const until = async (done: () => Promise<boolean>, ms = 3000): Promise<void> => {
  for (const end = Date.now() + ms; !(await done()); await new Promise((res) => setTimeout(res, 20))) {
    if (Date.now() > end) throw new Error("timed out waiting");
  }
};
const mustRead = async (id: string): Promise<LiveApplication> => {
  const live = await b.read(ctx, id);
  if (!live) throw new Error(`request ${id} reads as gone`);
  return live;
};

describe("validate", () => {
  const props = (i: ApplicationInputs) => b.validate(i).map((f) => f.property);

  test("a plain DV request is valid; replaceFields are validationType and certificateAuthority", () => {
    expect(b.validate(dv())).toEqual([]);
    expect(b.replaceFields).toEqual(["edgecast.validationType", "edgecast.certificateAuthority"]);
  });

  test.each([
    [{ certificateId: "abc" }, "certificateId"],
    [{ validationMethod: "DNS" }, "validationMethod"],
    [{ edgecast: { validationType: "XV" } }, "edgecast.validationType"],
    [{ edgecast: { certificateAuthority: "Sectigo" } }, "edgecast.certificateAuthority"],
    [{ edgecast: { certificateLabel: "my label.example" } }, "edgecast.certificateLabel"],
    [{ edgecast: { certificateLabel: "x".repeat(101) } }, "edgecast.certificateLabel"],
    [{ organization: { name: "Example Inc" } }, "organization"],
    [{ admin: { email: "a@example.com" } }, "admin"],
    [{ commonName: "a.example.com,b.example.com" }, "commonName"],
    [{ edgecast: { notifications: [{ notificationType: "Weekly", enabled: false, emails: [] }] } }, "edgecast.notifications[0].notificationType"],
    [{ edgecast: { notifications: [{ notificationType: "CertificateRenewal", enabled: true, emails: [] }] } }, "edgecast.notifications[0].emails"],
  ] as [Partial<ApplicationInputs>, string][])("DV %p fails on %s", (over, property) => {
    const f = b.validate(dv(over));
    expect(f.map((x) => x.property)).toContain(property);
    expect(f.find((x) => x.property === property)?.reason).toMatch(/.{15,}/);
  });

  test("OV/EV need the organization and contacts; US needs region and postal code", () => {
    expect(b.validate(ov())).toEqual([]);
    expect(props(ov({ organization: undefined }))).toContain("organization");
    expect(props(ov({ organization: { name: "X", address: "a", city: "c", country: "US" } }))).toEqual(["organization.region", "organization.postalCode"]);
    expect(props(ov({ admin: undefined }))).toEqual(["admin"]);
    expect(props(ov({ admin: { firstName: "Ada" } }))).toEqual(["admin.lastName", "admin.email", "admin.phone"]);
    expect(props(ov({ edgecast: { validationType: "EV" } }))).toEqual(["tech"]);
  });

  test("unknown values from a preview are skipped", () => {
    expect(b.validate(dv({ validationMethod: UNKNOWN, edgecast: { validationType: UNKNOWN, certificateLabel: UNKNOWN } }))).toEqual([]);
  });

  test("derived labels keep to the documented charset and are fresh each time", () => {
    expect(labelPrefix("*.Example.com")).toBe("wildcard-Example-com");
    const a = deriveLabel("*.example.com");
    expect(a).toMatch(/^wildcard-example-com-[a-z0-9]{6}$/);
    expect(deriveLabel("*.example.com")).not.toBe(a);
  });
});

describe("create, adopt, read", () => {
  test("creates a DV request with a derived label and notifications; read shows TXT records once DCV starts", async () => {
    const inputs = dv({ edgecast: { notifications: [{ notificationType: "CertificateExpiring", enabled: true, emails: ["ops@example.com"] }] } });
    const r = await b.submit(ctx, inputs);
    expect(r.adopted).toBe(false);
    const s = await state(r.applicationId);
    expect(s.label).toMatch(/^www-example-com-[a-z0-9]{6}$/);
    expect(s).toMatchObject({ validationType: "DV", dcvMethod: "DnsTxtToken", autoRenew: true });
    expect((s.notifications as { notification_type: string; enabled: boolean }[]).find((n) => n.notification_type === "CertificateExpiring")?.enabled).toBe(true);
    const first = await mustRead(r.applicationId);
    expect(first).toMatchObject({ status: "under-review", rawStatus: "Processing", validationRecords: [] });
    expect(first.edgecast).toMatchObject({ requestId: Number(r.applicationId), expirationDate: "", cnameTarget: "" });
    await control(emulator, "advance", { id: Number(r.applicationId) });
    const live = await mustRead(r.applicationId);
    expect(live.status).toBe("awaiting-validation");
    expect(live.edgecast).toMatchObject({ certificateStatus: "DomainControlValidation", orderStatus: "Pending" });
    // DV: one token shared by both domains, one TXT record per name
    expect(live.validationRecords).toHaveLength(2);
    expect(live.validationRecords.map((v) => [v.domain, v.type, v.name])).toEqual([
      ["www.example.com", "TXT", "www.example.com"],
      ["example.com", "TXT", "example.com"],
    ]);
    expect(live.validationRecords[0].value).toMatch(/^[0-9a-f]{32}$/);
    expect(live.validationRecords[1].value).toBe(live.validationRecords[0].value);
  });

  test("auto_renew is sent only when on: autoRenew false leaves it out, as the official model (omitempty) can say false", async () => {
    // ec-sdk-go CertificateCreate `auto_renew,omitempty`: an explicit false is a shape the official client never sends
    const on = await b.submit(ctx, dv());
    expect(await state(on.applicationId)).toMatchObject({ autoRenew: true, autoRenewSent: true });
    const off = await b.submit(ctx, dv({ commonName: "shop.example.org", dnsNames: [], edgecast: { autoRenew: false } }));
    expect(await state(off.applicationId)).toMatchObject({ autoRenew: false, autoRenewSent: null });
  });

  test("CNAME and Email DCV become CNAME and EMAIL records", async () => {
    const cname = await b.submit(ctx, dv({ validationMethod: "DnsCnameToken", dnsNames: [] }));
    await control(emulator, "advance", { id: Number(cname.applicationId) });
    const c = await mustRead(cname.applicationId);
    // DigiCert's current CNAME shape (since 2025-10-28): _dnsauth.<domain> CNAME <token>.dcv.digicert.com
    expect(c.validationRecords).toEqual([{ domain: "www.example.com", type: "CNAME", name: "_dnsauth.www.example.com", value: expect.stringMatching(/^[0-9a-f]{32}\.dcv\.digicert\.com$/) }]);
    const mail = await b.submit(ctx, dv({ validationMethod: "Email", commonName: "shop.example.org", dnsNames: [] }));
    await control(emulator, "advance", { id: Number(mail.applicationId) });
    const m = await mustRead(mail.applicationId);
    expect(m.validationRecords.map((v) => v.type)).toEqual(Array(5).fill("EMAIL"));
    expect(m.validationRecords[0]).toEqual({ domain: "shop.example.org", type: "EMAIL", name: "admin@example.org", value: "admin@example.org" });
  });

  test("a re-run adopts the request with the same content instead of creating twice (derived or given label)", async () => {
    const first = await b.submit(ctx, dv());
    const again = await b.submit(ctx, dv());
    expect(again).toMatchObject({ applicationId: first.applicationId, adopted: true });
    // the status the search read stands in for a read (Processing needs nothing else)
    expect(again.live).toMatchObject({ status: "under-review", rawStatus: "Processing" });
    expect(first.live).toMatchObject({ status: "under-review", rawStatus: "Processing" });
    const other = await b.submit(ctx, dv({ validationMethod: "Email" }));
    expect(other.adopted).toBe(false);
    const labelled = await b.submit(ctx, dv({ edgecast: { certificateLabel: "shop" } }));
    expect(await b.submit(ctx, dv({ edgecast: { certificateLabel: "shop" } }))).toMatchObject({ applicationId: labelled.applicationId, adopted: true });
    expect(emulator.actions("edgecast").filter((a) => a === "POST /v2.0/certificates/cdnprovided")).toHaveLength(3);
  });

  test("a cancelled or deleted request is never adopted; a reserved label gets a clear error", async () => {
    const first = await b.submit(ctx, dv({ edgecast: { certificateLabel: "taken" } }));
    await control(emulator, "cancel", { id: Number(first.applicationId) });
    const err = (await b.submit(ctx, dv({ edgecast: { certificateLabel: "taken" } })).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/already used by certificate request/);
    expect(err.message).toMatch(/stay reserved even after a request is deleted.*change edgecast.certificateLabel or omit it/);
    const fresh = await b.submit(ctx, dv());
    expect(fresh.adopted).toBe(false);
  });

  test("a create whose reply was lost is not submitted twice", async () => {
    // 2 s, not 300 ms: on a loaded machine the search and the second create could come after a 300 ms delay had
    // applied the first create (then adopted, one POST), which is right but not the order this test is about
    emulator.injectFault({ cloud: "edgecast", action: "POST /v2.0/certificates/cdnprovided", kind: "delay", count: 1, delayMs: 2000 });
    const slow = makeCtx(edgecastConfig(emulator), logs, { timeoutMs: 150 });
    // the first attempt times out client-side but the emulator still creates; certapply looks the label up
    // before sending the create again (same label: whichever create comes second is refused)
    const r = await b.submit(slow, dv({ edgecast: { certificateLabel: "lost-reply" } }));
    await new Promise((res) => setTimeout(res, 2100));
    // the search (before the commit) found nothing, so the create went again and made the request; the delayed
    // first one then met its label taken. Two POSTs, one request, a search between them.
    const posts = emulator.log.filter((l) => l.action === "POST /v2.0/certificates/cdnprovided");
    expect(posts.map((l) => l.status)).toEqual([400, 201]);
    expect(posts[1].created).toBe(r.applicationId);
    const acts = emulator.actions("edgecast");
    const first = acts.indexOf("POST /v2.0/certificates/cdnprovided");
    expect(acts.slice(first + 1, acts.lastIndexOf("POST /v2.0/certificates/cdnprovided"))).toContain("GET /v2.0/certificates");
    const c = new EdgecastClient(slow.config, slow.transport);
    const all = await findCertificates(c, "certificate_label:lost-reply");
    expect(all.map((x) => String(x.id))).toEqual([r.applicationId]);
  });

  test("a lost create while the search lags: no second order in that run nor the next, whose create meets the label derived for the resource taken", async () => {
    // The search misses the new request three times: the look after the lost reply, the look after the resend that
    // met its label taken, and the next run's first look.
    await control(emulator, "settings", { searchLagReads: 3 });
    const inputs = dv({ ownerKey: "0123456789abcdef" });
    emulator.injectFault({ cloud: "edgecast", action: "POST /v2.0/certificates/cdnprovided", kind: "commit-then-drop", count: 1 });
    const err = (await b.submit(ctx, inputs).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/got no usable reply .* sending it again was refused, label \S+ is taken by a request the search does not list yet.*Nothing more is ordered: run pulumi up again/);
    const again = await b.submit(ctx, inputs);
    expect(again.adopted).toBe(true);
    const posts = emulator.log.filter((l) => l.action === "POST /v2.0/certificates/cdnprovided");
    // The first applied (its reply dropped); the resend and the next run's create meet its label taken.
    expect(posts.map((l) => l.status)).toEqual([201, 400, 400]);
    expect(posts[0].created).toBe(again.applicationId);
  });

  test("the label derived for a resource is the same on every run; held by an ended request, a fresh one orders anew", async () => {
    const inputs = dv({ ownerKey: "0123456789abcdef" });
    const first = await b.submit(ctx, inputs);
    const label = String((await state(first.applicationId)).label);
    expect(label).toMatch(/^www-example-com-[a-z0-9]{6}$/);
    await control(emulator, "cancel", { id: Number(first.applicationId) });
    // The resource's own search lists its ended request under that label: the create takes a fresh one at once.
    const second = await b.submit(ctx, inputs);
    expect(second).toMatchObject({ adopted: false });
    expect(second.applicationId).not.toBe(first.applicationId);
    const posts = () => emulator.log.filter((l) => l.action === "POST /v2.0/certificates/cdnprovided").map((l) => l.status);
    expect(posts()).toEqual([201, 201]);
    expect(String((await state(second.applicationId)).label)).not.toBe(label);
    // Held by a request the resource's search does not list (its mark removed): the refused create names the holder, then a fresh label.
    emulator.reset();
    const held = await b.submit(ctx, dv({ edgecast: { certificateLabel: label } }));
    const third = await b.submit(ctx, inputs);
    expect(third.applicationId).not.toBe(held.applicationId);
    expect(posts()).toEqual([201, 400, 201]);
    expect(logs.join("\n")).toMatch(new RegExp(`label ${label} is held by request ${held.applicationId}, ended or not this resource's; creating with label`));
    // Another resource (owner key) with the same content gets a label of its own.
    const other = await b.submit(ctx, dv({ ownerKey: "fedcba9876543210" }));
    expect(String((await state(other.applicationId)).label)).not.toBe(label);
  });

  test("a not-found or transient failure of the notification settings keeps the new request; the re-run adopts it (no second order)", async () => {
    await control(emulator, "users", { emails: ["ops@example.com"] });
    const inputs = dv({ ownerKey: "0123456789abcdef", edgecast: { notifications: [{ notificationType: "CertificateRenewal", enabled: true, emails: ["ops@example.com"] }] } });
    for (const kind of ["not-found", "gateway-not-found"] as const) {
      emulator.reset();
      await control(emulator, "users", { emails: ["ops@example.com"] });
      emulator.injectFault({ cloud: "edgecast", action: "PATCH /v2.0/certificates/{id}/notifications", kind, count: 1 });
      const err = (await b.submit(ctx, inputs).catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/was created and is kept: run pulumi up again/);
      const id = /request (\d+) was created/.exec(err.message)?.[1] ?? "";
      expect(emulator.actions("edgecast")).not.toContain("PUT /v2.0/certificates/{id}/cancel");
      const again = await b.submit(ctx, inputs);
      expect(again).toMatchObject({ applicationId: id, adopted: true });
      expect(emulator.actions("edgecast").filter((a) => a === "POST /v2.0/certificates/cdnprovided")).toHaveLength(1);
    }
  });

  test("failing notification settings cancel the new request and say so", async () => {
    await control(emulator, "users", { emails: ["ops@example.com"] });
    const inputs = dv({ edgecast: { notifications: [{ notificationType: "CertificateRenewal", enabled: true, emails: ["stranger@example.net"] }] } });
    const err = (await b.submit(ctx, inputs).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/setting the notifications of new certificate request \d+ failed/);
    expect(err.message).toMatch(/not a user of this account/);
    expect(err.message).toMatch(/was cancelled, so nothing is left behind/);
    const id = /request (\d+)/.exec(err.message)?.[1] ?? "";
    expect((await state(id)).orderStatus).toBe("Canceled");
    expect((await mustRead(id)).status).toBe("cancelled");
  });

  test("read: issued shows the CNAME target and expiry; deleted or unknown requests read as gone", async () => {
    const r = await b.submit(ctx, dv());
    await control(emulator, "issue", { id: Number(r.applicationId) });
    const live = await mustRead(r.applicationId);
    expect(live).toMatchObject({ status: "issued", rawStatus: "Active", validationRecords: [] });
    expect(live.edgecast?.cnameTarget).toMatch(/edgecastcdn\.net$/);
    expect(Date.parse(live.edgecast?.expirationDate ?? "")).toBeGreaterThan(Date.now());
    await b.cancel(ctx, r.applicationId, outputsOf(dv({ edgecast: { deleteIssuedCertificate: true } }), r.applicationId, live), live);
    expect(await b.read(ctx, r.applicationId)).toBeUndefined();
    expect(await b.read(ctx, "987654")).toBeUndefined();
  });
});

describe("retrigger", () => {
  test("a timed-out, never-issued request reads as timed-out and is retriggered", async () => {
    const r = await b.submit(ctx, dv());
    const id = Number(r.applicationId);
    await control(emulator, "advance", { id });
    await control(emulator, "timeout", { id, domain: "example.com" });
    const live = await mustRead(r.applicationId);
    expect(live.status).toBe("timed-out");
    expect(live.statusMessage).toMatch(/timed out for example.com/);
    await b.resubmit(ctx, r.applicationId, dv(), live);
    expect((await state(r.applicationId)).retriggerCount).toBe(1);
    expect((await mustRead(r.applicationId)).status).toBe("under-review");
  });

  test("a retrigger that lands just after the client gave up is found by the read-back, without retries left", async () => {
    const r = await b.submit(ctx, dv());
    const id = Number(r.applicationId);
    await control(emulator, "advance", { id });
    await control(emulator, "timeout", { id });
    const live = await mustRead(r.applicationId);
    // applied after 300 ms; the client gives up after 200 ms and reads back 400 ms later
    emulator.injectFault({ cloud: "edgecast", action: "PUT /v2.0/certificates/{id}/retrigger", kind: "delay", count: 1, delayMs: 300 });
    const noRetry = makeCtx(edgecastConfig(emulator), logs, { maxRetries: 0, timeoutMs: 200, baseDelayMs: 400, maxDelayMs: 400 });
    expect(await b.resubmit(noRetry, r.applicationId, dv(), live)).toMatchObject({ status: "under-review" });
    expect((await state(r.applicationId)).retriggerCount).toBe(1);
    expect(emulator.actions("edgecast").filter((a) => a === "PUT /v2.0/certificates/{id}/retrigger")).toHaveLength(1);
    expect(logs.join("\n")).toMatch(/the retrigger of request \d+ went through although its reply was lost/);
  });

  test("anything else is refused with the reason, without calling the API", async () => {
    const r = await b.submit(ctx, dv());
    await control(emulator, "issue", { id: Number(r.applicationId) });
    const live = await mustRead(r.applicationId);
    await expect(b.resubmit(ctx, r.applicationId, dv(), live)).rejects.toThrow(/cannot be retriggered while it is issued.*timed out and that was never issued/);
    expect(emulator.actions("edgecast")).not.toContain("PUT /v2.0/certificates/{id}/retrigger");
  });
});

describe("content changes", () => {
  test("plan: basic fields update in any state; domains and organization only once issued; the rest refused", async () => {
    const r = await b.submit(ctx, dv());
    const pending = await mustRead(r.applicationId);
    const olds = outputsOf(dv(), r.applicationId, pending);
    const basic = b.planContentChange(["edgecast.description", "validationMethod", "edgecast.notifications"], pending, olds, dv());
    expect(basic).toEqual({ kind: "update", resubmits: false, description: expect.stringMatching(/PATCH \/v2.0\/certificates\/\d+ \(edgecast.description, validationMethod\); PATCH .*notifications/) });
    const domains = b.planContentChange(["dnsNames"], pending, olds, dv());
    expect(domains).toEqual({ kind: "refuse", reason: expect.stringMatching(/dnsNames only once the certificate is issued.*under-review/) });
    expect(b.planContentChange(["organization.city"], pending, olds, ov())).toMatchObject({ kind: "refuse" });
    expect(b.planContentChange(["csr"], pending, olds, dv())).toEqual({ kind: "refuse", reason: expect.stringMatching(/cannot change csr/) });
    await control(emulator, "issue", { id: Number(r.applicationId) });
    const issued = await mustRead(r.applicationId);
    expect(b.planContentChange(["dnsNames"], issued, olds, dv())).toEqual({ kind: "update", resubmits: true, description: expect.stringMatching(/starts a reissue/) });
    await control(emulator, "cancel", { id: Number((await b.submit(ctx, dv({ commonName: "c.example.com" }))).applicationId) });
  });

  test("plan: a cancelled request refuses every change", async () => {
    const r = await b.submit(ctx, dv());
    await control(emulator, "cancel", { id: Number(r.applicationId) });
    const live = await mustRead(r.applicationId);
    expect(b.planContentChange(["edgecast.description"], live, outputsOf(dv(), r.applicationId, live), dv())).toMatchObject({ kind: "refuse", reason: expect.stringMatching(/cancelled/) });
  });

  test("apply while pending: PATCH label, description, auto-renew false, DCV method; notifications (removed type switched off)", async () => {
    const before = dv({ edgecast: { notifications: [{ notificationType: "PendingValidations", enabled: true, emails: ["ops@example.com"] }] } });
    const r = await b.submit(ctx, before);
    const live = await mustRead(r.applicationId);
    const after = dv({
      validationMethod: "DnsCnameToken",
      edgecast: { certificateLabel: "renamed", description: "shop", autoRenew: false, notifications: [{ notificationType: "CertificateRenewal", enabled: true, emails: ["ops@example.com"] }] },
    });
    // A new DCV method has new validation records: the stored ones are not handed back as current.
    expect(await b.applyContentChange(ctx, r.applicationId, outputsOf(before, r.applicationId, live), after, live)).toBeUndefined();
    const s = await state(r.applicationId);
    expect(s).toMatchObject({ label: "renamed", description: `shop ${ownerMarker("shop/dev/www")}`, autoRenew: false, dcvMethod: "DnsCnameToken", status: "Processing" });
    const n = Object.fromEntries((s.notifications as { notification_type: string; enabled: boolean }[]).map((x) => [x.notification_type, x.enabled]));
    expect(n).toEqual({ CertificateRenewal: true, CertificateExpiring: false, PendingValidations: false });
    expect(logs.join("\n")).not.toContain("ops@example.com");
  });

  test("apply once issued: new domains start a reissue; an OV organization change goes through PUT organization", async () => {
    const r = await b.submit(ctx, ov());
    await control(emulator, "issue", { id: Number(r.applicationId) });
    const live = await mustRead(r.applicationId);
    const more = ov({ dnsNames: ["example.com", "api.example.com"] });
    await b.applyContentChange(ctx, r.applicationId, outputsOf(ov(), r.applicationId, live), more, live);
    let s = await state(r.applicationId);
    expect(s).toMatchObject({ status: "DomainControlValidation", orderStatus: "PendingReissue" });
    expect((s.domains as { name: string }[]).map((d) => d.name)).toEqual(["www.example.com", "api.example.com", "example.com"]);
    const reissuing = await mustRead(r.applicationId);
    expect(reissuing.status).toBe("awaiting-validation");
    expect(reissuing.statusMessage).toMatch(/reissue in progress/);
    await control(emulator, "issue", { id: Number(r.applicationId) });
    const again = await mustRead(r.applicationId);
    const moved = ov({ dnsNames: ["example.com", "api.example.com"], organization: { name: "Example Inc", address: "2 Lake St", city: "Chicago", region: "IL", postalCode: "60601", country: "US" } });
    await b.applyContentChange(ctx, r.applicationId, outputsOf(more, r.applicationId, again), moved, again);
    s = await state(r.applicationId);
    expect(s).toMatchObject({ status: "OtherValidation", orderStatus: "PendingOrgUpdate", organization: expect.objectContaining({ city: "Chicago" }) });
  });
});

describe("content changes whose reply was lost", () => {
  const count = (action: string) => emulator.actions("edgecast").filter((a) => a === action).length;
  const PATCH = "PATCH /v2.0/certificates/{id}";
  const PUT_ORG = "PUT /v2.0/certificates/{id}/organization";
  const moved = ov({ organization: { name: "Example Inc", address: "2 Lake St", city: "Chicago", region: "IL", postalCode: "60601", country: "US" } });

  test.each(["commit-then-drop", "garbled-reply"] as const)("a domains PATCH applied without its reply (%s) is read back, not sent again", async (kind) => {
    const r = await b.submit(ctx, dv());
    await control(emulator, "issue", { id: Number(r.applicationId) });
    const live = await mustRead(r.applicationId);
    emulator.injectFault({ cloud: "edgecast", action: PATCH, kind, count: 1 });
    await b.applyContentChange(ctx, r.applicationId, outputsOf(dv(), r.applicationId, live), dv({ dnsNames: ["example.com", "api.example.com"] }), live);
    expect(count(PATCH)).toBe(1);
    expect(await state(r.applicationId)).toMatchObject({ status: "DomainControlValidation", orderStatus: "PendingReissue" });
    expect(logs.join("\n")).toMatch(/the update of request \d+ went through although its reply was lost/);
  });

  test("a PATCH that never reached the API is read back, then sent again", async () => {
    const r = await b.submit(ctx, dv());
    await control(emulator, "issue", { id: Number(r.applicationId) });
    const live = await mustRead(r.applicationId);
    emulator.injectFault({ cloud: "edgecast", action: PATCH, kind: "reset", count: 1 });
    await b.applyContentChange(ctx, r.applicationId, outputsOf(dv(), r.applicationId, live), dv({ dnsNames: ["example.com", "api.example.com"] }), live);
    expect(count(PATCH)).toBe(2);
    expect(await state(r.applicationId)).toMatchObject({ status: "DomainControlValidation", orderStatus: "PendingReissue" });
    expect(logs.join("\n")).toMatch(/is not applied; sending it again/);
  });

  test.each(["commit-then-drop", "garbled-reply"] as const)("an organization PUT applied without its reply (%s) is read back, not sent again", async (kind) => {
    const r = await b.submit(ctx, ov());
    await control(emulator, "issue", { id: Number(r.applicationId) });
    const live = await mustRead(r.applicationId);
    emulator.injectFault({ cloud: "edgecast", action: PUT_ORG, kind, count: 1 });
    await b.applyContentChange(ctx, r.applicationId, outputsOf(ov(), r.applicationId, live), moved, live);
    expect(count(PUT_ORG)).toBe(1);
    expect(await state(r.applicationId)).toMatchObject({ status: "OtherValidation", orderStatus: "PendingOrgUpdate", organization: expect.objectContaining({ city: "Chicago" }) });
    expect(logs.join("\n")).toMatch(/the organization change of request \d+ went through although its reply was lost/);
  });

  test("a PUT that lands just after the client gave up is found by the read-back, without retries left", async () => {
    const r = await b.submit(ctx, ov());
    await control(emulator, "issue", { id: Number(r.applicationId) });
    const live = await mustRead(r.applicationId);
    // applied after 300 ms; the client gives up after 200 ms and reads back 400 ms later
    emulator.injectFault({ cloud: "edgecast", action: PUT_ORG, kind: "delay", count: 1, delayMs: 300 });
    const noRetry = makeCtx(edgecastConfig(emulator), logs, { maxRetries: 0, timeoutMs: 200, baseDelayMs: 400, maxDelayMs: 400 });
    await b.applyContentChange(noRetry, r.applicationId, outputsOf(ov(), r.applicationId, live), moved, live);
    expect(count(PUT_ORG)).toBe(1);
    expect(await state(r.applicationId)).toMatchObject({ status: "OtherValidation", organization: expect.objectContaining({ city: "Chicago" }) });
    expect(logs.join("\n")).toMatch(/the organization change of request \d+ went through although its reply was lost/);
  });

  test("an organization an earlier run applied (its reply lost) is not sent again once reissued: no second reissue", async () => {
    const r = await b.submit(ctx, ov());
    await control(emulator, "issue", { id: Number(r.applicationId) });
    const live = await mustRead(r.applicationId);
    // applied after 600 ms; the client gives up after 200 ms and reads back before the PUT lands
    emulator.injectFault({ cloud: "edgecast", action: PUT_ORG, kind: "delay", count: 1, delayMs: 600 });
    const noRetry = makeCtx(edgecastConfig(emulator), logs, { maxRetries: 0, timeoutMs: 200 });
    await expect(b.applyContentChange(noRetry, r.applicationId, outputsOf(ov(), r.applicationId, live), moved, live)).rejects.toMatchObject({ code: "RequestTimeout" });
    expect((await state(r.applicationId)).organization).toMatchObject({ city: "Springfield" });
    await until(async () => (await state(r.applicationId)).orderStatus === "PendingOrgUpdate");
    expect(count(PUT_ORG)).toBe(1);
    expect((await state(r.applicationId)).organization).toMatchObject({ city: "Chicago" });
    await control(emulator, "issue", { id: Number(r.applicationId) });
    const reissued = await mustRead(r.applicationId);
    // the stored outputs still hold the old organization
    await b.applyContentChange(ctx, r.applicationId, outputsOf(ov(), r.applicationId, reissued), moved, reissued);
    expect(count(PUT_ORG)).toBe(1);
    expect((await state(r.applicationId)).status).toBe("Active");
    expect(logs.join("\n")).toMatch(/already holds the new organization; no change sent/);
  });
});

describe("cancel (destroy)", () => {
  test("a pending request is cancelled with cancel?apply=true", async () => {
    const r = await b.submit(ctx, dv());
    const live = await mustRead(r.applicationId);
    await b.cancel(ctx, r.applicationId, outputsOf(dv(), r.applicationId, live), live);
    expect((await state(r.applicationId)).orderStatus).toBe("Canceled");
    expect(emulator.actions("edgecast")).toContain("PUT /v2.0/certificates/{id}/cancel");
  });

  test("a timed-out request is cancelled too", async () => {
    const r = await b.submit(ctx, dv());
    await control(emulator, "advance", { id: Number(r.applicationId) });
    await control(emulator, "timeout", { id: Number(r.applicationId) });
    const live = await mustRead(r.applicationId);
    await b.cancel(ctx, r.applicationId, outputsOf(dv(), r.applicationId, live), live);
    expect((await mustRead(r.applicationId)).status).toBe("cancelled");
  });

  test("an issued certificate is left in place with a warning, unless deleteIssuedCertificate (then DELETE + CNAME warning)", async () => {
    const r = await b.submit(ctx, dv());
    await control(emulator, "issue", { id: Number(r.applicationId) });
    const live = await mustRead(r.applicationId);
    await b.cancel(ctx, r.applicationId, outputsOf(dv(), r.applicationId, live), live);
    expect((await state(r.applicationId)).status).toBe("Active");
    expect(logs.join("\n")).toMatch(/warning: .*is issued, so it was left in place.*deleteIssuedCertificate/);
    expect(emulator.actions("edgecast")).not.toContain("PUT /v2.0/certificates/{id}/cancel");
    logs.length = 0;
    await b.cancel(ctx, r.applicationId, outputsOf(dv({ edgecast: { deleteIssuedCertificate: true } }), r.applicationId, live), live);
    expect((await state(r.applicationId)).status).toBe("Deleted");
    expect(logs.join("\n")).toMatch(new RegExp(`warning: .*deleted the issued certificate.*CNAME target ${live.edgecast?.cnameTarget?.replace(/\./g, "\\.")}`));
  });

  test("409 on cancel (issued since the read): re-read and treat it as issued, not as a failure", async () => {
    const r = await b.submit(ctx, dv());
    const stale = await mustRead(r.applicationId);
    await control(emulator, "issue", { id: Number(r.applicationId) });
    await b.cancel(ctx, r.applicationId, outputsOf(dv(), r.applicationId, stale), stale);
    expect(emulator.log.find((l) => l.action === "PUT /v2.0/certificates/{id}/cancel")?.status).toBe(409);
    expect((await state(r.applicationId)).status).toBe("Active");
    expect(logs.join("\n")).toMatch(/left in place/);
  });

  test("409 on cancel (cancelled by the CA since the read) is success; a gone request is success", async () => {
    const r = await b.submit(ctx, dv());
    const stale = await mustRead(r.applicationId);
    await control(emulator, "cancel", { id: Number(r.applicationId) });
    await expect(b.cancel(ctx, r.applicationId, outputsOf(dv(), r.applicationId, stale), stale)).resolves.toBeUndefined();
    await expect(b.cancel(ctx, "987654", outputsOf(dv(), "987654", stale), stale)).resolves.toBeUndefined();
    await expect(b.cancel(ctx, r.applicationId, outputsOf(dv(), r.applicationId), undefined)).resolves.toBeUndefined();
  });
});
