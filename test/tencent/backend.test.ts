import { X509Certificate, createPrivateKey } from "node:crypto";
import type { CloudApiError } from "../../provider/http/errors";
import { DCV_TIMEOUT_MSG } from "../../emulator/tencent";
import { Emulator } from "../../emulator/server";
import { TencentClient } from "../../provider/clouds/tencent/client";
import { issuedCertificate, tencentBackend, tencentWaitLimits, toSubmitRequest } from "../../provider/clouds/tencent/backend";
import { normaliseStatus } from "../../provider/clouds/tencent/status";
import type { ApplicationInputs, ApplicationOutputs } from "../../provider/resources/types";
import { UNKNOWN } from "../../provider/resources/types";
import { check } from "../../provider/resources/application";
import { CONTENT_FIELDS, changedPaths, echoInputs, normalizeInputs } from "../../provider/resources/normalize";
import { decide } from "../../provider/resources/plan";
import { storedOutputs } from "../support";
import { makeCsr, makeCtx, replyLosingProxy, tencentInputs, tencentConfig } from "./helpers";

const emulator = new Emulator();
let cfg: Record<string, string>;
const logs: string[] = [];
const ctx = () => makeCtx(cfg, logs);

beforeAll(async () => {
  await emulator.start();
  cfg = tencentConfig(emulator);
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.reset();
  logs.length = 0;
});

const inputs = tencentInputs;
const olds = (i: ApplicationInputs): ApplicationOutputs => storedOutputs(i, String(i.certificateId));

describe("validate", () => {
  const props = (i: ApplicationInputs) => tencentBackend.validate(i).map((f) => f.property).sort();
  test("a complete application passes", () => expect(tencentBackend.validate(inputs("J2lX2maH"))).toEqual([]));
  test("certificate id and enums, each reported once (common check plus the Tencent rules)", async () => {
    const all = async (i: ApplicationInputs) => ((await check(undefined, i as unknown as Record<string, unknown>)).failures ?? []).map((f) => f.property).sort();
    expect(await all(inputs("short"))).toEqual(["certificateId"]);
    expect(await all(inputs(undefined as unknown as string))).toEqual(["certificateId"]);
    expect(await all(inputs("J2lX2maH", { validationMethod: "EMAIL" }))).toEqual(["validationMethod"]);
    expect(await all(inputs("J2lX2maH", { tencent: { companyType: 3 } }))).toEqual(["tencent.companyType"]);
    expect(await all(inputs("J2lX2maH", { tencent: { csrEncryptAlgo: "ECC" } }))).toEqual([]);
    expect(await all(inputs("J2lX2maH", { tencent: { csrEncryptAlgo: "ECC", csrKeyParameter: "2048" } }))).toEqual(["tencent.csrKeyParameter"]);
    expect(await all(inputs("J2lX2maH", { tencent: { csrEncryptAlgo: "DSA" } }))).toEqual(["tencent.csrEncryptAlgo"]);
    expect(await all(inputs("J2lX2maH", { tencent: { orgIdType: "X", adminIdType: "Y", techIdType: "SFZ" } }))).toEqual(["tencent.adminIdType", "tencent.orgIdType"]);
  });
  test("conditional requireds", () => {
    expect(props(inputs("J2lX2maH", { organization: undefined }))).toEqual(
      ["address", "city", "country", "division", "name", "phoneAreaCode", "phoneNumber", "region"].map((k) => `organization.${k}`),
    );
    expect(props(inputs("J2lX2maH", { organization: undefined, tencent: { companyId: "134" } }))).toEqual([]);
    expect(props(inputs("J2lX2maH", { organization: undefined, tencent: { companyId: "0" } }))).toHaveLength(8);
    expect(props(inputs("J2lX2maH", { organization: undefined, admin: undefined, tech: undefined, tencent: { managerId: "2345" } }))).toEqual([]);
    expect(props(inputs("J2lX2maH", { admin: { firstName: "A" }, tech: undefined }))).toEqual(
      ["admin.email", "admin.lastName", "admin.phone", "admin.title", "tech.firstName", "tech.lastName", "tech.phone", "tech.title"],
    );
    expect(props(inputs("J2lX2maH", { organization: undefined, admin: undefined, tech: undefined, tencent: { companyType: 1 } }))).toEqual(["tencent.contactEmail"]);
    expect(props(inputs("J2lX2maH", { organization: undefined, admin: undefined, tech: undefined, tencent: { companyType: 1, contactEmail: "me@example.com" } }))).toEqual([]);
  });
  test("formats, CSR and UNKNOWN values", async () => {
    // Formats and the CSR are checked once, by the resource layer's common check; the backend adds its own rules.
    const checked = async (i: ApplicationInputs) => ((await check({}, i as unknown as Record<string, unknown>)).failures ?? []).map((f) => f.property).sort();
    expect(await checked(inputs("J2lX2maH", { admin: { firstName: "a", lastName: "b", email: "nope", phone: "x", title: "t" } }))).toEqual(["admin.email", "admin.phone"]);
    expect(await checked(inputs("J2lX2maH", { csr: "garbage" }))).toEqual(["csr"]);
    expect(await checked(inputs("J2lX2maH", { csr: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----", tencent: { csrKeyParameter: "2048" } }))).toEqual(["csr", "tencent.csrKeyParameter"]);
    expect(props(inputs(UNKNOWN, { validationMethod: UNKNOWN, csr: UNKNOWN, admin: { firstName: "a", lastName: "b", email: UNKNOWN, phone: UNKNOWN, title: "t" } }))).toEqual([]);
  });
});

describe("status table", () => {
  test("codes 0–15, sub-states and unknown codes", () => {
    expect(normaliseStatus(0, "PRE-REVIEWING").status).toBe("under-review");
    expect(normaliseStatus(0, "PENDING-DCV").status).toBe("awaiting-validation");
    expect(normaliseStatus(1, null)).toEqual({ status: "issued", rawStatus: "1", statusMessage: "issued" });
    expect(normaliseStatus(2, "Organization could not be verified").status).toBe("failed");
    expect(normaliseStatus(2, "DCV-TIMEOUT: domain validation timed out").status).toBe("timed-out");
    // The official (Chinese) text and the emulator's English wording of it: neither language alone decides.
    expect(normaliseStatus(2, DCV_TIMEOUT_MSG.zh).status).toBe("timed-out");
    expect(normaliseStatus(2, DCV_TIMEOUT_MSG.en).status).toBe("timed-out");
    expect(normaliseStatus(2, "订单审核失败").status).toBe("failed");
    expect(normaliseStatus(5).status).toBe("pending-submission");
    expect(normaliseStatus(6).status).toBe("cancelling");
    expect(normaliseStatus(7).status).toBe("cancelled");
    expect(normaliseStatus(8).status).toBe("awaiting-confirm-letter");
    expect(normaliseStatus(10).status).toBe("revoked");
    expect(normaliseStatus(3).status).toBe("expired");
    expect(normaliseStatus("13").status).toBe("pending-submission");
    for (let i = 0; i <= 15; i++) expect(normaliseStatus(i).rawStatus).toBe(String(i));
    expect(normaliseStatus(99)).toMatchObject({ status: "unknown", rawStatus: "99" });
    expect(normaliseStatus(null)).toMatchObject({ status: "unknown", rawStatus: "" });
    expect(normaliseStatus("weird")).toMatchObject({ status: "unknown", rawStatus: "weird" });
  });
});

/** The Tencent actions the emulator served since the last call, in order. */
function calls(): string[] {
  const out = emulator.actions("tencent");
  emulator.clearLog();
  return out;
}
const writes = (actions: string[]) => actions.filter((a) => !a.startsWith("Describe"));
const reads = (actions: string[]) => actions.filter((a) => a === "DescribeCertificateDetail").length;

describe("create: materials, then the order", () => {
  test("one read, the materials, the order; the order's reply is the status (no read after), OrderId comes out", async () => {
    const id = emulator.tencent.seed({ productType: "ov", domainCount: 2 }).certificateId;
    const i = inputs(id, { dnsNames: ["example.com"] });
    emulator.clearLog();
    const res = await tencentBackend.submit(ctx(), i);
    expect(calls()).toEqual(["DescribeCertificateDetail", "CertificateInfoSubmit", "CertificateOrderSubmit"]);
    const st = emulator.tencent.state(id)!;
    expect(res).toEqual({ applicationId: id, adopted: false, live: { status: "under-review", rawStatus: "0", statusMessage: "reviewing", validationRecords: [], orderId: st.orderId } });
    expect(st.submittedParams).toMatchObject({ CertId: id, GenCsrType: "online", CsrKeyParameter: "2048", DnsNames: ["example.com"], OrgOrganization: "Example Ltd", TechEmail: "tech@example.com" });
    expect(st).toMatchObject({ submitCount: 1, orderCount: 1, history: [5, 0] });
  });

  test("a product that needs a letter reports 8 from the order's reply; DNS_AUTO reports 4", async () => {
    const ev = emulator.tencent.seed({ productType: "ev", requiresLetter: true }).certificateId;
    expect((await tencentBackend.submit(ctx(), inputs(ev))).live).toMatchObject({ status: "awaiting-confirm-letter", rawStatus: "8" });
    const auto = emulator.tencent.seed({ productType: "dv" }).certificateId;
    expect((await tencentBackend.submit(ctx(), inputs(auto, { validationMethod: "DNS_AUTO" }))).live).toMatchObject({ status: "under-review", rawStatus: "4" });
    expect(emulator.tencent.state(auto)?.submittedParams?.VerifyType).toBe("DNS_AUTO");
  });

  test("a re-run adopts the submitted application with one read and no write", async () => {
    const id = emulator.tencent.seed({ productType: "ov", domainCount: 2 }).certificateId;
    const i = inputs(id, { dnsNames: ["example.com"] });
    await tencentBackend.submit(ctx(), i);
    emulator.clearLog();
    const again = await tencentBackend.submit(ctx(), i);
    expect(again).toMatchObject({ applicationId: id, adopted: true, live: { rawStatus: "0" } });
    expect(calls()).toEqual(["DescribeCertificateDetail"]);
    await expect(tencentBackend.submit(ctx(), inputs(id, { commonName: "other.example.com" }))).rejects.toThrow(/status 0 .*different content/);
    emulator.tencent.issue(id);
    expect(await tencentBackend.submit(ctx(), i)).toMatchObject({ applicationId: id, adopted: true });
    expect(emulator.tencent.state(id)).toMatchObject({ submitCount: 1, orderCount: 1 });
  });

  test("materials saved by a run that never sent the order: the next run sends only the order", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const i = inputs(id);
    await new TencentClient(ctx()).certificateInfoSubmit(toSubmitRequest(id, i));
    emulator.clearLog();
    const res = await tencentBackend.submit(ctx(), i);
    expect(calls()).toEqual(["DescribeCertificateDetail", "CertificateOrderSubmit"]);
    expect(res.live?.rawStatus).toBe("0");
    expect(emulator.tencent.state(id)).toMatchObject({ submitCount: 1, orderCount: 1 });
    expect(logs.join("\n")).toMatch(/materials are already saved .*sending only the order/);
  });

  test("saved materials that differ from the declaration are saved again before the order", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    await new TencentClient(ctx()).certificateInfoSubmit(toSubmitRequest(id, inputs(id, { admin: { ...inputs(id).admin, email: "old@example.com" } })));
    emulator.clearLog();
    await tencentBackend.submit(ctx(), inputs(id));
    expect(calls()).toEqual(["DescribeCertificateDetail", "CertificateInfoSubmit", "CertificateOrderSubmit"]);
    expect(emulator.tencent.state(id)?.submittedParams?.AdminEmail).toBe("ssl@example.com");
  });

  test("an order the CA is still processing: wait and read, never send it again", async () => {
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    emulator.tencent.orderProcessingMs = 1500;
    // The first order's reply does not come before the client's timeout; the CA takes it anyway.
    const slow = makeCtx(cfg, logs, { timeoutMs: 150, baseDelayMs: 20 });
    emulator.clearLog();
    const res = await tencentBackend.submit(slow, inputs(id));
    expect(emulator.log.filter((e) => e.action === "CertificateOrderSubmit").map((e) => e.code)).toEqual([undefined, "FailedOperation.CertificateOrderSubmitProcessing"]);
    expect(emulator.tencent.state(id)).toMatchObject({ submitCount: 1, orderCount: 1 });
    expect(res.live?.rawStatus).toBe("0");
    expect(logs.join("\n")).toMatch(/still processing the order; waiting for it instead of sending it again/);
  });

  test("a throttled write was refused, not applied: it is sent again without a read", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    emulator.injectFault({ cloud: "tencent", action: "CertificateInfoSubmit", kind: "throttle", count: 1 });
    emulator.injectFault({ cloud: "tencent", action: "CertificateOrderSubmit", kind: "throttle", count: 2 });
    emulator.clearLog();
    await tencentBackend.submit(ctx(), inputs(id));
    expect(calls()).toEqual(["DescribeCertificateDetail", "CertificateInfoSubmit", "CertificateInfoSubmit", "CertificateOrderSubmit", "CertificateOrderSubmit", "CertificateOrderSubmit"]);
    expect(emulator.tencent.state(id)).toMatchObject({ submitCount: 1, orderCount: 1 });
  });

  test("an internal error on the order (perhaps applied) is read before the order is sent again", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    emulator.injectFault({ cloud: "tencent", action: "CertificateOrderSubmit", kind: "internal", count: 1 });
    emulator.clearLog();
    await tencentBackend.submit(ctx(), inputs(id));
    expect(calls()).toEqual(["DescribeCertificateDetail", "CertificateInfoSubmit", "CertificateOrderSubmit", "DescribeCertificateDetail", "CertificateOrderSubmit"]);
    expect(emulator.tencent.state(id)).toMatchObject({ submitCount: 1, orderCount: 1 });
  });

  test("submit explains a missing certificate and a rejected one", async () => {
    await expect(tencentBackend.submit(ctx(), inputs("Nope1234"))).rejects.toThrow(/does not exist.*buy the certificate first/);
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    await tencentBackend.submit(ctx(), inputs(id));
    emulator.tencent.reject(id, "bad org");
    await expect(tencentBackend.submit(ctx(), inputs(id))).rejects.toThrow(/status 2 .*ModifyCertificateResubmit/);
  });
});

describe("lost replies: every write step reads before it repeats (a proxy applies the write, then drops the reply)", () => {
  let proxy: Awaited<ReturnType<typeof replyLosingProxy>>;
  let pctx: () => ReturnType<typeof makeCtx>;
  beforeAll(async () => {
    proxy = await replyLosingProxy(emulator.url);
    pctx = () => makeCtx({ ...cfg, "certapply:tencentEndpoint": proxy.url }, logs);
  });
  afterAll(() => proxy.close());
  beforeEach(() => proxy.reset());

  test.each(["CertificateInfoSubmit", "CertificateOrderSubmit"])("create: a lost %s reply is recognised; materials saved once, one order", async (action) => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    proxy.dropAfterCommit(action);
    const res = await tencentBackend.submit(pctx(), inputs(id));
    expect(proxy.dropped).toEqual([action]);
    expect(emulator.tencent.state(id)).toMatchObject({ submitCount: 1, orderCount: 1, status: 0 });
    expect(res.live?.rawStatus).toBe("0");
    expect(logs.join("\n")).toMatch(new RegExp(`${action} had already taken effect`));
  });

  test.each(["CancelAuditCertificate", "ModifyCertificateResubmit", "CertificateInfoSubmit", "CertificateOrderSubmit"])(
    "content change under review: a lost %s reply does not fail the update, and nothing is sent twice",
    async (action) => {
      const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
      const i = inputs(id);
      await tencentBackend.submit(ctx(), i);
      const news = inputs(id, { admin: { ...i.admin, email: "new@example.com" } });
      proxy.dropAfterCommit(action);
      const live = await tencentBackend.applyContentChange(pctx(), id, olds(i), news, (await tencentBackend.read(ctx(), id))!);
      expect(proxy.dropped).toEqual([action]);
      expect(live).toMatchObject({ status: "under-review", rawStatus: "0" });
      const st = emulator.tencent.state(id)!;
      expect(st.history).toEqual([5, 0, 6, 7, 5, 0]);
      expect(st).toMatchObject({ submitCount: 2, orderCount: 2, resubmitCount: 1 });
      expect(st.submittedParams?.AdminEmail).toBe("new@example.com");
    },
  );

  test.each(["ModifyCertificateResubmit", "CertificateInfoSubmit", "CertificateOrderSubmit"])(
    "create on a withdrawn application (a replace's delete came first): a lost %s reply is recognised, nothing sent twice",
    async (action) => {
      const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
      const i = inputs(id);
      await tencentBackend.submit(ctx(), i);
      await tencentBackend.cancel(ctx(), id, olds(i), await tencentBackend.read(ctx(), id));
      proxy.dropAfterCommit(action);
      const res = await tencentBackend.submit(pctx(), i);
      expect(proxy.dropped).toEqual([action]);
      expect(res).toMatchObject({ applicationId: id, adopted: false, live: { status: "under-review" } });
      expect(proxy.sent.filter((s) => s.action === action)).toHaveLength(1);
      const st = emulator.tencent.state(id)!;
      expect(st.history).toEqual([5, 0, 6, 7, 5, 0]);
      expect(st).toMatchObject({ submitCount: 2, orderCount: 2, resubmitCount: 1 });
    },
  );

  test("delete: a lost CancelAuditCertificate reply is recognised as withdrawn", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const i = inputs(id);
    await tencentBackend.submit(ctx(), i);
    proxy.dropAfterCommit("CancelAuditCertificate");
    await tencentBackend.cancel(pctx(), id, olds(i), await tencentBackend.read(ctx(), id));
    expect(proxy.dropped).toEqual(["CancelAuditCertificate"]);
    expect(emulator.tencent.state(id)?.history).toEqual([5, 0, 6, 7]);
  });

  test.each([
    ["admin.email", (i: ApplicationInputs) => ({ admin: { ...i.admin, email: "new@example.com" } })],
    ["tencent.csrKeyParameter (not echoed)", () => ({ tencent: { csrKeyParameter: "4096" } })],
  ])("the re-run of a content change of %s that was applied (its state not saved, its new CA order visible) neither cancels the fresh review nor submits again", async (_what, change) => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const i = inputs(id);
    const stored = olds(i);
    stored.orderId = (await tencentBackend.submit(ctx(), i)).live?.orderId;
    const news = inputs(id, change(i));
    proxy.dropAfterCommit("CertificateOrderSubmit");
    await tencentBackend.applyContentChange(pctx(), id, stored, news, (await tencentBackend.read(ctx(), id))!);
    expect(proxy.dropped).toEqual(["CertificateOrderSubmit"]);
    emulator.clearLog();
    const live = await tencentBackend.applyContentChange(ctx(), id, stored, news, (await tencentBackend.read(ctx(), id))!);
    expect(writes(calls())).toEqual([]);
    expect(live.rawStatus).toBe("0");
    expect(emulator.tencent.state(id)).toMatchObject({ submitCount: 2, orderCount: 2, resubmitCount: 1 });
  });

  test("the re-run of a resubmit that was applied (new CA order since the state was written) does nothing", async () => {
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    const i = inputs(id);
    const first = await tencentBackend.submit(ctx(), i);
    emulator.tencent.dcv(id);
    emulator.tencent.timeout(id);
    const stored = olds(i);
    stored.orderId = first.live?.orderId;
    await tencentBackend.resubmit(ctx(), id, i, (await tencentBackend.read(ctx(), id))!);
    emulator.clearLog();
    const again = await tencentBackend.resubmit(ctx(), id, i, (await tencentBackend.read(ctx(), id))!, stored);
    expect(writes(calls())).toEqual([]);
    expect(again.rawStatus).toBe("0");
    expect(emulator.tencent.state(id)).toMatchObject({ orderCount: 2, resubmitCount: 1 });
  });

  test("a garbled reply to an applied order (HTML under 200) is recognised by a read; one order", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    proxy.garble("CertificateOrderSubmit", "<html>gateway</html>");
    const res = await tencentBackend.submit(pctx(), inputs(id));
    expect(res.live).toMatchObject({ rawStatus: "0", orderId: emulator.tencent.state(id)?.orderId });
    expect(emulator.tencent.state(id)).toMatchObject({ submitCount: 1, orderCount: 1 });
  });

  test("a garbled read (an envelope without Status) is an InvalidReply error, never a status", async () => {
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    proxy.garble("DescribeCertificateDetail", JSON.stringify({ Response: { RequestId: "rid-garbled", CertificateId: id } }), 10);
    const err = (await tencentBackend.read(makeCtx({ ...cfg, "certapply:tencentEndpoint": proxy.url }, logs, { maxRetries: 1 }), id).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: "InvalidReply", cloud: "tencent", action: "DescribeCertificateDetail", requestId: "rid-garbled" });
    proxy.garble("DescribeCertificateDetail", "", 0);
  });
});

describe("read", () => {
  test("status, validation records from DvAuths[] (several domains), gone → undefined", async () => {
    const id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
    await tencentBackend.submit(ctx(), inputs(id, { dnsNames: ["example.com"] }));
    expect(await tencentBackend.read(ctx(), id)).toMatchObject({ status: "under-review", rawStatus: "0", validationRecords: [] });
    const rec = emulator.tencent.dcv(id);
    const live = await tencentBackend.read(ctx(), id);
    expect(live?.status).toBe("awaiting-validation");
    expect(live?.validationRecords).toEqual(rec.dvAuths!.map((a) => ({ domain: a.DvAuthDomain, type: "TXT", name: `_dnsauth.${a.DvAuthDomain}`, value: a.DvAuthValue })));
    expect(await tencentBackend.read(ctx(), "Gone1234")).toBeUndefined();
  });

  test("validation records of one domain come from DvAuthDetail's top-level fields (DNS and FILE)", async () => {
    const dns = emulator.tencent.seed({ productType: "dv" }).certificateId;
    await tencentBackend.submit(ctx(), inputs(dns));
    const r1 = emulator.tencent.dcv(dns);
    expect((await tencentBackend.read(ctx(), dns))?.validationRecords).toEqual([{ domain: "www.example.com", type: "TXT", name: "_dnsauth.www.example.com", value: r1.dvAuths![0].DvAuthValue }]);
    const file = emulator.tencent.seed({ productType: "dv" }).certificateId;
    await tencentBackend.submit(ctx(), inputs(file, { validationMethod: "FILE" }));
    const r2 = emulator.tencent.dcv(file);
    expect((await tencentBackend.read(ctx(), file))?.validationRecords).toEqual([
      { domain: "www.example.com", type: "FILE", name: "http://www.example.com/.well-known/pki-validation/fileauth.txt", value: r2.dvAuths![0].DvAuthValue },
    ]);
  });

  test("a DCV timeout reads as timed-out (the official Chinese StatusMsg)", async () => {
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    await tencentBackend.submit(ctx(), inputs(id));
    emulator.tencent.timeout(id);
    expect(await tencentBackend.read(ctx(), id)).toMatchObject({ status: "timed-out", rawStatus: "2", statusMessage: DCV_TIMEOUT_MSG.zh });
  });

  test("once issued: the certificate with its dates, serial, fingerprint, chain and (online CSR) the key, stable between reads", async () => {
    const id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
    await tencentBackend.submit(ctx(), inputs(id, { dnsNames: ["example.com"] }));
    emulator.tencent.issue(id);
    const live = (await tencentBackend.read(ctx(), id))!;
    const c = live.certificate!;
    const x = new X509Certificate(c.certificatePem!);
    expect(x.subjectAltName).toBe("DNS:www.example.com, DNS:example.com");
    expect(c).toMatchObject({
      notBefore: new Date(x.validFrom).toISOString(),
      notAfter: new Date(x.validTo).toISOString(),
      serialNumber: x.serialNumber.toLowerCase(),
      sha256Fingerprint: x.fingerprint256.replace(/:/g, "").toLowerCase(),
      thumbprint: x.fingerprint.replace(/:/g, ""),
    });
    // CertificatePublicKey is the leaf ("公钥证书"); the chain is described in CertChainInfo, with no PEM to output.
    expect(c.chainPem).toBeUndefined();
    const key = createPrivateKey(c.privateKeyPem!);
    expect(x.checkPrivateKey(key)).toBe(true);
    expect([key.asymmetricKeyType, key.asymmetricKeyDetails?.modulusLength]).toEqual(["rsa", 2048]); // CsrKeyParameter default 2048
    expect((await tencentBackend.read(ctx(), id))!.certificate).toEqual(c);
    expect(live.orderId).toBe(emulator.tencent.state(id)?.orderId);
  });

  test("the online key follows CsrEncryptAlgo / CsrKeyParameter (ECC prime256v1, RSA 4096)", async () => {
    // an RSA 4096 key takes a while to generate on a loaded machine
    for (const [t, want] of [[{ csrEncryptAlgo: "ECC", csrKeyParameter: "prime256v1" }, ["ec", "prime256v1"]], [{ csrEncryptAlgo: "RSA", csrKeyParameter: "4096" }, ["rsa", 4096]]] as const) {
      const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
      await tencentBackend.submit(ctx(), inputs(id, { tencent: t }));
      emulator.tencent.issue(id);
      const key = createPrivateKey((await tencentBackend.read(ctx(), id))!.certificate!.privateKeyPem!);
      expect([key.asymmetricKeyType, key.asymmetricKeyDetails?.namedCurve ?? key.asymmetricKeyDetails?.modulusLength]).toEqual(want);
    }
  }, 180_000);

  test("chain per the model: the leaf is the block of CertFingerprint, the other blocks the chain in CertChainInfo's order", async () => {
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    await tencentBackend.submit(ctx(), inputs(id));
    emulator.tencent.issue(id);
    const c = (await tencentBackend.read(ctx(), id))!.certificate!;
    const ca = emulator.tencent.state(id)!.certificate!.chainPem;
    const leafPrint = new X509Certificate(c.certificatePem!).fingerprint.replace(/:/g, "");
    const caPrint = new X509Certificate(ca).fingerprint.replace(/:/g, "");
    // A reply whose PEM text carries the chain first: the leaf is still the one CertFingerprint names.
    const detail = { Status: 1, CertificatePublicKey: ca + c.certificatePem, CertFingerprint: leafPrint, CertChainInfo: [{ Fingerprint: caPrint }] };
    const got = issuedCertificate(detail as never)!;
    expect(got.certificatePem).toBe(c.certificatePem);
    expect(new X509Certificate(got.chainPem!).fingerprint.replace(/:/g, "")).toBe(caPrint);
  });

  test("with the user's own CSR the certificate certifies the CSR's key and no private key comes out", async () => {
    const { csrPem, keyPem } = await makeCsr("www.example.com", ["www.example.com"]);
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    await tencentBackend.submit(ctx(), inputs(id, { csr: csrPem }));
    expect(emulator.tencent.state(id)?.submittedParams).toMatchObject({ GenCsrType: "parse" });
    emulator.tencent.issue(id);
    const c = (await tencentBackend.read(ctx(), id))!.certificate!;
    expect(c.privateKeyPem).toBeUndefined();
    expect(new X509Certificate(c.certificatePem!).checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
  });
});

describe("import: an application submitted outside Pulumi", () => {
  const declared = (id: string) =>
    inputs(id, { dnsNames: ["example.com"], tencent: undefined, organization: { ...inputs(id).organization, postalCode: undefined } });

  test("its inputs come back from DescribeCertificateDetail, and the same declaration then diffs as no change", async () => {
    const id = emulator.tencent.seed({ productType: "ov", domainCount: 2 }).certificateId;
    const decl = declared(id);
    await emulator.tencent.submitOutside(id, { ...toSubmitRequest(id, decl) });
    emulator.clearLog();
    const imported = (await tencentBackend.importApplication(ctx(), id))!;
    expect(calls()).toEqual(["DescribeCertificateDetail"]);
    expect(imported.live).toMatchObject({ status: "under-review", rawStatus: "0", orderId: emulator.tencent.state(id)?.orderId });
    const news = normalizeInputs(decl);
    const stored = storedOutputs(normalizeInputs(imported.inputs), id, { status: imported.live.status, rawStatus: imported.live.rawStatus, orderId: imported.live.orderId });
    expect(changedPaths(stored, news, CONTENT_FIELDS)).toEqual([]);
    expect(decide(tencentBackend, stored, news, { live: imported.live }, Date.now())).toMatchObject({ kind: "none" });
    expect(echoInputs(normalizeInputs(imported.inputs))).toMatchObject({ cloud: "tencent", certificateId: id, commonName: "www.example.com", dnsNames: ["example.com"], validationMethod: "DNS" });
  });

  test("an individual's application (CompanyType 1) and an uploaded CSR are reconstructed too; an unknown id is undefined", async () => {
    const { csrPem } = await makeCsr("solo.example.com", ["solo.example.com"]);
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    const decl = inputs(id, { commonName: "solo.example.com", csr: csrPem, organization: undefined, admin: undefined, tech: undefined, tencent: { companyType: 1, contactEmail: "me@example.com" } });
    await emulator.tencent.submitOutside(id, { ...toSubmitRequest(id, decl) });
    const imported = (await tencentBackend.importApplication(ctx(), id))!;
    expect(changedPaths(storedOutputs(normalizeInputs(imported.inputs), id), normalizeInputs(decl), CONTENT_FIELDS)).toEqual([]);
    expect(await tencentBackend.importApplication(ctx(), "Gone1234")).toBeUndefined();
  });
});

describe("two resources naming the same certificate id (Tencent's application carries no owner mark)", () => {
  test("the second adopts the same application (no second order); withdrawing one withdraws it for both", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const i = inputs(id);
    expect((await tencentBackend.submit(ctx(), i)).adopted).toBe(false);
    logs.length = 0;
    expect((await tencentBackend.submit(ctx(), i)).adopted).toBe(true);
    expect(logs.join("\n")).toMatch(/declare each certificateId in one resource only/);
    expect(emulator.tencent.state(id)).toMatchObject({ submitCount: 1, orderCount: 1 });
    await tencentBackend.cancel(ctx(), id, olds(i), await tencentBackend.read(ctx(), id));
    expect((await tencentBackend.read(ctx(), id))?.status).toBe("cancelled");
  });


  test("with different content the second one fails and names the rule", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    await tencentBackend.submit(ctx(), inputs(id));
    await expect(tencentBackend.submit(ctx(), inputs(id, { admin: { ...inputs(id).admin, email: "else@example.com" } }))).rejects.toThrow(
      /already in status 0 .*with different content.*each certificateId belongs in one resource only/,
    );
  });
});

describe("create on a withdrawn application (replace: the old resource's delete withdrew it first)", () => {
  test("status 7: reopened with ModifyCertificateResubmit, then the materials and the order; nothing is bought", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const i = inputs(id);
    await tencentBackend.submit(ctx(), i);
    await tencentBackend.cancel(ctx(), id, olds(i), await tencentBackend.read(ctx(), id));
    expect(emulator.tencent.state(id)?.status).toBe(7);
    emulator.clearLog();
    const res = await tencentBackend.submit(ctx(), inputs(id, { commonName: "other.example.com" }));
    expect(res).toMatchObject({ applicationId: id, adopted: false, live: { status: "under-review" } });
    expect(emulator.actions("tencent").filter((a) => !a.startsWith("Describe"))).toEqual(["ModifyCertificateResubmit", "CertificateInfoSubmit", "CertificateOrderSubmit"]);
    expect(emulator.actions("tencent")).not.toContain("CreateCertificate");
    expect(emulator.tencent.state(id)).toMatchObject({ status: 0, resubmitCount: 1, orderCount: 2 });
    expect(emulator.tencent.state(id)?.submittedParams?.CertCommonName).toBe("other.example.com");
    expect(logs.join("\n")).toMatch(/withdrawn \(status 7 \(cancelled\)\); reopening it/);
  });

  test("status 6 (cancelling): waits for 7, then reopens", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const i = inputs(id);
    await tencentBackend.submit(ctx(), i);
    await emulator.tencent.control("settings", { cancelSettleMs: 300 });
    try {
      await tencentBackend.cancel(ctx(), id, olds(i), await tencentBackend.read(ctx(), id));
      expect(emulator.tencent.state(id)?.status).toBe(6);
      const res = await tencentBackend.submit(ctx(), i);
      expect(res.live?.status).toBe("under-review");
      expect(emulator.tencent.state(id)?.history).toEqual([5, 0, 6, 7, 5, 0]);
    } finally {
      await emulator.tencent.control("settings", { cancelSettleMs: 0 });
    }
  });

});

describe("update paths", () => {
  test("content change under review: cancel, wait for 7, resubmit, materials, order", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const i = inputs(id);
    await tencentBackend.submit(ctx(), i);
    const live = (await tencentBackend.read(ctx(), id))!;
    expect(tencentBackend.planContentChange(["admin.email"], live, olds(i), i)).toMatchObject({
      kind: "update",
      description: expect.stringContaining("CancelAuditCertificate, wait for status 7, ModifyCertificateResubmit, CertificateInfoSubmit, CertificateOrderSubmit"),
    });
    emulator.tencent.cancelSettleMs = 100; // the order sits in 6 for a while
    const news = inputs(id, { admin: { ...i.admin, email: "new@example.com" } });
    emulator.clearLog();
    const after = await tencentBackend.applyContentChange(ctx(), id, olds(i), news, live);
    const st = emulator.tencent.state(id)!;
    expect(st.history).toEqual([5, 0, 6, 7, 5, 0]);
    expect(st.submittedParams?.AdminEmail).toBe("new@example.com");
    expect(after).toMatchObject({ rawStatus: "0", orderId: st.orderId });
    const acts = calls();
    expect(writes(acts)).toEqual(["CancelAuditCertificate", "ModifyCertificateResubmit", "CertificateInfoSubmit", "CertificateOrderSubmit"]);
    expect(reads(acts)).toBeGreaterThan(2);
  });

  test("content change after rejection and in 5; refusal while cancelling", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const i = inputs(id);
    const live5 = (await tencentBackend.read(ctx(), id))!;
    expect(tencentBackend.planContentChange(["commonName"], live5, olds(i), i)).toEqual({ kind: "update", description: expect.stringMatching(/: CertificateInfoSubmit, CertificateOrderSubmit$/) });
    await tencentBackend.applyContentChange(ctx(), id, olds(i), i, live5);
    emulator.tencent.reject(id, "bad org");
    const live2 = (await tencentBackend.read(ctx(), id))!;
    expect(tencentBackend.planContentChange(["organization.name"], live2, olds(i), i)).toMatchObject({ kind: "update", description: expect.stringContaining("ModifyCertificateResubmit, CertificateInfoSubmit, CertificateOrderSubmit") });
    emulator.clearLog();
    await tencentBackend.applyContentChange(ctx(), id, olds(i), inputs(id, { organization: { ...i.organization, name: "New Org" } }), live2);
    expect(writes(calls())).toEqual(["ModifyCertificateResubmit", "CertificateInfoSubmit", "CertificateOrderSubmit"]);
    expect(emulator.tencent.state(id)?.submittedParams?.OrgOrganization).toBe("New Org");
    const cancelling = { status: "cancelling" as const, rawStatus: "6", statusMessage: "", validationRecords: [] };
    expect(tencentBackend.planContentChange(["admin.email"], cancelling, olds(i), i)).toMatchObject({ kind: "refuse", reason: expect.stringContaining("status 6") });
    const expired = { status: "expired" as const, rawStatus: "3", statusMessage: "", validationRecords: [] };
    expect(tencentBackend.planContentChange(["admin.email"], expired, olds(i), i).kind).toBe("refuse");
  });

  test("a change of a field SubmittedData does not echo, under review: cancelled and submitted again, never taken as applied", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const i = inputs(id);
    const stored = olds(i);
    stored.orderId = (await tencentBackend.submit(ctx(), i)).live?.orderId;
    const live = (await tencentBackend.read(ctx(), id))!;
    const news = inputs(id, { tencent: { csrKeyParameter: "4096" } });
    expect(tencentBackend.planContentChange(["tencent.csrKeyParameter"], live, stored, news).kind).toBe("update");
    emulator.clearLog();
    const after = await tencentBackend.applyContentChange(ctx(), id, stored, news, live);
    expect(writes(calls())).toEqual(["CancelAuditCertificate", "ModifyCertificateResubmit", "CertificateInfoSubmit", "CertificateOrderSubmit"]);
    expect(emulator.tencent.state(id)?.submittedParams?.CsrKeyParameter).toBe("4096");
    expect(after.orderId).not.toBe(stored.orderId);
  });

  test("a change of a field SubmittedData does not echo, in 5 with materials saved: the materials are saved again before the order", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const i = inputs(id);
    await new TencentClient(ctx()).certificateInfoSubmit(toSubmitRequest(id, i));
    const news = inputs(id, { tencent: { csrKeyParameter: "4096" } });
    emulator.clearLog();
    await tencentBackend.applyContentChange(ctx(), id, olds(i), news, (await tencentBackend.read(ctx(), id))!);
    expect(writes(calls())).toEqual(["CertificateInfoSubmit", "CertificateOrderSubmit"]);
    expect(emulator.tencent.state(id)?.submittedParams?.CsrKeyParameter).toBe("4096");
  });

  test("a failed save of a non-echoed change is not taken as done because the old materials still match: read, then sent again", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const i = inputs(id);
    await new TencentClient(ctx()).certificateInfoSubmit(toSubmitRequest(id, i));
    const news = inputs(id, { tencent: { csrKeyParameter: "4096" } });
    emulator.injectFault({ cloud: "tencent", action: "CertificateInfoSubmit", kind: "internal", count: 1 });
    emulator.clearLog();
    await tencentBackend.applyContentChange(ctx(), id, olds(i), news, (await tencentBackend.read(ctx(), id))!);
    expect(writes(calls())).toEqual(["CertificateInfoSubmit", "CertificateInfoSubmit", "CertificateOrderSubmit"]);
    expect(emulator.tencent.state(id)).toMatchObject({ submitCount: 2, orderCount: 1 });
    expect(emulator.tencent.state(id)?.submittedParams?.CsrKeyParameter).toBe("4096");
  });

  test("the re-run of a content change whose state holds no orderId (a create whose wait failed) finds the new materials under review: no second order", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const i = inputs(id);
    await tencentBackend.submit(ctx(), i);
    const stored = olds(i);
    expect(stored.orderId).toBeUndefined();
    const news = inputs(id, { admin: { ...i.admin, email: "new@example.com" } });
    // The first run applies the change; its wait fails, so the state keeps no orderId.
    await tencentBackend.applyContentChange(ctx(), id, stored, news, (await tencentBackend.read(ctx(), id))!);
    expect(emulator.tencent.state(id)).toMatchObject({ status: 0, submitCount: 2, orderCount: 2, resubmitCount: 1 });
    emulator.clearLog();
    const live = await tencentBackend.applyContentChange(ctx(), id, stored, news, (await tencentBackend.read(ctx(), id))!);
    expect(writes(calls())).toEqual([]);
    expect(live).toMatchObject({ rawStatus: "0", orderId: emulator.tencent.state(id)?.orderId });
    expect(emulator.tencent.state(id)).toMatchObject({ submitCount: 2, orderCount: 2, resubmitCount: 1 });
    expect(logs.join("\n")).toMatch(/already holds the new content/);
  });

  test("a bounded wait fails with a clear message when 7 never comes", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const i = inputs(id);
    await tencentBackend.submit(ctx(), i);
    emulator.tencent.cancelSettleMs = 3_600_000;
    const fast = { ...ctx(), pollIntervalMs: 1 };
    const live = (await tencentBackend.read(fast, id))!;
    const saved = tencentWaitLimits.maxPolls;
    tencentWaitLimits.maxPolls = 4;
    emulator.clearLog();
    try {
      await expect(tencentBackend.applyContentChange(fast, id, olds(i), inputs(id, { admin: { ...i.admin, email: "n@example.com" } }), live)).rejects.toThrow(
        /did not reach the cancelled review to settle \(status 7 .*after 4 polls.*run `pulumi up` again later/,
      );
    } finally {
      tencentWaitLimits.maxPolls = saved;
    }
    // the read first, cancel, the first read of the wait + 4 polls; nothing after.
    expect(emulator.actions("tencent")).toEqual(["DescribeCertificateDetail", "CancelAuditCertificate", ...Array(5).fill("DescribeCertificateDetail")]);
  });

  test("resubmit after a DCV timeout: ModifyCertificateResubmit, materials, order; the order's status comes back", async () => {
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    const i = inputs(id);
    await tencentBackend.submit(ctx(), i);
    emulator.tencent.dcv(id);
    emulator.tencent.timeout(id);
    const live = (await tencentBackend.read(ctx(), id))!;
    expect(live.status).toBe("timed-out");
    emulator.clearLog();
    const after = await tencentBackend.resubmit(ctx(), id, i, live);
    expect(writes(calls())).toEqual(["ModifyCertificateResubmit", "CertificateInfoSubmit", "CertificateOrderSubmit"]);
    const st = emulator.tencent.state(id)!;
    expect(after).toMatchObject({ rawStatus: "0", orderId: st.orderId });
    expect(st).toMatchObject({ status: 0, resubmitCount: 1, submitCount: 2, orderCount: 2 });
    emulator.tencent.issue(id);
    await expect(tencentBackend.resubmit(ctx(), id, i, (await tencentBackend.read(ctx(), id))!)).rejects.toThrow(/status 1 .*issued/);
  });

  test("a resubmit that brings a letter product back to 8 reports 8 (the letter is then uploaded again)", async () => {
    const id = emulator.tencent.seed({ productType: "ev", requiresLetter: true }).certificateId;
    const i = inputs(id);
    await tencentBackend.submit(ctx(), i);
    const letter = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 1)]).toString("base64");
    await tencentBackend.uploadConfirmLetter!(ctx(), id, letter);
    emulator.tencent.reject(id, "bad org");
    const after = await tencentBackend.resubmit(ctx(), id, i, (await tencentBackend.read(ctx(), id))!);
    expect(after).toMatchObject({ status: "awaiting-confirm-letter", rawStatus: "8" });
    await tencentBackend.uploadConfirmLetter!(ctx(), id, letter);
    expect(emulator.tencent.state(id)?.status).toBe(0);
  });
});

describe("delete and letter", () => {
  test("cancel: withdraws under review; already cancelled/gone is success; other statuses are left with a warning", async () => {
    const id = emulator.tencent.seed({ productType: "ov", requiresLetter: true }).certificateId;
    const i = inputs(id);
    await tencentBackend.submit(ctx(), i);
    expect(emulator.tencent.state(id)?.status).toBe(8);
    await tencentBackend.cancel(ctx(), id, olds(i), await tencentBackend.read(ctx(), id));
    expect(emulator.tencent.state(id)?.status).toBe(7);
    emulator.clearLog();
    await tencentBackend.cancel(ctx(), id, olds(i), await tencentBackend.read(ctx(), id));
    expect(emulator.actions("tencent")).not.toContain("CancelAuditCertificate");
    await tencentBackend.cancel(ctx(), "Gone1234", olds(inputs("Gone1234")), undefined);
    await tencentBackend.cancel(ctx(), "Gone1234", olds(inputs("Gone1234")), { status: "under-review", rawStatus: "0", statusMessage: "", validationRecords: [] });

    const issued = emulator.tencent.seed({ productType: "dv" }).certificateId;
    await tencentBackend.submit(ctx(), inputs(issued));
    emulator.tencent.issue(issued);
    logs.length = 0;
    await tencentBackend.cancel(ctx(), issued, olds(inputs(issued)), await tencentBackend.read(ctx(), issued));
    expect(emulator.tencent.state(issued)?.status).toBe(1);
    expect(logs.join("\n")).toMatch(/warning: .*status 1 .*left as it is/);
  });

  test("uploadConfirmLetter moves 8 → 0", async () => {
    const id = emulator.tencent.seed({ productType: "ev", requiresLetter: true }).certificateId;
    await tencentBackend.submit(ctx(), inputs(id));
    const letter = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 1)]).toString("base64");
    await tencentBackend.uploadConfirmLetter!(ctx(), id, letter);
    expect(emulator.tencent.state(id)).toMatchObject({ status: 0, letterUploaded: true });
    await expect(tencentBackend.uploadConfirmLetter!(ctx(), id, letter)).rejects.toMatchObject({ code: "FailedOperation.InvalidCertificateStatusCode" });
  });

  test("UploadConfirmLetter unmaintained: UploadConfirmCertificateNotSupport fails with the console hint, nothing changes", async () => {
    const id = emulator.tencent.seed({ productType: "ev", requiresLetter: true }).certificateId;
    await tencentBackend.submit(ctx(), inputs(id));
    await emulator.tencent.control("settings", { letterUploadSupported: false });
    const letter = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 1)]).toString("base64");
    const e = await tencentBackend.uploadConfirmLetter!(ctx(), id, letter).then(
      () => undefined,
      (err: unknown) => err as CloudApiError,
    );
    expect(e).toMatchObject({ code: "FailedOperation.UploadConfirmCertificateNotSupport", transient: false });
    expect(e!.message).toMatch(/upload the letter in the Tencent Cloud SSL certificate console/);
    expect(emulator.tencent.state(id)).toMatchObject({ status: 8, letterUploaded: false });
    await emulator.tencent.control("settings", { letterUploadSupported: true });
  });

  test("logs carry no credential or personal data", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const i = inputs(id, { tencent: { keyPass: "Pass-0f-key" } });
    const stored = olds(i);
    stored.orderId = (await tencentBackend.submit(ctx(), i)).live?.orderId;
    const news = inputs(id, { admin: { ...i.admin, email: "new@example.com", phone: "13987654321" }, tencent: { keyPass: "Pass-0f-key" } });
    await tencentBackend.applyContentChange(ctx(), id, stored, news, (await tencentBackend.read(ctx(), id))!);
    expect(emulator.tencent.state(id)?.submittedParams?.AdminEmail).toBe("new@example.com");
    const text = logs.join("\n");
    expect(text).toMatch(/CertificateInfoSubmit/);
    for (const secret of [emulator.credentials.tencent.secretId, emulator.credentials.tencent.secretKey, "Pass-0f-key"]) expect(text).not.toContain(secret);
    for (const personal of ["ssl@example.com", "new@example.com", "tech@example.com", "13112341234", "13987654321", "Example Ltd", "Huang"]) expect(text).not.toContain(personal);
  });
});
