import { X509Certificate } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { DCV_TIMEOUT_MSG } from "../../emulator/tencent";
import { Emulator } from "../../emulator/server";
import { rawCall } from "./helpers";

const emulator = new Emulator();
let creds: { secretId: string; secretKey: string };
const call = (action: string, params: unknown, opts: Partial<Parameters<typeof rawCall>[3]> = {}) =>
  rawCall(emulator.url, action, params, { ...creds, ...opts });

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2000, 7)]);

const ov = {
  GenCsrType: "online",
  CertCommonName: "www.example.com",
  CompanyType: 2,
  CompanyId: "0",
  CsrKeyParameter: "2048",
  CsrEncryptAlgo: "RSA",
  OrgOrganization: "Example Ltd",
  OrgDivision: "IT",
  OrgAddress: "1 Road",
  OrgCountry: "CN",
  OrgCity: "Beijing",
  OrgRegion: "Beijing",
  OrgPhoneArea: "010",
  OrgPhoneNumber: "12345678",
  AdminFirstName: "Ning",
  AdminLastName: "Huang",
  AdminPhone: "13112341234",
  AdminEmail: "ssl@example.com",
  AdminTitle: "R&D",
  TechFirstName: "Ning",
  TechLastName: "Huang",
  TechPhone: "13112341234",
  TechTitle: "R&D",
  VerifyType: "DNS",
};

beforeAll(async () => {
  await emulator.start();
  creds = emulator.credentials.tencent;
});

/** Materials, then the order: what sends an application to the CA. */
async function apply(id: string, params: Record<string, unknown> = {}) {
  const saved = await call("CertificateInfoSubmit", { ...ov, CertId: id, ...params });
  expect(saved.json.Response.Error).toBeUndefined();
  const order = await call("CertificateOrderSubmit", { CertId: id });
  expect(order.json.Response.Error).toBeUndefined();
  return order.json.Response;
}
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

describe("transport and auth", () => {
  test("a good request gets the envelope with a RequestId, HTTP 200", async () => {
    const { certificateId } = emulator.tencent.seed({ productType: "dv" });
    const r = await call("DescribeCertificateDetail", { CertificateId: certificateId });
    expect(r.status).toBe(200);
    expect(r.json.Response.Error).toBeUndefined();
    expect(r.json.Response.Status).toBe(5);
    expect(r.json.Response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("signature window is ±300 s against the emulator clock", async () => {
    const id = emulator.tencent.seed().certificateId;
    const now = Math.floor(emulator.now() / 1000);
    expect((await call("DescribeCertificate", { CertificateId: id }, { timestamp: now - 290 })).json.Response.Error).toBeUndefined();
    expect((await call("DescribeCertificate", { CertificateId: id }, { timestamp: now - 400 })).json.Response.Error?.Code).toBe("AuthFailure.SignatureExpire");
    expect((await call("DescribeCertificate", { CertificateId: id }, { timestamp: now + 400 })).json.Response.Error?.Code).toBe("AuthFailure.SignatureExpire");
    emulator.advanceClock(600);
    expect((await call("DescribeCertificate", { CertificateId: id }, { timestamp: now })).json.Response.Error?.Code).toBe("AuthFailure.SignatureExpire");
  });

  test("a tampered body is refused; the host is accepted with or without the port", async () => {
    const id = emulator.tencent.seed().certificateId;
    const tampered = await call("DescribeCertificate", { CertificateId: id }, { tamper: (b) => b.replace(id, "AAAAAAAA") });
    expect(tampered.json.Response.Error?.Code).toBe("AuthFailure.SignatureFailure");
    expect(tampered.status).toBe(200);
    const port = new URL(emulator.url).port;
    const withPort = await call("DescribeCertificate", { CertificateId: id }, { host: `ssl.tencentcloudapi.com:${port}` });
    expect(withPort.json.Response.Error).toBeUndefined();
    const signedWithout = await call("DescribeCertificate", { CertificateId: id }, { host: `ssl.tencentcloudapi.com:${port}`, signHost: "ssl.tencentcloudapi.com" });
    expect(signedWithout.json.Response.Error).toBeUndefined();
  });

  test("auth failures: unknown id, wrong key, malformed header, wrong service, token", async () => {
    expect((await call("DescribeCertificate", { CertificateId: "x" }, { secretId: "AKIDnope" })).json.Response.Error?.Code).toBe("AuthFailure.SecretIdNotFound");
    expect((await call("DescribeCertificate", { CertificateId: "x" }, { secretKey: "wrong" })).json.Response.Error?.Code).toBe("AuthFailure.SignatureFailure");
    expect((await call("DescribeCertificate", { CertificateId: "x" }, { authorization: "TC3-HMAC-SHA256 nonsense" })).json.Response.Error?.Code).toBe("AuthFailure.InvalidAuthorization");
    expect((await call("DescribeCertificate", { CertificateId: "x" }, { service: "cvm" })).json.Response.Error?.Code).toBe("AuthFailure.InvalidAuthorization");
    expect((await call("DescribeCertificate", { CertificateId: "x" }, { token: "stray" })).json.Response.Error?.Code).toBe("AuthFailure.TokenFailure");
  });

  test("session token is required when configured", async () => {
    const e2 = await new Emulator({ credentials: { tencent: { sessionToken: "sts-token" } } }).start();
    try {
      const id = e2.tencent.seed().certificateId;
      const c = e2.credentials.tencent;
      const without = await rawCall(e2.url, "DescribeCertificate", { CertificateId: id }, c);
      expect(without.json.Response.Error?.Code).toBe("AuthFailure.TokenFailure");
      const withTok = await rawCall(e2.url, "DescribeCertificate", { CertificateId: id }, { ...c, token: "sts-token" });
      expect(withTok.json.Response.Error).toBeUndefined();
    } finally {
      await e2.stop();
    }
  });

  test("version, action and parameter checks", async () => {
    expect((await call("DescribeCertificate", { CertificateId: "x" }, { version: "2018-01-01" })).json.Response.Error?.Code).toBe("NoSuchVersion");
    expect((await call("DescribeCertificate", { CertificateId: "x" }, { version: "" })).json.Response.Error?.Code).toBe("MissingParameter");
    expect((await call("DescribeNothing", {})).json.Response.Error?.Code).toBe("InvalidAction");
    expect((await call("DescribeCertificate", {})).json.Response.Error?.Code).toBe("MissingParameter");
    expect((await call("DescribeCertificate", { CertificateId: 5 })).json.Response.Error?.Code).toBe("InvalidParameter");
    expect((await call("DescribeCertificate", { CertificateId: "x", Extra: 1 })).json.Response.Error?.Code).toBe("UnknownParameter");
    expect((await call("DescribeCertificate", { CertificateId: "nope1234" })).json.Response.Error?.Code).toBe("FailedOperation.CertificateNotFound");
  });

  test("GET with the parameters in the query is served", async () => {
    const id = emulator.tencent.seed().certificateId;
    const r = await call("DescribeCertificate", undefined, { method: "GET", query: `CertificateId=${id}` });
    expect(r.json.Response.Error).toBeUndefined();
    expect(r.json.Response.CertificateId).toBe(id);
  });

  test("rate limit: 10/s for Describe* gives LimitExceeded.RateLimitExceeded", async () => {
    const id = emulator.tencent.seed().certificateId;
    const replies = await Promise.all(Array.from({ length: 25 }, () => call("DescribeCertificate", { CertificateId: id })));
    const codes = replies.map((r) => r.json.Response.Error?.Code);
    const throttled = codes.filter((c) => c === "LimitExceeded.RateLimitExceeded").length;
    expect(throttled).toBeGreaterThanOrEqual(5);
    expect(codes.filter((c) => c === undefined).length).toBeLessThanOrEqual(20);
    expect(codes.every((c) => c === undefined || c === "LimitExceeded.RateLimitExceeded")).toBe(true);
  });

  test("rate limit: 20/s for ModifyCertificateResubmit, RequestLimitExceeded for writes", async () => {
    const id = emulator.tencent.seed().certificateId;
    const replies = await Promise.all(Array.from({ length: 45 }, () => call("ModifyCertificateResubmit", { CertificateId: id })));
    const codes = replies.map((r) => r.json.Response.Error?.Code);
    const throttled = codes.filter((c) => c === "RequestLimitExceeded").length;
    expect(throttled).toBeGreaterThanOrEqual(5);
    // Not throttled ones reached the action (status 5 cannot be resubmitted).
    expect(codes.filter((c) => c === "FailedOperation.CertificateStatusNotAllowResubmit").length).toBeGreaterThan(10);
  });

  test("fault injection uses Tencent's shapes", async () => {
    const id = emulator.tencent.seed().certificateId;
    emulator.injectFault({ cloud: "tencent", action: "DescribeCertificate", kind: "throttle", count: 1 });
    emulator.injectFault({ cloud: "tencent", action: "CancelAuditCertificate", kind: "throttle", count: 1 });
    emulator.injectFault({ cloud: "tencent", action: "ModifyCertificateResubmit", kind: "internal", count: 1 });
    expect((await call("DescribeCertificate", { CertificateId: id })).json.Response.Error?.Code).toBe("LimitExceeded.RateLimitExceeded");
    expect((await call("CancelAuditCertificate", { CertificateId: id })).json.Response.Error?.Code).toBe("RequestLimitExceeded");
    expect((await call("ModifyCertificateResubmit", { CertificateId: id })).json.Response.Error?.Code).toBe("InternalError");
  });
});

describe("status machine", () => {
  test("DV: 5 → submit → 0 → dcv (records) → issue (SubmittedData nulled)", async () => {
    const id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
    await apply(id, { DnsNames: ["example.com"] });
    let d = (await call("DescribeCertificateDetail", { CertificateId: id })).json.Response;
    expect(d.Status).toBe(0);
    expect(d.Domain).toBe("www.example.com");
    expect((d.SubmittedData as Record<string, unknown>).CertificateDomain).toBe("www.example.com");
    expect(d.DvAuthDetail).toBeNull();
    emulator.tencent.dcv(id);
    d = (await call("DescribeCertificateDetail", { CertificateId: id })).json.Response;
    expect(d.StatusMsg).toBe("PENDING-DCV");
    const auths = (d.DvAuthDetail as { DvAuths: { DvAuthDomain: string; DvAuthVerifyType: string }[] }).DvAuths;
    expect(auths.map((a) => a.DvAuthDomain).sort()).toEqual(["example.com", "www.example.com"]);
    expect(auths.every((a) => a.DvAuthVerifyType === "TXT")).toBe(true);
    const listed = (await call("DescribeCertificate", { CertificateId: id })).json.Response;
    expect(listed.SubjectAltName).toEqual(["www.example.com", "example.com"]);
    expect(d.SubjectAltName).toEqual(["example.com"]);
    emulator.tencent.issue(id);
    d = (await call("DescribeCertificateDetail", { CertificateId: id })).json.Response;
    expect(d.Status).toBe(1);
    expect(d.SubmittedData).toBeNull();
    expect((await call("CertificateInfoSubmit", { ...ov, CertId: id })).json.Response.Error?.Code).toBe("FailedOperation.CertificateInfoSubmitStatusInvalid");
    expect((await call("CancelAuditCertificate", { CertificateId: id })).json.Response.Error?.Code).toBe("FailedOperation.CertificateNotFoundOrCantCancel");
  });

  test("OV with letter: 5 → 8 → letter → 0; letter checks", async () => {
    const id = emulator.tencent.seed({ productType: "ov", requiresLetter: true }).certificateId;
    expect((await call("UploadConfirmLetter", { CertificateId: id, ConfirmLetter: PNG.toString("base64") })).json.Response.Error?.Code).toBe(
      "FailedOperation.InvalidCertificateStatusCode",
    );
    await apply(id);
    expect(emulator.tencent.state(id)?.status).toBe(8);
    const small = Buffer.concat([Buffer.from("%PDF-1.4"), Buffer.alloc(100)]);
    expect((await call("UploadConfirmLetter", { CertificateId: id, ConfirmLetter: small.toString("base64") })).json.Response.Error?.Code).toBe("FailedOperation.ConfirmLetterTooSmall");
    const big = Buffer.concat([Buffer.from("%PDF-1.4"), Buffer.alloc(1_500_000)]);
    expect((await call("UploadConfirmLetter", { CertificateId: id, ConfirmLetter: big.toString("base64") })).json.Response.Error?.Code).toBe("FailedOperation.ConfirmLetterTooLarge");
    const gif = Buffer.concat([Buffer.from("GIF89a"), Buffer.alloc(2000)]);
    expect((await call("UploadConfirmLetter", { CertificateId: id, ConfirmLetter: gif.toString("base64") })).json.Response.Error?.Code).toBe("FailedOperation.InvalidConfirmLetterFormat");
    const r = await call("UploadConfirmLetter", { CertificateId: id, ConfirmLetter: PNG.toString("base64") });
    expect(r.json.Response).toMatchObject({ CertificateId: id, IsSuccess: true });
    expect(emulator.tencent.state(id)?.status).toBe(0);
  });

  test("DV certificates refuse a letter", async () => {
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    expect((await call("UploadConfirmLetter", { CertificateId: id, ConfirmLetter: PNG.toString("base64") })).json.Response.Error?.Code).toBe(
      "FailedOperation.UploadConfirmCertificateNotSupportDV",
    );
  });

  test("cancel review → 7 (via 6) → resubmit → 5; reject and timeout → 2; cancel order", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    expect((await call("ModifyCertificateResubmit", { CertificateId: id })).json.Response.Error?.Code).toBe("FailedOperation.CertificateStatusNotAllowResubmit");
    await apply(id);
    emulator.tencent.cancelSettleMs = 60_000;
    expect((await call("CancelAuditCertificate", { CertificateId: id })).json.Response.Result).toBe(true);
    expect(emulator.tencent.state(id)?.status).toBe(6);
    emulator.advanceClock(61);
    expect(emulator.tencent.state(id)?.status).toBe(7);
    const r = await call("ModifyCertificateResubmit", { CertificateId: id });
    expect(r.json.Response.CertificateId).toBe(id);
    expect(emulator.tencent.state(id)?.status).toBe(5);
    await apply(id);
    emulator.tencent.reject(id, "Organization could not be verified");
    let d = (await call("DescribeCertificateDetail", { CertificateId: id })).json.Response;
    expect(d).toMatchObject({ Status: 2, StatusMsg: "Organization could not be verified" });
    await call("ModifyCertificateResubmit", { CertificateId: id });
    await apply(id);
    emulator.tencent.timeout(id);
    d = (await call("DescribeCertificateDetail", { CertificateId: id })).json.Response;
    expect(d.Status).toBe(2);
    expect(d.StatusMsg).toBe(DCV_TIMEOUT_MSG.zh);
    emulator.tencent.cancelSettleMs = 0;
    expect((await call("CancelCertificateOrder", { CertificateId: id })).json.Response.CertificateId).toBe(id);
    expect(emulator.tencent.state(id)?.history).toEqual([5, 0, 6, 7, 5, 0, 2, 5, 0, 2, 6, 7]);
  });

  test("control API over HTTP", async () => {
    const post = async (cmd: string, body: object) => {
      const res = await fetch(`${emulator.url}/_control/tencent/${cmd}`, { method: "POST", body: JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    const seeded = await post("seed", { certificateId: "Ctrl1234", productType: "dv" });
    expect(seeded.json).toEqual({ certificateId: "Ctrl1234" });
    expect((await post("issue", { certificateId: "Ctrl1234" })).status).toBe(400);
    await apply("Ctrl1234");
    expect((await post("dcv", { certificateId: "Ctrl1234" })).json.statusMsg).toBe("PENDING-DCV");
    expect((await post("issue", { certificateId: "Ctrl1234" })).json.status).toBe(1);
    expect((await post("state", { certificateId: "Ctrl1234" })).json.history).toEqual([5, 0, 0, 1]);
    expect((await post("state", { certificateId: "Nope0000" })).status).toBe(404);
  });
});

describe("materials, then the order (SDK: CertificateInfoSubmit saves, CertificateOrderSubmit sends to the CA)", () => {
  test("materials keep the certificate in 5; the order moves it and its reply carries OrderId, Status, IsAudited", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    expect((await call("CertificateOrderSubmit", { CertId: id })).json.Response.Error?.Code).toBe("FailedOperation.InvalidCertificateStatusCode");
    const saved = await call("CertificateInfoSubmit", { ...ov, CertId: id });
    expect(Object.keys(saved.json.Response)).toEqual(["RequestId"]);
    let d = (await call("DescribeCertificateDetail", { CertificateId: id })).json.Response;
    expect(d).toMatchObject({ Status: 5, OrderId: null });
    expect((d.SubmittedData as Record<string, unknown>).CertificateDomain).toBe("www.example.com");
    const order = await call("CertificateOrderSubmit", { CertId: id, DeleteDnsAutoRecord: 0, VerifyType: "DNS" });
    expect(order.json.Response).toMatchObject({ OrderId: expect.stringMatching(/^SO\w{6}$/), Status: 0, IsAudited: true, RequestId: expect.any(String) });
    d = (await call("DescribeCertificateDetail", { CertificateId: id })).json.Response;
    expect(d).toMatchObject({ Status: 0, StatusMsg: "PRE-REVIEWING", OrderId: order.json.Response.OrderId });
    // A second order: the certificate is no longer in 5 with materials saved.
    expect((await call("CertificateOrderSubmit", { CertId: id })).json.Response.Error?.Code).toBe("FailedOperation.InvalidCertificateStatusCode");
    expect(emulator.tencent.state(id)).toMatchObject({ submitCount: 1, orderCount: 1, history: [5, 0] });
  });

  test("the order goes to 8 for a product that needs a letter, 4 for DNS_AUTO, 0 otherwise; bad order parameters", async () => {
    const letter = emulator.tencent.seed({ productType: "ev", requiresLetter: true }).certificateId;
    expect((await apply(letter)).Status).toBe(8);
    const auto = emulator.tencent.seed({ productType: "dv" }).certificateId;
    expect((await apply(auto, { VerifyType: "DNS_AUTO" })).Status).toBe(4);
    const bad = emulator.tencent.seed({ productType: "dv" }).certificateId;
    await call("CertificateInfoSubmit", { ...ov, CertId: bad });
    expect((await call("CertificateOrderSubmit", { CertId: bad, VerifyType: "EMAIL" })).json.Response.Error?.Code).toBe("FailedOperation.InvalidParam");
    expect((await call("CertificateOrderSubmit", { CertId: bad, DeleteDnsAutoRecord: 2 })).json.Response.Error?.Code).toBe("FailedOperation.InvalidParam");
    expect((await call("CertificateOrderSubmit", { CertId: bad, DeleteDnsAutoRecord: "x" })).json.Response.Error?.Code).toBe("InvalidParameter");
    expect((await call("CertificateOrderSubmit", {})).json.Response.Error?.Code).toBe("MissingParameter");
    // The order's VerifyType is the one the CA validates with.
    expect((await call("CertificateOrderSubmit", { CertId: bad, VerifyType: "FILE" })).json.Response.Status).toBe(0);
    expect((await call("DescribeCertificateDetail", { CertificateId: bad })).json.Response.VerifyType).toBe("FILE");
  });

  test("an order the CA is still processing: a second one gets CertificateOrderSubmitProcessing, reads show 5", async () => {
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    await call("CertificateInfoSubmit", { ...ov, CertId: id });
    emulator.tencent.orderProcessingMs = 300;
    const first = call("CertificateOrderSubmit", { CertId: id });
    await new Promise((r) => setTimeout(r, 50));
    expect((await call("CertificateOrderSubmit", { CertId: id })).json.Response.Error?.Code).toBe("FailedOperation.CertificateOrderSubmitProcessing");
    expect((await call("CertificateInfoSubmit", { ...ov, CertId: id })).json.Response.Error?.Code).toBe("FailedOperation.CertificateInfoSubmitStatusInvalid");
    expect((await call("DescribeCertificateDetail", { CertificateId: id })).json.Response.Status).toBe(5);
    expect((await first).json.Response.Status).toBe(0);
    expect(emulator.tencent.state(id)?.orderCount).toBe(1);
  });

  test("ModifyCertificateResubmit reopens with no materials: both are needed again", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    await apply(id);
    emulator.tencent.reject(id, "");
    expect((await call("DescribeCertificateDetail", { CertificateId: id })).json.Response.StatusMsg).toBe("订单审核失败");
    await call("ModifyCertificateResubmit", { CertificateId: id });
    const d = (await call("DescribeCertificateDetail", { CertificateId: id })).json.Response;
    expect(d).toMatchObject({ Status: 5, SubmittedData: null });
    expect((await call("CertificateOrderSubmit", { CertId: id })).json.Response.Error?.Code).toBe("FailedOperation.InvalidCertificateStatusCode");
  });

  test("PackageType labels follow the SDK's product table", async () => {
    const pkg = async (seed: Parameters<Emulator["tencent"]["seed"]>[0]) => {
      const id = emulator.tencent.seed(seed).certificateId;
      const d = (await call("DescribeCertificateDetail", { CertificateId: id })).json.Response;
      return [d.PackageType, d.ProductZhName, d.CertType];
    };
    expect(await pkg({ productType: "ev", requiresLetter: true })).toEqual(["8", "Geotrust 增强型（EV）", "EV"]);
    expect(await pkg({ productType: "ov", requiresLetter: true })).toEqual(["9", "Geotrust 企业型（OV）", "OV"]);
    expect(await pkg({ packageType: "10" })).toEqual(["10", "Geotrust 企业型（OV）通配符", "OV"]);
    expect(await pkg({ productType: "dv" })).toEqual(["48", "DNSPod-域名型(DV)SSL证书", "DV"]);
    expect(await pkg({ productType: "ov", domainCount: 3 })).toEqual(["45", "DNSPod-企业型(OV)多域名SSL证书", "OV"]);
    expect(() => emulator.tencent.seed({ packageType: "999" })).toThrow(/packageType/);
  });

  test("DvAuthDetail: one domain in the top-level fields, several in DvAuths", async () => {
    const one = emulator.tencent.seed({ productType: "dv" }).certificateId;
    await apply(one);
    emulator.tencent.dcv(one);
    const d1 = (await call("DescribeCertificateDetail", { CertificateId: one })).json.Response.DvAuthDetail as Record<string, unknown>;
    expect(d1).toMatchObject({ DvAuthKey: "_dnsauth", DvAuthDomain: "www.example.com", DvAuthKeySubDomain: "_dnsauth.www.example.com", DvAuths: null });
    expect(d1.DvAuthValue).toMatch(/^[0-9a-f]{32}$/);
    const two = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
    await apply(two, { DnsNames: ["example.com"] });
    emulator.tencent.dcv(two);
    const d2 = (await call("DescribeCertificateDetail", { CertificateId: two })).json.Response.DvAuthDetail as { DvAuthKey: unknown; DvAuths: unknown[] };
    expect(d2.DvAuthKey).toBeNull();
    expect(d2.DvAuths).toHaveLength(2);
  });

  test("the DCV timeout's StatusMsg is the official Chinese text, and an English wording in en-US", async () => {
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    await apply(id);
    emulator.tencent.timeout(id);
    const zh = (await call("DescribeCertificateDetail", { CertificateId: id })).json.Response;
    expect(zh.StatusMsg).toBe("域名验证超时，订单自动关闭，请您重新进行证书申请");
    const en = await rawCall(emulator.url, "DescribeCertificateDetail", { CertificateId: id }, { ...creds, headers: { "X-TC-Language": "en-US" } });
    expect(en.json.Response.StatusMsg).toBe(DCV_TIMEOUT_MSG.en);
  });

  test("issuance: a real certificate for the submitted names, the generated key only for an online CSR, stable reads", async () => {
    const id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
    await apply(id, { DnsNames: ["example.com"] });
    emulator.tencent.issue(id);
    const d = (await call("DescribeCertificateDetail", { CertificateId: id })).json.Response;
    const pems = String(d.CertificatePublicKey).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!;
    expect(pems).toHaveLength(1); // "公钥证书": the leaf; the chain is described in CertChainInfo
    const leaf = new X509Certificate(pems[0]);
    expect(leaf.subjectAltName).toBe("DNS:www.example.com, DNS:example.com");
    const ca = new X509Certificate(emulator.tencent.state(id)!.certificate!.chainPem);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(d.CertChainInfo).toEqual([
      { Issuer: expect.stringContaining("certapply emulator CA"), Subject: expect.stringContaining("certapply emulator CA"), Fingerprint: ca.fingerprint.replace(/:/g, ""), ValidFrom: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/), ValidTo: expect.any(String) },
    ]);
    expect(String(d.CertificatePrivateKey)).toContain("-----BEGIN PRIVATE KEY-----");
    expect(leaf.checkPrivateKey(require("node:crypto").createPrivateKey(String(d.CertificatePrivateKey)))).toBe(true);
    expect(d.CertFingerprint).toBe(leaf.fingerprint.replace(/:/g, ""));
    expect(d.CertBeginTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const again = (await call("DescribeCertificateDetail", { CertificateId: id })).json.Response;
    expect(again.CertificatePublicKey).toBe(d.CertificatePublicKey);
    expect(again.CertEndTime).toBe(d.CertEndTime);
  });

  test("the emulator imports nothing from the provider", () => {
    const dir = path.join(__dirname, "../../emulator/tencent");
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".ts"))) {
      expect([f, readFileSync(path.join(dir, f), "utf8").match(/from\s+["'][^"']*provider\//g)]).toEqual([f, null]);
    }
  });
});

describe("CertificateInfoSubmit validations", () => {
  const codeOf = async (params: Record<string, unknown>, seed: Parameters<Emulator["tencent"]["seed"]>[0] = { productType: "ov" }) => {
    const id = emulator.tencent.seed(seed).certificateId;
    return (await call("CertificateInfoSubmit", { ...ov, CertId: id, ...params })).json.Response.Error?.Code;
  };
  test.each([
    [{ GenCsrType: "magic" }, "FailedOperation.InvalidParam"],
    [{ CertCommonName: "not a domain" }, "FailedOperation.CertificateInfoSubmitDomainInvalid"],
    [{ DnsNames: ["bad_domain"] }, "FailedOperation.CertificateInfoSubmitDomainInvalid"],
    [{ DnsNames: ["a.example.com"] }, "FailedOperation.InvalidParam"],
    [{ CsrKeyParameter: undefined }, "MissingParameter"],
    [{ CsrEncryptAlgo: "ECC" }, "FailedOperation.InvalidParam"],
    [{ CsrEncryptAlgo: "DSA" }, "FailedOperation.InvalidParam"],
    [{ GenCsrType: "parse" }, "MissingParameter"],
    [{ GenCsrType: "parse", Csr: "garbage" }, "FailedOperation.InvalidParam"],
    [{ CompanyType: 3 }, "FailedOperation.InvalidParam"],
    [{ CompanyType: 1, ContactEmail: "a@b.cn" }, "FailedOperation.InvalidParam"],
    [{ OrgCity: undefined }, "MissingParameter"],
    [{ AdminEmail: undefined }, "MissingParameter"],
    [{ AdminEmail: "nope" }, "FailedOperation.InvalidParam"],
    [{ VerifyType: "EMAIL" }, "FailedOperation.InvalidParam"],
    [{ OrgIdType: "XX" }, "FailedOperation.InvalidParam"],
    [{ AdminIdType: "XX" }, "FailedOperation.InvalidParam"],
    [{ CompanyType: "abc" }, "InvalidParameter"],
    [{ Bogus: 1 }, "UnknownParameter"],
    [{ CompanyId: undefined }, "MissingParameter"],
  ])("%j → %s", async (params, code) => {
    expect(await codeOf(params)).toBe(code);
  });

  test("conditionals that pass: CompanyId/ManagerId, personal DV, numeric string CompanyType, ECC", async () => {
    const noOrg = Object.fromEntries(Object.keys(ov).filter((k) => k.startsWith("Org")).map((k) => [k, undefined]));
    expect(await codeOf({ ...noOrg, CompanyId: "134" })).toBeUndefined();
    const noPeople = Object.fromEntries(Object.keys(ov).filter((k) => /^(Org|Admin|Tech)/.test(k)).map((k) => [k, undefined]));
    expect(await codeOf({ ...noPeople, ManagerId: "2345" })).toBeUndefined();
    expect(await codeOf({ ...noPeople, CompanyType: 1 }, { productType: "dv" })).toBe("FailedOperation.CertificateInfoSubmitContactEmailEmpty");
    expect(await codeOf({ ...noPeople, CompanyType: 1, ContactEmail: "me@example.com" }, { productType: "dv" })).toBeUndefined();
    expect(await codeOf({ CompanyType: "2" })).toBeUndefined();
    expect(await codeOf({ CsrEncryptAlgo: "ECC", CsrKeyParameter: "prime256v1" })).toBeUndefined();
    expect(await codeOf({ DnsNames: [] }, { productType: "ov", domainCount: 3 })).toBe("MissingParameter");
    expect(await codeOf({ DnsNames: ["a.example.com", "*.example.org"] }, { productType: "ov", domainCount: 3 })).toBeUndefined();
  });
});
