/**
 * The official Tencent Node SDK (tencentcloud-sdk-nodejs) drives the whole paid-certificate flow against the
 * emulator: materials, order, letter, detail, cancel, resubmit. Its replies are checked against the SDK's own
 * TypeScript models (ssl_models.d.ts), read from the package: every field the emulator returns must be declared
 * in the action's response interface with the declared type (null allowed, as the models say "may return null").
 * The other way round, every request certapply's own client sends fits the action's request interface.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ssl } from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl";
import { Emulator } from "../../emulator/server";
import { toSubmitRequest } from "../../provider/clouds/tencent/backend";
import { TencentClient } from "../../provider/clouds/tencent/client";
import { makeCtx, officialTencentClient, replyLosingProxy, tencentInputs } from "./helpers";

const MODELS = readFileSync(path.join(require.resolve("tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_client.js"), "../ssl_models.d.ts"), "utf8");

/** One interface of ssl_models.d.ts: field → TypeScript type, and the required fields (those without `?`). */
function modelOf(name: string): { fields: Record<string, string>; required: string[] } {
  const m = new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(MODELS);
  if (!m) throw new Error(`no interface ${name} in ssl_models.d.ts`);
  const fields: Record<string, string> = {};
  const required: string[] = [];
  for (const line of m[1].split("\n")) {
    const f = /^\s{4}(\w+)(\??): (.+);$/.exec(line);
    if (!f) continue;
    fields[f[1]] = f[3];
    if (f[2] === "") required.push(f[1]);
  }
  return { fields, required };
}

/** Type errors of `value` against the model type `type` (a primitive, Array<T> or another interface). */
function misfits(value: unknown, type: string, where: string): string[] {
  if (value === null) return [];
  const arr = /^Array<(.+)>$/.exec(type);
  if (arr) return Array.isArray(value) ? value.flatMap((v, i) => misfits(v, arr[1], `${where}[${i}]`)) : [`${where}: expected ${type}`];
  if (type === "string" || type === "number" || type === "boolean") return typeof value === type ? [] : [`${where}: expected ${type}, got ${JSON.stringify(value)}`];
  if (typeof value !== "object" || Array.isArray(value)) return [`${where}: expected ${type}`];
  const model = modelOf(type).fields;
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (k in model ? misfits(v, model[k], `${where}.${k}`) : [`${where}.${k}: not in ${type}`]));
}

const emulator = new Emulator();
let client: InstanceType<typeof ssl.v20191205.Client>;

beforeAll(async () => {
  await emulator.start();
  client = officialTencentClient(Number(new URL(emulator.url).port), emulator.credentials.tencent);
});
afterAll(() => emulator.stop());

/** Calls the SDK and checks the reply against `<action>Response`. */
async function sdk<K extends "CertificateInfoSubmit" | "CertificateOrderSubmit" | "UploadConfirmLetter" | "DescribeCertificateDetail" | "CancelAuditCertificate" | "ModifyCertificateResubmit" | "CancelCertificateOrder">(
  action: K,
  req: Parameters<(typeof client)[K]>[0],
): Promise<Awaited<ReturnType<(typeof client)[K]>>> {
  const reply = (await (client[action] as (r: unknown) => Promise<unknown>)(req)) as Awaited<ReturnType<(typeof client)[K]>>;
  expect(misfits(reply, `${action}Response`, action)).toEqual([]);
  return reply;
}

const materials = {
  GenCsrType: "online",
  CertCommonName: "www.example.com",
  CompanyType: 2,
  CompanyId: "0",
  CsrKeyParameter: "2048",
  CsrEncryptAlgo: "RSA",
  DnsNames: ["example.com"],
  OrgOrganization: "Example Ltd",
  OrgDivision: "IT",
  OrgAddress: "1 Road",
  OrgCountry: "CN",
  OrgCity: "Beijing",
  OrgRegion: "Beijing",
  OrgPhoneArea: "010",
  OrgPhoneNumber: "12345678",
  VerifyType: "DNS",
  AdminFirstName: "Ning",
  AdminLastName: "Huang",
  AdminPhone: "13112341234",
  AdminEmail: "ssl@example.com",
  AdminTitle: "R&D",
  TechFirstName: "Ning",
  TechLastName: "Huang",
  TechPhone: "13112341234",
  TechTitle: "R&D",
};
const PDF = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(4096, 0x20)]).toString("base64");

test("the model reader itself: it finds fields and catches a misfit", () => {
  expect(modelOf("CertificateOrderSubmitResponse")).toEqual({ fields: { OrderId: "string", Status: "number", IsAudited: "boolean", RequestId: "string" }, required: [] });
  expect(modelOf("CertificateOrderSubmitRequest")).toEqual({ fields: { CertId: "string", DeleteDnsAutoRecord: "number", VerifyType: "string" }, required: ["CertId"] });
  expect(misfits({ Status: "8", Extra: 1 }, "CertificateOrderSubmitResponse", "r")).toEqual(['r.Status: expected number, got "8"', "r.Extra: not in CertificateOrderSubmitResponse"]);
  expect(misfits({ DvAuthDetail: { DvAuths: [{ DvAuthKey: 5 }] } }, "DescribeCertificateDetailResponse", "r")).toEqual(["r.DvAuthDetail.DvAuths[0].DvAuthKey: expected string, got 5"]);
});

test("materials → order → letter → review → DCV → issued, through the official SDK, every reply fitting its model", async () => {
  const id = emulator.tencent.seed({ productType: "ev", requiresLetter: true, domainCount: 2 }).certificateId;
  expect((await sdk("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(5);
  expect(Object.keys(await sdk("CertificateInfoSubmit", { CertId: id, ...materials }))).toEqual(["RequestId"]);
  const saved = await sdk("DescribeCertificateDetail", { CertificateId: id });
  expect(saved.Status).toBe(5);
  expect(saved.SubmittedData?.CertificateDomain).toBe("www.example.com");
  const order = await sdk("CertificateOrderSubmit", { CertId: id, DeleteDnsAutoRecord: 0, VerifyType: "DNS" });
  expect(order).toMatchObject({ Status: 8, IsAudited: true });
  expect(order.OrderId).toMatch(/\w+/);
  const letter = await sdk("UploadConfirmLetter", { CertificateId: id, ConfirmLetter: PDF });
  expect(letter).toMatchObject({ CertificateId: id, IsSuccess: true });
  emulator.tencent.dcv(id);
  const dcv = await sdk("DescribeCertificateDetail", { CertificateId: id });
  expect(dcv).toMatchObject({ Status: 0, StatusMsg: "PENDING-DCV", OrderId: order.OrderId, PackageType: "61" });
  expect(dcv.DvAuthDetail?.DvAuths?.map((a) => a.DvAuthDomain).sort()).toEqual(["example.com", "www.example.com"]);
  emulator.tencent.issue(id);
  const issued = await sdk("DescribeCertificateDetail", { CertificateId: id });
  expect(issued.Status).toBe(1);
  expect(issued.CertificatePublicKey).toContain("-----BEGIN CERTIFICATE-----");
  expect(issued.SubmittedData).toBeNull();
});

test("cancel a review, resubmit, materials and order again, cancel the order, through the official SDK", async () => {
  const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
  await sdk("CertificateInfoSubmit", { CertId: id, ...materials, DnsNames: undefined });
  const first = await sdk("CertificateOrderSubmit", { CertId: id });
  expect(first.Status).toBe(0);
  expect(await sdk("CancelAuditCertificate", { CertificateId: id })).toMatchObject({ Result: true });
  expect((await sdk("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(7);
  expect(await sdk("ModifyCertificateResubmit", { CertificateId: id })).toMatchObject({ CertificateId: id });
  expect((await sdk("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(5);
  await sdk("CertificateInfoSubmit", { CertId: id, ...materials, DnsNames: undefined, VerifyType: "DNS_AUTO" });
  const second = await sdk("CertificateOrderSubmit", { CertId: id, VerifyType: "DNS_AUTO" });
  expect(second.Status).toBe(4);
  // The order after a resubmit is a new CA order.
  expect(second.OrderId).toMatch(/\w+/);
  expect(second.OrderId).not.toBe(first.OrderId);
  expect((await sdk("DescribeCertificateDetail", { CertificateId: id })).OrderId).toBe(second.OrderId);
  expect(await sdk("CancelCertificateOrder", { CertificateId: id })).toMatchObject({ CertificateId: id });
  expect((await sdk("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(7);
  // A second order is refused with the SDK's error shape (code, request id).
  const err = (await client.CertificateOrderSubmit({ CertId: id }).catch((e: unknown) => e)) as { code?: string; requestId?: string };
  expect(err.code).toBe("FailedOperation.InvalidCertificateStatusCode");
  expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(emulator.tencent.state(id)).toMatchObject({ submitCount: 2, orderCount: 2 });
});

test("materials saved twice in 5: the second save replaces the first (fields SubmittedData does not show too), and the order carries it", async () => {
  const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
  await sdk("CertificateInfoSubmit", { CertId: id, ...materials, DnsNames: undefined, TechEmail: "tech@example.com" });
  await sdk("CertificateInfoSubmit", { CertId: id, ...materials, DnsNames: undefined, AdminEmail: "second@example.com", CsrKeyParameter: "4096" });
  expect((await sdk("CertificateOrderSubmit", { CertId: id })).Status).toBe(0);
  const detail = await sdk("DescribeCertificateDetail", { CertificateId: id });
  expect(detail.SubmittedData).toMatchObject({ AdminEmail: "second@example.com", ContactEmail: null });
  // CsrKeyParameter is not in SubmittedData: the emulator's record shows what the order went with.
  expect(emulator.tencent.state(id)).toMatchObject({ submitCount: 2, orderCount: 1, submittedParams: { CsrKeyParameter: "4096" } });
  expect(emulator.tencent.state(id)?.submittedParams).not.toHaveProperty("TechEmail");
});

/** Misfits of one request's parameters against `<action>Request`, and the model's required fields it lacks. */
function requestMisfits(action: string, params: Record<string, unknown>): string[] {
  const model = `${action}Request`;
  const missing = modelOf(model).required.filter((k) => !(k in params));
  return [...misfits(params, model, action), ...missing.map((k) => `${action}.${k}: required by ${model}, not sent`)];
}

test("every request certapply's client sends fits the action's request model, every field set", async () => {
  const proxy = await replyLosingProxy(emulator.url);
  try {
    const client = new TencentClient(makeCtx({ ...emulator.stackConfig(), "certapply:tencentEndpoint": proxy.url }));
    const id = emulator.tencent.seed({ productType: "ev", requiresLetter: true }).certificateId;
    const full = tencentInputs(id, {
      dnsNames: ["example.com"],
      tencent: {
        companyType: 2,
        companyId: "134",
        managerId: "2345",
        csrKeyParameter: "2048",
        csrEncryptAlgo: "RSA",
        keyPass: "pw",
        autoRenew: true,
        caType: "SecureSiteOV",
        signAlgo: "RSA",
        useCrossSignRoot: true,
        type: 2,
        orgIdType: "OTHERS",
        orgIdNumber: "91110000",
        adminIdType: "SFZ",
        adminIdNumber: "110101",
        techIdType: "SFZ",
        techIdNumber: "110102",
        contactEmail: "me@example.com",
      },
    });
    const online = toSubmitRequest(id, full);
    const parsed = toSubmitRequest(id, { ...full, csr: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----" });
    // Every field of the client's request type is set in one of the two, so each is checked against the model.
    expect(Object.keys({ ...online, ...parsed }).sort()).toEqual(Object.keys(modelOf("CertificateInfoSubmitRequest").fields).sort());
    const calls: (() => Promise<unknown>)[] = [
      () => client.certificateInfoSubmit(online),
      () => client.certificateInfoSubmit(parsed),
      () => client.certificateOrderSubmit({ CertId: id, DeleteDnsAutoRecord: 0, VerifyType: "DNS" }),
      () => client.uploadConfirmLetter(id, PDF),
      () => client.describeCertificateDetail(id),
      () => client.cancelAuditCertificate(id),
      () => client.modifyCertificateResubmit(id),
      () => client.cancelCertificateOrder(id),
    ];
    // The emulator may refuse a call in the state it finds; what is checked is what was sent.
    for (const call of calls) await call().catch(() => undefined);
    expect(proxy.sent.map((s) => s.action)).toEqual([
      "CertificateInfoSubmit",
      "CertificateInfoSubmit",
      "CertificateOrderSubmit",
      "UploadConfirmLetter",
      "DescribeCertificateDetail",
      "CancelAuditCertificate",
      "ModifyCertificateResubmit",
      "CancelCertificateOrder",
    ]);
    expect(proxy.sent.flatMap((s) => requestMisfits(s.action, s.params))).toEqual([]);
    expect(requestMisfits("CertificateOrderSubmit", { CertId: 5, Extra: true })).toEqual([
      "CertificateOrderSubmit.CertId: expected string, got 5",
      "CertificateOrderSubmit.Extra: not in CertificateOrderSubmitRequest",
    ]);
    expect(requestMisfits("CancelAuditCertificate", {})).toEqual(["CancelAuditCertificate.CertificateId: required by CancelAuditCertificateRequest, not sent"]);
  } finally {
    await proxy.close();
  }
});
