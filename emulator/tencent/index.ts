import { randomBytes, randomInt } from "node:crypto";
import { verifyTc3 } from "../../provider/clouds/tencent/signer";
import { parseCsr } from "../../provider/resources/csr";
import { RateWindows } from "../ratelimit";
import type { CloudEmulator, EmulatorRequest, EmulatorResponse, EmulatorShared } from "../types";
import { ACTION_PARAMS, checkParams, queryToParams, type Params } from "./params";

/**
 * Tencent Cloud SSL (API 3.0, version 2019-12-05) as the emulator serves it: TC3 verification over the raw
 * body, the `Response` envelope (always HTTP 200), the seven actions certapply uses with their documented
 * parameters and error codes, the status machine 0–15 and per-action rate limits.
 * Rules the docs do not state are marked `inferred:` here and listed in RULES.md.
 */

export const TENCENT_VERSION = "2019-12-05";

/** One DCV record as DescribeCertificateDetail reports it. */
export interface EmulatedDvAuth {
  DvAuthKey: string;
  DvAuthValue: string;
  DvAuthDomain: string;
  DvAuthPath: string;
  DvAuthSubDomain: string;
  DvAuthVerifyType: "TXT" | "CNAME" | "FILE";
}

/** A purchased certificate as the emulator stores it. */
export interface TencentCertRecord {
  certificateId: string;
  productType: "dv" | "ov" | "ev";
  /** Domains the product covers (1 = single domain). */
  domainCount: number;
  requiresLetter: boolean;
  status: number;
  statusMsg: string | null;
  verifyType: string | null;
  domain: string | null;
  dnsNames: string[];
  /** Legacy field names, as DescribeCertificateDetail returns them; null once issued. */
  submittedData: Record<string, unknown> | null;
  /** The CertificateInfoSubmit parameters last accepted (for tests). */
  submittedParams: Params | null;
  dvAuths: EmulatedDvAuth[] | null;
  orderId: string | null;
  letterUploaded: boolean;
  /** When a cancellation in status 6 settles to 7 (emulator ms). */
  cancelSettlesAt: number | null;
  insertTime: string;
  certBeginTime: string | null;
  certEndTime: string | null;
  /** Every status the record went through, oldest first. */
  history: number[];
  submitCount: number;
  resubmitCount: number;
}

/** Per-action limits: the source documents say 20/s for these two, 10/s for the rest. */
const RATE: Readonly<Record<string, number>> = { ModifyCertificateResubmit: 20, UploadConfirmLetter: 20 };
const DEFAULT_RATE = 10;

const LETTER_MIN = 1024;
const LETTER_MAX = Math.floor(1.4 * 1024 * 1024);

const DOMAIN_RE = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The Tencent part of the emulator. */
export class TencentEmulator implements CloudEmulator {
  readonly cloud = "tencent" as const;
  /** inferred: how long a cancellation stays in 6 (cancelling) before it reads as 7; tests may raise it. */
  cancelSettleMs = 0;
  private readonly certs = new Map<string, TencentCertRecord>();
  private readonly windows = new RateWindows();

  constructor(private readonly shared: EmulatorShared) {}

  match(req: EmulatorRequest): string | undefined {
    if (req.method !== "POST" && req.method !== "GET") return undefined;
    if (req.path !== "/") return undefined;
    const action = header(req, "x-tc-action");
    return action === undefined ? undefined : action.trim();
  }

  async handle(req: EmulatorRequest, action: string): Promise<EmulatorResponse & { errorCode?: string }> {
    const requestId = this.shared.newRequestId();
    try {
      const result = this.dispatch(req, action);
      return { status: 200, body: { Response: { ...result, RequestId: requestId } } };
    } catch (err) {
      if (err instanceof ApiError) return errorReply(err.code, err.message, requestId);
      throw err;
    }
  }

  faultResponse(kind: "throttle" | "internal", action: string): EmulatorResponse & { errorCode?: string } {
    const requestId = this.shared.newRequestId();
    if (kind === "internal") return errorReply("InternalError", "Internal error.", requestId);
    return errorReply(throttleCode(action), "Your request frequency has exceeded the limit.", requestId);
  }

  reset(): void {
    this.certs.clear();
    this.windows.reset();
    this.cancelSettleMs = 0;
  }

  // ---------------------------------------------------------------- transport, auth, dispatch

  private dispatch(req: EmulatorRequest, action: string): Record<string, unknown> {
    const version = header(req, "x-tc-version");
    if (version === undefined || version === "") throw new ApiError("MissingParameter", "The request is missing the required header X-TC-Version.");
    if (version !== TENCENT_VERSION) throw new ApiError("NoSuchVersion", `The API version ${version} does not exist; use ${TENCENT_VERSION}.`);

    const creds = this.shared.credentials.tencent;
    const verdict = verifyTc3({
      method: req.method,
      path: "/",
      query: req.method === "GET" ? (req.rawUrl.split("?")[1] ?? "") : "",
      headers: req.headers,
      body: req.body,
      nowMs: this.shared.now(),
      service: "ssl",
      secretKeyFor: (id) => (id === creds.secretId ? creds.secretKey : undefined),
    });
    if (!verdict.ok) throw new ApiError(verdict.code, verdict.message);
    const token = header(req, "x-tc-token");
    // inferred: with long-term keys (no token configured) a sent token is refused as well.
    if ((creds.sessionToken ?? "") !== (token ?? "")) throw new ApiError("AuthFailure.TokenFailure", "The X-TC-Token is invalid or expired.");

    if (!ACTION_PARAMS[action]) throw new ApiError("InvalidAction", `The action ${action} does not exist in version ${TENCENT_VERSION} of ssl.`);

    // inferred: throttling is counted after authentication, per action.
    if (!this.windows.allow(action, RATE[action] ?? DEFAULT_RATE, this.shared.now())) {
      throw new ApiError(throttleCode(action), `Your request frequency for ${action} has exceeded the limit of ${RATE[action] ?? DEFAULT_RATE} per second.`);
    }

    let raw: Record<string, unknown>;
    if (req.method === "GET") raw = queryToParams(req.query);
    else {
      let parsed: unknown;
      try {
        parsed = req.body.length === 0 ? {} : JSON.parse(req.body.toString("utf8"));
      } catch {
        // inferred: a body that is not JSON is an InvalidParameter.
        throw new ApiError("InvalidParameter", "The request body is not valid JSON.");
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new ApiError("InvalidParameter", "The request body must be a JSON object.");
      raw = parsed as Record<string, unknown>;
    }
    const check = checkParams(action, raw, req.method === "GET");
    if (!check.ok) throw new ApiError(check.code, check.message);
    const p = check.params;

    switch (action) {
      case "CertificateInfoSubmit":
        return this.certificateInfoSubmit(p);
      case "ModifyCertificateResubmit":
        return this.modifyCertificateResubmit(str(p.CertificateId));
      case "UploadConfirmLetter":
        return this.uploadConfirmLetter(str(p.CertificateId), str(p.ConfirmLetter));
      case "CancelAuditCertificate":
        return this.cancelAuditCertificate(str(p.CertificateId));
      case "CancelCertificateOrder":
        return this.cancelCertificateOrder(str(p.CertificateId));
      case "DescribeCertificateDetail":
        return this.describe(str(p.CertificateId), true);
      case "DescribeCertificate":
        return this.describe(str(p.CertificateId), false);
      default:
        throw new ApiError("InvalidAction", `The action ${action} does not exist.`);
    }
  }

  // ---------------------------------------------------------------- actions

  private find(id: string): TencentCertRecord {
    const rec = this.certs.get(id);
    if (!rec) throw new ApiError("FailedOperation.CertificateNotFound", "The certificate does not exist.");
    this.settle(rec);
    return rec;
  }

  /** A cancellation in 6 reads as 7 once its settle time has passed. */
  private settle(rec: TencentCertRecord): void {
    if (rec.status === 6 && rec.cancelSettlesAt !== null && this.shared.now() >= rec.cancelSettlesAt) {
      rec.cancelSettlesAt = null;
      this.setStatus(rec, 7, "The order was cancelled.");
    }
  }

  private setStatus(rec: TencentCertRecord, status: number, msg: string | null): void {
    rec.status = status;
    rec.statusMsg = msg;
    rec.history.push(status);
  }

  private certificateInfoSubmit(p: Params): Record<string, unknown> {
    const rec = this.find(str(p.CertId));
    if (rec.status !== 5 && rec.status !== 13) {
      throw new ApiError("FailedOperation.CertificateInfoSubmitStatusInvalid", `Certificate status ${rec.status} does not allow submitting documentation.`);
    }
    const invalid = (m: string): never => {
      throw new ApiError("FailedOperation.InvalidParam", m);
    };
    const missing = (name: string, why: string): never => {
      // inferred: conditionally required parameters that are absent are reported as MissingParameter.
      throw new ApiError("MissingParameter", `The request is missing the required parameter \`${name}\` (${why}).`);
    };
    const has = (name: string): boolean => p[name] !== undefined && p[name] !== "";

    const gen = str(p.GenCsrType);
    if (gen !== "online" && gen !== "parse") invalid(`GenCsrType must be online or parse, got ${gen}.`);
    const cn = str(p.CertCommonName).toLowerCase();
    if (!DOMAIN_RE.test(cn)) throw new ApiError("FailedOperation.CertificateInfoSubmitDomainInvalid", `The input domain name ${cn} is in incorrect format. Please check and resubmit.`);
    const dnsNames = ((p.DnsNames as string[] | undefined) ?? []).map((d) => d.toLowerCase());
    for (const d of dnsNames) {
      if (!DOMAIN_RE.test(d)) throw new ApiError("FailedOperation.CertificateInfoSubmitDomainInvalid", `The input domain name ${d} is in incorrect format. Please check and resubmit.`);
    }
    // inferred: the CN plus DnsNames may not exceed the domains the product was bought for.
    if (1 + dnsNames.length > rec.domainCount) invalid(`The certificate covers ${rec.domainCount} domain(s); ${1 + dnsNames.length} were submitted.`);
    // Required for multi-domain products (reference §2.2). inferred: "required" means at least one extra name.
    if (rec.domainCount > 1 && dnsNames.length === 0) missing("DnsNames", "required for multi-domain certificates");

    if (gen === "parse") {
      if (!has("Csr")) missing("Csr", "required when GenCsrType is parse");
      let names: { commonName?: string; dnsNames: string[] };
      try {
        names = parseCsr(str(p.Csr));
      } catch (err) {
        return invalid(`Csr cannot be parsed: ${(err as Error).message}`);
      }
      if ((names.commonName ?? "") !== cn) invalid(`CertCommonName ${cn} does not match the common name of the CSR (${names.commonName ?? "none"}).`);
    } else {
      if (!has("CsrKeyParameter")) missing("CsrKeyParameter", "required when GenCsrType is online");
      const algo = has("CsrEncryptAlgo") ? str(p.CsrEncryptAlgo) : "RSA";
      const keyParam = str(p.CsrKeyParameter);
      if (algo !== "RSA" && algo !== "ECC") invalid(`CsrEncryptAlgo must be RSA or ECC, got ${algo}.`);
      if (algo === "RSA" && keyParam !== "2048" && keyParam !== "4096") invalid(`CsrKeyParameter for RSA must be 2048 or 4096, got ${keyParam}.`);
      if (algo === "ECC" && keyParam !== "prime256v1") invalid(`CsrKeyParameter for ECC must be prime256v1, got ${keyParam}.`);
    }

    const companyType = p.CompanyType as number;
    if (companyType !== 1 && companyType !== 2) invalid(`CompanyType must be 1 (personal) or 2 (company), got ${companyType}.`);
    if (companyType === 1 && rec.productType !== "dv") invalid("CompanyType 1 (personal) is only allowed for DV certificates.");
    if (companyType === 1 && !has("ContactEmail")) throw new ApiError("FailedOperation.CertificateInfoSubmitContactEmailEmpty", "Mailbox cannot be empty (ContactEmail is required when CompanyType is 1).");

    const nonZero = (name: string) => has(name) && str(p[name]) !== "0";
    if (companyType === 2) {
      if (!nonZero("CompanyId") && !nonZero("ManagerId")) {
        for (const f of ["OrgOrganization", "OrgDivision", "OrgAddress", "OrgCountry", "OrgCity", "OrgRegion", "OrgPhoneArea", "OrgPhoneNumber"]) {
          if (!has(f)) missing(f, "required unless CompanyId or ManagerId is given");
        }
      }
      if (!nonZero("ManagerId")) {
        for (const f of ["AdminFirstName", "AdminLastName", "AdminPhone", "AdminEmail", "AdminTitle", "TechFirstName", "TechLastName", "TechPhone", "TechTitle"]) {
          if (!has(f)) missing(f, "required unless ManagerId is given");
        }
      }
    }
    for (const f of ["AdminEmail", "TechEmail", "ContactEmail"]) {
      // inferred: e-mail fields are checked for a plausible address.
      if (has(f) && !EMAIL_RE.test(str(p[f]))) invalid(`${f} is not a valid e-mail address.`);
    }
    if (has("OrgIdType") && !["TYDMZ", "OTHERS"].includes(str(p.OrgIdType))) invalid(`OrgIdType must be TYDMZ or OTHERS.`);
    for (const f of ["AdminIdType", "TechIdType"]) if (has(f) && !["SFZ", "HZ"].includes(str(p[f]))) invalid(`${f} must be SFZ or HZ.`);
    if (has("VerifyType") && !["DNS_AUTO", "DNS", "FILE"].includes(str(p.VerifyType))) invalid(`VerifyType must be DNS_AUTO, DNS or FILE.`);
    if (p.AutoRenewFlag !== undefined && p.AutoRenewFlag !== 0 && p.AutoRenewFlag !== 1) invalid("AutoRenewFlag must be 0 or 1.");
    if (has("CaType") && !["sectigo", "digicert"].includes(str(p.CaType))) invalid("CaType must be sectigo or digicert.");

    // inferred: VerifyType defaults to DNS.
    const verifyType = has("VerifyType") ? str(p.VerifyType) : "DNS";
    rec.domain = cn;
    rec.dnsNames = dnsNames;
    rec.verifyType = verifyType;
    rec.submittedParams = { ...p };
    rec.submittedData = legacySubmittedData(p, verifyType);
    rec.submitCount += 1;
    rec.letterUploaded = false;
    rec.dvAuths = null;
    rec.orderId = `SO${randomId(6)}`;
    // inferred: OV/EV products that need a letter wait in 8; everything else goes to review (0, PRE-REVIEWING).
    if (rec.requiresLetter) this.setStatus(rec, 8, null);
    else this.setStatus(rec, 0, "PRE-REVIEWING");
    return {};
  }

  private modifyCertificateResubmit(id: string): Record<string, unknown> {
    const rec = this.find(id);
    if (rec.status !== 2 && rec.status !== 7) {
      throw new ApiError("FailedOperation.CertificateStatusNotAllowResubmit", `You cannot re-submit a review application for a certificate in status ${rec.status}.`);
    }
    rec.resubmitCount += 1;
    rec.dvAuths = null;
    // inferred: a resubmitted certificate returns to 5 and needs its information submitted anew.
    this.setStatus(rec, 5, null);
    return { CertificateId: rec.certificateId };
  }

  private uploadConfirmLetter(id: string, letter: string): Record<string, unknown> {
    const rec = this.find(id);
    if (rec.productType === "dv") throw new ApiError("FailedOperation.UploadConfirmCertificateNotSupportDV", "DV certificates do not take a confirmation letter.");
    if (rec.status !== 8) throw new ApiError("FailedOperation.InvalidCertificateStatusCode", `The certificate status is incorrect (status ${rec.status}; a letter is accepted in 8).`);
    const clean = letter.replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
      throw new ApiError("FailedOperation.InvalidConfirmLetterFormat", "The confirmation letter is not base64 of a JPG, JPEG, PNG or PDF file.");
    }
    const bytes = Buffer.from(clean, "base64");
    if (bytes.length < LETTER_MIN) throw new ApiError("FailedOperation.ConfirmLetterTooSmall", "The confirmation letter file cannot be smaller than 1 KB.");
    if (bytes.length > LETTER_MAX) throw new ApiError("FailedOperation.ConfirmLetterTooLarge", "The confirmation letter file cannot exceed 1.4 MB.");
    if (!letterFormat(bytes)) {
      throw new ApiError("FailedOperation.InvalidConfirmLetterFormat", "The format of the confirmation letter file is invalid (JPG, JPEG, PNG, and PDF are supported).");
    }
    rec.letterUploaded = true;
    // inferred: once the letter is in, the CA review starts (0).
    this.setStatus(rec, 0, "PRE-REVIEWING");
    return { CertificateId: rec.certificateId, IsSuccess: true };
  }

  private cancelAuditCertificate(id: string): Record<string, unknown> {
    const rec = this.certs.get(id);
    if (rec) this.settle(rec);
    if (!rec || ![0, 4, 8].includes(rec.status)) {
      throw new ApiError("FailedOperation.CertificateNotFoundOrCantCancel", "The certificate does not exist or its review cannot be cancelled.");
    }
    this.beginCancel(rec);
    return { Result: true };
  }

  private cancelCertificateOrder(id: string): Record<string, unknown> {
    const rec = this.find(id);
    // inferred: an order can be cancelled in any status before issuance (Terraform's practice).
    if (![0, 2, 4, 5, 8, 13].includes(rec.status)) {
      throw new ApiError("FailedOperation.InvalidCertificateStatusCode", `The certificate status is incorrect (status ${rec.status} cannot be cancelled).`);
    }
    this.beginCancel(rec);
    return { CertificateId: rec.certificateId };
  }

  /** inferred: a cancellation passes through 6 and reads as 7 after `cancelSettleMs`. */
  private beginCancel(rec: TencentCertRecord): void {
    rec.dvAuths = null;
    this.setStatus(rec, 6, "The order is being cancelled.");
    rec.cancelSettlesAt = this.shared.now() + this.cancelSettleMs;
    this.settle(rec);
  }

  private describe(id: string, detail: boolean): Record<string, unknown> {
    const rec = this.find(id);
    const dv = rec.dvAuths;
    const dvDetail = dv
      ? {
          DvAuthKey: dv[0]?.DvAuthKey ?? null,
          DvAuthValue: dv[0]?.DvAuthValue ?? null,
          DvAuthDomain: dv[0]?.DvAuthDomain ?? null,
          DvAuthPath: dv[0]?.DvAuthPath ?? null,
          DvAuthKeySubDomain: dv[0]?.DvAuthSubDomain ?? null,
          DvAuths: dv.map((d) => ({ ...d })),
        }
      : null;
    const san = rec.domain ? (detail ? [...rec.dnsNames] : [rec.domain, ...rec.dnsNames]) : null;
    const common: Record<string, unknown> = {
      OwnerUin: "100000000001",
      ProjectId: "0",
      From: "trustasia",
      CertificateType: "SVR",
      PackageType: rec.productType === "dv" ? "8" : rec.productType === "ov" ? "9" : "10",
      ProductZhName: `Emulated ${rec.productType.toUpperCase()} certificate`,
      Domain: rec.domain,
      Alias: "",
      Status: rec.status,
      StatusMsg: rec.statusMsg,
      VerifyType: rec.verifyType,
      VulnerabilityStatus: "INACTIVE",
      CertBeginTime: rec.certBeginTime,
      CertEndTime: rec.certEndTime,
      ValidityPeriod: "12",
      InsertTime: rec.insertTime,
      OrderId: rec.orderId,
      CertificateExtra: { DomainNumber: String(rec.domainCount), OriginCertificateId: null, ReplacedBy: null, ReplacedFor: null, RenewOrder: null, CompanyType: null },
      DvAuthDetail: dvDetail,
      CertificateId: rec.certificateId,
      StatusName: statusName(rec.status),
      SubjectAltName: san,
      IsVip: false,
      IsWildcard: (rec.domain ?? "").startsWith("*."),
      IsDv: rec.productType === "dv",
      IsVulnerability: false,
      RenewAble: false,
      Tags: null,
      CertType: rec.productType.toUpperCase(),
      DomainType: rec.domainCount > 1 ? 2 : (rec.domain ?? "").startsWith("*.") ? 3 : 1,
      DvRevokeAuthDetail: null,
    };
    if (detail) {
      return {
        ...common,
        TypeName: `Emulated ${rec.productType.toUpperCase()}`,
        CertificatePrivateKey: null,
        CertificatePublicKey: rec.status === 1 ? "-----BEGIN CERTIFICATE-----\nZW11bGF0ZWQ=\n-----END CERTIFICATE-----\n" : null,
        VulnerabilityReport: null,
        // inferred (Terraform comment): SubmittedData is no longer returned once issued.
        SubmittedData: rec.status === 1 ? null : rec.submittedData,
        Deployable: rec.status === 1,
        UseCrossSignRoot: false,
        HostingStatus: -1,
      };
    }
    return { ...common, PackageTypeName: `Emulated ${rec.productType.toUpperCase()}`, CAEncryptAlgorithms: null, CACommonNames: null, CAEndTimes: null };
  }

  // ---------------------------------------------------------------- control API (also usable in-process)

  /** Seeds a purchased certificate in status 5. */
  seed(opts: { certificateId?: string; productType?: "dv" | "ov" | "ev"; domainCount?: number; requiresLetter?: boolean } = {}): { certificateId: string } {
    const id = opts.certificateId ?? randomId(8);
    if (!/^[A-Za-z0-9]{8}$/.test(id)) throw new Error(`certificateId must be 8 alphanumerics, got ${JSON.stringify(id)}`);
    const productType = opts.productType ?? "dv";
    if (!["dv", "ov", "ev"].includes(productType)) throw new Error(`productType must be dv, ov or ev`);
    const rec: TencentCertRecord = {
      certificateId: id,
      productType,
      domainCount: Math.max(1, Math.floor(opts.domainCount ?? 1)),
      requiresLetter: productType !== "dv" && opts.requiresLetter === true,
      status: 5,
      statusMsg: null,
      verifyType: null,
      domain: null,
      dnsNames: [],
      submittedData: null,
      submittedParams: null,
      dvAuths: null,
      orderId: null,
      letterUploaded: false,
      cancelSettlesAt: null,
      insertTime: gmt8(this.shared.now()),
      certBeginTime: null,
      certEndTime: null,
      history: [5],
      submitCount: 0,
      resubmitCount: 0,
    };
    this.certs.set(id, rec);
    return { certificateId: id };
  }

  /** Moves a certificate under review into domain validation, with DCV records per domain. */
  dcv(certificateId: string): TencentCertRecord {
    const rec = this.mustGet(certificateId);
    if (rec.status !== 0 && rec.status !== 4) throw new Error(`certificate ${certificateId} is in status ${rec.status}; dcv needs 0 (under review)`);
    rec.dvAuths = [rec.domain ?? "", ...rec.dnsNames].map((d) => dvAuthFor(d, rec.verifyType ?? "DNS"));
    // inferred: DNS_AUTO goes to 4 (record added automatically); DNS and FILE stay 0 with PENDING-DCV.
    if (rec.verifyType === "DNS_AUTO") this.setStatus(rec, 4, "PENDING-DCV");
    else this.setStatus(rec, 0, "PENDING-DCV");
    return rec;
  }

  /** The CA issues the certificate. */
  issue(certificateId: string): TencentCertRecord {
    const rec = this.mustGet(certificateId);
    if (rec.status !== 0 && rec.status !== 4) throw new Error(`certificate ${certificateId} is in status ${rec.status}; issue needs 0 or 4`);
    rec.dvAuths = null;
    rec.certBeginTime = gmt8(this.shared.now());
    rec.certEndTime = gmt8(this.shared.now() + 365 * 86_400_000);
    this.setStatus(rec, 1, null);
    rec.submittedData = null;
    return rec;
  }

  /** The CA rejects the application (status 2 with the reason as StatusMsg). */
  reject(certificateId: string, reason: string): TencentCertRecord {
    const rec = this.mustGet(certificateId);
    if (![0, 4, 8].includes(rec.status)) throw new Error(`certificate ${certificateId} is in status ${rec.status}; reject needs 0, 4 or 8`);
    rec.dvAuths = null;
    this.setStatus(rec, 2, reason || "The CA rejected the application.");
    return rec;
  }

  /** Domain validation timed out: inferred as status 2 with a DCV-TIMEOUT StatusMsg. */
  timeout(certificateId: string): TencentCertRecord {
    const rec = this.mustGet(certificateId);
    if (rec.status !== 0 && rec.status !== 4) throw new Error(`certificate ${certificateId} is in status ${rec.status}; timeout needs 0 or 4`);
    rec.dvAuths = null;
    this.setStatus(rec, 2, "DCV-TIMEOUT: domain validation timed out and the order was closed automatically");
    return rec;
  }

  /** The stored record (a copy), for tests. */
  state(certificateId: string): TencentCertRecord | undefined {
    const rec = this.certs.get(certificateId);
    if (!rec) return undefined;
    this.settle(rec);
    return JSON.parse(JSON.stringify(rec)) as TencentCertRecord;
  }

  async control(command: string, body: Record<string, unknown>): Promise<EmulatorResponse> {
    try {
      const id = typeof body.certificateId === "string" ? body.certificateId : "";
      switch (command) {
        case "seed":
          return ok(
            this.seed({
              certificateId: typeof body.certificateId === "string" ? body.certificateId : undefined,
              productType: (typeof body.productType === "string" ? body.productType : "dv") as "dv" | "ov" | "ev",
              domainCount: typeof body.domainCount === "number" ? body.domainCount : undefined,
              requiresLetter: body.requiresLetter === true,
            }),
          );
        case "issue":
          return ok(this.issue(id));
        case "reject":
          return ok(this.reject(id, typeof body.reason === "string" ? body.reason : ""));
        case "timeout":
          return ok(this.timeout(id));
        case "dcv":
          return ok(this.dcv(id));
        case "state": {
          const s = this.state(id);
          return s ? ok(s) : { status: 404, body: { error: `no certificate ${id}` } };
        }
        case "settings":
          if (typeof body.cancelSettleMs === "number") this.cancelSettleMs = body.cancelSettleMs;
          return ok({ cancelSettleMs: this.cancelSettleMs });
        default:
          return { status: 404, body: { error: `unknown tencent control command ${command}` } };
      }
    } catch (err) {
      return { status: 400, body: { error: (err as Error).message } };
    }
  }

  private mustGet(id: string): TencentCertRecord {
    const rec = this.certs.get(id);
    if (!rec) throw new Error(`no certificate ${JSON.stringify(id)}; seed it first`);
    this.settle(rec);
    return rec;
  }
}

// ---------------------------------------------------------------- helpers

function ok(body: object): EmulatorResponse {
  return { status: 200, body };
}

function header(req: EmulatorRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

function str(v: unknown): string {
  return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
}

function errorReply(code: string, message: string, requestId: string): EmulatorResponse & { errorCode: string } {
  return { status: 200, body: { Response: { Error: { Code: code, Message: message }, RequestId: requestId } }, errorCode: code };
}

/** Describe* actions throttle with the SSL-specific code, the others with the common one. */
function throttleCode(action: string): string {
  return action.startsWith("Describe") ? "LimitExceeded.RateLimitExceeded" : "RequestLimitExceeded";
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
function randomId(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

/** `YYYY-MM-DD HH:mm:ss` in GMT+8, as the API formats times. */
function gmt8(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
}

function letterFormat(b: Buffer): string | undefined {
  if (b.subarray(0, 4).toString("latin1") === "%PDF") return "pdf";
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpg";
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "png";
  return undefined;
}

const STATUS_NAMES: Record<number, string> = {
  0: "Reviewing",
  1: "Approved",
  2: "Review failed",
  3: "Expired",
  4: "DNS record added",
  5: "Pending submission",
  6: "Order cancelling",
  7: "Cancelled",
  8: "Pending confirmation letter",
  9: "Revoking",
  10: "Revoked",
  11: "Reissuing",
  12: "Pending revocation letter",
  13: "Free certificate pending submission",
  14: "Refunded",
  15: "Migrating",
};

function statusName(s: number): string {
  return STATUS_NAMES[s] ?? "Unknown";
}

/** inferred: DNS/DNS_AUTO validation is a TXT record `_dnsauth.<domain>`; FILE a file under /.well-known/pki-validation/. */
function dvAuthFor(domain: string, verifyType: string): EmulatedDvAuth {
  const base = domain.replace(/^\*\./, "");
  const value = randomBytes(16).toString("hex");
  if (verifyType === "FILE") {
    return {
      DvAuthKey: "fileauth.txt",
      DvAuthValue: value,
      DvAuthDomain: base,
      DvAuthPath: `http://${base}/.well-known/pki-validation/fileauth.txt`,
      DvAuthSubDomain: "",
      DvAuthVerifyType: "FILE",
    };
  }
  return {
    DvAuthKey: "_dnsauth",
    DvAuthValue: value,
    DvAuthDomain: base,
    DvAuthPath: "",
    DvAuthSubDomain: `_dnsauth.${base}`,
    DvAuthVerifyType: "TXT",
  };
}

/** SubmittedData with the legacy SubmitCertificateInformation field names (reference §2.7). */
function legacySubmittedData(p: Params, verifyType: string): Record<string, unknown> {
  const s = (k: string): string | null => (typeof p[k] === "string" && p[k] !== "" ? (p[k] as string) : null);
  return {
    CsrType: s("GenCsrType"),
    CsrContent: s("Csr"),
    CertificateDomain: s("CertCommonName")?.toLowerCase() ?? null,
    DomainList: ((p.DnsNames as string[] | undefined) ?? []).map((d) => d.toLowerCase()),
    KeyPassword: null,
    OrganizationName: s("OrgOrganization"),
    OrganizationDivision: s("OrgDivision"),
    OrganizationAddress: s("OrgAddress"),
    OrganizationCountry: s("OrgCountry"),
    OrganizationCity: s("OrgCity"),
    OrganizationRegion: s("OrgRegion"),
    PostalCode: null,
    PhoneAreaCode: s("OrgPhoneArea"),
    PhoneNumber: s("OrgPhoneNumber"),
    VerifyType: verifyType,
    AdminFirstName: s("AdminFirstName"),
    AdminLastName: s("AdminLastName"),
    AdminPhoneNum: s("AdminPhone"),
    AdminEmail: s("AdminEmail"),
    AdminPosition: s("AdminTitle"),
    ContactFirstName: s("TechFirstName"),
    ContactLastName: s("TechLastName"),
    ContactEmail: s("TechEmail") ?? s("ContactEmail"),
    ContactNumber: s("TechPhone"),
    ContactPosition: s("TechTitle"),
  };
}
