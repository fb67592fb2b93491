import { createHash } from "node:crypto";
import { isIP } from "node:net";
import { CloudApiError, isTransient } from "../../http/errors";
import type { KnownLive, ApplicationBackend, ImportedApplication, CheckFailure, CloudContext, ContentPlan, LiveApplication, SubmitResult } from "../../resources/backend";
import { describeCertificate } from "../../resources/certificate";
import { canonical, contentHash, given as known, normalizeInputs } from "../../resources/normalize";
import { sleep } from "../../resources/wait";
import { UNKNOWN, type ApplicationInputs, type ApplicationOutputs, type Contact, type CloudCertificate, type ValidationRecord } from "../../resources/types";
import { HuaweiClient, issuedCertificates } from "./client";
import { ApplyCertificateModel, CancelCertificateModel, CreateTagModel, ExportCertificateModel, ListTagsModel, ShowCertificateModel, type ShowCertificate } from "./models";
import { inNameOrder } from "../records";
import { APPLICABLE, APPLIED, normaliseStatus, WITHDRAWABLE } from "./status";
import { buyOrFind, nextOfMultiYear, unsubscribe } from "./purchase";

/** SCM certificate ids are exactly 16 characters (path parameter min 16, max 16). */
const CERTIFICATE_ID_LENGTH = 16;
const VALIDATION_METHODS = ["DNS", "FILE", "EMAIL"] as const;
/** `sans` is a `;`-joined string of at most 4096 characters (ApplyCertificateRequestBody). */
const MAX_SANS_CHARS = 4096;
/** inferred: no documented cap on the number of SANs; multi-domain products top out at 100 names, so more is refused early. */
const MAX_SANS = 100;
/**
 * `applicant_name` (ApplyCertificateRequestBody, Go model ≥ 0.1.93, Python huaweicloudsdkscm 3.1.219): "请输入中文、英文字符，
 * 下划线，中划线，英文逗号，英文句点，且长度为4到100字节": Chinese or Latin letters, `_ - , .`, 4–100 bytes; no space.
 */
const APPLICANT_NAME_CHARS = /^[\p{Script=Han}A-Za-z_\-,.]+$/u;
const APPLICANT_NAME_BYTES = [4, 100] as const;
/** Joins first and last name in applicant_name: the model allows no space, `_` is allowed. */
const APPLICANT_NAME_JOIN = "_";
/** `contact_name`, `company_*`: "字符长度为0~63位". */
const MAX_FIELD_CHARS = 63;
const DEFAULT_WAIT_SECONDS = 600;
/**
 * The tag marking which resource applied for a certificate (CreateCertificateTagRequest: resource_id is the
 * certificate id). Its value is a hash of `ownerKey`: tag values allow only letters, digits, spaces and `_ . : = + - @`.
 */
export const OWNER_TAG_KEY = "certapply-owner";

/**
 * The tag naming the last update-time apply of a resource (its content and `resubmitTrigger`), written just before
 * that apply: a re-run finding it on an application under review knows the apply landed (issue 17 item 3).
 */
export const APPLY_TAG_KEY = "certapply-apply";

/**
 * The tag a renewal's certificate carries: the id of the certificate it renews (ids are letters and digits, allowed
 * in tag values), so an import of the new certificate names the one it renewed (`renewedFrom`).
 */
export const RENEWS_TAG_KEY = "certapply-renews";

/** The apply tag value of `inputs`: a hash of the owner key, the content and `resubmitTrigger`; none without an owner key. */
export function applyTagValue(inputs: ApplicationInputs): string | undefined {
  if (!inputs.ownerKey) return undefined;
  return createHash("sha256")
    .update(`${contentHash(inputs, inputs.ownerKey)}\n${inputs.resubmitTrigger ?? ""}`)
    .digest("hex")
    .slice(0, 40);
}

/** The owner tag value of a resource's `ownerKey`. */
export function ownerTagValue(ownerKey: string): string {
  return createHash("sha256").update(ownerKey).digest("hex").slice(0, 40);
}

/**
 * What a successful apply implies until the next read: the application is under review (user guide: apply →
 * domain validation). The validation records come with the next read.
 */
const APPLIED_LIVE: LiveApplication = {
  status: "under-review",
  rawStatus: "CHECKING",
  statusMessage: "application submitted (apply accepted); the CA reviews it",
  validationRecords: [],
};

/** True when every name is an IP address: SCM's "pure IP" certificates, the only ones validated by FILE. */
function pureIp(names: string[]): boolean {
  return names.length > 0 && names.every((n) => isIP(n) !== 0);
}

/**
 * Validates the Huawei rules of normalised inputs; values equal to UNKNOWN are skipped. Field formats
 * (e-mail, country) are the common check's (provider/resources/schema.ts). No message repeats a personal value.
 */
export function validateHuawei(inputs: ApplicationInputs): CheckFailure[] {
  const f: CheckFailure[] = [];
  const id = inputs.certificateId;
  if (inputs.purchase !== undefined && inputs.purchase !== null) {
    if (id !== undefined && id !== "") f.push({ property: "purchase", reason: "set exactly one of certificateId (a certificate already bought) and purchase (buy one at create); remove one of them" });
    else f.push(...purchaseFailures(inputs));
  } else if (id === undefined || id === "") {
    f.push({ property: "certificateId", reason: "huawei needs the id of a purchased certificate in status PAID (16 characters, e.g. scs1554192131150), or purchase to buy one at create" });
  } else if (id !== UNKNOWN && id.length !== CERTIFICATE_ID_LENGTH) {
    f.push({ property: "certificateId", reason: `huawei certificate ids are exactly 16 characters; "${id}" has ${id.length}` });
  } else if (id !== UNKNOWN && !/^[A-Za-z0-9]+$/.test(id)) {
    f.push({ property: "certificateId", reason: "huawei certificate ids are letters and digits only" });
  }
  const vm = inputs.validationMethod;
  const names = [inputs.commonName, ...(Array.isArray(inputs.dnsNames) ? inputs.dnsNames : [])].filter((n): n is string => typeof n === "string");
  if (known(vm) && !VALIDATION_METHODS.includes(String(vm).toUpperCase() as (typeof VALIDATION_METHODS)[number])) {
    f.push({ property: "validationMethod", reason: `huawei accepts DNS, FILE or EMAIL; got "${vm}"` });
  } else if (!names.includes(UNKNOWN) && vm !== UNKNOWN) {
    const method = String(vm ?? "DNS").toUpperCase();
    // ApplyCertificateRequestBody.domain_method: "仅纯IP证书支持文件验证" and pure-IP certificates support only FILE.
    if (method === "FILE" && !pureIp(names)) {
      f.push({ property: "validationMethod", reason: "huawei allows FILE validation only for a pure-IP certificate (every name an IP address); use DNS or EMAIL for domain names" });
    } else if (method !== "FILE" && pureIp(names)) {
      f.push({ property: "validationMethod", reason: "huawei validates a pure-IP certificate only by FILE" });
    }
  }
  const admin = inputs.admin;
  if (admin === undefined || (admin as unknown) === UNKNOWN) {
    if (admin === undefined) f.push({ property: "admin", reason: "huawei requires the applicant: admin.firstName, admin.lastName, admin.email and admin.phone" });
  } else {
    if (!known(admin.firstName) && !known(admin.lastName) && admin.firstName !== UNKNOWN && admin.lastName !== UNKNOWN) {
      f.push({ property: "admin.firstName", reason: "huawei requires the applicant's name (admin.firstName and admin.lastName → applicant_name)" });
    } else if (admin.firstName !== UNKNOWN && admin.lastName !== UNKNOWN) {
      f.push(...applicantNameFailures(admin));
    }
    if (admin.email === undefined || admin.email === "") f.push({ property: "admin.email", reason: "huawei requires the applicant e-mail (admin.email → applicant_email)" });
    else if (admin.email !== UNKNOWN && admin.email.length > 256) f.push({ property: "admin.email", reason: "huawei allows at most 256 characters in admin.email" });
    if (admin.phone === undefined || admin.phone === "") f.push({ property: "admin.phone", reason: "huawei requires the applicant phone (admin.phone → applicant_phone)" });
  }
  const tech = inputs.tech;
  if (tech && (tech as unknown) !== UNKNOWN && tech.firstName !== UNKNOWN && tech.lastName !== UNKNOWN) {
    const chars = [...personName(tech)].length;
    if (chars > MAX_FIELD_CHARS) {
      f.push({ property: "tech.lastName", reason: `huawei contact_name ("<tech.firstName> <tech.lastName>") must be at most ${MAX_FIELD_CHARS} characters; the given name is ${chars}` });
    }
  }
  const org = inputs.organization;
  if (org && (org as unknown) !== UNKNOWN) {
    const given = Object.values(org).some(known);
    if (given) {
      const need: [keyof typeof org, string][] = [
        ["name", "company_name"],
        ["region", "company_province"],
        ["city", "company_city"],
        ["country", "country"],
      ];
      for (const [k, api] of need) {
        if (org[k] === undefined || org[k] === "") f.push({ property: `organization.${k}`, reason: `huawei OV/EV applications require ${api} (organization.${k})` });
      }
      for (const k of ["name", "division", "region", "city"] as const) {
        const v = org[k];
        if (known(v) && [...String(v)].length > MAX_FIELD_CHARS) f.push({ property: `organization.${k}`, reason: `huawei allows at most ${MAX_FIELD_CHARS} characters in organization.${k}` });
      }
    }
  }
  const sans = Array.isArray(inputs.dnsNames) ? inputs.dnsNames.filter((n) => n !== inputs.commonName) : [];
  if (!sans.includes(UNKNOWN)) {
    if (sans.length > MAX_SANS) f.push({ property: "dnsNames", reason: `huawei: at most ${MAX_SANS} extra names; got ${sans.length}` });
    const joined = sans.join(";");
    if (joined.length > MAX_SANS_CHARS) f.push({ property: "dnsNames", reason: `huawei: the extra names joined with ';' must fit in ${MAX_SANS_CHARS} characters; they take ${joined.length}` });
  }
  if (known(inputs.commonName) && String(inputs.commonName).length > 255) {
    f.push({ property: "commonName", reason: "huawei: the domain must be at most 255 characters" });
  }
  return f;
}

/** SINGLE_DOMAIN and WILDCARD purchases cover one domain, MULTI_DOMAIN 2 to 100 (PurchaseCertificateRequestBody.domain_numbers). */
const MULTI_DOMAIN_RANGE = [2, 100] as const;

/** The purchase block's cross-field rules (its enums and ranges are the common check's, from spec.ts). */
function purchaseFailures(inputs: ApplicationInputs): CheckFailure[] {
  const f: CheckFailure[] = [];
  const p = inputs.purchase ?? {};
  const count = typeof p.domainCount === "number" ? p.domainCount : undefined;
  const type = ["SINGLE_DOMAIN", "MULTI_DOMAIN", "WILDCARD"].includes(String(p.domainType)) ? p.domainType : undefined;
  if (count !== undefined && type !== undefined) {
    const [lo, hi] = MULTI_DOMAIN_RANGE;
    if (type === "MULTI_DOMAIN" && (count < lo || count > hi)) {
      f.push({ property: "purchase.domainCount", reason: `huawei MULTI_DOMAIN purchases cover ${lo} to ${hi} domains; got ${count}` });
    } else if (type !== "MULTI_DOMAIN" && count !== 1) {
      f.push({ property: "purchase.domainCount", reason: `huawei ${type} purchases cover exactly 1 domain: set domainCount to 1, or domainType to MULTI_DOMAIN` });
    }
  }
  const names = [inputs.commonName, ...(Array.isArray(inputs.dnsNames) ? inputs.dnsNames : [])].filter((n): n is string => typeof n === "string");
  if (!names.includes(UNKNOWN) && f.length === 0) {
    const distinct = new Set(names).size;
    if (count !== undefined && distinct > count) {
      f.push({ property: "purchase.domainCount", reason: `commonName and dnsNames name ${distinct} domains but domainCount is ${count}: raise domainCount or remove names` });
    }
    if (p.domainType === "WILDCARD" && !names.every((n) => n.startsWith("*."))) {
      f.push({ property: "purchase.domainType", reason: "a WILDCARD purchase covers one wildcard name (*.example.com): use SINGLE_DOMAIN for a plain name" });
    }
  }
  return f;
}

/** `"<firstName> <lastName>"`, as sent in contact_name (0–63 characters, no character set in the model). */
function personName(p: Contact): string {
  return [p.firstName, p.lastName].filter((x) => x !== undefined && x !== "").join(" ").trim();
}

/** `"<firstName>_<lastName>"` (or the one given), as sent in applicant_name. */
export function applicantName(p: Contact): string {
  return [p.firstName, p.lastName].filter((x) => x !== undefined && x !== "").join(APPLICANT_NAME_JOIN);
}

/** The applicant_name rules of the model, each failure naming the field to fix; no message repeats the name. */
function applicantNameFailures(admin: Contact): CheckFailure[] {
  const f: CheckFailure[] = [];
  for (const k of ["firstName", "lastName"] as const) {
    const v = admin[k];
    if (v !== undefined && v !== "" && !APPLICANT_NAME_CHARS.test(v)) {
      f.push({
        property: `admin.${k}`,
        reason: `huawei sends admin.firstName and admin.lastName as applicant_name, which may hold only Chinese or Latin letters (A-Z, a-z), "_", "-", "," and "." (no space, digit or accented letter): write admin.${k} with these characters only`,
      });
    }
  }
  const bytes = Buffer.byteLength(applicantName(admin), "utf8");
  if (bytes < APPLICANT_NAME_BYTES[0] || bytes > APPLICANT_NAME_BYTES[1]) {
    f.push({
      property: "admin.lastName",
      reason: `huawei applicant_name ("<admin.firstName>_<admin.lastName>") must be ${APPLICANT_NAME_BYTES[0]} to ${APPLICANT_NAME_BYTES[1]} bytes in UTF-8 (a Chinese character takes 3); the given name takes ${bytes}`,
    });
  }
  return f;
}

/** The personal values of the inputs: never repeated in an error message. */
function personal(inputs: ApplicationInputs): string[] {
  const out: string[] = [];
  for (const p of [inputs.admin, inputs.tech]) {
    if (!p) continue;
    out.push(personName(p), applicantName(p), p.firstName ?? "", p.lastName ?? "", p.email ?? "", p.phone ?? "");
  }
  return out.filter((s) => s !== "");
}

/** The body of `POST /v3/scm/certificates/{id}/apply`; always agrees to privacy protection. */
export function applyBody(inputs: ApplicationInputs): Record<string, unknown> {
  const org = inputs.organization ?? {};
  const admin = inputs.admin ?? {};
  const tech = inputs.tech ?? {};
  const sans = (inputs.dnsNames ?? []).filter((n) => n !== inputs.commonName);
  const body: Record<string, unknown> = {
    domain: inputs.commonName,
    sans: sans.length > 0 ? sans.join(";") : undefined,
    csr: inputs.csr,
    company_name: org.name,
    company_unit: org.division,
    company_province: org.region,
    company_city: org.city,
    country: org.country?.toUpperCase(),
    applicant_name: applicantName(admin),
    applicant_phone: admin.phone,
    applicant_email: admin.email,
    contact_name: personName(tech) || undefined,
    contact_phone: tech.phone,
    contact_email: tech.email,
    auto_dns_auth: inputs.huawei?.autoDnsAuth,
    key_algorithm: inputs.huawei?.keyAlgorithm,
    ca_hash_algorithm: inputs.huawei?.caHashAlgorithm,
    agree_privacy_protection: true,
    domain_method: (inputs.validationMethod ?? "DNS").toUpperCase(),
  };
  for (const k of Object.keys(body)) if (body[k] === undefined || body[k] === "") delete body[k];
  return body;
}

/** Maps `authentification` entries to validation records. */
export function validationRecords(detail: ShowCertificate): ValidationRecord[] {
  const method = String(detail.validation_method ?? "").toUpperCase();
  const out: ValidationRecord[] = [];
  for (const a of detail.authentification ?? []) {
    const rt = String(a.record_type ?? "").toUpperCase();
    const type: ValidationRecord["type"] =
      rt === "TXT" || rt === "CNAME" ? rt : method === "FILE" || rt === "FILE" ? "FILE" : method === "EMAIL" || rt === "EMAIL" ? "EMAIL" : "TXT";
    out.push({ domain: String(a.domain ?? detail.domain ?? ""), type, name: String(a.record_name ?? ""), value: String(a.record_value ?? "") });
  }
  return inNameOrder(out, [detail.domain ?? "", ...(detail.sans ?? "").split(";").map((n) => n.trim())]);
}

function toLive(detail: ShowCertificate): LiveApplication {
  const n = normaliseStatus(detail.status);
  return { status: n.status, rawStatus: n.rawStatus, statusMessage: n.message, validationRecords: validationRecords(detail) };
}

/**
 * The live application of a certificate read; an issued one carries its certificate (exported once, see `issued`).
 * The status is the read's alone: an export that fails (e.g. refused by a narrower IAM policy) leaves the certificate
 * outputs as they were and says so in the status message.
 */
async function liveOf(c: HuaweiClient, d: ShowCertificate, previous?: CloudCertificate): Promise<LiveApplication> {
  const live = toLive(d);
  if (d.status !== "ISSUED") return live;
  try {
    live.certificate = await issued(c, d, previous);
  } catch (err) {
    if (!(err instanceof CloudApiError)) throw err;
    const code = err.code ? ` (${err.code})` : "";
    live.statusMessage =
      `${live.statusMessage}; the issued certificate could not be exported${code}, so its certificate outputs are not filled: ` +
      `allow scm:cert:export for these credentials, then run pulumi refresh`;
  }
  return live;
}

/**
 * The issued certificate: the one already known when the read's SHA-1 `fingerprint` matches it (state or this
 * process), else the export call (POST …/export, ExportCertificateResponse) once, described from its PEM.
 */
async function issued(c: HuaweiClient, d: ShowCertificate, previous?: CloudCertificate): Promise<CloudCertificate> {
  const thumbprint = (d.fingerprint ?? "").toUpperCase();
  if (previous?.certificatePem && thumbprint !== "" && (previous.thumbprint ?? "").toUpperCase() === thumbprint) return previous;
  const key = `${c.endpoint}|${d.id}|${thumbprint}`;
  const cached = thumbprint !== "" ? issuedCertificates.get(key) : undefined;
  if (cached) return cached;
  const x = await c.call({ method: "POST", path: certPath(d.id, "/export"), action: "ExportCertificate" }, ExportCertificateModel);
  const pem = x.certificate ?? x.entire_certificate ?? "";
  let cert: CloudCertificate;
  try {
    cert = describeCertificate(pem, { chainPem: x.certificate_chain ?? undefined, privateKeyPem: x.private_key ?? undefined, thumbprint: thumbprint || undefined });
  } catch {
    throw new CloudApiError({
      cloud: "huawei",
      action: "ExportCertificate",
      code: "InvalidReply",
      message: `certificate ${d.id}: the exported certificate is not a PEM X.509 certificate; nothing was stored`,
      transient: true,
    });
  }
  if (thumbprint !== "") issuedCertificates.set(key, cert);
  return cert;
}

function certPath(id: string, suffix = ""): string {
  return `/v3/scm/certificates/${encodeURIComponent(id)}${suffix}`;
}

function client(ctx: CloudContext): HuaweiClient {
  return new HuaweiClient(ctx.config, ctx.transport);
}

/**
 * True for SCM's own "not found": HTTP 404 with SCM's error body (`error_code` `SCM.*`, the Go SDK's
 * ServiceResponseError ErrorCode). A 404 with the API gateway's code (`APIG.*`) or no error body is the gateway's.
 */
export function isScmNotFound(err: unknown): boolean {
  return err instanceof CloudApiError && err.httpStatus === 404 && err.code.startsWith("SCM.");
}

/** `undefined` for SCM's own not-found; a 404 the gateway answered is thrown as a transient error. */
function notFoundOrThrow(err: unknown): undefined {
  if (isScmNotFound(err)) return undefined;
  if (err instanceof CloudApiError && err.httpStatus === 404) {
    throw new CloudApiError({
      cloud: "huawei",
      action: err.action,
      code: err.code,
      message: `${err.cloudMessage} (HTTP 404 without an SCM error code: the gateway's answer, not the certificate's; not taken as "gone")`,
      httpStatus: 404,
      requestId: err.requestId,
      transient: true,
    });
  }
  throw err;
}

/** GET detail (ShowCertificateResponse); `undefined` on SCM's own 404 for an unknown certificate id (`isScmNotFound`). */
export async function getCertificate(c: HuaweiClient, id: string): Promise<ShowCertificate | undefined> {
  try {
    return await c.call({ method: "GET", path: certPath(id), action: "ShowCertificate" }, ShowCertificateModel);
  } catch (err) {
    return notFoundOrThrow(err);
  }
}

async function requireCertificate(c: HuaweiClient, id: string): Promise<ShowCertificate> {
  const d = await getCertificate(c, id);
  if (!d) {
    throw new CloudApiError({
      cloud: "huawei",
      action: "ShowCertificate",
      code: "NotFound",
      message: `certificate ${id} does not exist in this account; certificateId must name a purchased certificate (status PAID)`,
      httpStatus: 404,
      transient: false,
    });
  }
  return d;
}

function deadline(inputs: { waitTimeoutSeconds?: number }): number {
  const s = typeof inputs.waitTimeoutSeconds === "number" && inputs.waitTimeoutSeconds > 0 ? inputs.waitTimeoutSeconds : DEFAULT_WAIT_SECONDS;
  return Date.now() + s * 1000;
}

/**
 * Polls GET until the status is not CANCELCHECKING (a withdrawal settled), or the deadline passes. `read`: a read
 * just made (withdraw's read-back), taken as the first poll.
 */
async function waitWithdrawalSettled(ctx: CloudContext, c: HuaweiClient, id: string, until: number, read?: ShowCertificate): Promise<ShowCertificate | undefined> {
  for (let d = read ?? (await getCertificate(c, id)); ; d = await getCertificate(c, id)) {
    if (!d || d.status !== "CANCELCHECKING") return d;
    if (Date.now() >= until) {
      throw new CloudApiError({
        cloud: "huawei",
        action: "cancel-cert",
        code: "WithdrawalTimeout",
        message: `the withdrawal of certificate ${id} was still under review (CANCELCHECKING) when waitTimeoutSeconds ran out; run again later`,
        transient: false,
      });
    }
    ctx.log(`huawei: certificate ${id}: withdrawal under review, waiting`);
    await sleep(ctx.pollIntervalMs);
  }
}

/** Statuses showing that a withdrawal landed: under review, or settled back to PAID. */
const WITHDRAWN: ReadonlySet<string> = new Set(["CANCELCHECKING", "PAID"]);

/** Cancel-certs sent at most, each after a read showed the application still withdrawable. */
const WITHDRAW_ATTEMPTS = 3;

/**
 * Sends cancel-cert, tolerating a lost reply: after a failure that may hide a landed withdrawal, and after
 * SCM.0010, the certificate is read; CANCELCHECKING or PAID counts as withdrawn (that read is returned). A
 * refusal, or a status that is no longer withdrawable (the CA went on), returns the status read.
 */
async function withdraw(c: HuaweiClient, id: string): Promise<{ withdrawn: true; read?: ShowCertificate } | { withdrawn: false; status: string | undefined }> {
  for (let attempt = 1; ; attempt++) {
    try {
      await c.call({ method: "POST", path: certPath(id, "/cancel-cert"), action: "CancelCertificateRequest", maxRetries: 0 }, CancelCertificateModel);
      return { withdrawn: true };
    } catch (err) {
      const refused = err instanceof CloudApiError && err.code === "SCM.0010";
      if (!refused && !isTransient(err)) throw err;
      const d = await getCertificate(c, id);
      if (d && WITHDRAWN.has(d.status)) return { withdrawn: true, read: d };
      if (!refused && d && WITHDRAWABLE.has(d.status) && attempt < WITHDRAW_ATTEMPTS) continue;
      if (refused || (d && !WITHDRAWABLE.has(d.status))) return { withdrawn: false, status: d?.status };
      throw err;
    }
  }
}

/** Applies sent at most, each after a read showed the certificate still waits for one. */
const APPLY_ATTEMPTS = 3;

/**
 * Tags the certificate with the owner (if any) unless it already carries that tag, then applies, tolerating a lost
 * reply: SCM.0010 after the fact is taken as done when the certificate now holds an application for our domain
 * with our tag; the read that showed it is returned (else nothing: the apply's reply settles it).
 */
async function apply(c: HuaweiClient, id: string, inputs: ApplicationInputs, update?: CloudContext): Promise<ShowCertificate | undefined> {
  const owner = inputs.ownerKey ? ownerTagValue(inputs.ownerKey) : undefined;
  // An imported application, or one made before the tag existed, gets it here, so a lost reply is recognised.
  if (owner !== undefined) await markOwner(c, id, owner);
  // An update's apply is named first, so a re-run after it landed (and the run then failed) recognises it. Without
  // the name a re-run withdraws and applies again, as before: a failed write only warns.
  const attempt = update ? applyTagValue(inputs) : undefined;
  if (update && attempt !== undefined) {
    await writeTag(c, id, APPLY_TAG_KEY, attempt).catch((err: unknown) =>
      update.log(`warning: huawei: certificate ${id}: could not tag this apply (${(err as Error).message}); a re-run after a failure would apply again`),
    );
  }
  const ours = async (d: ShowCertificate | undefined) =>
    !!d && APPLIED.has(d.status) && sameDomain(d.domain, inputs.commonName) && (owner === undefined || (await ownerTag(c, id)) === owner);
  for (let attempt = 1; ; attempt++) {
    try {
      // Sent once per attempt: after a failure that may hide an applied write, the certificate is read first.
      const reply = await c.call(
        { method: "POST", path: certPath(id, "/apply"), action: "ApplyCertificate", body: applyBody(inputs), secrets: personal(inputs), maxRetries: 0 },
        ApplyCertificateModel,
      );
      if (reply.request_info !== undefined && reply.request_info !== null && reply.request_info !== "success") {
        throw new CloudApiError({ cloud: "huawei", action: "ApplyCertificate", code: "ApplyNotAccepted", message: `SCM answered request_info=${reply.request_info}`, transient: false });
      }
      return undefined;
    } catch (err) {
      if (isTransient(err)) {
        const d = await getCertificate(c, id);
        if (await ours(d)) return d;
        if (d && APPLICABLE.has(d.status) && attempt < APPLY_ATTEMPTS) continue;
        throw err;
      }
      if (err instanceof CloudApiError && err.code === "SCM.0010") {
        const d = await getCertificate(c, id);
        if (await ours(d)) return d;
        throw new CloudApiError({
          cloud: "huawei",
          action: "ApplyCertificate",
          code: err.code,
          message: `${err.cloudMessage} — certificate ${id} is in status ${d?.status ?? "(gone)"}; SCM accepts an application only in PAID (or after a rejection, UNPASSED)`,
          requestId: err.requestId,
          httpStatus: err.httpStatus,
          transient: false,
        });
      }
      throw err;
    }
  }
}

/** The certapply owner tag of a certificate, if any (ListTagsByCertificate). */
async function ownerTag(c: HuaweiClient, id: string): Promise<string | undefined> {
  return tagOf(c, id, OWNER_TAG_KEY);
}

/** Whether SCM still holds the certificate, asked through its tags (ListTagsByCertificate), not the read that said not-found. */
export async function stillHeld(c: HuaweiClient, id: string): Promise<boolean> {
  try {
    await ownerTag(c, id);
    return true;
  } catch (err) {
    if (notFoundOrThrow(err) === undefined) return false;
    throw err;
  }
}

/** A tag of a certificate, if it has it (ListTagsByCertificate). */
async function tagOf(c: HuaweiClient, id: string, key: string): Promise<string | undefined> {
  const r = await c.call({ method: "GET", path: `/v3/scm/${encodeURIComponent(id)}/tags`, action: "ListTagsByCertificate" }, ListTagsModel);
  return (r.tags ?? []).find((t) => t.key === key)?.value ?? undefined;
}

/**
 * Marks the certificate as this resource's before applying (a re-run after a lost apply reply finds the mark). The
 * write is sent without a read first: that a tag with an existing key is replaced is inferred (RULES S23), so a
 * failed write is read back, and a certificate already carrying this mark counts as marked.
 */
async function markOwner(c: HuaweiClient, id: string, owner: string): Promise<void> {
  await writeTag(c, id, OWNER_TAG_KEY, owner);
}

/** Writes a tag (CreateCertificateTag); a failed write is read back, and a tag already holding the value counts as written. */
export async function writeTag(c: HuaweiClient, id: string, key: string, value: string): Promise<void> {
  try {
    await c.call({ method: "POST", path: `/v3/scm/${encodeURIComponent(id)}/tags`, action: "CreateCertificateTag", body: { tag: { key, value } } }, CreateTagModel);
  } catch (err) {
    if (!(err instanceof CloudApiError) || (await tagOf(c, id, key)) !== value) throw err;
  }
}

/**
 * True when the application under review is the one an earlier run's update applied with `inputs` (its apply tag,
 * written just before that apply, names them; the domain is theirs): the apply landed and that run then failed.
 */
async function appliedEarlier(c: HuaweiClient, id: string, inputs: ApplicationInputs, rawStatus: string): Promise<boolean> {
  const attempt = applyTagValue(inputs);
  if (attempt === undefined || !APPLIED.has(rawStatus)) return false;
  if ((await tagOf(c, id, APPLY_TAG_KEY)) !== attempt) return false;
  const d = await getCertificate(c, id);
  return !!d && APPLIED.has(d.status) && echoedMatch(d, inputs);
}

/** True when what SCM echoes of the application (domains, method, applicant and contact) is what `inputs` declare. */
function echoedMatch(d: ShowCertificate, inputs: ApplicationInputs): boolean {
  const held = inputsFromCertificate(d);
  const want = normalizeInputs(inputs);
  const view = (i: ApplicationInputs) =>
    canonical({
      commonName: i.commonName,
      dnsNames: (i.dnsNames ?? []).filter((n) => n !== i.commonName),
      validationMethod: String(i.validationMethod ?? "DNS").toUpperCase(),
      admin: [i.admin?.email ?? "", i.admin?.phone ?? ""],
      tech: [i.tech?.email ?? "", i.tech?.phone ?? ""],
    });
  return view(held) === view(want);
}

function sameDomain(a: string | undefined | null, b: string | undefined): boolean {
  return (a ?? "").toLowerCase() === (b ?? "").toLowerCase();
}

/**
 * The live status after an apply: the read it needed (lost reply), else one read for the validation records the
 * user needs now (a no-change `up` would otherwise store them later as a moved status); if that read fails, what
 * the accepted apply implies.
 */
async function afterApply(c: HuaweiClient, id: string, read: ShowCertificate | undefined): Promise<LiveApplication> {
  if (read) return liveOf(c, read);
  try {
    const d = await getCertificate(c, id);
    if (d) return await liveOf(c, d);
  } catch {
    // Whatever failed the read (a drop, a garbled reply), the apply was accepted: it must not fail the step.
  }
  return { ...APPLIED_LIVE };
}

/**
 * Withdraw → wait for PAID → apply with `inputs`, starting from the live status the resource layer read.
 * Throws when the CA issued before the withdrawal landed.
 */
async function withdrawAndApply(ctx: CloudContext, c: HuaweiClient, id: string, inputs: ApplicationInputs, live: LiveApplication): Promise<LiveApplication> {
  const until = deadline(inputs);
  let status = live.rawStatus;
  if (await appliedEarlier(c, id, inputs, status)) {
    ctx.log(`huawei: certificate ${id}: the application under review (${status}) is the one an earlier run applied with these inputs; it is not withdrawn or applied again`);
    return live;
  }
  if (WITHDRAWABLE.has(status)) {
    ctx.log(`huawei: certificate ${id}: withdrawing the application (cancel-cert) before applying again`);
    const w = await withdraw(c, id);
    status = (w.withdrawn ? (await waitWithdrawalSettled(ctx, c, id, until, w.read))?.status : w.status) ?? status;
  } else if (status === "CANCELCHECKING") {
    status = (await waitWithdrawalSettled(ctx, c, id, until))?.status ?? status;
  }
  if (!APPLICABLE.has(status)) {
    throw new CloudApiError({
      cloud: "huawei",
      action: "ApplyCertificate",
      code: "NotApplicable",
      message:
        status === "ISSUED"
          ? `certificate ${id} was issued before the withdrawal landed (the CA approved first); the change was not applied. An issued certificate cannot take content changes: use a new purchased certificate`
          : `certificate ${id} is in status ${status}, where SCM neither withdraws nor accepts an application`,
      transient: false,
    });
  }
  ctx.log(`huawei: certificate ${id}: applying (status ${status})`);
  return afterApply(c, id, await apply(c, id, inputs, ctx));
}

/** First and last name from `"<first><sep><rest>"`, as certapply joins them in applicant_name (`_`) / contact_name (space). */
function splitName(name: string | null | undefined, sep: string): Pick<Contact, "firstName" | "lastName"> {
  const n = (name ?? "").trim();
  if (n === "") return {};
  const at = n.indexOf(sep);
  return at < 0 ? { firstName: n } : { firstName: n.slice(0, at), lastName: n.slice(at + 1).trim() };
}

/** The inputs an application was submitted with, as far as the certificate read reports them. */
function inputsFromCertificate(d: ShowCertificate): ApplicationInputs {
  const info = d.application_info ?? {};
  const sans = (d.sans ?? "").split(";").map((s) => s.trim()).filter((s) => s !== "");
  const contact = (name: string | null | undefined, sep: string, email: string | null | undefined, phone: string | null | undefined): Contact | undefined => {
    const p: Contact = { ...splitName(name, sep), email: email ?? undefined, phone: phone ?? undefined };
    return Object.values(p).some((v) => v !== undefined) ? p : undefined;
  };
  const org = { name: info.company_name ?? undefined, region: info.company_province ?? undefined, city: info.company_city ?? undefined, country: info.country ?? undefined };
  return normalizeInputs({
    cloud: "huawei",
    certificateId: d.id,
    commonName: d.domain ?? "",
    dnsNames: sans,
    validationMethod: d.validation_method ?? undefined,
    admin: contact(info.applicant_name, APPLICANT_NAME_JOIN, info.applicant_email, info.applicant_phone),
    tech: contact(info.contact_name, " ", info.contact_email, info.contact_phone),
    organization: Object.values(org).some((v) => v !== undefined) ? org : undefined,
  });
}

export const huaweiBackendImpl: ApplicationBackend = {
  cloud: "huawei",
  // SCM has no modify call, but a content change is done in place as withdraw → PAID → apply: nothing forces a replace.
  replaceFields: [],

  validate: validateHuawei,

  planContentChange(changed: string[], live: LiveApplication, _olds: ApplicationOutputs, _news: ApplicationInputs): ContentPlan {
    const raw = live.rawStatus;
    const what = changed.join(", ");
    if (raw === "PAID") return { kind: "update", description: `apply (POST …/apply) with the new ${what}: the certificate is PAID, nothing to withdraw` };
    if (raw === "UNPASSED") return { kind: "update", description: `apply again with the new ${what}: the previous application was rejected (UNPASSED)` };
    if (WITHDRAWABLE.has(raw)) {
      return {
        kind: "update",
        description: `SCM cannot modify an application: withdraw it (cancel-cert, status ${raw}) → wait until the certificate is back to PAID → apply again with the new ${what}`,
      };
    }
    if (raw === "CANCELCHECKING") return { kind: "update", description: `wait for the pending withdrawal to settle (PAID) → apply again with the new ${what}` };
    if (raw === "ISSUING") {
      return { kind: "refuse", reason: `the CA is about to issue certificate (status ISSUING) and SCM no longer allows a withdrawal; ${what} cannot change now` };
    }
    return {
      kind: "refuse",
      reason: `certificate is in status ${raw || "(none)"}, where SCM allows neither a withdrawal nor a new application; ${what} cannot change. Apply on a new purchased certificate (change certificateId)`,
    };
  },

  /**
   * One read (the status before the write, which adoption needs), then the owner tag and the apply. A certificate already applied for is adopted only when it carries this
   * resource's owner tag (`ownerKey`); without an `ownerKey` (not set by certapply), only by its domain.
   */
  async submit(ctx: CloudContext, declared: ApplicationInputs): Promise<SubmitResult> {
    const c = client(ctx);
    const bought = declared.purchase && !declared.certificateId;
    const inputs = bought ? { ...declared, certificateId: await buyOrFind(ctx, c, declared) } : declared;
    const id = String(inputs.certificateId ?? "");
    const owner = inputs.ownerKey ? ownerTagValue(inputs.ownerKey) : undefined;
    const d = await requireCertificate(c, id);
    const status = d.status;
    if (APPLIED.has(status)) {
      if (!sameDomain(d.domain, inputs.commonName)) {
        throw new CloudApiError({
          cloud: "huawei",
          action: "ApplyCertificate",
          code: "AlreadyApplied",
          message: `certificate ${id} already has an application for ${d.domain ?? "another domain"} (status ${status}), not for ${inputs.commonName}; withdraw it in the console or use another purchased certificate`,
          transient: false,
        });
      }
      if (owner !== undefined && (await ownerTag(c, id)) !== owner) {
        throw new CloudApiError({
          cloud: "huawei",
          action: "ApplyCertificate",
          code: "OwnedElsewhere",
          message:
            `certificate ${id} already has an application for ${d.domain} (status ${status}) that this resource did not submit (its ${OWNER_TAG_KEY} tag is missing or names another resource). ` +
            `One application belongs to one resource: use another purchased certificate in certificateId, or take this one over with pulumi import`,
          transient: false,
        });
      }
      ctx.log(`huawei: certificate ${id} already has an application for ${d.domain} (status ${status})${owner ? " with this resource's owner tag" : ""}; adopting it`);
      return { applicationId: id, adopted: true, live: await liveOf(c, d) };
    }
    if (status === "CANCELCHECKING") {
      await waitWithdrawalSettled(ctx, c, id, deadline(inputs));
    } else if (!APPLICABLE.has(status)) {
      throw new CloudApiError({
        cloud: "huawei",
        action: "ApplyCertificate",
        code: "NotApplicable",
        message: `certificate ${id} is in status ${status}; SCM accepts an application only for a purchased certificate in PAID`,
        transient: false,
      });
    }
    const read = await apply(c, id, inputs);
    return { applicationId: id, adopted: false, live: await afterApply(c, id, read) };
  },

  /**
   * One certificate read. Once ISSUED, the certificate comes from `previous` (state) when the read's SHA-1
   * fingerprint matches it, else from one export call.
   */
  async read(ctx: CloudContext, applicationId: string, previous?: KnownLive): Promise<LiveApplication | undefined> {
    const c = client(ctx);
    const d = await getCertificate(c, applicationId);
    return d ? liveOf(c, d, previous?.certificate) : undefined;
  },

  async applyContentChange(ctx: CloudContext, applicationId: string, _olds: ApplicationOutputs, news: ApplicationInputs, live: LiveApplication): Promise<LiveApplication> {
    return withdrawAndApply(ctx, client(ctx), applicationId, news, live);
  },

  async resubmit(ctx: CloudContext, applicationId: string, inputs: ApplicationInputs, live: LiveApplication): Promise<LiveApplication> {
    const c = client(ctx);
    if (APPLICABLE.has(live.rawStatus)) {
      ctx.log(`huawei: certificate ${applicationId}: applying again (status ${live.rawStatus})`);
      return afterApply(c, applicationId, await apply(c, applicationId, inputs, ctx));
    }
    // A resubmitTrigger change while the application is still under review: withdraw and apply again.
    return withdrawAndApply(ctx, c, applicationId, inputs, live);
  },

  /**
   * Renewal: SCM has no renew call; a renewal is a new purchase and a new apply (issue 18). Without `purchase` there
   * is nothing to pay with: a warning every run in the window. A multi-year purchase is renewed by SCM itself
   * (its next certificate is followed, nothing is bought).
   */
  planRenewal(live: LiveApplication, olds: ApplicationOutputs, news: ApplicationInputs) {
    const p = news.purchase;
    if (!p || news.certificateId) {
      return {
        kind: "wait" as const,
        reason:
          "warning: certapply renews on huawei only a certificate it buys: declare purchase { brand, type, domainType, domainCount, years } instead of certificateId " +
          "(a replace that buys a new certificate), or buy one in the console and change certificateId",
      };
    }
    if ((olds.purchase?.years ?? p.years ?? 1) > 1) {
      return { kind: "renew" as const, description: `bought for ${olds.purchase?.years ?? p.years} years, SCM renews by itself: follow its next certificate (renewal_cert_id), nothing is bought` };
    }
    return {
      kind: "renew" as const,
      description:
        `buy a new certificate (POST /v3/scm/certificates/buy: ${p.brand} ${p.type} ${p.domainType}, ${p.domainCount} domain(s), ${p.years} year(s); a paid order), ` +
        `tagged as this resource's renewal of the current one, then apply on it with the same inputs; the current certificate stays in service until the new one is issued (status ${live.rawStatus})`,
    };
  },

  async renew(ctx: CloudContext, currentId: string, _live: LiveApplication, olds: ApplicationOutputs, news: ApplicationInputs): Promise<LiveApplication | void> {
    const c = client(ctx);
    const years = olds.purchase?.years ?? news.purchase?.years ?? 1;
    let next: string | undefined;
    if (years > 1) {
      next = news.ownerKey ? await nextOfMultiYear(c, currentId, OWNER_TAG_KEY, ownerTagValue(news.ownerKey)) : undefined;
      if (!next) {
        ctx.log(`huawei: certificate ${currentId} was bought for ${years} years; SCM has not made its next certificate yet (renewal_cert_id empty): nothing is bought, looking again next run`);
        return;
      }
      ctx.log(`huawei: certificate ${currentId}: following SCM's own next certificate ${next} of the ${years}-year purchase`);
      await markRenewal(ctx, c, next, currentId);
      const d = await requireCertificate(c, next);
      if (news.ownerKey && (await ownerTag(c, next)) !== ownerTagValue(news.ownerKey)) await markOwner(c, next, ownerTagValue(news.ownerKey));
      if (APPLICABLE.has(d.status)) return { ...(await afterApply(c, next, await apply(c, next, { ...news, certificateId: next }))), certificateId: next, renewedFrom: currentId };
      return { ...(await liveOf(c, d)), certificateId: next, renewedFrom: currentId };
    }
    next = await buyOrFind(ctx, c, news, currentId);
    await markRenewal(ctx, c, next, currentId);
    const r = await huaweiBackendImpl.submit(ctx, { ...news, purchase: undefined, certificateId: next });
    ctx.log(`huawei: certificate ${next} renews ${currentId}; ${currentId} stays in service until ${next} is issued`);
    return { ...(r.live ?? (await liveOf(c, await requireCertificate(c, next)))), certificateId: next, renewedFrom: currentId };
  },

  /**
   * `pulumi import` / `.get()`: one certificate read and its tags (a renewal's certificate names the one it renewed:
   * `renewedFrom`), plus the export once issued; the inputs from what it reports.
   */
  async importApplication(ctx: CloudContext, applicationId: string): Promise<ImportedApplication | undefined> {
    const c = client(ctx);
    const d = await getCertificate(c, applicationId);
    if (!d) return undefined;
    if (!d.domain) {
      throw new CloudApiError({
        cloud: "huawei",
        action: "ShowCertificate",
        code: "NoApplication",
        message: `certificate ${applicationId} is in status ${d.status} with no application (no domain) to import; declare the application and run pulumi up instead`,
        transient: false,
      });
    }
    // The certificate a certapply renewal renewed, if this is one (its tag); tags not readable: not named.
    const renewedFrom = await tagOf(c, applicationId, RENEWS_TAG_KEY).catch(() => undefined);
    const live = await liveOf(c, d);
    return { inputs: inputsFromCertificate(d), live: renewedFrom ? { ...live, renewedFrom } : live };
  },

  /**
   * The lookup by the owner mark that confirms a certificate is gone: its tags (ListTagsByCertificate), another
   * path than the detail read. True when SCM answers them (the certificate exists); false on SCM's own 404.
   */
  async locate(ctx: CloudContext, applicationId: string): Promise<boolean> {
    return stillHeld(client(ctx), applicationId);
  },

  async cancel(ctx: CloudContext, applicationId: string, olds: ApplicationOutputs, live: LiveApplication | undefined): Promise<void> {
    const c = client(ctx);
    if (!live) return;
    const status = live.rawStatus;
    if (olds.purchase && !olds.certificateId) return refundPurchase(ctx, c, applicationId, olds, status);
    if (status === "CANCELCHECKING") {
      await settleAfterWithdrawal(ctx, c, applicationId, olds);
      return;
    }
    if (!WITHDRAWABLE.has(status)) {
      ctx.log(
        `warning: huawei certificate ${applicationId} is in status ${status || "(none)"}, which SCM does not allow to withdraw; ` +
          `left as it is (certapply never deletes or refunds a purchased certificate)`,
      );
      return;
    }
    ctx.log(`huawei: certificate ${applicationId}: withdrawing the application (cancel-cert)`);
    const w = await withdraw(c, applicationId);
    if (!w.withdrawn) {
      ctx.log(`warning: huawei certificate ${applicationId}: SCM did not withdraw the application (status now ${w.status ?? "(gone)"}); left as it is`);
      return;
    }
    await settleAfterWithdrawal(ctx, c, applicationId, olds, w.read);
  },
};

/**
 * Delete of a certificate this resource bought (`onDelete: cancel`): an application under way is withdrawn first,
 * then a certificate back in PAID (or UNPASSED) is unsubscribed (refunded); an issued one is left in service.
 */
async function refundPurchase(ctx: CloudContext, c: HuaweiClient, id: string, olds: ApplicationOutputs, status: string): Promise<void> {
  let now: string | undefined = status;
  if (WITHDRAWABLE.has(status) || status === "CANCELCHECKING") {
    let read: ShowCertificate | undefined;
    if (status !== "CANCELCHECKING") {
      ctx.log(`huawei: certificate ${id}: withdrawing the application (cancel-cert) before the refund`);
      const w = await withdraw(c, id);
      if (!w.withdrawn) {
        ctx.log(`warning: huawei certificate ${id}: SCM did not withdraw the application (status now ${w.status ?? "(gone)"}); not refunded, left as it is`);
        return;
      }
      read = w.read;
    }
    now = (await waitWithdrawalSettled(ctx, c, id, deadline(olds), read))?.status;
    // One reply that it is gone decides nothing: read again, and wait on if the withdrawal is still under review.
    for (let attempt = 1; now === undefined && attempt <= 2; attempt++) {
      await sleep(ctx.pollIntervalMs);
      const d = await getCertificate(c, id);
      now = d && (await waitWithdrawalSettled(ctx, c, id, deadline(olds), d))?.status;
    }
  }
  if (now === undefined) return;
  if (now === "PAID" || now === "UNPASSED") {
    await unsubscribe(ctx, c, id);
    ctx.log(`huawei: certificate ${id}: unsubscribed (the purchase is refunded)`);
    return;
  }
  ctx.log(
    now === "ISSUED" || now === "ISSUING"
      ? `warning: huawei certificate ${id} was bought by this resource and is ${now === "ISSUED" ? "issued" : "being issued"}: it is left in service, not refunded`
      : `warning: huawei certificate ${id} was bought by this resource and is in status ${now}, which SCM does not refund; left as it is`,
  );
}

/** Names on a renewal's certificate the one it renews (for import); a failed write only warns. */
async function markRenewal(ctx: CloudContext, c: HuaweiClient, id: string, renews: string): Promise<void> {
  await writeTag(c, id, RENEWS_TAG_KEY, renews).catch((err: unknown) =>
    ctx.log(`warning: huawei: certificate ${id}: could not tag it as the renewal of ${renews} (${(err as Error).message}); an import of it will not name ${renews}`),
  );
}

async function settleAfterWithdrawal(ctx: CloudContext, c: HuaweiClient, id: string, olds: ApplicationOutputs, read?: ShowCertificate): Promise<void> {
  const d = await waitWithdrawalSettled(ctx, c, id, deadline(olds), read);
  const status = d?.status;
  if (status === "ISSUED" || status === "ISSUING") {
    ctx.log(`warning: huawei certificate ${id}: the CA approved before the withdrawal landed (status ${status}); the certificate is left as it is`);
  } else if (status !== undefined && status !== "PAID") {
    ctx.log(`warning: huawei certificate ${id}: after the withdrawal the status is ${status}; left as it is`);
  } else {
    ctx.log(`huawei: certificate ${id}: application withdrawn, certificate back to PAID`);
  }
}
