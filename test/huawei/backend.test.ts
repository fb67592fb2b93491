import { huaweiBackend } from "../../provider/clouds/huawei";
import { HuaweiClient, resetHuaweiClientState } from "../../provider/clouds/huawei/client";
import { CloudApiError } from "../../provider/http/errors";
import type { LiveApplication } from "../../provider/resources/backend";
import { UNKNOWN, type ApplicationOutputs } from "../../provider/resources/types";
import { check } from "../../provider/resources/application";
import { storedOutputs } from "../support";
import { applyBody } from "../../provider/clouds/huawei";
import { OWNER_TAG_KEY, ownerTagValue } from "../../provider/clouds/huawei/backend";
import { normalizeInputs } from "../../provider/resources/normalize";
import { decide } from "../../provider/resources/plan";
import { appInputs, huaweiSuite, control, seed } from "./helpers";

const { emu, logs, ctx } = huaweiSuite();
const state = async (id: string) => (await control(emu, "state", { id })).json as Record<string, unknown> & { internal: Record<string, unknown> };
const actions = () => emu.actions("huawei");
/** Waits until the emulator holds the certificate in `status` (the backend's calls go through a rate limiter). */
async function until(id: string, status: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await state(id)).status === status) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`certificate ${id} never reached ${status}`);
}
const outputs = (id: string, over: Partial<ApplicationOutputs> = {}): ApplicationOutputs =>
  storedOutputs(appInputs(id), id, { rawStatus: "CHECKING", ...over });
const live = (rawStatus: string): LiveApplication => ({ status: "unknown", rawStatus, statusMessage: "", validationRecords: [] });

describe("huawei backend: validate", () => {
  const props = (over: Record<string, unknown>) => huaweiBackend.validate(appInputs("scs1554192131150", over)).map((f) => f.property);

  it("accepts a complete DV application", () => {
    expect(props({})).toEqual([]);
  });
  it("requires a 16-character certificate id", () => {
    expect(props({ certificateId: "scs15541921" })).toEqual(["certificateId"]);
    expect(props({ certificateId: undefined })).toEqual(["certificateId"]);
    expect(huaweiBackend.validate(appInputs("scs1554192131150", { certificateId: "scs15541921" }))[0].reason).toMatch(/exactly 16 characters/);
    expect(props({ certificateId: UNKNOWN })).toEqual([]);
  });
  it("requires the applicant (admin → applicant_*)", () => {
    expect(props({ admin: undefined })).toEqual(["admin"]);
    expect(props({ admin: { firstName: "Emily", lastName: "Chen" } })).toEqual(["admin.email", "admin.phone"]);
    expect(props({ admin: { email: "e@example.com", phone: "1" } })).toEqual(["admin.firstName"]);
    expect(props({ admin: { firstName: "Al", email: "e@example.com", phone: "1" } })).toEqual(["admin.lastName"]);
    expect(props({ admin: { firstName: UNKNOWN, lastName: "x", email: UNKNOWN, phone: UNKNOWN } })).toEqual([]);
  });
  it("checks tech (contact_*) e-mail, validationMethod, country and OV/EV company fields", async () => {
    // Formats are checked once, by the resource layer's common check (country is upper-cased first).
    const checked = async (over: Record<string, unknown>) => ((await check({}, appInputs("scs1554192131150", over) as unknown as Record<string, unknown>)).failures ?? []).map((f) => f.property);
    expect(await checked({ tech: { email: "nope" } })).toEqual(["tech.email"]);
    expect(props({ validationMethod: "DNS_AUTO" })).toEqual(["validationMethod"]);
    expect(props({ validationMethod: "email" })).toEqual([]);
    expect(await checked({ organization: { name: "Example", region: "GD", city: "SZ", country: "CHN" } })).toEqual(["organization.country"]);
    expect(props({ organization: { name: "Example" } })).toEqual(["organization.region", "organization.city", "organization.country"]);
    expect(await checked({ organization: { name: "Example", region: "GD", city: "SZ", country: "cn" } })).toEqual([]);
  });
  it("caps the SAN count and the joined length", () => {
    expect(props({ dnsNames: Array.from({ length: 101 }, (_, i) => `h${i}.example.com`) })).toEqual(["dnsNames"]);
    expect(props({ dnsNames: Array.from({ length: 90 }, (_, i) => `${"a".repeat(50)}${i}.example.com`) })).toEqual(["dnsNames"]);
    expect(props({ dnsNames: [UNKNOWN] })).toEqual([]);
  });
});

describe("huawei backend: planContentChange", () => {
  const plan = (raw: string) => huaweiBackend.planContentChange(["admin.email"], live(raw), outputs("scs1554192131150"), appInputs("scs1554192131150"));
  it("withdraws then applies again while withdrawable, and says so", () => {
    for (const s of ["CHECKING", "CHECKING_DOMAIN", "CHECKING_ORG", "SUPPLEMENTCHECKING"]) {
      const p = plan(s);
      expect(p.kind).toBe("update");
      expect(p.kind === "update" && p.description).toMatch(/withdraw it \(cancel-cert.*back to PAID.*apply again/);
    }
  });
  it("applies directly from PAID / UNPASSED, waits after CANCELCHECKING, refuses otherwise", () => {
    expect(plan("PAID")).toMatchObject({ kind: "update", description: expect.stringMatching(/nothing to withdraw/) });
    expect(plan("UNPASSED")).toMatchObject({ kind: "update", description: expect.stringMatching(/rejected/) });
    expect(plan("CANCELCHECKING")).toMatchObject({ kind: "update", description: expect.stringMatching(/pending withdrawal/) });
    expect(plan("ISSUING")).toMatchObject({ kind: "refuse", reason: expect.stringMatching(/ISSUING/) });
    expect(plan("EXPIRED")).toMatchObject({ kind: "refuse", reason: expect.stringMatching(/EXPIRED.*admin\.email/) });
    expect(plan("SOMETHING_NEW")).toMatchObject({ kind: "refuse" });
  });
});

describe("huawei backend: against the emulator", () => {
  it("submits: one read, then applies from PAID, always agreeing to privacy protection; one read exposes the DNS records", async () => {
    const id = await seed(emu);
    emu.clearLog();
    const r = await huaweiBackend.submit(ctx(), appInputs(id, { validationMethod: "dns" }));
    // One read (the status before the write), the apply, one read for the DNS records the user publishes now.
    expect(actions()).toEqual(["ShowCertificate", "ApplyCertificate", "ShowCertificate"]);
    expect(r).toMatchObject({ applicationId: id, adopted: false, live: { status: "under-review", rawStatus: "CHECKING" } });
    expect(r.live?.validationRecords).toHaveLength(2);
    const s = await state(id);
    expect(s.internal.lastApplyBody).toMatchObject({
      domain: "www.example.com",
      sans: "example.com",
      agree_privacy_protection: true,
      domain_method: "DNS",
      applicant_name: "Emily_Chen",
      applicant_email: "emily@example.com",
      contact_email: "tom@example.com",
    });
    emu.clearLog();
    const l = await huaweiBackend.read(ctx(), id);
    expect(actions()).toEqual(["ShowCertificate"]); // a no-op diff's read
    expect(l).toMatchObject({ status: "under-review", rawStatus: "CHECKING" });
    expect(l?.validationRecords).toEqual([
      { domain: "www.example.com", type: "TXT", name: "_dnsauth.www.example.com", value: expect.stringMatching(/^[0-9a-f]{32}$/) },
      { domain: "example.com", type: "TXT", name: "_dnsauth.example.com", value: expect.stringMatching(/^[0-9a-f]{32}$/) },
    ]);
  });

  it("adopts an application already submitted with the same domain instead of applying twice", async () => {
    const id = await seed(emu);
    await huaweiBackend.submit(ctx(), appInputs(id));
    await control(emu, "advance", { id });
    await expect(huaweiBackend.submit(ctx(), appInputs(id))).resolves.toMatchObject({ applicationId: id, adopted: true, live: { rawStatus: "CHECKING_DOMAIN" } });
    expect((await state(id)).internal.applyCount).toBe(1);
    const other = await huaweiBackend.submit(ctx(), appInputs(id, { commonName: "api.example.com" })).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(CloudApiError);
    expect((other as Error).message).toMatch(/already has an application for www\.example\.com/);
  });

  it("fails clearly for an unknown certificate id and for an emulator-side rule (SCM.0015)", async () => {
    const missing = (await huaweiBackend.submit(ctx(), appInputs("scs0000000000000")).catch((e: unknown) => e)) as Error;
    expect(missing.message).toMatch(/does not exist in this account/);
    const single = await seed(emu, { domainType: "SINGLE_DOMAIN" });
    const e = (await huaweiBackend.submit(ctx(), appInputs(single)).catch((x: unknown) => x)) as CloudApiError;
    expect(e.code).toBe("SCM.0015");
  });

  it("content change: withdraw (cancel-cert) → wait until PAID → apply again with the new content", async () => {
    const id = await seed(emu, { autoSettleReads: 2 });
    await huaweiBackend.submit(ctx(), appInputs(id));
    emu.clearLog();
    const news = appInputs(id, { admin: { firstName: "Emily", lastName: "Chen", email: "new@example.com", phone: "1" } });
    await huaweiBackend.applyContentChange(ctx(), id, outputs(id), news, live("CHECKING"));
    expect(actions()).toEqual(["CancelCertificateRequest", "ShowCertificate", "ShowCertificate", "ShowCertificate", "ApplyCertificate", "ShowCertificate"]);
    const s = await state(id);
    expect(s.status).toBe("CHECKING");
    expect((s.application_info as Record<string, unknown>).applicant_email).toBe("new@example.com");
    expect(s.internal).toMatchObject({ applyCount: 2, cancelCount: 1 });
  });

  it("content change: the CA issuing before the withdrawal lands fails with a clear message and no new apply", async () => {
    const id = await seed(emu, { manualWithdrawal: true });
    await huaweiBackend.submit(ctx(), appInputs(id));
    const run = huaweiBackend.applyContentChange(ctx(), id, outputs(id), appInputs(id, { commonName: "api.example.com" }), live("CHECKING")).then(() => new Error("no failure"), (e: unknown) => e as Error);
    await until(id, "CANCELCHECKING");
    expect((await control(emu, "issue", { id })).json.status).toBe("ISSUED");
    const e = await run;
    expect(e.message).toMatch(/issued before the withdrawal landed/);
    expect((await state(id)).internal.applyCount).toBe(1);
  });

  it("content change: a withdrawal that does not settle in waitTimeoutSeconds fails and says to run again", async () => {
    const id = await seed(emu, { manualWithdrawal: true });
    await huaweiBackend.submit(ctx(), appInputs(id));
    const e = await huaweiBackend.applyContentChange(ctx(), id, outputs(id), appInputs(id, { waitTimeoutSeconds: 0.2 }), live("CHECKING")).catch((x: unknown) => x as CloudApiError);
    expect((e as CloudApiError).code).toBe("WithdrawalTimeout");
  });

  it("content change across runs: an apply that landed before the run failed is recognised, never withdrawn and applied again", async () => {
    const id = await seed(emu);
    const olds = appInputs(id, { ownerKey: "0123456789abcdef" });
    await huaweiBackend.submit(ctx(), olds);
    const news = appInputs(id, { ownerKey: "0123456789abcdef", admin: { firstName: "Emily", lastName: "Chen", email: "new@example.com", phone: "1" } });
    // Run 1 applies the change, then fails (its wait's reads failed, or it crashed): the state still holds `olds`.
    await huaweiBackend.applyContentChange(ctx(), id, outputs(id), news, live("CHECKING"));
    expect((await state(id)).internal).toMatchObject({ applyCount: 2, cancelCount: 1 });
    // Run 2 plans the same change from the same state and a live read under review.
    emu.clearLog();
    const again = await huaweiBackend.applyContentChange(ctx(), id, outputs(id), news, (await huaweiBackend.read(ctx(), id))!);
    expect(again).toMatchObject({ status: "under-review" });
    expect(actions()).not.toContain("CancelCertificateRequest");
    expect(actions()).not.toContain("ApplyCertificate");
    expect((await state(id)).internal).toMatchObject({ applyCount: 2, cancelCount: 1 });
    expect(logs.join("\n")).toMatch(/an earlier run applied with these inputs/);
    // Another change is still applied.
    const third = appInputs(id, { ownerKey: "0123456789abcdef", admin: { firstName: "Emily", lastName: "Chen", email: "third@example.com", phone: "1" } });
    await huaweiBackend.applyContentChange(ctx(), id, outputs(id), third, (await huaweiBackend.read(ctx(), id))!);
    expect((await state(id)).internal).toMatchObject({ applyCount: 3, cancelCount: 2 });
  });

  it("resubmitTrigger across runs: a withdraw-and-apply that landed before the run failed is not repeated; a new trigger is", async () => {
    const id = await seed(emu);
    await huaweiBackend.submit(ctx(), appInputs(id, { ownerKey: "0123456789abcdef" }));
    const t1 = appInputs(id, { ownerKey: "0123456789abcdef", resubmitTrigger: "t1" });
    await huaweiBackend.resubmit(ctx(), id, t1, live("CHECKING"));
    await huaweiBackend.resubmit(ctx(), id, t1, (await huaweiBackend.read(ctx(), id))!);
    expect((await state(id)).internal).toMatchObject({ applyCount: 2, cancelCount: 1 });
    await huaweiBackend.resubmit(ctx(), id, { ...t1, resubmitTrigger: "t2" }, (await huaweiBackend.read(ctx(), id))!);
    expect((await state(id)).internal).toMatchObject({ applyCount: 3, cancelCount: 2 });
  });

  it("resubmit: a rejected application (UNPASSED) is applied again", async () => {
    const id = await seed(emu);
    await huaweiBackend.submit(ctx(), appInputs(id));
    await control(emu, "reject", { id, reason: "DNS record not found" });
    expect(await huaweiBackend.read(ctx(), id)).toMatchObject({ status: "failed", rawStatus: "UNPASSED" });
    await huaweiBackend.resubmit(ctx(), id, appInputs(id), live("UNPASSED"));
    expect(await state(id)).toMatchObject({ status: "CHECKING", internal: { applyCount: 2 } });
  });

  it("resubmit on a resubmitTrigger change while under review withdraws and applies again", async () => {
    const id = await seed(emu);
    await huaweiBackend.submit(ctx(), appInputs(id));
    await huaweiBackend.resubmit(ctx(), id, appInputs(id), live("CHECKING"));
    expect(await state(id)).toMatchObject({ status: "CHECKING", internal: { applyCount: 2, cancelCount: 1 } });
  });

  it("cancel: withdraws while withdrawable and waits for the withdrawal to settle", async () => {
    for (const path of [[], ["advance"], ["advance", "advance-ov"]]) {
      const id = await seed(emu, path.includes("advance-ov") ? { type: "OV_SSL_CERT" } : {});
      await huaweiBackend.submit(
        ctx(),
        appInputs(id, path.includes("advance-ov") ? { organization: { name: "Example", region: "GD", city: "SZ", country: "CN" } } : {}),
      );
      for (let i = 0; i < path.length; i++) await control(emu, "advance", { id });
      const before = String((await state(id)).status);
      expect(["CHECKING", "CHECKING_DOMAIN", "CHECKING_ORG"]).toContain(before);
      await huaweiBackend.cancel(ctx(), id, outputs(id), await huaweiBackend.read(ctx(), id));
      expect((await state(id)).status).toBe("PAID");
    }
    expect(logs.filter((l) => /withdrawn, certificate back to PAID/.test(l))).toHaveLength(3);
  });

  it("cancel: leaves an issued (or not withdrawable) certificate alone with a warning; never deletes it", async () => {
    const id = await seed(emu);
    await huaweiBackend.submit(ctx(), appInputs(id));
    await control(emu, "issue", { id });
    emu.clearLog();
    await huaweiBackend.cancel(ctx(), id, outputs(id), live("ISSUED"));
    expect(actions()).toEqual([]); // the live read the resource layer made is enough
    expect((await state(id)).status).toBe("ISSUED");
    expect(logs.join("\n")).toMatch(/warning: .*status ISSUED.*left as it is.*never deletes or refunds/);
    const issuing = await seed(emu);
    await huaweiBackend.submit(ctx(), appInputs(issuing));
    await control(emu, "advance", { id: issuing });
    await control(emu, "advance", { id: issuing });
    await huaweiBackend.cancel(ctx(), issuing, outputs(issuing), live("ISSUING"));
    expect((await state(issuing)).status).toBe("ISSUING");
    // gone already: success, nothing called but the read
    await expect(huaweiBackend.cancel(ctx(), "scs0000000000000", outputs("scs0000000000000"), undefined)).resolves.toBeUndefined();
    expect(actions().filter((a) => a === "DeleteCertificate")).toEqual([]);
  });

  it("cancel: the CA issuing before the withdrawal lands is a warning, not a failure", async () => {
    const id = await seed(emu, { manualWithdrawal: true });
    await huaweiBackend.submit(ctx(), appInputs(id));
    const run = huaweiBackend.cancel(ctx(), id, outputs(id), live("CHECKING"));
    await until(id, "CANCELCHECKING");
    await control(emu, "issue", { id });
    await expect(run).resolves.toBeUndefined();
    expect(logs.join("\n")).toMatch(/CA approved before the withdrawal landed/);
  });

  it("read: an undocumented status is unknown with the raw value kept; a deleted certificate is gone", async () => {
    const id = await seed(emu);
    await huaweiBackend.submit(ctx(), appInputs(id));
    await control(emu, "status", { id, status: "WAIT_FOR_NEW_FLOW" });
    const l = await huaweiBackend.read(ctx(), id);
    expect(l).toMatchObject({ status: "unknown", rawStatus: "WAIT_FOR_NEW_FLOW" });
    expect(l?.statusMessage).toContain("WAIT_FOR_NEW_FLOW");
    await expect(huaweiBackend.cancel(ctx(), id, outputs(id), l)).resolves.toBeUndefined();
    expect(logs.join("\n")).toMatch(/WAIT_FOR_NEW_FLOW.*left as it is/);
    await expect(huaweiBackend.read(ctx(), "scs0000000000000")).resolves.toBeUndefined();
  });
});

describe("huawei backend: validation per the Go model (ApplyCertificateRequestBody)", () => {
  const failures = (over: Record<string, unknown>) => huaweiBackend.validate(appInputs("scs1554192131150", over));

  it("applicant_name: Chinese or Latin letters, _ - , . and 4–100 bytes (no space); the message names the field, never the name", () => {
    const ok = (first: string, last?: string) => failures({ admin: { firstName: first, lastName: last, email: "e@example.com", phone: "1" } });
    // what certapply sends: "<firstName>_<lastName>"
    expect(applyBody(appInputs("scs1554192131150", { admin: { firstName: "Emily", lastName: "Chen", email: "e@example.com", phone: "1" } })).applicant_name).toBe("Emily_Chen");
    expect(ok("Jean-Luc", "O.Neil,Jr")).toEqual([]);
    expect(ok("王".repeat(33))).toEqual([]); // 99 bytes
    expect(ok("A".repeat(60), "B".repeat(39))).toEqual([]); // 100 bytes: no 63-character cap (that was Go model 0.1.90)
    const space = ok("Secret First", "Chen");
    expect(space.map((x) => x.property)).toEqual(["admin.firstName"]);
    expect(space[0].reason).toMatch(/only Chinese or Latin letters/);
    expect(space[0].reason).not.toContain("Secret");
    expect(ok("Emily", "Ch3n").map((x) => x.property)).toEqual(["admin.lastName"]);
    expect(ok("José", "Chen").map((x) => x.property)).toEqual(["admin.firstName"]);
    const long = ok("Secretfirst", "Q".repeat(90));
    expect(long.map((x) => x.property)).toEqual(["admin.lastName"]);
    expect(long[0].reason).toMatch(/4 to 100 bytes/);
    expect(long[0].reason).not.toContain("QQQ");
    expect(ok("王".repeat(34)).map((x) => x.property)).toEqual(["admin.lastName"]); // 102 bytes
    expect(ok("Al").map((x) => x.property)).toEqual(["admin.lastName"]);
  });

  it("contact_name (tech) at most 63 characters, without repeating it", () => {
    const f = failures({ tech: { firstName: "Hiddenname", lastName: "x".repeat(60) } });
    expect(f.map((x) => x.property)).toEqual(["tech.lastName"]);
    expect(f[0].reason).not.toContain("Hiddenname");
  });

  it("domain_method FILE only for a pure-IP certificate (certapply declares domain names, so FILE is refused)", () => {
    const f = failures({ validationMethod: "FILE" });
    expect(f.map((x) => x.property)).toEqual(["validationMethod"]);
    expect(f[0].reason).toMatch(/only for a pure-IP certificate/);
    expect(failures({ validationMethod: "EMAIL" })).toEqual([]);
    expect(failures({ validationMethod: "FILE", commonName: "203.0.113.7", dnsNames: [] })).toEqual([]);
    expect(failures({ validationMethod: "DNS", commonName: "203.0.113.7", dnsNames: [] }).map((x) => x.property)).toEqual(["validationMethod"]);
  });

  it("key_algorithm and ca_hash_algorithm from the SDK's closed sets (the common check)", async () => {
    const huaweiFailures = async (over: Record<string, unknown>) =>
      ((await check(undefined, appInputs("scs1554192131150", over) as unknown as Record<string, unknown>)).failures ?? [])
        .map((x) => x.property)
        .filter((p) => p.startsWith("huawei."));
    expect(await huaweiFailures({ huawei: { keyAlgorithm: "RSA_4096", caHashAlgorithm: "SHA-256" } })).toEqual([]);
    expect(await huaweiFailures({ huawei: { keyAlgorithm: "RSA4096", caHashAlgorithm: "SHA256" } })).toEqual(["huawei.keyAlgorithm", "huawei.caHashAlgorithm"]);
  });
});

describe("huawei backend: lost replies; the issued certificate", () => {
  it("an apply whose reply was lost is read back, not sent again; one that never arrived is sent once more after the read", async () => {
    const lost = await seed(emu);
    emu.injectFault({ cloud: "huawei", action: "ApplyCertificate", kind: "commit-then-drop", count: 1 });
    emu.clearLog();
    const r = await huaweiBackend.submit(ctx(), appInputs(lost));
    expect(r.applicationId).toBe(lost);
    expect(actions().filter((a) => a === "ApplyCertificate")).toHaveLength(1);
    expect(actions()).toContain("ShowCertificate");

    const refused = await seed(emu);
    emu.injectFault({ cloud: "huawei", action: "ApplyCertificate", kind: "reset", count: 1 });
    emu.clearLog();
    await huaweiBackend.submit(ctx(), appInputs(refused));
    const sent = actions();
    expect(sent.filter((a) => a === "ApplyCertificate")).toHaveLength(2);
    expect(sent.indexOf("ShowCertificate", sent.indexOf("ApplyCertificate"))).toBeLessThan(sent.lastIndexOf("ApplyCertificate"));
  });

  it("an accepted apply whose follow-up read fails still succeeds: the status is the apply's (CHECKING), the records come with the next read", async () => {
    const id = await seed(emu);
    emu.injectFault({ cloud: "huawei", action: "ShowCertificate", kind: "garbled-reply", garbled: "wrong-types", count: 20, skip: 1 });
    emu.clearLog();
    try {
      const r = await huaweiBackend.submit(ctx(), appInputs(id));
      expect(r).toEqual({ applicationId: id, adopted: false, live: { status: "under-review", rawStatus: "CHECKING", statusMessage: expect.any(String), validationRecords: [] } });
      expect(actions().filter((a) => a === "ApplyCertificate")).toHaveLength(1);
    } finally {
      emu.clearFaults();
    }
  });

  it("an imported (untagged) application whose new apply's reply was lost ends applied once, tagged, without an error", async () => {
    const owner = { ownerKey: "proj/stack-a/www" };
    // resubmit after a rejection
    const rejected = await seed(emu);
    await control(emu, "apply", { id: rejected, body: applyBody(appInputs(rejected)) });
    await control(emu, "reject", { id: rejected, reason: "DNS record not found" });
    emu.injectFault({ cloud: "huawei", action: "ApplyCertificate", kind: "commit-then-drop", count: 1 });
    emu.clearLog();
    await expect(huaweiBackend.resubmit(ctx(), rejected, appInputs(rejected, owner), live("UNPASSED"))).resolves.toMatchObject({ status: "under-review", rawStatus: "CHECKING" });
    expect(actions().filter((a) => a === "ApplyCertificate")).toHaveLength(1);
    expect(await state(rejected)).toMatchObject({ status: "CHECKING", tags: { [OWNER_TAG_KEY]: ownerTagValue(owner.ownerKey) }, internal: { applyCount: 2 } });
    // content change while under review: withdraw, then the apply
    const checking = await seed(emu);
    await control(emu, "apply", { id: checking, body: applyBody(appInputs(checking)) });
    emu.injectFault({ cloud: "huawei", action: "ApplyCertificate", kind: "commit-then-drop", count: 1 });
    emu.clearLog();
    const news = appInputs(checking, { ...owner, admin: { firstName: "Emily", lastName: "Chen", email: "new@example.com", phone: "1" } });
    await expect(huaweiBackend.applyContentChange(ctx(), checking, outputs(checking), news, live("CHECKING"))).resolves.toMatchObject({ rawStatus: "CHECKING" });
    expect(actions().filter((a) => a === "ApplyCertificate")).toHaveLength(1);
    const s = await state(checking);
    expect(s).toMatchObject({ status: "CHECKING", tags: { [OWNER_TAG_KEY]: ownerTagValue(owner.ownerKey) }, internal: { applyCount: 2, cancelCount: 1 } });
    expect((s.application_info as Record<string, unknown>).applicant_email).toBe("new@example.com");
  });

  it("a withdrawal whose reply was lost (or garbled) is read back, not sent again, and settles", async () => {
    const lost = await seed(emu);
    await huaweiBackend.submit(ctx(), appInputs(lost));
    emu.injectFault({ cloud: "huawei", action: "CancelCertificateRequest", kind: "commit-then-drop", count: 1 });
    emu.clearLog();
    await expect(huaweiBackend.cancel(ctx(), lost, outputs(lost), live("CHECKING"))).resolves.toBeUndefined();
    expect(actions().filter((a) => a === "CancelCertificateRequest")).toHaveLength(1);
    expect(await state(lost)).toMatchObject({ status: "PAID", internal: { cancelCount: 1 } });
    expect(logs.join("\n")).toMatch(/application withdrawn, certificate back to PAID/);
    expect(logs.join("\n")).not.toMatch(/warning/);

    const garbled = await seed(emu);
    await huaweiBackend.submit(ctx(), appInputs(garbled));
    emu.injectFault({ cloud: "huawei", action: "CancelCertificateRequest", kind: "garbled-reply", garbled: "error-body", count: 1 });
    emu.clearLog();
    const news = appInputs(garbled, { commonName: "api.example.com" });
    await expect(huaweiBackend.applyContentChange(ctx(), garbled, outputs(garbled), news, live("CHECKING"))).resolves.toMatchObject({ rawStatus: "CHECKING" });
    expect(actions().filter((a) => a === "CancelCertificateRequest")).toHaveLength(1);
    expect(await state(garbled)).toMatchObject({ status: "CHECKING", domain: "api.example.com", internal: { applyCount: 2, cancelCount: 1 } });
  });

  it("the read that recognised a lost withdrawal is the wait's first poll: no second read when it already shows PAID", async () => {
    const id = await seed(emu, { autoSettleReads: 0 });
    await huaweiBackend.submit(ctx(), appInputs(id));
    emu.injectFault({ cloud: "huawei", action: "CancelCertificateRequest", kind: "commit-then-drop", count: 1 });
    emu.clearLog();
    await huaweiBackend.cancel(ctx(), id, outputs(id), live("CHECKING"));
    expect(actions()).toEqual(["CancelCertificateRequest", "ShowCertificate"]);
    expect(logs.join("\n")).toMatch(/application withdrawn, certificate back to PAID/);
  });

  it("once issued: the certificate from the export call, described from its PEM; exported once, stable across reads", async () => {
    const id = await seed(emu);
    await huaweiBackend.submit(ctx(), appInputs(id));
    expect((await control(emu, "issue", { id })).json.status).toBe("ISSUED");
    emu.clearLog();
    const first = await huaweiBackend.read(ctx(), id);
    expect(actions()).toEqual(["ShowCertificate", "ExportCertificate"]);
    const cert = first!.certificate!;
    const { X509Certificate } = await import("node:crypto");
    const x = new X509Certificate(cert.certificatePem!);
    expect(x.subjectAltName).toBe("DNS:www.example.com, DNS:example.com");
    expect(cert.notBefore).toBe(new Date(x.validFrom).toISOString());
    expect(cert.notAfter).toBe(new Date(x.validTo).toISOString());
    expect(cert.sha256Fingerprint).toBe(x.fingerprint256.replace(/:/g, "").toLowerCase());
    expect(cert.thumbprint).toBe(x.fingerprint.replace(/:/g, "").toUpperCase()); // ShowCertificateResponse.fingerprint: SHA-1
    expect(cert.chainPem).toMatch(/BEGIN CERTIFICATE/);
    expect(cert.privateKeyPem).toMatch(/BEGIN PRIVATE KEY/); // no CSR was given: SCM generated the key
    // A read that knows the stored certificate (a diff) or runs in the same process makes no export call.
    emu.clearLog();
    resetHuaweiClientState();
    const again = await (huaweiBackend.read as (c: unknown, i: string, p?: unknown) => Promise<LiveApplication | undefined>)(ctx(), id, { certificate: cert });
    expect(actions()).toEqual(["ShowCertificate"]);
    expect(again!.certificate).toEqual(cert);
    const fresh = await huaweiBackend.read(ctx(), id);
    const cached = await huaweiBackend.read(ctx(), id);
    expect(actions()).toEqual(["ShowCertificate", "ShowCertificate", "ExportCertificate", "ShowCertificate"]);
    expect(fresh!.certificate).toEqual(cert);
    expect(cached!.certificate).toEqual(cert);
  });

  it("status never depends on export: an export refused by IAM (SCM.4002) leaves the status read and says so; delete still knows the status", async () => {
    const id = await seed(emu);
    await huaweiBackend.submit(ctx(), appInputs(id));
    await control(emu, "issue", { id });
    resetHuaweiClientState();
    await control(emu, "deny", { actions: ["ExportCertificate"] });
    try {
      emu.clearLog();
      const l = (await huaweiBackend.read(ctx(), id))!;
      expect(actions()).toEqual(["ShowCertificate", "ExportCertificate"]);
      expect(l).toMatchObject({ status: "issued", rawStatus: "ISSUED" });
      expect(l.certificate).toBeUndefined();
      expect(l.statusMessage).toMatch(/could not be exported \(SCM.4002\).*scm:cert:export/);
      // delete: the status is known (ISSUED), so nothing is withdrawn
      await huaweiBackend.cancel(ctx(), id, outputs(id), l);
      expect(actions()).not.toContain("CancelCertificateRequest");
      expect((await state(id)).status).toBe("ISSUED");
    } finally {
      await control(emu, "deny", { actions: [] });
    }
  });

  it("validation records come in the application's name order whatever order SCM lists them in (seeded emulator)", async () => {
    emu.setSeed(11);
    try {
      const orders = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const id = await seed(emu);
        await huaweiBackend.submit(ctx(), appInputs(id));
        for (let r = 0; r < 2; r++) orders.add(((await huaweiBackend.read(ctx(), id))!.validationRecords.map((x) => x.domain)).join(","));
      }
      expect([...orders]).toEqual(["www.example.com,example.com"]);
    } finally {
      emu.setSeed(undefined);
    }
  });

  it("the generated key follows key_algorithm and the read reports the key certified", async () => {
    const { X509Certificate, createPrivateKey } = await import("node:crypto");
    for (const [alg, want] of [["EC_P384", ["ec", "secp384r1"]], ["RSA_3072", ["rsa", 3072]], [undefined, ["rsa", 2048]]] as const) {
      const id = await seed(emu);
      await huaweiBackend.submit(ctx(), appInputs(id, alg ? { huawei: { keyAlgorithm: alg } } : {}));
      await control(emu, "issue", { id });
      const cert = (await huaweiBackend.read(ctx(), id))!.certificate!;
      const key = createPrivateKey(cert.privateKeyPem!);
      expect(new X509Certificate(cert.certificatePem!).checkPrivateKey(key)).toBe(true);
      expect([key.asymmetricKeyType, key.asymmetricKeyDetails?.namedCurve ?? key.asymmetricKeyDetails?.modulusLength]).toEqual(want);
      expect(emu.huawei.get(id)?.key_algorithm).toBe(alg ?? "RSA_2048");
    }
  });

  it("a CSR's key is certified and no private key comes back", async () => {
    const x509 = await import("@peculiar/x509");
    const { webcrypto } = await import("node:crypto");
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
    const keys = (await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"])) as import("node:crypto").webcrypto.CryptoKeyPair;
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: "CN=www.example.com", keys, signingAlgorithm: alg });
    const id = await seed(emu);
    await huaweiBackend.submit(ctx(), appInputs(id, { csr: csr.toString("pem") }));
    await control(emu, "issue", { id });
    const cert = (await huaweiBackend.read(ctx(), id))!.certificate!;
    expect(cert.privateKeyPem).toBeUndefined();
    const { X509Certificate, createPublicKey } = await import("node:crypto");
    const spki = Buffer.from(await webcrypto.subtle.exportKey("spki", keys.publicKey));
    expect(new X509Certificate(cert.certificatePem!).publicKey.export({ type: "spki", format: "der" })).toEqual(createPublicKey({ key: spki, format: "der", type: "spki" }).export({ type: "spki", format: "der" }));
  });
});

describe("huawei backend: importApplication", () => {
  it("reconstructs the inputs of an application submitted outside Pulumi; the same declaration then plans no change", async () => {
    const id = await seed(emu, { type: "OV_SSL_CERT" });
    // policy fields (waitFor, waitTimeoutSeconds…) are not the cloud's: the declaration keeps their defaults here
    const declared = appInputs(id, { organization: { name: "Example Ltd", region: "GD", city: "SZ", country: "CN" }, waitTimeoutSeconds: undefined });
    const submitted = await control(emu, "apply", { id, body: applyBody(declared) });
    expect(submitted.json.status).toBe("CHECKING");
    emu.clearLog();
    const imported = await huaweiBackend.importApplication(ctx(), id);
    expect(actions()).toEqual(["ShowCertificate", "ListTagsByCertificate"]); // the tags: is it a renewal (renewedFrom)?
    expect(imported!.live).toMatchObject({ status: "under-review", rawStatus: "CHECKING" });
    expect(imported!.live.validationRecords).toHaveLength(2);
    const news = normalizeInputs(declared);
    expect(imported!.inputs).toMatchObject({
      cloud: "huawei",
      certificateId: id,
      commonName: news.commonName,
      dnsNames: news.dnsNames,
      validationMethod: "DNS",
      admin: news.admin,
      tech: news.tech,
    });
    const olds = storedOutputs(imported!.inputs, id, {}, imported!.live);
    const plan = decide(huaweiBackend, olds, news, { live: imported!.live }, Date.now());
    expect(plan.kind).toBe("none");
    // a different declaration is seen as a change
    expect(decide(huaweiBackend, olds, normalizeInputs(appInputs(id, { commonName: "api.example.com" })), { live: imported!.live }, Date.now()).kind).toBe("content");
  });

  it("an unknown id imports nothing; a PAID certificate has no application to import", async () => {
    await expect(huaweiBackend.importApplication(ctx(), "scs0000000000000")).resolves.toBeUndefined();
    const id = await seed(emu);
    await expect(huaweiBackend.importApplication(ctx(), id)).rejects.toThrow(/no application \(no domain\) to import/);
  });

  it("an issued application imports with its certificate", async () => {
    const id = await seed(emu);
    await control(emu, "apply", { id, body: applyBody(appInputs(id)) });
    await control(emu, "issue", { id });
    const imported = await huaweiBackend.importApplication(ctx(), id);
    expect(imported!.live.status).toBe("issued");
    expect(imported!.live.certificate?.certificatePem).toMatch(/BEGIN CERTIFICATE/);
  });
});

describe("huawei backend: one application, one owner (the certificate's certapply-owner tag)", () => {
  it("create tags the certificate with the resource's owner key before applying; a re-run of the same resource adopts", async () => {
    const id = await seed(emu);
    emu.clearLog();
    const first = await huaweiBackend.submit(ctx(), appInputs(id, { ownerKey: "proj/stack-a/www" }));
    expect(actions()).toEqual(["ShowCertificate", "CreateCertificateTag", "ApplyCertificate", "ShowCertificate"]);
    expect((await state(id)).tags).toEqual({ [OWNER_TAG_KEY]: ownerTagValue("proj/stack-a/www") });
    // the host died after the apply: the re-run reads, finds its own mark, adopts, applies nothing
    emu.clearLog();
    const again = await huaweiBackend.submit(ctx(), appInputs(id, { ownerKey: "proj/stack-a/www" }));
    expect(actions()).toEqual(["ShowCertificate", "ListTagsByCertificate"]);
    expect([first.adopted, again.adopted]).toEqual([false, true]);
    expect((await state(id)).internal.applyCount).toBe(1);
  });

  it("a refused tag write is read back: a certificate already carrying this resource's tag is applied for, another's is not", async () => {
    const owner = { ownerKey: "proj/stack-a/www" };
    const id = await seed(emu);
    await huaweiBackend.submit(ctx(), appInputs(id, owner));
    // That SCM replaces a tag with an existing key is inferred (RULES S23); here it refuses the write and keeps the
    // tag it has, a shape the emulator does not produce.
    const original = HuaweiClient.prototype.call;
    jest.spyOn(HuaweiClient.prototype, "call").mockImplementation(async function (this: HuaweiClient, c, schema) {
      if (c.action === "CreateCertificateTag") {
        throw new CloudApiError({ cloud: "huawei", action: c.action, code: "SCM.0400", message: "the tag key exists", httpStatus: 400, transient: false });
      }
      return original.call(this, c, schema);
    });
    try {
      await control(emu, "reject", { id, reason: "DNS record not found" });
      emu.clearLog();
      await huaweiBackend.resubmit(ctx(), id, appInputs(id, owner), live("UNPASSED"));
      // The owner tag read back (ours: applied); the apply tag read back too (not written: a warning, no refusal).
      expect(actions()).toEqual(["ListTagsByCertificate", "ListTagsByCertificate", "ApplyCertificate", "ShowCertificate"]);
      expect(await state(id)).toMatchObject({ status: "CHECKING", internal: { applyCount: 2 } });
      // another resource's mark stays: the refusal stands, and nothing is applied for
      await control(emu, "reject", { id, reason: "DNS record not found" });
      const other = (await huaweiBackend.resubmit(ctx(), id, appInputs(id, { ownerKey: "proj/stack-b/www" }), live("UNPASSED")).catch((e: unknown) => e)) as CloudApiError;
      expect(other.code).toBe("SCM.0400");
      expect(await state(id)).toMatchObject({ tags: { [OWNER_TAG_KEY]: ownerTagValue(owner.ownerKey) }, internal: { applyCount: 2 } });
    } finally {
      jest.restoreAllMocks();
    }
  });

  it("two resources naming the same certificateId: the second is refused, never shares the first's application", async () => {
    const id = await seed(emu);
    await huaweiBackend.submit(ctx(), appInputs(id, { ownerKey: "proj/stack-a/www" }));
    const second = (await huaweiBackend.submit(ctx(), appInputs(id, { ownerKey: "proj/stack-b/www" })).catch((e: unknown) => e)) as CloudApiError;
    expect(second.code).toBe("OwnedElsewhere");
    expect(second.message).toMatch(/did not submit.*another purchased certificate.*pulumi import/);
    const other = (await huaweiBackend.submit(ctx(), appInputs(id, { ownerKey: "proj/stack-b/api", commonName: "api.example.com" })).catch((e: unknown) => e)) as CloudApiError;
    expect(other.code).toBe("AlreadyApplied");
    expect(await state(id)).toMatchObject({ status: "CHECKING", internal: { applyCount: 1 } });
  });

  it("an application made outside certapply (no tag) is not adopted by a resource with an owner key", async () => {
    const id = await seed(emu);
    await control(emu, "apply", { id, body: applyBody(appInputs(id)) });
    const e = (await huaweiBackend.submit(ctx(), appInputs(id, { ownerKey: "proj/stack-a/www" })).catch((x: unknown) => x)) as CloudApiError;
    expect(e.code).toBe("OwnedElsewhere");
  });

  it("without an owner key (not set by certapply), an application for the same domain is adopted", async () => {
    const id = await seed(emu);
    await control(emu, "apply", { id, body: applyBody(appInputs(id)) });
    await expect(huaweiBackend.submit(ctx(), appInputs(id))).resolves.toMatchObject({ adopted: true });
  });
});
