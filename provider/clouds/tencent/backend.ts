import { CloudApiError } from "../../http/errors";
import type { ApplicationBackend, ImportedApplication, CheckFailure, CloudContext, ContentPlan, LiveApplication, SubmitResult } from "../../resources/backend";
import type { ApplicationInputs, ApplicationOutputs, ValidationRecord } from "../../resources/types";
import { UNKNOWN } from "../../resources/types";
import { given as known } from "../../resources/normalize";
import { sleep } from "../../resources/wait";
import { TencentClient, type CertificateDetail, type CertificateInfoSubmitRequest } from "./client";
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

function codeOf(detail: CertificateDetail): number | undefined {
  const s = detail.Status;
  if (typeof s === "number") return s;
  if (typeof s === "string" && /^\d+$/.test(s)) return Number(s);
  return undefined;
}

/** The raw status code of the live read the resource layer already made (no second read). */
function liveCode(live: LiveApplication): number | undefined {
  return /^\d+$/.test(live.rawStatus) ? Number(live.rawStatus) : undefined;
}

function isNotFound(err: unknown): boolean {
  return err instanceof CloudApiError && err.code === "FailedOperation.CertificateNotFound";
}

/**
 * Validates the Tencent rules of normalised inputs; no API call. Field formats (e-mail, phone, country) and
 * the CSR's agreement with commonName/dnsNames are the common check's (provider/resources/schema.ts).
 */
export function validateTencent(inputs: ApplicationInputs): CheckFailure[] {
  const f: CheckFailure[] = [];
  const add = (property: string, reason: string) => f.push({ property, reason });
  const t = inputs.tencent ?? {};

  if (inputs.certificateId !== UNKNOWN) {
    if (!set(inputs.certificateId)) add("certificateId", "required for tencent: the 8-character id of the purchased certificate (e.g. J2lX2maH), from the console or CreateCertificate");
    else if (!ID_RE.test(String(inputs.certificateId))) add("certificateId", `must be the 8 letters and digits of a Tencent certificate id (e.g. J2lX2maH), got ${JSON.stringify(inputs.certificateId)}`);
  }
  if (known(inputs.validationMethod) && !VALIDATION_METHODS.includes(String(inputs.validationMethod))) {
    add("validationMethod", `must be one of ${VALIDATION_METHODS.join(", ")} for tencent, got ${JSON.stringify(inputs.validationMethod)}`);
  }

  const companyTypeRaw: unknown = t.companyType;
  const companyType = companyTypeRaw === undefined || companyTypeRaw === null ? 2 : companyTypeRaw;
  if (companyType !== UNKNOWN && companyType !== 1 && companyType !== 2) add("tencent.companyType", `must be 1 (individual, DV only) or 2 (company), got ${JSON.stringify(companyType)}`);
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

  if (known(t.orgIdType) && !["TYDMZ", "OTHERS"].includes(String(t.orgIdType))) add("tencent.orgIdType", "must be TYDMZ (unified social credit code) or OTHERS");
  if (known(t.adminIdType) && !["SFZ", "HZ"].includes(String(t.adminIdType))) add("tencent.adminIdType", "must be SFZ (ID card) or HZ (passport)");
  if (known(t.techIdType) && !["SFZ", "HZ"].includes(String(t.techIdType))) add("tencent.techIdType", "must be SFZ (ID card) or HZ (passport)");
  if (known(t.caType) && !["sectigo", "digicert"].includes(String(t.caType))) add("tencent.caType", "must be sectigo or digicert (DNSPod products only)");

  if (inputs.csr === UNKNOWN) return f;
  if (set(inputs.csr)) {
    if (known(t.csrKeyParameter)) add("tencent.csrKeyParameter", "applies only when Tencent generates the key; remove it or remove csr");
    if (known(t.csrEncryptAlgo)) add("tencent.csrEncryptAlgo", "applies only when Tencent generates the key; remove it or remove csr");
  } else {
    const algo = t.csrEncryptAlgo;
    if (known(algo) && !(String(algo) in KEY_PARAMS)) add("tencent.csrEncryptAlgo", `must be RSA or ECC, got ${JSON.stringify(algo)}`);
    const keyParam = t.csrKeyParameter;
    if (known(keyParam) && algo !== UNKNOWN) {
      const a = known(algo) ? String(algo) : "RSA";
      const allowed = KEY_PARAMS[a];
      if (allowed && !allowed.includes(String(keyParam))) {
        add("tencent.csrKeyParameter", `must be ${allowed.join(" or ")} for ${a} keys, got ${JSON.stringify(keyParam)}`);
      }
    }
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

/** True when what the cloud holds was submitted with the same domains and validation method as `inputs`. */
export function sameContent(detail: CertificateDetail, inputs: ApplicationInputs): boolean {
  const sd = detail.SubmittedData ?? undefined;
  const domain = (typeof sd?.CertificateDomain === "string" ? sd.CertificateDomain : detail.Domain) ?? "";
  if (domain.toLowerCase() !== inputs.commonName.toLowerCase()) return false;
  let sans: string[];
  if (sd && Array.isArray(sd.DomainList)) sans = sd.DomainList.filter((d): d is string => typeof d === "string");
  else sans = Array.isArray(detail.SubjectAltName) ? detail.SubjectAltName : [];
  const norm = (a: string[]) => [...new Set(a.map((d) => d.toLowerCase()).filter((d) => d !== domain.toLowerCase()))].sort().join(",");
  if (norm(sans) !== norm(inputs.dnsNames ?? [])) return false;
  const verify = (typeof sd?.VerifyType === "string" ? sd.VerifyType : detail.VerifyType) ?? undefined;
  if (verify && verify !== (inputs.validationMethod || "DNS")) return false;
  if (sd) {
    // Where the cloud still shows the submitted contacts, they must match too.
    const pairs: [unknown, unknown][] = [
      [sd.OrganizationName, inputs.organization?.name],
      [sd.AdminEmail, inputs.admin?.email],
    ];
    for (const [cloud, mine] of pairs) if (set(cloud) && set(mine) && String(cloud) !== String(mine)) return false;
  }
  return true;
}

/** Maps DvAuthDetail.DvAuths to validation records. */
export function validationRecords(detail: CertificateDetail): ValidationRecord[] {
  const auths = detail.DvAuthDetail?.DvAuths ?? [];
  const out: ValidationRecord[] = [];
  for (const a of auths ?? []) {
    const type = String(a.DvAuthVerifyType ?? "").toUpperCase();
    const domain = a.DvAuthDomain ?? "";
    const key = a.DvAuthKey ?? "";
    const value = a.DvAuthValue ?? "";
    if (type === "TXT" || type === "CNAME") {
      // inferred: DvAuthKey is the record label (e.g. _dnsauth) relative to DvAuthDomain unless it is already a full name.
      const name = key.includes(".") && domain && key.endsWith(domain) ? key : a.DvAuthSubDomain && a.DvAuthSubDomain.includes(".") ? a.DvAuthSubDomain : domain ? `${key}.${domain}` : key;
      out.push({ domain, type, name, value });
    } else if (type === "FILE") {
      const path = a.DvAuthPath ?? "";
      const name = path.endsWith(key) ? path : `${path.replace(/\/$/, "")}/${key}`;
      out.push({ domain, type: "FILE", name, value });
    }
  }
  return out;
}

export function toLive(detail: CertificateDetail): LiveApplication {
  const n = normaliseStatus(detail.Status, detail.StatusMsg);
  return { ...n, validationRecords: validationRecords(detail) };
}

/** Polls until the status is one of `targets`; bounded by tencentWaitLimits.maxPolls polls of `ctx.pollIntervalMs`. */
async function waitForStatus(ctx: CloudContext, client: TencentClient, id: string, targets: number[], why: string): Promise<CertificateDetail> {
  let detail = await client.describeCertificateDetail(id);
  for (let i = 0; i < tencentWaitLimits.maxPolls; i++) {
    const code = codeOf(detail);
    if (code !== undefined && targets.includes(code)) return detail;
    if (i === 0) ctx.log(`tencent ${id}: waiting for ${why} (now ${statusLabel(code)})`);
    await sleep(ctx.pollIntervalMs);
    detail = await client.describeCertificateDetail(id);
  }
  const code = codeOf(detail);
  if (code !== undefined && targets.includes(code)) return detail;
  throw new Error(
    `tencent certificate ${id} did not reach ${targets.map((t) => statusLabel(t)).join(" or ")} while waiting for ${why} ` +
      `(still ${statusLabel(code)} after ${tencentWaitLimits.maxPolls} polls); run \`pulumi up\` again later`,
  );
}

/** Cancels a running review and waits for 7 (cancelled). */
async function cancelReview(ctx: CloudContext, client: TencentClient, id: string): Promise<void> {
  ctx.log(`tencent ${id}: cancelling the running review (CancelAuditCertificate)`);
  const res = await client.cancelAuditCertificate(id);
  if (res.Result === false) {
    throw new Error(`tencent certificate ${id}: CancelAuditCertificate returned Result false; refresh and run \`pulumi up\` again`);
  }
  await waitForStatus(ctx, client, id, [7], "the cancelled review to settle (status 7)");
}

/** ModifyCertificateResubmit, then CertificateInfoSubmit once the certificate is back to 5. */
async function resubmitAndSubmit(ctx: CloudContext, client: TencentClient, id: string, inputs: ApplicationInputs): Promise<void> {
  ctx.log(`tencent ${id}: reopening the application (ModifyCertificateResubmit)`);
  await client.modifyCertificateResubmit(id);
  await waitForStatus(ctx, client, id, [5, 13], "the certificate to accept information again (status 5)");
  ctx.log(`tencent ${id}: submitting the information (CertificateInfoSubmit)`);
  await client.certificateInfoSubmit(toSubmitRequest(id, inputs));
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

export const tencentBackend: ApplicationBackend = {
  cloud: "tencent",
  replaceFields: [],

  validate(inputs: ApplicationInputs): CheckFailure[] {
    return validateTencent(inputs);
  },

  planContentChange(changed: string[], live: LiveApplication, _olds: ApplicationOutputs, _news: ApplicationInputs): ContentPlan {
    const code = liveCode(live);
    const what = changed.length > 0 ? changed.join(", ") : "content";
    if (code === 6) {
      return { kind: "refuse", reason: `tencent is cancelling this order (status 6); ${what} can change once it reads cancelled (7): run \`pulumi up\` again later` };
    }
    if (code !== undefined && UNDER_REVIEW_CODES.includes(code)) {
      return {
        kind: "update",
        description: `${what} changed while under review (${statusLabel(code)}): CancelAuditCertificate, wait for status 7, ModifyCertificateResubmit, CertificateInfoSubmit`,
      };
    }
    if (code === 2 || code === 7) {
      return { kind: "update", description: `${what} changed (${statusLabel(code)}): ModifyCertificateResubmit, CertificateInfoSubmit` };
    }
    if (code === 5 || code === 13) return { kind: "update", description: `${what} changed (${statusLabel(code)}): CertificateInfoSubmit` };
    return { kind: "refuse", reason: `the certificate is in ${statusLabel(code)}, so ${what} cannot change: ${statusHint(code)}` };
  },

  async submit(ctx: CloudContext, inputs: ApplicationInputs): Promise<SubmitResult> {
    const id = String(inputs.certificateId ?? "");
    const client = new TencentClient(ctx);
    let detail: CertificateDetail;
    try {
      detail = await client.describeCertificateDetail(id);
    } catch (err) {
      if (isNotFound(err)) {
        throw new Error(`tencent certificate ${id} does not exist in this account: buy the certificate first (console or CreateCertificate) and set certificateId to its id`);
      }
      throw err;
    }
    const code = codeOf(detail);
    if (code === 5 || code === 13) {
      ctx.log(`tencent ${id}: submitting the information (CertificateInfoSubmit)`);
      try {
        await client.certificateInfoSubmit(toSubmitRequest(id, inputs));
      } catch (err) {
        // A retried submit the CA already took: adopt it when it holds our content.
        if (err instanceof CloudApiError && err.code === "FailedOperation.CertificateInfoSubmitStatusInvalid") {
          const again = await client.describeCertificateDetail(id);
          const c2 = codeOf(again);
          if (c2 !== undefined && [0, 4, 8, 1].includes(c2) && sameContent(again, inputs)) return { applicationId: id, adopted: true };
        }
        throw err;
      }
      return { applicationId: id, adopted: false };
    }
    if (code !== undefined && [0, 4, 8, 1].includes(code)) {
      if (sameContent(detail, inputs)) {
        ctx.log(`tencent ${id}: already submitted with the same content (${statusLabel(code)}); adopting it instead of submitting again`);
        return { applicationId: id, adopted: true };
      }
      throw new Error(
        `tencent certificate ${id} is already in ${statusLabel(code)} with different content (domain ${detail.Domain ?? "unknown"}); ` +
          (code === 1
            ? "an issued certificate cannot be submitted again: use a new certificateId"
            : "declare the same commonName, dnsNames and validationMethod to adopt it, or cancel its review in the console first"),
      );
    }
    if (code === 2 || code === 7) {
      throw new Error(
        `tencent certificate ${id} is in ${statusLabel(code)}${detail.StatusMsg ? ` (${detail.StatusMsg})` : ""}: ` +
          "reopen it with ModifyCertificateResubmit (console: resubmit) so it returns to pending submission (5), then run `pulumi up` again",
      );
    }
    throw cannotProceed(id, code, "submit it");
  },

  async read(ctx: CloudContext, applicationId: string): Promise<LiveApplication | undefined> {
    const client = new TencentClient(ctx);
    try {
      return toLive(await client.describeCertificateDetail(applicationId));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },

  async applyContentChange(ctx: CloudContext, applicationId: string, _olds: ApplicationOutputs, news: ApplicationInputs, live: LiveApplication): Promise<void> {
    const client = new TencentClient(ctx);
    const code = liveCode(live);
    if (code !== undefined && UNDER_REVIEW_CODES.includes(code)) {
      await cancelReview(ctx, client, applicationId);
      await resubmitAndSubmit(ctx, client, applicationId, news);
      return;
    }
    if (code === 2 || code === 7) {
      await resubmitAndSubmit(ctx, client, applicationId, news);
      return;
    }
    if (code === 5 || code === 13) {
      ctx.log(`tencent ${applicationId}: submitting the new information (CertificateInfoSubmit)`);
      await client.certificateInfoSubmit(toSubmitRequest(applicationId, news));
      return;
    }
    throw cannotProceed(applicationId, code, "apply the content change");
  },

  async resubmit(ctx: CloudContext, applicationId: string, inputs: ApplicationInputs, live: LiveApplication): Promise<void> {
    const client = new TencentClient(ctx);
    const code = liveCode(live);
    if (code === 2 || code === 7) {
      await resubmitAndSubmit(ctx, client, applicationId, inputs);
      return;
    }
    if (code !== undefined && UNDER_REVIEW_CODES.includes(code)) {
      // resubmitTrigger changed while under review: withdraw the running review first.
      await cancelReview(ctx, client, applicationId);
      await resubmitAndSubmit(ctx, client, applicationId, inputs);
      return;
    }
    if (code === 5 || code === 13) {
      ctx.log(`tencent ${applicationId}: submitting the information (CertificateInfoSubmit)`);
      await client.certificateInfoSubmit(toSubmitRequest(applicationId, inputs));
      return;
    }
    throw cannotProceed(applicationId, code, "resubmit it");
  },

  // TODO(issue 10): reconstruct the inputs for pulumi import; replaced by the cloud's implementation.
  async importApplication(): Promise<ImportedApplication | undefined> {
    throw new Error("import is not implemented for this cloud yet");
  },

  async cancel(ctx: CloudContext, applicationId: string, _olds: ApplicationOutputs, live: LiveApplication | undefined): Promise<void> {
    if (live === undefined) return;
    const client = new TencentClient(ctx);
    const code = liveCode(live);
    if (code === 6 || code === 7 || code === 14) return;
    if (code !== undefined && UNDER_REVIEW_CODES.includes(code)) {
      ctx.log(`tencent ${applicationId}: withdrawing the application under review (CancelAuditCertificate)`);
      try {
        await client.cancelAuditCertificate(applicationId);
      } catch (err) {
        if (isNotFound(err)) return;
        if (err instanceof CloudApiError && err.code === "FailedOperation.CertificateNotFoundOrCantCancel") {
          const again = await client.describeCertificateDetail(applicationId).catch((e: unknown) => {
            if (isNotFound(e)) return undefined;
            throw e;
          });
          const c2 = again ? codeOf(again) : 7;
          if (c2 === 6 || c2 === 7 || c2 === 14) return;
        }
        throw err;
      }
      return;
    }
    ctx.log(
      `warning: tencent ${applicationId} is in ${statusLabel(code)}; only an application under review (0, 4, 8) is withdrawn on delete, ` +
        "so it is left as it is and only removed from the stack",
    );
  },

  async uploadConfirmLetter(ctx: CloudContext, applicationId: string, base64: string): Promise<void> {
    const client = new TencentClient(ctx);
    const res = await client.uploadConfirmLetter(applicationId, base64);
    if (res.IsSuccess === false) {
      throw new Error(`tencent certificate ${applicationId}: UploadConfirmLetter answered IsSuccess false; check the letter and run \`pulumi up\` again`);
    }
  },
};
