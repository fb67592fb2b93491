import { CloudApiError } from "../../http/errors";
import type { ApplicationBackend, ImportedApplication, CheckFailure, CloudContext, ContentPlan, LiveApplication, SubmitResult } from "../../resources/backend";
import { given as known } from "../../resources/normalize";
import { sleep } from "../../resources/wait";
import { UNKNOWN, type ApplicationInputs, type ApplicationOutputs, type ValidationRecord } from "../../resources/types";
import { HuaweiClient } from "./client";
import { APPLICABLE, APPLIED, normaliseStatus, WITHDRAWABLE } from "./status";

/** SCM certificate ids are exactly 16 characters (path parameter min 16, max 16). */
export const CERTIFICATE_ID_LENGTH = 16;
export const VALIDATION_METHODS = ["DNS", "FILE", "EMAIL"] as const;
/** `sans` is a `;`-joined string of at most 4096 characters (ApplyCertificateRequestBody). */
export const MAX_SANS_CHARS = 4096;
/** inferred: no documented cap on the number of SANs; multi-domain products top out at 100 names, so more is refused early. */
export const MAX_SANS = 100;
const DEFAULT_WAIT_SECONDS = 600;

/** The certificate detail fields certapply reads (`GET /v3/scm/certificates/{id}`). */
export interface CertificateDetail {
  id?: string;
  status?: string;
  type?: string;
  domain?: string;
  sans?: string;
  validation_method?: string;
  authentification?: { record_name?: string; record_type?: string; record_value?: string; domain?: string }[] | null;
}

/**
 * Validates the Huawei rules of normalised inputs; values equal to UNKNOWN are skipped. Field formats
 * (e-mail, country) are the common check's (provider/resources/schema.ts).
 */
export function validateHuawei(inputs: ApplicationInputs): CheckFailure[] {
  const f: CheckFailure[] = [];
  const id = inputs.certificateId;
  if (id === undefined || id === "") {
    f.push({ property: "certificateId", reason: "huawei needs the id of a purchased certificate in status PAID (16 characters, e.g. scs1554192131150)" });
  } else if (id !== UNKNOWN && id.length !== CERTIFICATE_ID_LENGTH) {
    f.push({ property: "certificateId", reason: `huawei certificate ids are exactly 16 characters; "${id}" has ${id.length}` });
  } else if (id !== UNKNOWN && !/^[A-Za-z0-9]+$/.test(id)) {
    f.push({ property: "certificateId", reason: "huawei certificate ids are letters and digits only" });
  }
  const vm = inputs.validationMethod;
  if (known(vm) && !VALIDATION_METHODS.includes(String(vm).toUpperCase() as (typeof VALIDATION_METHODS)[number])) {
    f.push({ property: "validationMethod", reason: `huawei accepts DNS, FILE or EMAIL; got "${vm}"` });
  }
  // admin → applicant_* (required by the apply call)
  const admin = inputs.admin;
  if (admin === undefined || (admin as unknown) === UNKNOWN) {
    if (admin === undefined) f.push({ property: "admin", reason: "huawei requires the applicant: admin.firstName, admin.lastName, admin.email and admin.phone" });
  } else {
    if (!known(admin.firstName) && !known(admin.lastName) && admin.firstName !== UNKNOWN && admin.lastName !== UNKNOWN) {
      f.push({ property: "admin.firstName", reason: "huawei requires the applicant's name (admin.firstName and admin.lastName → applicant_name)" });
    } else if (admin.firstName !== UNKNOWN && admin.lastName !== UNKNOWN) {
      const name = applicantName(admin.firstName, admin.lastName);
      const bytes = Buffer.byteLength(name, "utf8");
      if (bytes < 4 || bytes > 100) f.push({ property: "admin.lastName", reason: `huawei applicant_name must be 4 to 100 bytes; "${name}" is ${bytes}` });
    }
    if (admin.email === undefined || admin.email === "") f.push({ property: "admin.email", reason: "huawei requires the applicant e-mail (admin.email → applicant_email)" });
    else if (admin.email !== UNKNOWN && admin.email.length > 256) f.push({ property: "admin.email", reason: "huawei allows at most 256 characters in admin.email" });
    if (admin.phone === undefined || admin.phone === "") f.push({ property: "admin.phone", reason: "huawei requires the applicant phone (admin.phone → applicant_phone)" });
  }
  // organization → company_* (OV/EV)
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
        if (known(v) && String(v).length > 63) f.push({ property: `organization.${k}`, reason: `huawei allows at most 63 characters in organization.${k}` });
      }
    }
  }
  const names = Array.isArray(inputs.dnsNames) ? inputs.dnsNames.filter((n) => n !== inputs.commonName) : [];
  if (!names.includes(UNKNOWN)) {
    if (names.length > MAX_SANS) f.push({ property: "dnsNames", reason: `huawei: at most ${MAX_SANS} extra names; got ${names.length}` });
    const joined = names.join(";");
    if (joined.length > MAX_SANS_CHARS) f.push({ property: "dnsNames", reason: `huawei: the extra names joined with ';' must fit in ${MAX_SANS_CHARS} characters; they take ${joined.length}` });
  }
  if (known(inputs.commonName) && String(inputs.commonName).length > 255) {
    f.push({ property: "commonName", reason: "huawei: the domain must be at most 255 characters" });
  }
  return f;
}

function applicantName(first?: string, last?: string): string {
  return [first, last].filter((x) => x !== undefined && x !== "").join(" ").trim();
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
    applicant_name: applicantName(admin.firstName, admin.lastName),
    applicant_phone: admin.phone,
    applicant_email: admin.email,
    contact_name: applicantName(tech.firstName, tech.lastName) || undefined,
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
export function validationRecords(detail: CertificateDetail): ValidationRecord[] {
  const method = String(detail.validation_method ?? "").toUpperCase();
  const out: ValidationRecord[] = [];
  for (const a of detail.authentification ?? []) {
    if (!a || typeof a !== "object") continue;
    const rt = String(a.record_type ?? "").toUpperCase();
    const type: ValidationRecord["type"] =
      rt === "TXT" || rt === "CNAME" ? rt : method === "FILE" || rt === "FILE" ? "FILE" : method === "EMAIL" || rt === "EMAIL" ? "EMAIL" : "TXT";
    out.push({ domain: String(a.domain ?? detail.domain ?? ""), type, name: String(a.record_name ?? ""), value: String(a.record_value ?? "") });
  }
  return out;
}

function toLive(detail: CertificateDetail): LiveApplication {
  const n = normaliseStatus(detail.status);
  return { status: n.status, rawStatus: n.rawStatus, statusMessage: n.message, validationRecords: validationRecords(detail) };
}

function certPath(id: string, suffix = ""): string {
  return `/v3/scm/certificates/${encodeURIComponent(id)}${suffix}`;
}

function client(ctx: CloudContext): HuaweiClient {
  return new HuaweiClient(ctx.config, ctx.transport);
}

/** GET detail; `undefined` on 404. */
export async function getCertificate(c: HuaweiClient, id: string): Promise<CertificateDetail | undefined> {
  try {
    const body = await c.call({ method: "GET", path: certPath(id), action: "ShowCertificate" });
    return (body && typeof body === "object" ? body : {}) as CertificateDetail;
  } catch (err) {
    if (err instanceof CloudApiError && err.httpStatus === 404) return undefined;
    throw err;
  }
}

async function requireCertificate(c: HuaweiClient, id: string): Promise<CertificateDetail> {
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

/** Polls GET until the status is not CANCELCHECKING (a withdrawal settled), or the deadline passes. */
async function waitWithdrawalSettled(ctx: CloudContext, c: HuaweiClient, id: string, until: number): Promise<CertificateDetail | undefined> {
  for (;;) {
    const d = await getCertificate(c, id);
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

/** Sends cancel-cert; SCM.0010 (not withdrawable any more) is returned as `false`. */
async function withdraw(c: HuaweiClient, id: string): Promise<boolean> {
  try {
    await c.call({ method: "POST", path: certPath(id, "/cancel-cert"), action: "CancelCertificateRequest", maxRetries: 2 });
    return true;
  } catch (err) {
    if (err instanceof CloudApiError && err.code === "SCM.0010") return false;
    throw err;
  }
}

/** Applies, tolerating a lost reply: SCM.0010 after the fact is adopted when the application now holds our domain. */
async function apply(c: HuaweiClient, id: string, inputs: ApplicationInputs): Promise<void> {
  try {
    const body = await c.call({ method: "POST", path: certPath(id, "/apply"), action: "ApplyCertificate", body: applyBody(inputs) });
    const info = body && typeof body === "object" ? (body as { request_info?: unknown }).request_info : undefined;
    if (info !== undefined && info !== "success") {
      throw new CloudApiError({ cloud: "huawei", action: "ApplyCertificate", code: "ApplyNotAccepted", message: `SCM answered request_info=${String(info)}`, transient: false });
    }
  } catch (err) {
    if (err instanceof CloudApiError && err.code === "SCM.0010") {
      const d = await getCertificate(c, id);
      if (d && APPLIED.has(String(d.status)) && sameDomain(d.domain, inputs.commonName)) return;
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

function sameDomain(a: string | undefined, b: string | undefined): boolean {
  return (a ?? "").toLowerCase() === (b ?? "").toLowerCase();
}

/**
 * Withdraw → wait for PAID → apply with `inputs`, starting from the live status the resource layer read.
 * Throws when the CA issued before the withdrawal landed.
 */
async function withdrawAndApply(ctx: CloudContext, c: HuaweiClient, id: string, inputs: ApplicationInputs, live: LiveApplication): Promise<void> {
  const until = deadline(inputs);
  let d: CertificateDetail = { id, status: live.rawStatus };
  if (WITHDRAWABLE.has(String(d.status))) {
    ctx.log(`huawei: certificate ${id}: withdrawing the application (cancel-cert) before applying again`);
    await withdraw(c, id);
    d = (await waitWithdrawalSettled(ctx, c, id, until)) ?? d;
  } else if (d.status === "CANCELCHECKING") {
    d = (await waitWithdrawalSettled(ctx, c, id, until)) ?? d;
  }
  const status = String(d.status);
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
  await apply(c, id, inputs);
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

  async submit(ctx: CloudContext, inputs: ApplicationInputs): Promise<SubmitResult> {
    const id = String(inputs.certificateId ?? "");
    const c = client(ctx);
    const d = await requireCertificate(c, id);
    const status = String(d.status);
    if (APPLIED.has(status) || status === "CANCELCHECKING") {
      if (sameDomain(d.domain, inputs.commonName) && status !== "CANCELCHECKING") {
        ctx.log(`huawei: certificate ${id} already has an application for ${d.domain} (status ${status}); adopting it`);
        return { applicationId: id, adopted: true };
      }
      if (status !== "CANCELCHECKING") {
        throw new CloudApiError({
          cloud: "huawei",
          action: "ApplyCertificate",
          code: "AlreadyApplied",
          message: `certificate ${id} already has an application for ${d.domain ?? "another domain"} (status ${status}), not for ${inputs.commonName}; withdraw it in the console or use another purchased certificate`,
          transient: false,
        });
      }
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
    await apply(c, id, inputs);
    return { applicationId: id, adopted: false };
  },

  async read(ctx: CloudContext, applicationId: string): Promise<LiveApplication | undefined> {
    const d = await getCertificate(client(ctx), applicationId);
    return d ? toLive(d) : undefined;
  },

  async applyContentChange(ctx: CloudContext, applicationId: string, _olds: ApplicationOutputs, news: ApplicationInputs, live: LiveApplication): Promise<void> {
    await withdrawAndApply(ctx, client(ctx), applicationId, news, live);
  },

  async resubmit(ctx: CloudContext, applicationId: string, inputs: ApplicationInputs, live: LiveApplication): Promise<void> {
    const c = client(ctx);
    if (APPLICABLE.has(live.rawStatus)) {
      ctx.log(`huawei: certificate ${applicationId}: applying again (status ${live.rawStatus})`);
      await apply(c, applicationId, inputs);
      return;
    }
    // A resubmitTrigger change while the application is still under review: withdraw and apply again.
    await withdrawAndApply(ctx, c, applicationId, inputs, live);
  },

  // TODO(issue 10): reconstruct the inputs for pulumi import; replaced by the cloud's implementation.
  async importApplication(): Promise<ImportedApplication | undefined> {
    throw new Error("import is not implemented for this cloud yet");
  },

  async cancel(ctx: CloudContext, applicationId: string, olds: ApplicationOutputs, live: LiveApplication | undefined): Promise<void> {
    const c = client(ctx);
    if (!live) return;
    const status = live.rawStatus;
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
    if (!(await withdraw(c, applicationId))) {
      const now = await getCertificate(c, applicationId);
      ctx.log(`warning: huawei certificate ${applicationId}: SCM refused the withdrawal (SCM.0010, status now ${now?.status ?? "(gone)"}); left as it is`);
      return;
    }
    await settleAfterWithdrawal(ctx, c, applicationId, olds);
  },
};

async function settleAfterWithdrawal(ctx: CloudContext, c: HuaweiClient, id: string, olds: ApplicationOutputs): Promise<void> {
  const d = await waitWithdrawalSettled(ctx, c, id, deadline(olds));
  const status = d?.status;
  if (status === "ISSUED" || status === "ISSUING") {
    ctx.log(`warning: huawei certificate ${id}: the CA approved before the withdrawal landed (status ${status}); the certificate is left as it is`);
  } else if (status !== undefined && status !== "PAID") {
    ctx.log(`warning: huawei certificate ${id}: after the withdrawal the status is ${status}; left as it is`);
  } else {
    ctx.log(`huawei: certificate ${id}: application withdrawn, certificate back to PAID`);
  }
}
