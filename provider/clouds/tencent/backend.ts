import { createHash } from "node:crypto";
import { CloudApiError } from "../../http/errors";
import { backoffDelayMs } from "../../http/transport";
import type { ApplicationBackend, ImportedApplication, CheckFailure, CloudContext, ContentPlan, LiveApplication, SubmitResult } from "../../resources/backend";
import { describeCertificate } from "../../resources/certificate";
import type { ApplicationInputs, ApplicationOutputs, Contact, CloudCertificate, Organization, ValidationRecord } from "../../resources/types";
import { UNKNOWN } from "../../resources/types";
import { canonical, containsUnknown, given as known } from "../../resources/normalize";
import { sleep } from "../../resources/wait";
import { TencentClient, type CertificateDetail, type CertificateInfoSubmitRequest, type CertificateOrderSubmitReply } from "./client";
import { inNameOrder } from "../records";
import { TENCENT_PACKAGE_PRODUCTS, TENCENT_PRODUCTS } from "./products";
import { SPENT, buyOrFind, carriesTag, findPurchases, renewalTag, renewedFromTags, renewOrFind } from "./purchase";
import { TENCENT_STATUS, UNDER_REVIEW_CODES, normaliseStatus } from "./status";

const ID_RE = /^[A-Za-z0-9]{8}$/;
const VALIDATION_METHODS = ["DNS_AUTO", "DNS", "FILE"];
const KEY_PARAMS: Record<string, readonly string[]> = { RSA: ["2048", "4096"], ECC: ["prime256v1"] };

/** Bound of a wait (cancellation settling, resubmit settling): at most `maxPolls` polls of `ctx.pollIntervalMs`. */
export const tencentWaitLimits = { maxPolls: 60 };


function set(v: unknown): boolean {
  return v !== undefined && v !== null && v !== "";
}

function nonZeroId(v: string | undefined): boolean {
  return v !== undefined && v !== "" && v !== "0";
}

function statusLabel(code: number | undefined): string {
  if (code === undefined) return "unknown status";
  const e = TENCENT_STATUS[code];
  return e ? `status ${code} (${e.name})` : `status ${code}`;
}

function codeOf(detail: CertificateDetail): number {
  return detail.Status;
}

/** The raw status code of the live read the resource layer already made (no second read). */
function liveCode(live: LiveApplication): number | undefined {
  return /^\d+$/.test(live.rawStatus) ? Number(live.rawStatus) : undefined;
}

function isNotFound(err: unknown): boolean {
  return err instanceof CloudApiError && err.code === "FailedOperation.CertificateNotFound";
}

/**
 * Validates the Tencent rules of normalised inputs (cross-field rules; single-field values and enums are the
 * common check's); no API call. Field formats (e-mail, phone, country) and
 * the CSR's agreement with commonName/dnsNames are the common check's (provider/resources/schema.ts).
 */
export function validateTencent(inputs: ApplicationInputs): CheckFailure[] {
  const f: CheckFailure[] = [];
  const add = (property: string, reason: string) => f.push({ property, reason });
  const t = inputs.tencent ?? {};

  if (inputs.purchase !== undefined && inputs.purchase !== null) {
    if (set(inputs.certificateId)) add("purchase", "set exactly one of certificateId (a certificate already bought) and purchase (buy one at create); remove one of them");
    else f.push(...validatePurchase(inputs));
  } else if (inputs.certificateId !== UNKNOWN) {
    if (!set(inputs.certificateId)) add("certificateId", "required for tencent: the 8-character id of the purchased certificate (e.g. J2lX2maH), from the console or CreateCertificate; or set purchase to buy one at create");
    else if (!ID_RE.test(String(inputs.certificateId))) add("certificateId", `must be the 8 letters and digits of a Tencent certificate id (e.g. J2lX2maH), got ${JSON.stringify(inputs.certificateId)}`);
  }
  if (known(inputs.validationMethod) && !VALIDATION_METHODS.includes(String(inputs.validationMethod))) {
    add("validationMethod", `must be one of ${VALIDATION_METHODS.join(", ")} for tencent, got ${JSON.stringify(inputs.validationMethod)}`);
  }

  const companyTypeRaw: unknown = t.companyType;
  const companyType = companyTypeRaw === undefined || companyTypeRaw === null ? 2 : companyTypeRaw;
  if (companyType === 1 && !set(t.contactEmail)) add("tencent.contactEmail", "required when tencent.companyType is 1 (individual)");

  const managed = nonZeroId(t.managerId);
  const company = managed || nonZeroId(t.companyId);
  if (companyType === 2 || companyType === UNKNOWN) {
    if (!company) {
      const org = inputs.organization ?? {};
      for (const k of ["name", "division", "address", "city", "region", "country", "phoneAreaCode", "phoneNumber"] as const) {
        if (!set(org[k])) add(`organization.${k}`, "required unless tencent.companyId or tencent.managerId is set");
      }
    }
    if (!managed) {
      const admin = inputs.admin ?? {};
      for (const k of ["firstName", "lastName", "phone", "email", "title"] as const) {
        if (!set(admin[k])) add(`admin.${k}`, "required unless tencent.managerId is set");
      }
      const tech = inputs.tech ?? {};
      for (const k of ["firstName", "lastName", "phone", "title"] as const) {
        if (!set(tech[k])) add(`tech.${k}`, "required unless tencent.managerId is set");
      }
    }
  }


  if (inputs.csr === UNKNOWN) return f;
  if (set(inputs.csr)) {
    if (known(t.csrKeyParameter)) add("tencent.csrKeyParameter", "applies only when Tencent generates the key; remove it or remove csr");
    if (known(t.csrEncryptAlgo)) add("tencent.csrEncryptAlgo", "applies only when Tencent generates the key; remove it or remove csr");
  } else {
    const algo = t.csrEncryptAlgo;
    const keyParam = t.csrKeyParameter;
    if (known(keyParam) && algo !== UNKNOWN) {
      // The values themselves are the common check's (spec enums); here only their pairing.
      const a = known(algo) ? String(algo) : "RSA";
      const allowed = KEY_PARAMS[a];
      const anyValid = Object.values(KEY_PARAMS).some((v) => v.includes(String(keyParam)));
      if (allowed && anyValid && !allowed.includes(String(keyParam))) add("tencent.csrKeyParameter", `must be ${allowed.join(" or ")} for ${a} keys`);
    }
  }
  return f;
}

/**
 * The purchase block's cross-field rules (its values and ranges are the common check's): a multi-domain product
 * takes 2 or more domains and a single-domain one exactly 1; one-year-only products take `years: 1`; the common
 * name plus `dnsNames` must fit in `domainCount`.
 */
function validatePurchase(inputs: ApplicationInputs): CheckFailure[] {
  const f: CheckFailure[] = [];
  const p = inputs.purchase ?? {};
  const packages = Array.isArray(p.packageIds);
  if (packages && !containsUnknown(p.packageIds)) {
    const ids = p.packageIds as unknown[];
    if (ids.length === 0) f.push({ property: "purchase.packageIds", reason: "name at least one benefit package (DescribePackages lists them), or remove packageIds to pay with CreateCertificate" });
    ids.forEach((id, i) => {
      if (typeof id !== "string" || id.trim() === "") f.push({ property: `purchase.packageIds[${i}]`, reason: "must be a benefit package id, as DescribePackages lists it" });
    });
    if (new Set(ids).size !== ids.length) f.push({ property: "purchase.packageIds", reason: "lists a package more than once; name each once" });
  }
  // With packageIds the product is a package product (CreateCertificateByPackage.ProductPid), else a CreateCertificate one.
  const table = packages ? TENCENT_PACKAGE_PRODUCTS : TENCENT_PRODUCTS;
  const product = typeof p.productId === "number" ? table.get(p.productId) : undefined;
  if (typeof p.productId === "number" && !product && !containsUnknown(p.packageIds)) {
    const other = packages ? TENCENT_PRODUCTS.get(p.productId) : TENCENT_PACKAGE_PRODUCTS.get(p.productId);
    if (other) {
      f.push({
        property: "purchase.productId",
        reason: packages
          ? `${p.productId} (${other.name}) is a CreateCertificate product; with packageIds, productId is a package product (CreateCertificateByPackage ProductPid, e.g. 1013955 DNSPod OV), or remove packageIds`
          : `${p.productId} (${other.name}) is a package product (CreateCertificateByPackage ProductPid): it is bought with benefit packages, so set packageIds, or use a CreateCertificate product (e.g. 43 DNSPod OV)`,
      });
    }
  }
  const count = typeof p.domainCount === "number" ? p.domainCount : undefined;
  if (product && count !== undefined) {
    if (product.multi && count < 2) f.push({ property: "purchase.domainCount", reason: `product ${p.productId} (${product.name}) is multi-domain: domainCount must be 2 or more` });
    if (!product.multi && count !== 1) f.push({ property: "purchase.domainCount", reason: `product ${p.productId} (${product.name}) covers one domain: domainCount must be 1, or choose a multi-domain product` });
  }
  if (product?.oneYearOnly && typeof p.years === "number" && p.years !== 1) {
    f.push({ property: "purchase.years", reason: `product ${p.productId} (${product.name}) is sold for one year only: set years to 1` });
  }
  if (count !== undefined && Array.isArray(inputs.dnsNames) && !containsUnknown(inputs.dnsNames) && 1 + inputs.dnsNames.length > count) {
    f.push({ property: "purchase.domainCount", reason: `commonName and dnsNames name ${1 + inputs.dnsNames.length} domains but domainCount is ${count}: raise domainCount or remove names` });
  }
  return f;
}

/** Builds the CertificateInfoSubmit request from normalised inputs. */
export function toSubmitRequest(certificateId: string, inputs: ApplicationInputs): CertificateInfoSubmitRequest {
  const t = inputs.tencent ?? {};
  const org = inputs.organization ?? {};
  const admin = inputs.admin ?? {};
  const tech = inputs.tech ?? {};
  const req: CertificateInfoSubmitRequest = {
    CertId: certificateId,
    GenCsrType: set(inputs.csr) ? "parse" : "online",
    CertCommonName: inputs.commonName,
    CompanyType: t.companyType ?? 2,
    CompanyId: set(t.companyId) ? String(t.companyId) : "0",
    ManagerId: set(t.managerId) ? String(t.managerId) : "0",
    VerifyType: inputs.validationMethod || "DNS",
  };
  const opt = <K extends keyof CertificateInfoSubmitRequest>(k: K, v: CertificateInfoSubmitRequest[K] | undefined) => {
    if (v !== undefined && v !== null && v !== "") req[k] = v;
  };
  if (set(inputs.csr)) opt("Csr", inputs.csr);
  else {
    const algo = t.csrEncryptAlgo || "RSA";
    req.CsrEncryptAlgo = algo;
    req.CsrKeyParameter = t.csrKeyParameter || (algo === "ECC" ? "prime256v1" : "2048");
  }
  if (inputs.dnsNames && inputs.dnsNames.length > 0) req.DnsNames = [...inputs.dnsNames];
  opt("KeyPass", t.keyPass);
  opt("OrgOrganization", org.name);
  opt("OrgDivision", org.division);
  opt("OrgAddress", org.address);
  opt("OrgCountry", org.country);
  opt("OrgCity", org.city);
  opt("OrgRegion", org.region);
  opt("OrgPhoneArea", org.phoneAreaCode);
  opt("OrgPhoneNumber", org.phoneNumber);
  opt("AdminFirstName", admin.firstName);
  opt("AdminLastName", admin.lastName);
  opt("AdminPhone", admin.phone);
  opt("AdminEmail", admin.email);
  opt("AdminTitle", admin.title);
  opt("TechFirstName", tech.firstName);
  opt("TechLastName", tech.lastName);
  opt("TechPhone", tech.phone);
  opt("TechEmail", tech.email);
  opt("TechTitle", tech.title);
  opt("ContactEmail", t.contactEmail);
  if (t.autoRenew !== undefined) req.AutoRenewFlag = t.autoRenew ? 1 : 0;
  opt("Type", t.type);
  opt("CaType", t.caType);
  opt("SignAlgo", t.signAlgo);
  if (t.useCrossSignRoot !== undefined) req.UseCrossSignRoot = t.useCrossSignRoot;
  opt("OrgIdType", t.orgIdType);
  opt("OrgIdNumber", t.orgIdNumber);
  opt("AdminIdType", t.adminIdType);
  opt("AdminIdNumber", t.adminIdNumber);
  opt("TechIdType", t.techIdType);
  opt("TechIdNumber", t.techIdNumber);
  return req;
}

/** What the inputs would show in DescribeCertificateDetail.SubmittedData (legacy field names). */
function submittedView(inputs: ApplicationInputs): Record<string, string | undefined> {
  const org: Organization = inputs.organization ?? {};
  const admin: Contact = inputs.admin ?? {};
  const tech: Contact = inputs.tech ?? {};
  const t = inputs.tencent ?? {};
  return {
    CsrType: set(inputs.csr) ? "parse" : "online",
    CertificateDomain: inputs.commonName.toLowerCase(),
    VerifyType: inputs.validationMethod || "DNS",
    OrganizationName: org.name,
    OrganizationDivision: org.division,
    OrganizationAddress: org.address,
    OrganizationCountry: org.country,
    OrganizationCity: org.city,
    OrganizationRegion: org.region,
    PhoneAreaCode: org.phoneAreaCode,
    PhoneNumber: org.phoneNumber,
    AdminFirstName: admin.firstName,
    AdminLastName: admin.lastName,
    AdminPhoneNum: admin.phone,
    AdminEmail: admin.email,
    AdminPosition: admin.title,
    ContactFirstName: tech.firstName,
    ContactLastName: tech.lastName,
    ContactNumber: tech.phone,
    ContactEmail: tech.email ?? t.contactEmail,
    ContactPosition: tech.title,
  };
}

const orNone = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const domainSet = (names: readonly string[], cn: string): string =>
  [...new Set(names.map((d) => d.toLowerCase()).filter((d) => d !== cn.toLowerCase()))].sort().join(",");

/**
 * True when the materials Tencent shows in SubmittedData are exactly what `inputs` would submit: every field
 * it echoes, the SANs and, for an uploaded CSR, the CSR. No SubmittedData means no materials saved.
 */
export function materialsMatch(detail: CertificateDetail, inputs: ApplicationInputs): boolean {
  const sd = detail.SubmittedData;
  if (!sd) return false;
  const cloud = sd as Record<string, unknown>;
  for (const [field, mine] of Object.entries(submittedView(inputs))) {
    const theirs = orNone(cloud[field]);
    const a = field === "CertificateDomain" ? theirs?.toLowerCase() : theirs;
    if (a !== orNone(mine)) return false;
  }
  if (domainSet(sd.DomainList ?? [], inputs.commonName) !== domainSet(inputs.dnsNames ?? [], inputs.commonName)) return false;
  if (set(inputs.csr) && orNone(sd.CsrContent)?.trim() !== String(inputs.csr).trim()) return false;
  return true;
}

/**
 * True when the `tencent` block, whose fields SubmittedData does not echo (company and manager ids, key
 * parameters, CA type, ID numbers, KeyPass, ...), is the same in both: only then can matching SubmittedData
 * mean the saved materials are `news`.
 */
function unechoedUnchanged(olds: ApplicationInputs, news: ApplicationInputs): boolean {
  return canonical(olds.tencent ?? {}) === canonical(news.tencent ?? {});
}

/** True when `detail` shows a CA order other than the one the state recorded: proof that an earlier run ordered. */
function newOrderSince(detail: CertificateDetail, olds: ApplicationOutputs | undefined): boolean {
  return !!olds?.orderId && !!orNone(detail.OrderId) && detail.OrderId !== olds.orderId;
}

/**
 * True when the application Tencent holds is the one `inputs` declare: the full materials where SubmittedData is
 * shown; once issued (no SubmittedData any more) the domains and validation method.
 */
export function sameContent(detail: CertificateDetail, inputs: ApplicationInputs): boolean {
  if (detail.SubmittedData) return materialsMatch(detail, inputs);
  const domain = detail.Domain ?? "";
  if (domain.toLowerCase() !== inputs.commonName.toLowerCase()) return false;
  if (domainSet(detail.SubjectAltName ?? [], domain) !== domainSet(inputs.dnsNames ?? [], domain)) return false;
  const verify = orNone(detail.VerifyType);
  return !verify || verify === (inputs.validationMethod || "DNS");
}

/**
 * Validation records: DvAuthDetail's top-level fields carry a single domain's record (they have no record type:
 * FILE when a path is given or the certificate validates by FILE, else TXT); DvAuths[] carries several.
 */
export function validationRecords(detail: CertificateDetail): ValidationRecord[] {
  const dv = detail.DvAuthDetail;
  if (!dv) return [];
  const auths = [...(dv.DvAuths ?? [])].map((a) => ({ ...a }));
  if (auths.length === 0 && orNone(dv.DvAuthValue) !== undefined) {
    const file = orNone(dv.DvAuthPath) !== undefined || detail.VerifyType === "FILE";
    auths.push({
      DvAuthKey: dv.DvAuthKey,
      DvAuthValue: dv.DvAuthValue,
      DvAuthDomain: dv.DvAuthDomain ?? detail.Domain,
      DvAuthPath: dv.DvAuthPath,
      DvAuthSubDomain: dv.DvAuthKeySubDomain,
      DvAuthVerifyType: file ? "FILE" : "TXT",
    });
  }
  const out: ValidationRecord[] = [];
  for (const a of auths) {
    const type = String(a.DvAuthVerifyType ?? "").toUpperCase();
    const domain = a.DvAuthDomain ?? "";
    const key = a.DvAuthKey ?? "";
    const value = a.DvAuthValue ?? "";
    if (type === "TXT" || type === "CNAME") {
      // inferred: DvAuthKey is the record label (e.g. _dnsauth) relative to DvAuthDomain unless it is already a full name.
      const sub = a.DvAuthSubDomain ?? "";
      const name = key.includes(".") && domain && key.endsWith(domain) ? key : sub.includes(".") ? sub : domain ? `${key}.${domain}` : key;
      out.push({ domain, type, name, value });
    } else if (type === "FILE") {
      const path = a.DvAuthPath ?? "";
      const name = path.endsWith(key) ? path : `${path.replace(/\/$/, "")}/${key}`;
      out.push({ domain, type: "FILE", name, value });
    }
  }
  return inNameOrder(out, [detail.Domain ?? "", ...(detail.SubjectAltName ?? [])]);
}

/** What to do for a status the backend cannot work from. */
function cannotProceed(id: string, code: number | undefined, doing: string): Error {
  return new Error(`tencent certificate ${id} is in ${statusLabel(code)}, so certapply cannot ${doing}: ${statusHint(code)}`);
}

/** What the user can do about a status certapply cannot work from. */
function statusHint(code: number | undefined): string {
  let hint: string;
  switch (code) {
    case 1:
      hint = "it is issued; an issued certificate cannot take new information (buy a new certificate and change certificateId)";
      break;
    case 3:
      hint = "it has expired; buy a new certificate and change certificateId";
      break;
    case 6:
      hint = "Tencent is cancelling the order; run `pulumi up` again once it reads cancelled (7)";
      break;
    case 9:
    case 10:
    case 12:
      hint = "it is revoked or being revoked; buy a new certificate and change certificateId";
      break;
    case 14:
      hint = "it was refunded; buy a new certificate and change certificateId";
      break;
    default:
      hint = "check it in the Tencent Cloud SSL console";
  }
  return hint;
}


const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Upper-case hex without separators. */
const hexOf = (s: string | null | undefined): string => (s ?? "").replace(/[^0-9a-fA-F]/g, "").toUpperCase();

/**
 * The issued certificate from DescribeCertificateDetail. The model calls CertificatePublicKey "公钥证书" (the
 * certificate) and describes the chain in CertChainInfo (CertBasicInfo: issuer, subject, fingerprint; no PEM). The
 * leaf is the PEM block whose SHA-1 is CertFingerprint (else the first); any other blocks form chainPem, in
 * CertChainInfo's order where their fingerprints (SHA-1 or SHA-256) are listed there. With the leaf alone, chainPem is
 * absent: no PEM of the chain is in the reply. CertificatePrivateKey is there only when Tencent generated the key.
 */
export function issuedCertificate(detail: CertificateDetail): CloudCertificate | undefined {
  const blocks = (detail.CertificatePublicKey ?? "").match(PEM_BLOCK) ?? [];
  if (codeOf(detail) !== 1 || blocks.length === 0) return undefined;
  const prints = blocks.map((b) => {
    const der = Buffer.from(b.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
    return [createHash("sha1").update(der).digest("hex").toUpperCase(), createHash("sha256").update(der).digest("hex").toUpperCase()];
  });
  const leafAt = Math.max(0, prints.findIndex((p) => p.includes(hexOf(detail.CertFingerprint))));
  const rest = blocks.map((b, i) => ({ b, p: prints[i] })).filter((_, i) => i !== leafAt);
  const order = (detail.CertChainInfo ?? []).map((c) => hexOf(c.Fingerprint));
  const rank = (p: string[]): number => {
    const at = order.findIndex((f) => f !== "" && p.includes(f));
    return at < 0 ? order.length : at;
  };
  const chain = rest.sort((a, b) => rank(a.p) - rank(b.p)).map((x) => x.b);
  return describeCertificate(blocks[leafAt], {
    chainPem: chain.length ? chain.join("\n") + "\n" : undefined,
    privateKeyPem: orNone(detail.CertificatePrivateKey),
    thumbprint: orNone(detail.CertFingerprint),
  });
}

export function toLive(detail: CertificateDetail): LiveApplication {
  const live: LiveApplication = { ...normaliseStatus(detail.Status, detail.StatusMsg), validationRecords: validationRecords(detail) };
  if (orNone(detail.OrderId)) live.orderId = detail.OrderId as string;
  const certificate = issuedCertificate(detail);
  if (certificate) live.certificate = certificate;
  return live;
}

/** The status an accepted order leaves the certificate in, as the order's reply gives it (no read). */
function liveFromOrder(reply: CertificateOrderSubmitReply): LiveApplication {
  const live: LiveApplication = { ...normaliseStatus(reply.Status, null), validationRecords: [] };
  if (orNone(reply.OrderId)) live.orderId = reply.OrderId as string;
  return live;
}

/** Polls until `reached(detail)`; bounded by tencentWaitLimits.maxPolls polls of `ctx.pollIntervalMs`. */
async function waitUntil(ctx: CloudContext, client: TencentClient, id: string, reached: (d: CertificateDetail) => boolean, why: string, first?: CertificateDetail): Promise<CertificateDetail> {
  let detail = first ?? (await client.describeCertificateDetail(id));
  for (let i = 0; i < tencentWaitLimits.maxPolls && !reached(detail); i++) {
    if (i === 0) ctx.log(`tencent ${id}: waiting for ${why} (now ${statusLabel(codeOf(detail))})`);
    await sleep(ctx.pollIntervalMs);
    detail = await client.describeCertificateDetail(id);
  }
  if (reached(detail)) return detail;
  throw new Error(
    `tencent certificate ${id} did not reach ${why} (still ${statusLabel(codeOf(detail))} after ${tencentWaitLimits.maxPolls} polls); run \`pulumi up\` again later`,
  );
}

function waitForStatus(ctx: CloudContext, client: TencentClient, id: string, targets: number[], why: string, first?: CertificateDetail): Promise<CertificateDetail> {
  return waitUntil(ctx, client, id, (d) => targets.includes(codeOf(d)), `${why} (${targets.map((t) => statusLabel(t)).join(" or ")})`, first);
}

/** Error codes of a write that found the certificate in another status: perhaps the write was already applied. */
const STATUS_CONFLICTS = new Set([
  "FailedOperation.CertificateInfoSubmitStatusInvalid",
  "FailedOperation.InvalidCertificateStatusCode",
  "FailedOperation.CertificateStatusNotAllowResubmit",
  "InvalidParameter.CertificateStatusNotAllowResubmit",
  "FailedOperation.CertificateNotFoundOrCantCancel",
]);
const ORDER_PROCESSING = "FailedOperation.CertificateOrderSubmitProcessing";

/** A write's reply, or the read that showed the write had already taken effect (its reply was lost). */
type StepOutcome<T> = { reply: T; detail?: undefined } | { reply?: undefined; detail: CertificateDetail };

/**
 * One write, idempotent under a lost reply: the write is sent once (the transport resends only throttled
 * attempts, which were refused unprocessed); after a failure that may hide an applied write (no reply, a garbled
 * reply, a status conflict) the certificate is read, and when it is already where the write leads (`done`), the
 * step is done. Otherwise a transient failure is retried with backoff, up to the configured retries. An order
 * the CA is still processing is waited for, never sent again.
 */
async function step<T>(ctx: CloudContext, client: TencentClient, id: string, action: string, write: () => Promise<T>, done: (d: CertificateDetail) => boolean): Promise<StepOutcome<T>> {
  for (let attempt = 0; ; attempt++) {
    let failure: CloudApiError;
    try {
      return { reply: await write() };
    } catch (err) {
      if (!(err instanceof CloudApiError) || !(err.transient || STATUS_CONFLICTS.has(err.code))) throw err;
      failure = err;
    }
    const detail = await client.describeCertificateDetail(id);
    if (done(detail)) {
      ctx.log(`tencent ${id}: ${action} had already taken effect (${statusLabel(codeOf(detail))}); it is not sent again`);
      return { detail };
    }
    if (failure.code === ORDER_PROCESSING) {
      ctx.log(`tencent ${id}: the CA is still processing the order; waiting for it instead of sending it again`);
      return { detail: await waitUntil(ctx, client, id, done, "the order in process to be taken", detail) };
    }
    if (!failure.transient || attempt >= ctx.transport.maxRetries) throw failure;
    await sleep(backoffDelayMs(ctx.transport, attempt));
  }
}

/** Statuses in which the order of a certificate this resource bought is cancelled on delete (never issued). */
const ORDER_CANCELLABLE = [0, 2, 4, 5, 8, 13];

/**
 * Delete of a certificate this resource bought: a never-issued one has its order cancelled (CancelCertificateOrder;
 * Tencent then offers the refund in the console); an issued one stays in service and in the account.
 */
async function cancelPurchase(ctx: CloudContext, client: TencentClient, id: string, code: number | undefined): Promise<void> {
  if (code === undefined || !ORDER_CANCELLABLE.includes(code)) {
    ctx.log(
      `warning: tencent ${id}, bought by this resource, is in ${statusLabel(code)}; ` +
        (code === 1 ? "an issued certificate is never cancelled: it stays valid in the account and is only removed from the stack" : "it is left as it is and only removed from the stack"),
    );
    return;
  }
  ctx.log(`tencent ${id}: cancelling the order of the certificate this resource bought, never issued (CancelCertificateOrder; request the refund in the console)`);
  try {
    await step(ctx, client, id, "CancelCertificateOrder", () => client.cancelCertificateOrder(id), (d) => [6, 7, 14].includes(codeOf(d)));
  } catch (err) {
    if (!isNotFound(err) || (await stillIn(ctx, client, id, ORDER_CANCELLABLE))) throw err;
  }
}

/**
 * After a write answered not-found: true unless the certificate is confirmed out of `pending`. One not-found is no
 * proof, nor are two: gone takes the write's answer, a detail read after a pause and DescribeCertificate (another
 * action) agreeing, as for a read; a status either read shows decides.
 */
async function stillIn(ctx: CloudContext, client: TencentClient, id: string, pending: readonly number[]): Promise<boolean> {
  await sleep(ctx.pollIntervalMs);
  const now = await readDetail(client, id);
  if (now) return pending.includes(codeOf(now));
  const brief = await lookUp(client, id);
  return !!brief && (typeof brief.Status !== "number" || pending.includes(brief.Status));
}

/**
 * The confirming lookup through another action than the detail read (DescribeCertificate): the certificate's brief,
 * or undefined when that action answers not-found too.
 */
async function lookUp(client: TencentClient, id: string): Promise<{ Status?: number | null } | undefined> {
  try {
    const brief = await client.describeCertificate(id);
    return (brief.CertificateId ?? id) === id ? brief : undefined;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * Cancels the order of each never-issued renewal of `id` this resource bought (found by its renewal tag). The list
 * finds them; each one's own detail read decides, since a status seen in a list may be stale.
 */
async function cancelUnrecordedRenewals(ctx: CloudContext, client: TencentClient, id: string, ownerKey: string): Promise<void> {
  const tag = renewalTag(ownerKey, id);
  for (const c of await findPurchases(client, tag)) {
    if (!ORDER_CANCELLABLE.includes(c.Status)) continue;
    const detail = await readDetail(client, c.CertificateId);
    if (!detail || !ORDER_CANCELLABLE.includes(codeOf(detail)) || !(await carriesTag(client, c.CertificateId, detail.Tags, tag))) continue;
    ctx.log(`tencent ${c.CertificateId}: the renewal of ${id} this resource bought was never issued; cancelling its order`);
    await cancelPurchase(ctx, client, c.CertificateId, codeOf(detail));
  }
}

/** Cancels a running review (CancelAuditCertificate) and waits for 7 (cancelled). */
async function cancelReview(ctx: CloudContext, client: TencentClient, id: string): Promise<void> {
  ctx.log(`tencent ${id}: cancelling the running review (CancelAuditCertificate)`);
  const out = await step(ctx, client, id, "CancelAuditCertificate", () => client.cancelAuditCertificate(id), (d) => [6, 7].includes(codeOf(d)));
  if (out.reply && out.reply.Result === false) {
    throw new Error(`tencent certificate ${id}: CancelAuditCertificate returned Result false; refresh and run \`pulumi up\` again`);
  }
  await waitForStatus(ctx, client, id, [7], "the cancelled review to settle", out.detail);
}

/**
 * Saves the materials unless `current` shows they are saved already, then sends the order. `trustSaved` says
 * whether matching SubmittedData may count as saved: false when a field it does not echo has changed since.
 */
async function materialsAndOrder(
  ctx: CloudContext,
  client: TencentClient,
  id: string,
  inputs: ApplicationInputs,
  current: CertificateDetail | undefined,
  trustSaved: boolean,
): Promise<LiveApplication> {
  const echoed = current !== undefined && materialsMatch(current, inputs);
  if (echoed && trustSaved) {
    ctx.log(`tencent ${id}: the materials are already saved (an earlier run stopped before the order); sending only the order`);
  } else {
    ctx.log(`tencent ${id}: saving the materials (CertificateInfoSubmit)`);
    // After a lost reply, matching SubmittedData proves the save only if it did not match before it.
    const saved = await step(ctx, client, id, "CertificateInfoSubmit", () => client.certificateInfoSubmit(toSubmitRequest(id, inputs)), (d) => !echoed && materialsMatch(d, inputs));
    if (saved.detail && ![5, 13].includes(codeOf(saved.detail))) return toLive(saved.detail);
  }
  ctx.log(`tencent ${id}: sending the order to the CA (CertificateOrderSubmit)`);
  const order = await step(
    ctx,
    client,
    id,
    "CertificateOrderSubmit",
    () => client.certificateOrderSubmit({ CertId: id, VerifyType: inputs.validationMethod || "DNS" }),
    (d) => ![5, 13].includes(codeOf(d)),
  );
  return order.reply ? liveFromOrder(order.reply) : toLive(order.detail);
}

/** ModifyCertificateResubmit, wait for 5, then the materials and the order again. */
async function reopenAndSubmit(ctx: CloudContext, client: TencentClient, id: string, inputs: ApplicationInputs): Promise<LiveApplication> {
  ctx.log(`tencent ${id}: reopening the application (ModifyCertificateResubmit)`);
  const out = await step(ctx, client, id, "ModifyCertificateResubmit", () => client.modifyCertificateResubmit(id), (d) => [5, 13].includes(codeOf(d)));
  const reopened = await waitForStatus(ctx, client, id, [5, 13], "the certificate to accept materials again", out.detail);
  return materialsAndOrder(ctx, client, id, inputs, reopened, false);
}

/**
 * Brings the application to `inputs` from whatever status it is in now (the content-change and resubmit paths).
 * `trustSaved` as for materialsAndOrder.
 */
async function reapply(
  ctx: CloudContext,
  client: TencentClient,
  id: string,
  inputs: ApplicationInputs,
  detail: CertificateDetail,
  doing: string,
  trustSaved: boolean,
): Promise<LiveApplication> {
  const code = codeOf(detail);
  if (UNDER_REVIEW_CODES.includes(code)) {
    await cancelReview(ctx, client, id);
    return reopenAndSubmit(ctx, client, id, inputs);
  }
  if (code === 6) {
    await waitForStatus(ctx, client, id, [7], "the cancelled review to settle", detail);
    return reopenAndSubmit(ctx, client, id, inputs);
  }
  if (code === 2 || code === 7) return reopenAndSubmit(ctx, client, id, inputs);
  if (code === 5 || code === 13) return materialsAndOrder(ctx, client, id, inputs, detail, trustSaved);
  throw cannotProceed(id, code, doing);
}

async function readDetail(client: TencentClient, id: string): Promise<CertificateDetail | undefined> {
  try {
    return await client.describeCertificateDetail(id);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The inputs an application was submitted with, as far as DescribeCertificateDetail shows them. */
export function inputsFromDetail(id: string, detail: CertificateDetail): ApplicationInputs {
  const sd = detail.SubmittedData ?? undefined;
  const s = (v: unknown) => orNone(v);
  const commonName = (s(sd?.CertificateDomain) ?? detail.Domain ?? "").toLowerCase();
  const inputs: ApplicationInputs = {
    cloud: "tencent",
    certificateId: id,
    commonName,
    dnsNames: (sd?.DomainList ?? detail.SubjectAltName ?? []).map((d) => d.toLowerCase()).filter((d) => d !== commonName),
  };
  const verify = s(sd?.VerifyType) ?? s(detail.VerifyType);
  if (verify) inputs.validationMethod = verify;
  if (sd?.CsrType === "parse" && s(sd.CsrContent)) inputs.csr = String(sd.CsrContent);
  const pick = <K extends string>(pairs: [K, unknown][]): Partial<Record<K, string>> | undefined => {
    const o: Partial<Record<K, string>> = {};
    for (const [k, v] of pairs) if (s(v)) o[k] = String(v);
    return Object.keys(o).length ? o : undefined;
  };
  const companyType = detail.CertificateExtra?.CompanyType;
  if (sd) {
    const organization = pick<keyof Organization>([
      ["name", sd.OrganizationName],
      ["division", sd.OrganizationDivision],
      ["address", sd.OrganizationAddress],
      ["city", sd.OrganizationCity],
      ["region", sd.OrganizationRegion],
      ["country", sd.OrganizationCountry],
      ["phoneAreaCode", sd.PhoneAreaCode],
      ["phoneNumber", sd.PhoneNumber],
    ]);
    const admin = pick<keyof Contact>([
      ["firstName", sd.AdminFirstName],
      ["lastName", sd.AdminLastName],
      ["email", sd.AdminEmail],
      ["phone", sd.AdminPhoneNum],
      ["title", sd.AdminPosition],
    ]);
    // An individual (CompanyType 1) gives ContactEmail only; a company's contact is the technical contact.
    const tech = pick<keyof Contact>([
      ["firstName", sd.ContactFirstName],
      ["lastName", sd.ContactLastName],
      ["email", companyType === 1 ? undefined : sd.ContactEmail],
      ["phone", sd.ContactNumber],
      ["title", sd.ContactPosition],
    ]);
    if (organization) inputs.organization = organization;
    if (admin) inputs.admin = admin;
    if (tech) inputs.tech = tech;
  }
  // companyType 2 is the default, so only an individual's application carries the block.
  if (companyType === 1) inputs.tencent = { companyType: 1, ...(s(sd?.ContactEmail) ? { contactEmail: String(sd?.ContactEmail) } : {}) };
  return inputs;
}

/** The certificate a detail says this one renews: `CertificateExtra.OriginCertificateId`, else this resource's renewal tag. */
function renewedFromOf(detail: CertificateDetail): string | undefined {
  return orNone(detail.CertificateExtra?.OriginCertificateId) ?? renewedFromTags(detail.Tags);
}

/** What a renewal will call, for the preview. */
function renewalSteps(news: ApplicationInputs, oldId: string): string {
  const p = news.purchase ?? {};
  const buy = p.packageIds
    ? `CreateCertificateByPackage (OldCertificateId ${oldId}, product ${p.productId}, paid with benefit package(s) ${p.packageIds.join(", ")}, ${known(news.csr) ? "RenewGenCsrMethod upload: the same CSR" : "RenewGenCsrMethod online: a new key Tencent generates"})`
    : `a new paid CreateCertificate order (product ${p.productId}, ${p.domainCount} domain(s), ${p.years} year(s))`;
  return `${buy}, then CertificateInfoSubmit and CertificateOrderSubmit on the new certificate; ${oldId} stays in service until the new one is issued, and is never cancelled`;
}

/**
 * Renews `oldId`: the renewal this resource bought before (its tag, or the old certificate's RenewOrder), or one
 * bought now; then the materials and the order on the new certificate, unless an earlier run sent them already.
 */
async function renewCertificate(ctx: CloudContext, oldId: string, olds: ApplicationOutputs, news: ApplicationInputs): Promise<LiveApplication> {
  const client = new TencentClient(ctx);
  const inputs: ApplicationInputs = { ...news, ownerKey: news.ownerKey ?? olds.ownerKey };
  if (!inputs.purchase || set(inputs.certificateId)) {
    throw new Error(`tencent certificate ${oldId}: certapply renews only a certificate it buys: declare purchase instead of certificateId, or renew it in the Tencent console`);
  }
  const tag = inputs.ownerKey ? renewalTag(inputs.ownerKey, oldId) : undefined;
  /** The renewal the old certificate names (CertificateExtra.RenewOrder), still live, with its detail. */
  const renewOrder = async (old?: CertificateDetail): Promise<{ id: string; detail: CertificateDetail } | undefined> => {
    const next = orNone((old ?? (await client.describeCertificateDetail(oldId))).CertificateExtra?.RenewOrder);
    const detail = next ? await readDetail(client, next) : undefined;
    return next && detail && !SPENT.has(codeOf(detail)) ? { id: next, detail } : undefined;
  };
  const other = tag ? await renewOrder(await client.describeCertificateDetail(oldId)) : undefined;
  if (other && tag && !(await carriesTag(client, other.id, other.detail.Tags, tag))) {
    throw new Error(
      `tencent certificate ${oldId} already has a renewal, ${other.id} (CertificateExtra.RenewOrder, ${statusLabel(codeOf(other.detail))}), not bought by this resource, ` +
        `so certapply does not buy another for the same expiry: import it (pulumi import … tencent/${other.id}) or cancel it in the console, then run \`pulumi up\` again`,
    );
  }
  // A lost purchase reply may show there before the tag lookup lists it: ours when it carries this renewal's tag.
  const ours = async () => {
    const found = tag ? await renewOrder() : undefined;
    return found && tag && (await carriesTag(client, found.id, found.detail.Tags, tag)) ? { CertificateId: found.id, Status: codeOf(found.detail) } : undefined;
  };
  const newId = await renewOrFind(ctx, client, inputs, oldId, ours);
  const detail = await client.describeCertificateDetail(newId);
  const code = codeOf(detail);
  const applied = { ...inputs, certificateId: newId };
  let live: LiveApplication;
  if (code === 5 || code === 13) live = await materialsAndOrder(ctx, client, newId, applied, detail, true);
  else if ([0, 4, 8, 1, 2].includes(code)) {
    ctx.log(`tencent ${newId}: the renewal of ${oldId} was already submitted by an earlier run (${statusLabel(code)}); nothing to send`);
    live = toLive(detail);
  } else throw cannotProceed(newId, code, `renew ${oldId} with it`);
  return { ...live, certificateId: newId, renewedFrom: oldId };
}

export const tencentBackend = {
  cloud: "tencent" as const,
  replaceFields: [] as readonly string[],

  validate(inputs: ApplicationInputs): CheckFailure[] {
    return validateTencent(inputs);
  },

  planContentChange(changed: string[], live: LiveApplication, _olds: ApplicationOutputs, _news: ApplicationInputs): ContentPlan {
    const code = liveCode(live);
    const what = changed.length > 0 ? changed.join(", ") : "content";
    const submitAgain = "CertificateInfoSubmit, CertificateOrderSubmit";
    if (code === 6) {
      return { kind: "refuse", reason: `tencent is cancelling this order (status 6); ${what} can change once it reads cancelled (7): run \`pulumi up\` again later` };
    }
    if (code !== undefined && UNDER_REVIEW_CODES.includes(code)) {
      return {
        kind: "update",
        description: `${what} changed while under review (${statusLabel(code)}): CancelAuditCertificate, wait for status 7, ModifyCertificateResubmit, ${submitAgain}`,
      };
    }
    if (code === 2 || code === 7) {
      return { kind: "update", description: `${what} changed (${statusLabel(code)}): ModifyCertificateResubmit, ${submitAgain}` };
    }
    if (code === 5 || code === 13) return { kind: "update", description: `${what} changed (${statusLabel(code)}): ${submitAgain}` };
    return { kind: "refuse", reason: `the certificate is in ${statusLabel(code)}, so ${what} cannot change: ${statusHint(code)}` };
  },

  async submit(ctx: CloudContext, declared: ApplicationInputs): Promise<SubmitResult> {
    const client = new TencentClient(ctx);
    // Buying at create: the certificate this resource bought before (found by its tag), or one bought now.
    const inputs = declared.purchase && !set(declared.certificateId) ? { ...declared, certificateId: await buyOrFind(ctx, client, declared) } : declared;
    const id = String(inputs.certificateId ?? "");
    const detail = await readDetail(client, id);
    if (!detail) {
      throw new Error(`tencent certificate ${id} does not exist in this account: buy the certificate first (console or CreateCertificate) and set certificateId to its id`);
    }
    const code = codeOf(detail);
    if (code === 5 || code === 13) {
      // No state yet, so nothing tells what an earlier run saved: the echoed fields are all there is to compare
      // (a known limit for the unechoed ones: emulator/tencent/RULES.md).
      return { applicationId: id, adopted: false, live: await materialsAndOrder(ctx, client, id, inputs, detail, true) };
    }
    if ([0, 4, 8, 1].includes(code)) {
      if (sameContent(detail, inputs)) {
        // Tencent's application carries no owner mark: any resource declaring this certificate id adopts it.
        ctx.log(
          `tencent ${id}: already submitted with the same content (${statusLabel(code)}); adopting it instead of submitting again ` +
            "(declare each certificateId in one resource only: resources sharing it manage the same application)",
        );
        return { applicationId: id, adopted: true, live: toLive(detail) };
      }
      throw new Error(
        `tencent certificate ${id} is already in ${statusLabel(code)} with different content (domain ${detail.Domain ?? "unknown"}); ` +
          (code === 1
            ? "an issued certificate cannot be submitted again: use a new certificateId"
            : "declare the same content to adopt it, or cancel its review in the console first; each certificateId belongs in one resource only"),
      );
    }
    if (code === 6 || code === 7) {
      // A withdrawn review (a replace's delete, or the console) is no live application: reopen it, as a content
      // change does (ModifyCertificateResubmit → 5 → materials → order). The purchase stands; nothing is bought.
      ctx.log(`tencent ${id}: the application was withdrawn (${statusLabel(code)}); reopening it for this resource`);
      return { applicationId: id, adopted: false, live: await reapply(ctx, client, id, inputs, detail, "submit it", false) };
    }
    if (code === 2) {
      throw new Error(
        `tencent certificate ${id} is in ${statusLabel(code)}${detail.StatusMsg ? ` (${detail.StatusMsg})` : ""}: ` +
          "reopen it with ModifyCertificateResubmit (console: resubmit) so it returns to pending submission (5), then run `pulumi up` again",
      );
    }
    throw cannotProceed(id, code, "submit it");
  },

  async read(ctx: CloudContext, applicationId: string): Promise<LiveApplication | undefined> {
    const detail = await readDetail(new TencentClient(ctx), applicationId);
    return detail ? toLive(detail) : undefined;
  },

  /**
   * Renewal needs a way to pay: with `purchase`, a new certificate is bought (by package with `OldCertificateId`, or
   * a new CreateCertificate); with `certificateId` only, the preview warns every run, saying what to set.
   */
  planRenewal(_live: LiveApplication, olds: ApplicationOutputs, news: ApplicationInputs): { kind: "renew"; description: string } | { kind: "wait"; reason: string } {
    const current = olds.currentCertificateId ?? olds.applicationId ?? String(olds.certificateId ?? "");
    if (!news.purchase || set(news.certificateId)) {
      return {
        kind: "wait",
        reason:
          "warning: certapply renews on tencent only a certificate it buys, and this one was bought by hand (certificateId): " +
          "declare purchase { productId, domainCount, years, packageIds? } instead of certificateId to have it bought and renewed " +
          "(a replace: a new certificate is bought now and this issued one stays in service), or renew it in the Tencent console and change certificateId",
      };
    }
    return { kind: "renew", description: renewalSteps(news, current) };
  },

  async renew(ctx: CloudContext, applicationId: string, _live: LiveApplication, olds: ApplicationOutputs, news: ApplicationInputs): Promise<LiveApplication> {
    return renewCertificate(ctx, applicationId, olds, news);
  },

  async importApplication(ctx: CloudContext, applicationId: string): Promise<ImportedApplication | undefined> {
    const detail = await readDetail(new TencentClient(ctx), applicationId);
    if (!detail) return undefined;
    const live: LiveApplication = toLive(detail);
    // A renewal names the certificate it renews (OriginCertificateId, or this resource's renewal tag).
    const renewedFrom = renewedFromOf(detail);
    if (renewedFrom) live.renewedFrom = renewedFrom;
    return { inputs: inputsFromDetail(applicationId, detail), live };
  },

  async applyContentChange(ctx: CloudContext, applicationId: string, olds: ApplicationOutputs, news: ApplicationInputs, _live?: LiveApplication): Promise<LiveApplication> {
    const client = new TencentClient(ctx);
    // Read first: an earlier run may have applied this change already (its reply lost, or its wait failed before
    // the state kept the new order). Matching SubmittedData proves it when the unechoed `tencent` block is
    // unchanged; otherwise only a CA order newer than the state's does.
    const detail = await client.describeCertificateDetail(applicationId);
    const applied = materialsMatch(detail, news) && (unechoedUnchanged(olds, news) || newOrderSince(detail, olds));
    if ([0, 4, 8].includes(codeOf(detail)) && applied) {
      ctx.log(`tencent ${applicationId}: the application under review already holds the new content (an earlier run applied it); nothing to send`);
      return toLive(detail);
    }
    return reapply(ctx, client, applicationId, news, detail, "apply the content change", unechoedUnchanged(olds, news));
  },

  async resubmit(ctx: CloudContext, applicationId: string, inputs: ApplicationInputs, _live: LiveApplication, olds?: ApplicationOutputs): Promise<LiveApplication> {
    const client = new TencentClient(ctx);
    const detail = await client.describeCertificateDetail(applicationId);
    const code = codeOf(detail);
    // A new order since the state was written means an earlier run already resubmitted: never cancel that review.
    if ([0, 4, 8, 1].includes(code) && newOrderSince(detail, olds)) {
      ctx.log(`tencent ${applicationId}: already resubmitted by an earlier run (new CA order); nothing to send`);
      return toLive(detail);
    }
    return reapply(ctx, client, applicationId, inputs, detail, "resubmit it", olds !== undefined && unechoedUnchanged(olds, inputs));
  },

  async cancel(ctx: CloudContext, applicationId: string, olds: ApplicationOutputs, live: LiveApplication | undefined): Promise<void> {
    if (live === undefined) return;
    const client = new TencentClient(ctx);
    const code = liveCode(live);
    if (code === 6 || code === 7 || code === 14) return;
    if (olds.purchase && !set(olds.certificateId)) {
      await cancelPurchase(ctx, client, applicationId, code);
      // An issued certificate may have a renewal bought by a run that stopped before recording it: never issued, it is cancelled.
      if (code === 1 && olds.ownerKey) await cancelUnrecordedRenewals(ctx, client, applicationId, olds.ownerKey);
      return;
    }
    if (code !== undefined && UNDER_REVIEW_CODES.includes(code)) {
      ctx.log(`tencent ${applicationId}: withdrawing the application under review (CancelAuditCertificate)`);
      try {
        await step(ctx, client, applicationId, "CancelAuditCertificate", () => client.cancelAuditCertificate(applicationId), (d) => [6, 7, 14].includes(codeOf(d)));
      } catch (err) {
        if (!isNotFound(err) || (await stillIn(ctx, client, applicationId, UNDER_REVIEW_CODES))) throw err;
      }
      return;
    }
    ctx.log(
      `warning: tencent ${applicationId} is in ${statusLabel(code)}; only an application under review (0, 4, 8) is withdrawn on delete, ` +
        "so it is left as it is and only removed from the stack",
    );
  },

  /**
   * The lookup that confirms "gone" after two detail reads answered not-found: DescribeCertificate, another action.
   * Tencent's application carries no owner mark; the certificate id is the purchased certificate's.
   */
  async locate(ctx: CloudContext, applicationId: string): Promise<boolean> {
    return (await lookUp(new TencentClient(ctx), applicationId)) !== undefined;
  },

  async uploadConfirmLetter(ctx: CloudContext, applicationId: string, base64: string): Promise<void> {
    const client = new TencentClient(ctx);
    let res;
    try {
      res = await client.uploadConfirmLetter(applicationId, base64);
    } catch (err) {
      // UploadConfirmLetter is unmaintained ("不再维护其功能…请用户前往腾讯云证书控制台上传证书确认函").
      if (err instanceof CloudApiError && err.code === "FailedOperation.UploadConfirmCertificateNotSupport") {
        throw new CloudApiError({
          cloud: "tencent",
          action: "UploadConfirmLetter",
          code: err.code,
          requestId: err.requestId,
          message:
            `Tencent no longer accepts confirmation letters through its API for certificate ${applicationId}: upload the letter in the ` +
            "Tencent Cloud SSL certificate console (https://console.cloud.tencent.com/ssl, the certificate's 上传确认函), then remove the " +
            "ConfirmLetter resource from the program; the application moves on by itself once the CA has the letter",
          transient: false,
        });
      }
      throw err;
    }
    if (res.IsSuccess === false) {
      throw new Error(`tencent certificate ${applicationId}: UploadConfirmLetter answered IsSuccess false; check the letter and run \`pulumi up\` again`);
    }
  },
} satisfies ApplicationBackend;
