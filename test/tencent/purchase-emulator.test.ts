/**
 * The emulator's purchase actions, driven by the official Tencent Node SDK (a client nobody here wrote):
 * CreateCertificate (product table, domain count, years, tags), DescribeCertificates (tag, id, status and
 * expiry filters, paging), CancelCertificateOrder of an unused purchase, CreateCertificateByPackage (a purchase and
 * a renewal paid with benefit packages) and DescribePackages. Every reply is checked against the SDK's own response
 * model in ssl_models.d.ts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ssl } from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl";
import { Emulator } from "../../emulator/server";
import { officialTencentClient } from "./helpers";

const MODELS = readFileSync(path.join(require.resolve("tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_client.js"), "../ssl_models.d.ts"), "utf8");

/** Field → type of one interface of ssl_models.d.ts. */
function fieldsOf(name: string): Record<string, string> {
  const m = new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(MODELS);
  if (!m) throw new Error(`no interface ${name} in ssl_models.d.ts`);
  const fields: Record<string, string> = {};
  for (const line of m[1].split("\n")) {
    const f = /^\s{4}(\w+)\??: (.+);$/.exec(line);
    if (f) fields[f[1]] = f[2];
  }
  return fields;
}

/** Fields of `value` that its model does not declare, or declares with another type. */
function misfits(value: unknown, type: string, where: string): string[] {
  if (value === null) return [];
  const arr = /^Array<(.+)>$/.exec(type);
  if (arr) return Array.isArray(value) ? value.flatMap((v, i) => misfits(v, arr[1], `${where}[${i}]`)) : [`${where}: expected ${type}`];
  if (type === "string" || type === "number" || type === "boolean") return typeof value === type ? [] : [`${where}: expected ${type}, got ${JSON.stringify(value)}`];
  if (typeof value !== "object" || Array.isArray(value)) return [`${where}: expected ${type}`];
  const model = fieldsOf(type);
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (k in model ? misfits(v, model[k], `${where}.${k}`) : [`${where}.${k}: not in ${type}`]));
}

const emulator = new Emulator();
let client: InstanceType<typeof ssl.v20191205.Client>;

beforeAll(async () => {
  await emulator.start();
  client = officialTencentClient(Number(new URL(emulator.url).port), emulator.credentials.tencent);
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

type Action = "CreateCertificate" | "DescribeCertificates" | "CancelCertificateOrder" | "DescribeCertificateDetail" | "CreateCertificateByPackage" | "DescribePackages";
async function sdk<K extends Action>(action: K, req: Parameters<(typeof client)[K]>[0]): Promise<Awaited<ReturnType<(typeof client)[K]>>> {
  const reply = (await (client[action] as (r: unknown) => Promise<unknown>)(req)) as Awaited<ReturnType<(typeof client)[K]>>;
  expect(misfits(reply, `${action}Response`, action)).toEqual([]);
  return reply;
}

async function sdkError(action: Action, req: object): Promise<string> {
  try {
    await (client[action] as (r: unknown) => Promise<unknown>)(req);
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  throw new Error(`${action} succeeded`);
}

const OWNER = [{ TagKey: "certapply-owner", TagValue: "0123456789abcdef" }];

test("CreateCertificate buys a tagged certificate that waits for its materials (5) with the product's name and years", async () => {
  const bought = await sdk("CreateCertificate", { ProductId: 45, DomainNum: 3, TimeSpan: 2, Tags: OWNER });
  expect(bought.CertificateIds).toHaveLength(1);
  expect(bought.DealIds).toHaveLength(1);
  const id = bought.CertificateIds![0];
  expect(id).toMatch(/^[A-Za-z0-9]{8}$/);
  const detail = await sdk("DescribeCertificateDetail", { CertificateId: id });
  expect(detail).toMatchObject({ Status: 5, PackageType: "45", ValidityPeriod: "24", CertType: "OV", Tags: OWNER });
  expect(detail.CertificateExtra?.DomainNumber).toBe("3");
  expect(emulator.tencent.state(id)).toMatchObject({ purchased: true, timeSpan: 2, domainCount: 3, tags: OWNER });
});

test("CreateCertificate refuses what the model's ProductId, DomainNum and TimeSpan texts rule out", async () => {
  expect(await sdkError("CreateCertificate", { ProductId: 36, DomainNum: 1, TimeSpan: 1 })).toBe("FailedOperation.InvalidParam");
  // "多域名或者多泛域名证书类型必须大于1"
  expect(await sdkError("CreateCertificate", { ProductId: 45, DomainNum: 1, TimeSpan: 1 })).toBe("FailedOperation.InvalidParam");
  // "支持多年期的证书才可以大于1年": 99 is "不支持多年期"
  expect(await sdkError("CreateCertificate", { ProductId: 99, DomainNum: 2, TimeSpan: 2 })).toBe("FailedOperation.InvalidParam");
  expect(await sdkError("CreateCertificate", { ProductId: 43, DomainNum: 1, TimeSpan: 0 })).toBe("FailedOperation.InvalidParam");
  expect(await sdkError("CreateCertificate", { ProductId: 43, DomainNum: 1 })).toBe("MissingParameter");
  expect(await sdkError("CreateCertificate", { ProductId: 43, DomainNum: 1, TimeSpan: 1, Tags: [{ TagKey: "k" }] })).toBe("InvalidParameter");
  expect(emulator.tencent.all().filter((r) => r.purchased)).toHaveLength(0);
  expect((await sdk("DescribeCertificates", {})).TotalCount).toBe(0);
});

test("DescribeCertificates filters by tag, id and status, newest first, Limit 10 by default", async () => {
  const mine = (await sdk("CreateCertificate", { ProductId: 43, DomainNum: 1, TimeSpan: 1, Tags: OWNER })).CertificateIds![0];
  const other = (await sdk("CreateCertificate", { ProductId: 43, DomainNum: 1, TimeSpan: 1, Tags: [{ TagKey: "certapply-owner", TagValue: "ffffffffffffffff" }] })).CertificateIds![0];
  for (let i = 0; i < 11; i++) emulator.tencent.seed();
  const byTag = await sdk("DescribeCertificates", { Tags: OWNER });
  expect(byTag.TotalCount).toBe(1);
  expect(byTag.Certificates?.map((c) => c.CertificateId)).toEqual([mine]);
  expect(byTag.Certificates?.[0]).toMatchObject({ Status: 5, Tags: OWNER, PackageType: "43" });
  expect((await sdk("DescribeCertificates", { CertIds: [other, mine] })).Certificates?.map((c) => c.CertificateId)).toEqual([other, mine]);
  const all = await sdk("DescribeCertificates", {});
  expect(all.TotalCount).toBe(13);
  expect(all.Certificates).toHaveLength(10);
  expect((await sdk("DescribeCertificates", { Offset: 10, Limit: 1000 })).Certificates?.map((c) => c.CertificateId).slice(-2)).toEqual([other, mine]);
  await sdk("CancelCertificateOrder", { CertificateId: mine });
  expect((await sdk("DescribeCertificates", { Tags: OWNER, CertificateStatus: [5] })).TotalCount).toBe(0);
  expect((await sdk("DescribeCertificates", { Tags: OWNER, CertificateStatus: [6, 7] })).TotalCount).toBe(1);
});

test("CancelCertificateOrder cancels an unused purchase; FilterExpiring and Renew show issued certificates near their end", async () => {
  const id = (await sdk("CreateCertificate", { ProductId: 43, DomainNum: 1, TimeSpan: 1, Tags: OWNER })).CertificateIds![0];
  expect(await sdk("CancelCertificateOrder", { CertificateId: id })).toMatchObject({ CertificateId: id });
  expect((await sdk("DescribeCertificateDetail", { CertificateId: id })).Status).toBe(7);

  const issued = emulator.tencent.seed().certificateId;
  await emulator.tencent.submitOutside(issued, {
    GenCsrType: "online", CertCommonName: "www.example.com", CompanyType: 2, CompanyId: "0", CsrKeyParameter: "2048",
    OrgOrganization: "Example Ltd", OrgDivision: "IT", OrgAddress: "1 Road", OrgCountry: "CN", OrgCity: "Beijing", OrgRegion: "Beijing",
    OrgPhoneArea: "010", OrgPhoneNumber: "12345678", AdminFirstName: "N", AdminLastName: "H", AdminPhone: "13112341234",
    AdminEmail: "ssl@example.com", AdminTitle: "R&D", TechFirstName: "N", TechLastName: "H", TechPhone: "13112341234", TechTitle: "R&D",
  });
  emulator.tencent.issue(issued);
  await emulator.tencent.certificate(issued);
  expect((await sdk("DescribeCertificates", { FilterExpiring: 1 })).TotalCount).toBe(0);
  expect((await sdk("DescribeCertificateDetail", { CertificateId: issued })).RenewAble).toBe(false);
  const aged = await emulator.tencent.age(issued, 29);
  expect(Math.round((new Date(aged.notAfter).getTime() - emulator.now()) / 86_400_000)).toBe(29);
  const expiring = await sdk("DescribeCertificates", { FilterExpiring: 1 });
  expect(expiring.Certificates?.map((c) => [c.CertificateId, c.IsExpiring, c.RenewAble])).toEqual([[issued, true, true]]);
  expect((await sdk("DescribeCertificates", { Renew: 1 })).TotalCount).toBe(1);
});

/** An issued certificate (materials, order, issue), `daysLeft` days from its end when given. */
async function issuedCertificate(daysLeft?: number): Promise<string> {
  const id = emulator.tencent.seed().certificateId;
  await emulator.tencent.submitOutside(id, {
    GenCsrType: "online", CertCommonName: "www.example.com", CompanyType: 2, CompanyId: "0", CsrKeyParameter: "2048",
    OrgOrganization: "Example Ltd", OrgDivision: "IT", OrgAddress: "1 Road", OrgCountry: "CN", OrgCity: "Beijing", OrgRegion: "Beijing",
    OrgPhoneArea: "010", OrgPhoneNumber: "12345678", AdminFirstName: "N", AdminLastName: "H", AdminPhone: "13112341234",
    AdminEmail: "ssl@example.com", AdminTitle: "R&D", TechFirstName: "N", TechLastName: "H", TechPhone: "13112341234", TechTitle: "R&D",
  });
  emulator.tencent.issue(id);
  await emulator.tencent.certificate(id);
  if (daysLeft !== undefined) await emulator.tencent.age(id, daysLeft);
  return id;
}

describe("benefit packages: CreateCertificateByPackage and DescribePackages", () => {
  test("DescribePackages lists the packages with their balances; a purchase by package spends them in the order given", async () => {
    emulator.tencent.addPackage({ packageId: "pkg-a", points: 15, type: "ssl_100" });
    emulator.tencent.addPackage({ packageId: "pkg-b", points: 100, type: "ssl_500" });
    const before = await sdk("DescribePackages", {});
    expect(before).toMatchObject({ TotalCount: 2, TotalBalance: 115 });
    expect(before.Packages?.map((k) => [k.PackageId, k.Total, k.Balance, k.Status])).toEqual([
      ["pkg-a", 15, 15, "usable"],
      ["pkg-b", 100, 100, "usable"],
    ]);
    // 1013955 "DNSPod 企业型SSL证书(C1)": one domain, one year.
    const bought = await sdk("CreateCertificateByPackage", { ProductPid: 1013955, PackageIds: ["pkg-a", "pkg-b"], DomainCount: "1", Period: 1, Tags: OWNER });
    expect(bought.CertificateIds).toEqual([bought.CertificateId]);
    const id = bought.CertificateId!;
    expect(await sdk("DescribeCertificateDetail", { CertificateId: id })).toMatchObject({ Status: 5, PackageType: "1013955", CertType: "OV", Tags: OWNER });
    const after = await sdk("DescribePackages", {});
    expect(after.TotalBalance).toBe(105);
    expect(after.Packages?.map((k) => [k.PackageId, k.Balance, k.Status])).toEqual([
      ["pkg-a", 5, "usable"],
      ["pkg-b", 100, "usable"],
    ]);
    expect((await sdk("DescribePackages", { PackageId: "pkg-b" })).Packages?.map((k) => k.PackageId)).toEqual(["pkg-b"]);
    expect((await sdk("DescribePackages", { Status: "used" })).TotalCount).toBe(0);
    expect((await sdk("DescribeCertificates", { Tags: OWNER })).Certificates?.map((c) => c.CertificateId)).toEqual([id]);
  });

  test("unknown or expired packages, too few points and bad products are refused, and nothing is bought", async () => {
    emulator.tencent.addPackage({ packageId: "pkg-small", points: 5 });
    emulator.tencent.addPackage({ packageId: "pkg-old", points: 100, expiresInDays: -1 });
    const base = { ProductPid: 1013955, DomainCount: "1", Period: 1 };
    expect(await sdkError("CreateCertificateByPackage", { ...base, PackageIds: ["pkg-none"] })).toBe("InvalidParameter.PackageIdsInvalid");
    expect(await sdkError("CreateCertificateByPackage", { ...base, PackageIds: [] })).toBe("InvalidParameter.PackageIdsInvalid");
    expect(await sdkError("CreateCertificateByPackage", { ...base, PackageIds: ["pkg-old"] })).toBe("FailedOperation.PackageExpired");
    expect(await sdkError("CreateCertificateByPackage", { ...base, PackageIds: ["pkg-small"] })).toBe("FailedOperation.PackageCountLimit");
    expect(await sdkError("CreateCertificateByPackage", { ...base, ProductPid: 43, PackageIds: ["pkg-small"] })).toBe("FailedOperation.InvalidParam");
    // 1013959 "DNSPod 企业型多域名SSL证书(C1)" is multi-domain.
    expect(await sdkError("CreateCertificateByPackage", { ...base, ProductPid: 1013959, PackageIds: ["pkg-small"] })).toBe("FailedOperation.InvalidParam");
    expect(await sdkError("CreateCertificateByPackage", { ProductPid: 1013955, PackageIds: ["pkg-small"], Period: 1 })).toBe("MissingParameter");
    expect(emulator.tencent.all().filter((r) => r.purchased)).toHaveLength(0);
    expect(emulator.tencent.package("pkg-small")?.Balance).toBe(5);
  });

  test("a renewal (OldCertificateId) links both certificates and leaves the old one issued; RenewAble turns false", async () => {
    emulator.tencent.addPackage({ packageId: "pkg-a", points: 100 });
    const old = await issuedCertificate(20);
    expect(await sdk("DescribeCertificateDetail", { CertificateId: old })).toMatchObject({ RenewAble: true, CertificateExtra: { RenewOrder: null } });
    expect((await sdk("DescribeCertificates", { Renew: 1 })).Certificates?.map((c) => c.CertificateId)).toEqual([old]);
    const renewal = await sdk("CreateCertificateByPackage", {
      ProductPid: 1013955, PackageIds: ["pkg-a"], DomainCount: "1", Period: 1, OldCertificateId: old,
      RenewGenCsrMethod: "online", RenewAlgorithmType: "RSA", RenewAlgorithmParam: "2048", RenewKeyPass: "s3cret", Tags: OWNER,
    });
    const id = renewal.CertificateId!;
    expect(id).not.toBe(old);
    const fresh = await sdk("DescribeCertificateDetail", { CertificateId: id });
    expect(fresh).toMatchObject({ Status: 5, CertificateExtra: { OriginCertificateId: old } });
    const before = await sdk("DescribeCertificateDetail", { CertificateId: old });
    expect(before).toMatchObject({ Status: 1, RenewAble: false, CertificateExtra: { RenewOrder: id } });
    expect((await sdk("DescribeCertificates", { Renew: 1 })).TotalCount).toBe(0);
    // Still expiring: FilterExpiring is about the date, Renew about whether it can be renewed.
    expect((await sdk("DescribeCertificates", { FilterExpiring: 1 })).Certificates?.map((c) => c.CertificateId)).toEqual([old]);
    expect(emulator.tencent.state(id)?.renewal).toEqual({ method: "online", algorithmType: "RSA", algorithmParam: "2048", keyPass: true });
    expect(emulator.tencent.package("pkg-a")?.Balance).toBe(90);
  });

  test("a renewal's CSR choice is checked: original|upload|online, RenewCsr for upload, the algorithm pairs", async () => {
    emulator.tencent.addPackage({ packageId: "pkg-a", points: 100 });
    const old = await issuedCertificate(20);
    const base = { ProductPid: 1013955, PackageIds: ["pkg-a"], DomainCount: "1", Period: 1, OldCertificateId: old };
    expect(await sdkError("CreateCertificateByPackage", { ...base, RenewGenCsrMethod: "reuse" })).toBe("FailedOperation.InvalidParam");
    expect(await sdkError("CreateCertificateByPackage", { ...base })).toBe("FailedOperation.InvalidParam");
    expect(await sdkError("CreateCertificateByPackage", { ...base, RenewGenCsrMethod: "upload" })).toBe("MissingParameter");
    expect(await sdkError("CreateCertificateByPackage", { ...base, RenewGenCsrMethod: "upload", RenewCsr: "not a csr" })).toBe("FailedOperation.InvalidParam");
    expect(await sdkError("CreateCertificateByPackage", { ...base, RenewGenCsrMethod: "online", RenewAlgorithmType: "ECC", RenewAlgorithmParam: "2048" })).toBe("InvalidParameter.RenewAlgorithmInvalid");
    expect(await sdkError("CreateCertificateByPackage", { ...base, OldCertificateId: "NOPE1234", RenewGenCsrMethod: "original" })).toBe("FailedOperation.CertificateNotFound");
    const pending = emulator.tencent.seed().certificateId;
    expect(await sdkError("CreateCertificateByPackage", { ...base, OldCertificateId: pending, RenewGenCsrMethod: "original" })).toBe("FailedOperation.InvalidCertificateStatusCode");
    expect(await sdkError("CreateCertificateByPackage", { ProductPid: 1013955, PackageIds: ["pkg-a"], DomainCount: "1", Period: 1, RenewGenCsrMethod: "online" })).toBe("FailedOperation.InvalidParam");
    expect(emulator.tencent.package("pkg-a")?.Balance).toBe(100);
    const ok = await sdk("CreateCertificateByPackage", { ...base, RenewGenCsrMethod: "original" });
    expect(emulator.tencent.state(ok.CertificateId!)?.renewal).toEqual({ method: "original" });
  });
});
