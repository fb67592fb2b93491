import { X509Certificate, randomBytes, randomInt } from "node:crypto";
import { EmulatorCa, type IssuedCertificate, type KeySpec } from "../ca";
import { RateWindows } from "../ratelimit";
import type { CloudEmulator, EmulatorRequest, EmulatorResponse, EmulatorShared, ReplyFault } from "../types";
import { checkTc3 } from "./auth";
import { readCsr } from "./csr";
import { ACTION_PARAMS, checkParams, queryToParams, type Params } from "./params";
import { LETTER_PRODUCTS, PACKAGE_PRODUCTS, PRODUCTS, RENEW_ALGORITHMS, RENEW_CSR_METHODS, hasTags, packageCost, packagePurchaseProblem, purchaseProblem, type TencentTag } from "./purchase";

/**
 * Tencent Cloud SSL (API 3.0, version 2019-12-05) as the emulator serves it: TC3 verification over the raw
 * body, the `Response` envelope (always HTTP 200), the actions certapply uses with the parameters and reply fields
 * of the official SDK models, the status machine 0–15, per-action rate limits, and real certificates at issuance.
 * Every rule's evidence is in RULES.md; rules no official text states are marked `inferred:` here.
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
  /** The product id DescribeCertificateDetail reports as PackageType (labels in PACKAGES). */
  packageType: string;
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
  /** True between CertificateInfoSubmit (materials saved) and CertificateOrderSubmit (order sent). */
  materialsSaved: boolean;
  /** True while an order is with the CA (a second order then gets CertificateOrderSubmitProcessing). */
  orderInFlight: boolean;
  dvAuths: EmulatedDvAuth[] | null;
  orderId: string | null;
  letterUploaded: boolean;
  /** When a cancellation in status 6 settles to 7 (emulator ms). */
  cancelSettlesAt: number | null;
  insertTime: string;
  /** Every status the record went through, oldest first. */
  history: number[];
  /** CertificateInfoSubmit calls accepted (materials saved). */
  submitCount: number;
  /** CertificateOrderSubmit calls accepted (orders sent to the CA). */
  orderCount: number;
  resubmitCount: number;
  /** The issued certificate, once issued. */
  certificate: IssuedCertificate | null;
  /** Tags given at purchase (CreateCertificate `Tags`); empty for seeded certificates. */
  tags: TencentTag[];
  /** Bought through CreateCertificate (not seeded by a test). */
  purchased: boolean;
  /** CreateCertificate `TimeSpan` (years); 1 for seeded certificates. */
  timeSpan: number;
  /** CertificateExtra.OriginCertificateId: the certificate this one renews (CreateCertificateByPackage `OldCertificateId`). */
  originCertificateId: string | null;
  /** CertificateExtra.RenewOrder: the certificate that renews this one (the latest renewal bought for it). */
  renewOrder: string | null;
  /** The renewal's CSR choice as CreateCertificateByPackage took it (`RenewGenCsrMethod` and the rest), for tests. */
  renewal: { method: string; csr?: string; algorithmType?: string; algorithmParam?: string; keyPass?: boolean } | null;
  /** Benefit packages this certificate was paid with (CreateCertificateByPackage `PackageIds`). */
  paidWithPackages: string[];
  /** Tags-filtered DescribeCertificates reads that still miss this certificate (the tag index lagging); 0: shown. */
  tagIndexLagReads: number;
}

/** A benefit package (权益包) as DescribePackages reports it (the SDK's `PackageInfo`). */
export interface TencentPackage {
  PackageId: string;
  Total: number;
  Balance: number;
  Type: string;
  Status: string;
  ExpireTime: string;
  CreateTime: string;
  UpdateTime: string;
  SourceType: string;
}

/**
 * Product ids and names, as the SDK's DescribeCertificateDetailResponse.PackageType lists them; `letter` marks the
 * GeoTrust products Terraform uploads a confirmation letter for (product_id 8, 9, 10; reference note §3).
 */
const PACKAGES: Readonly<Record<string, { name: string; type: "dv" | "ov" | "ev"; multi: boolean; letter: boolean }>> = {
  "8": { name: "Geotrust 增强型（EV）", type: "ev", multi: false, letter: true },
  "9": { name: "Geotrust 企业型（OV）", type: "ov", multi: false, letter: true },
  "10": { name: "Geotrust 企业型（OV）通配符", type: "ov", multi: false, letter: true },
  "61": { name: "Geotrust 增强型多域名(EV)", type: "ev", multi: true, letter: true },
  "43": { name: "DNSPod-企业型(OV)SSL证书", type: "ov", multi: false, letter: false },
  "45": { name: "DNSPod-企业型(OV)多域名SSL证书", type: "ov", multi: true, letter: false },
  "46": { name: "DNSPod-增强型(EV)SSL证书", type: "ev", multi: false, letter: false },
  "47": { name: "DNSPod-增强型(EV)多域名SSL证书", type: "ev", multi: true, letter: false },
  "48": { name: "DNSPod-域名型(DV)SSL证书", type: "dv", multi: false, letter: false },
  "50": { name: "DNSPod-域名型(DV)多域名SSL证书", type: "dv", multi: true, letter: false },
};

/** inferred: the package a seed gets when the test names only the product type, letter need and domain count. */
function packageFor(type: "dv" | "ov" | "ev", letter: boolean, multi: boolean): string {
  if (letter) return type === "ev" ? (multi ? "61" : "8") : "9";
  return { dv: multi ? "50" : "48", ov: multi ? "45" : "43", ev: multi ? "47" : "46" }[type];
}

/** The domain-validation timeout's StatusMsg: official Chinese text (SDK StatusMsg doc); inferred English wording. */
export const DCV_TIMEOUT_MSG = {
  zh: "域名验证超时，订单自动关闭，请您重新进行证书申请",
  en: "Domain validation timed out and the order was closed automatically. Please apply for the certificate again.",
} as const;

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
  /** inferred: how long the CA takes to answer CertificateOrderSubmit; tests raise it to meet CertificateOrderSubmitProcessing. */
  orderProcessingMs = 0;
  /** false: UploadConfirmLetter answers FailedOperation.UploadConfirmCertificateNotSupport (the action is unmaintained). */
  letterUploadSupported = true;
  /** inferred: Tags-filtered DescribeCertificates reads that miss a certificate bought from now on (a lagging tag index); tests raise it. */
  tagIndexLagReads = 0;
  private readonly certs = new Map<string, TencentCertRecord>();
  private readonly packages = new Map<string, TencentPackage>();
  /** Certificates being issued (the CA signs asynchronously); reads wait for them. */
  private readonly issuing = new Map<string, Promise<void>>();
  private readonly ca = new EmulatorCa();
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
      const result = await this.dispatch(req, action);
      // V3 (seeded): fields a newer API version adds.
      return { status: 200, body: { Response: { ...result, ...this.shared.vary.extra(`tencent|${action}`), RequestId: requestId } } };
    } catch (err) {
      if (err instanceof ApiError) return errorReply(err.code, err.message, requestId);
      throw err;
    }
  }

  faultResponse(kind: ReplyFault, action: string): EmulatorResponse & { errorCode?: string } {
    const requestId = this.shared.newRequestId();
    if (kind === "internal") return errorReply("InternalError", "Internal error.", requestId);
    if (kind === "not-found") return errorReply("FailedOperation.CertificateNotFound", "The certificate does not exist.", requestId);
    // inferred: fault injection; the shape of a 404 from the gateway in front of the API (not an API reply).
    if (kind === "gateway-not-found") return { status: 404, headers: { "content-type": "text/html" }, body: "<html><body><h1>404 Not Found</h1></body></html>" };
    return errorReply(throttleCode(action), "Your request frequency has exceeded the limit.", requestId);
  }

  reset(): void {
    this.certs.clear();
    this.packages.clear();
    this.issuing.clear();
    this.windows.reset();
    this.cancelSettleMs = 0;
    this.orderProcessingMs = 0;
    this.letterUploadSupported = true;
    this.tagIndexLagReads = 0;
  }

  // ---------------------------------------------------------------- transport, auth, dispatch

  private async dispatch(req: EmulatorRequest, action: string): Promise<Record<string, unknown>> {
    const version = header(req, "x-tc-version");
    if (version === undefined || version === "") throw new ApiError("MissingParameter", "The request is missing the required header X-TC-Version.");
    if (version !== TENCENT_VERSION) throw new ApiError("NoSuchVersion", `The API version ${version} does not exist; use ${TENCENT_VERSION}.`);

    const creds = this.shared.credentials.tencent;
    const verdict = checkTc3({
      method: req.method,
      query: req.method === "GET" ? (req.rawUrl.split("?")[1] ?? "") : "",
      headers: req.headers,
      body: req.body,
      nowMs: this.shared.now(),
      keyOf: (id) => (id === creds.secretId ? creds.secretKey : undefined),
    });
    if (!verdict.ok) throw new ApiError(verdict.code, verdict.message);
    const token = header(req, "x-tc-token");
    // inferred: with long-term keys (no token configured) a sent token is refused as well.
    if ((creds.sessionToken ?? "") !== (token ?? "")) throw new ApiError("AuthFailure.TokenFailure", "The X-TC-Token is invalid or expired.");

    if (!ACTION_PARAMS[action]) throw new ApiError("InvalidAction", `The action ${action} does not exist in version ${TENCENT_VERSION} of ssl.`);

    // inferred: throttling is counted after authentication, per action.
    if (!this.windows.allow(action, RATE[action] ?? DEFAULT_RATE, req.receivedAt)) {
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
      case "CertificateOrderSubmit":
        return this.certificateOrderSubmit(p);
      case "ModifyCertificateResubmit":
        return this.modifyCertificateResubmit(str(p.CertificateId));
      case "UploadConfirmLetter":
        return this.uploadConfirmLetter(str(p.CertificateId), str(p.ConfirmLetter));
      case "CancelAuditCertificate":
        return this.cancelAuditCertificate(str(p.CertificateId));
      case "CancelCertificateOrder":
        return this.cancelCertificateOrder(str(p.CertificateId));
      case "DescribeCertificateDetail":
        return this.describe(str(p.CertificateId), true, language(req));
      case "DescribeCertificate":
        return this.describe(str(p.CertificateId), false, language(req));
      case "CreateCertificate":
        return this.createCertificate(p);
      case "DescribeCertificates":
        return this.describeCertificates(p, language(req));
      case "CreateCertificateByPackage":
        return this.createCertificateByPackage(p);
      case "DescribePackages":
        return this.describePackages(p);
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
    // Materials are taken while the certificate awaits them (5; 13 for free ones), not while an order is with the CA.
    if ((rec.status !== 5 && rec.status !== 13) || rec.orderInFlight) {
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
        names = readCsr(str(p.Csr));
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
    // inferred: a save in 5 replaces the earlier materials as a whole (fields SubmittedData does not show too).
    rec.submittedParams = { ...p };
    rec.submittedData = legacySubmittedData(p, verifyType);
    rec.submitCount += 1;
    rec.letterUploaded = false;
    rec.dvAuths = null;
    // The materials only: the status stays 5 until CertificateOrderSubmit (SDK: "付费提交证书资料", reply RequestId only).
    rec.materialsSaved = true;
    return {};
  }

  /**
   * CertificateOrderSubmit ("提交付费证书订单"): sends the saved materials to the CA. Accepted only in 5 with materials
   * saved; the reply carries the CA's OrderId, the new Status and IsAudited (SDK CertificateOrderSubmitResponse).
   */
  private async certificateOrderSubmit(p: Params): Promise<Record<string, unknown>> {
    const rec = this.find(str(p.CertId));
    if (rec.orderInFlight) {
      throw new ApiError("FailedOperation.CertificateOrderSubmitProcessing", "The order is being processed. Please wait.");
    }
    // inferred: an order without saved materials, or outside 5, is refused with InvalidCertificateStatusCode.
    if (rec.status !== 5 || !rec.materialsSaved) {
      throw new ApiError(
        "FailedOperation.InvalidCertificateStatusCode",
        `The certificate status is incorrect (status ${rec.status}${rec.status === 5 ? ", no materials saved" : ""}; an order is accepted in 5 after CertificateInfoSubmit).`,
      );
    }
    if (p.VerifyType !== undefined && !["DNS_AUTO", "DNS", "FILE"].includes(str(p.VerifyType))) {
      throw new ApiError("FailedOperation.InvalidParam", "VerifyType must be DNS_AUTO, DNS or FILE.");
    }
    if (p.DeleteDnsAutoRecord !== undefined && p.DeleteDnsAutoRecord !== 0 && p.DeleteDnsAutoRecord !== 1) {
      throw new ApiError("FailedOperation.InvalidParam", "DeleteDnsAutoRecord must be 0 or 1.");
    }
    // V5 (seeded): how long the CA takes to answer the order.
    const processingMs = Math.max(this.orderProcessingMs, this.shared.vary.between(`tencent|order-ms|${rec.certificateId}`, 0, 150, 0));
    if (processingMs > 0) {
      rec.orderInFlight = true;
      try {
        await new Promise((r) => setTimeout(r, processingMs));
      } finally {
        rec.orderInFlight = false;
      }
    }
    if (p.VerifyType !== undefined) {
      rec.verifyType = str(p.VerifyType);
      if (rec.submittedData) rec.submittedData.VerifyType = rec.verifyType;
    }
    rec.materialsSaved = false;
    rec.orderCount += 1;
    // inferred: every accepted order is a new CA order with a new OrderId (never the previous one).
    let orderId = `SO${randomId(6)}`;
    while (orderId === rec.orderId) orderId = `SO${randomId(6)}`;
    rec.orderId = orderId;
    // inferred: a product that needs a letter waits in 8; DNS_AUTO goes to 4 (DNS record added automatically);
    // everything else goes to review (0, PRE-REVIEWING). The only official example answers Status 8, IsAudited true.
    if (rec.requiresLetter) this.setStatus(rec, 8, null);
    else if (rec.verifyType === "DNS_AUTO") this.setStatus(rec, 4, "PRE-REVIEWING");
    else this.setStatus(rec, 0, "PRE-REVIEWING");
    return { OrderId: rec.orderId, Status: rec.status, IsAudited: true };
  }

  private modifyCertificateResubmit(id: string): Record<string, unknown> {
    const rec = this.find(id);
    if (rec.status !== 2 && rec.status !== 7) {
      throw new ApiError("FailedOperation.CertificateStatusNotAllowResubmit", `You cannot re-submit a review application for a certificate in status ${rec.status}.`);
    }
    rec.resubmitCount += 1;
    rec.dvAuths = null;
    // inferred: a resubmitted certificate returns to 5 with no materials: they and the order are submitted anew.
    rec.materialsSaved = false;
    rec.submittedData = null;
    this.setStatus(rec, 5, null);
    return { CertificateId: rec.certificateId };
  }

  private uploadConfirmLetter(id: string, letter: string): Record<string, unknown> {
    const rec = this.find(id);
    // R: the action is unmaintained (ssl_client.d.ts "不再维护其功能…请用户前往腾讯云证书控制台上传"); with the
    // `letterUploadSupported: false` setting it answers the SDK's code for that (errorcodes.py: "当前接口不支持上传确认函功能，请去腾讯云控制台进行操作").
    if (!this.letterUploadSupported) {
      throw new ApiError("FailedOperation.UploadConfirmCertificateNotSupport", "The current API does not support uploading a confirmation letter; upload it in the Tencent Cloud console.");
    }
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

  /**
   * CreateCertificate ("用于创建付费证书"): buys one certificate of `ProductId` for `DomainNum` domains and `TimeSpan`
   * years, tagged with `Tags`; it waits for its materials in 5. Reply: CertificateIds, DealIds, ResourceIds.
   */
  private createCertificate(p: Params): Record<string, unknown> {
    const tags = (p.Tags as TencentTag[] | undefined) ?? [];
    const problem = purchaseProblem({
      ProductId: p.ProductId as number,
      DomainNum: p.DomainNum as number,
      TimeSpan: p.TimeSpan as number,
      AutoVoucher: p.AutoVoucher as number | undefined,
      Tags: tags,
    });
    if (problem) throw new ApiError(problem[0], problem[1]);
    const productId = String(p.ProductId);
    const product = PRODUCTS[productId];
    let id = randomId(8);
    while (this.certs.has(id)) id = randomId(8);
    this.seed({ certificateId: id, productType: product.type, domainCount: p.DomainNum as number });
    const rec = this.mustGet(id);
    rec.packageType = productId;
    rec.requiresLetter = LETTER_PRODUCTS.has(productId);
    rec.tags = tags.map((t) => ({ ...t }));
    rec.purchased = true;
    rec.timeSpan = p.TimeSpan as number;
    rec.tagIndexLagReads = this.tagIndexLagReads;
    // inferred: one certificate per call; the deal id has the shape of the official example ("20200923877000003022941").
    const deal = `${gmt8(this.shared.now()).slice(0, 10).replace(/-/g, "")}${String(randomInt(1e8)).padStart(8, "0")}${String(randomInt(1e7)).padStart(7, "0")}`;
    return { CertificateIds: [id], DealIds: [deal], ResourceIds: [`ssl-${id}`] };
  }

  /**
   * DescribeCertificates: the certificates that pass every filter given (CertIds, Tags, CertificateStatus,
   * FilterExpiring, Renew), newest first ("默认按照证书申请时间降序"), `Offset`/`Limit` (default 10, at most 1000).
   */
  private describeCertificates(p: Params, lang: "zh" | "en"): Record<string, unknown> {
    const ids = p.CertIds as string[] | undefined;
    const tags = p.Tags as TencentTag[] | undefined;
    const statuses = p.CertificateStatus as number[] | undefined;
    const now = this.shared.now();
    const all = [...this.certs.values()].map((r) => (this.settle(r), r));
    const list = all
      .filter((r) => !ids || ids.length === 0 || ids.includes(r.certificateId))
      .filter((r) => !tags || tags.length === 0 || (hasTags(r.tags, tags) && r.tagIndexLagReads === 0))
      .filter((r) => !statuses || statuses.length === 0 || statuses.includes(r.status))
      .filter((r) => p.FilterExpiring !== 1 || expiringSoon(r, now))
      .filter((r) => p.Renew !== 1 || renewable(r, now))
      .reverse();
    // inferred: a Tags filter is answered from a tag index that may lag behind a purchase (tagIndexLagReads).
    if (tags && tags.length > 0) for (const r of all) if (r.tagIndexLagReads > 0) r.tagIndexLagReads -= 1;
    const offset = Math.max(0, (p.Offset as number | undefined) ?? 0);
    const limit = Math.min(1000, Math.max(1, (p.Limit as number | undefined) ?? 10));
    const page = list.slice(offset, offset + limit).map((r) => this.listEntry(r, lang, now));
    return { TotalCount: list.length, Certificates: page };
  }

  /**
   * CreateCertificateByPackage ("使用权益点创建证书"): buys one certificate of `ProductPid` paid with the benefit points
   * of `PackageIds`, waiting for its materials in 5 like a CreateCertificate purchase. With `OldCertificateId` it is a
   * renewal of that certificate ("要续费的原证书ID"): the new one names it in `CertificateExtra.OriginCertificateId`, the
   * old one names the new one in `RenewOrder`, and the old one is left as it is (in service). Reply: CertificateId,
   * CertificateIds.
   */
  private createCertificateByPackage(p: Params): Record<string, unknown> {
    const tags = (p.Tags as TencentTag[] | undefined) ?? [];
    const problem = packagePurchaseProblem({
      ProductPid: p.ProductPid as number,
      DomainCount: str(p.DomainCount),
      Period: p.Period as number,
      Tags: tags,
      CertificateCount: p.CertificateCount as number | undefined,
    });
    if (problem) throw new ApiError(problem[0], problem[1]);
    const ids = (p.PackageIds as string[]).filter((x) => x !== "");
    // Go SDK errors.go: InvalidParameter.PackageIdsInvalid "权益点ID列表无效".
    if (ids.length === 0 || ids.some((x) => !this.packages.has(x))) throw new ApiError("InvalidParameter.PackageIdsInvalid", "The list of benefit package IDs is invalid.");
    const now = this.shared.now();
    const usable = ids.map((x) => this.packages.get(x) as TencentPackage).filter((k) => k.Status === "usable" && Date.parse(k.ExpireTime.replace(" ", "T") + "+08:00") > now);
    // Go SDK errors.go: FailedOperation.PackageExpired "权益包已过期".
    if (usable.length === 0) throw new ApiError("FailedOperation.PackageExpired", "The benefit packages have expired.");
    const domainCount = Number(p.DomainCount);
    const cost = packageCost(domainCount, p.Period as number);
    // Go SDK errors.go: FailedOperation.PackageCountLimit "剩余权益点不足".
    if (usable.reduce((n, k) => n + k.Balance, 0) < cost) throw new ApiError("FailedOperation.PackageCountLimit", "The remaining benefit points are insufficient.");
    let old: TencentCertRecord | undefined;
    const method = p.RenewGenCsrMethod === undefined ? undefined : str(p.RenewGenCsrMethod);
    if (p.OldCertificateId !== undefined && p.OldCertificateId !== "") {
      old = this.find(str(p.OldCertificateId));
      // inferred: only an issued certificate (1) is renewed.
      if (old.status !== 1) throw new ApiError("FailedOperation.InvalidCertificateStatusCode", `The certificate status is incorrect (status ${old.status}; a renewal needs an issued certificate).`);
      if (method === undefined || !(RENEW_CSR_METHODS as readonly string[]).includes(method)) {
        throw new ApiError("FailedOperation.InvalidParam", `RenewGenCsrMethod must be one of ${RENEW_CSR_METHODS.join(", ")} for a renewal.`);
      }
      // inferred: an uploaded CSR is required for `upload`, and is readable.
      if (method === "upload") {
        if (!p.RenewCsr) throw new ApiError("MissingParameter", "The request is missing the required parameter `RenewCsr` (RenewGenCsrMethod upload).");
        try {
          readCsr(str(p.RenewCsr));
        } catch (err) {
          throw new ApiError("FailedOperation.InvalidParam", `RenewCsr cannot be parsed: ${(err as Error).message}`);
        }
      }
      if (method === "online") {
        const algo = p.RenewAlgorithmType === undefined ? "RSA" : str(p.RenewAlgorithmType);
        const allowed = RENEW_ALGORITHMS[algo];
        // Go SDK errors.go (CertificateInfoSubmit): InvalidParameter.RenewAlgorithmInvalid; its use here is inferred.
        if (!allowed || (p.RenewAlgorithmParam !== undefined && allowed.length > 0 && !allowed.includes(str(p.RenewAlgorithmParam)))) {
          throw new ApiError("InvalidParameter.RenewAlgorithmInvalid", `RenewAlgorithmType ${algo} with RenewAlgorithmParam ${str(p.RenewAlgorithmParam)} is not supported.`);
        }
      }
    } else if (method !== undefined || p.RenewCsr !== undefined) {
      throw new ApiError("FailedOperation.InvalidParam", "RenewGenCsrMethod and RenewCsr apply only to a renewal (OldCertificateId).");
    }
    // Spend the points in the order the packages were given.
    let left = cost;
    const stamp = gmt8(now);
    for (const k of usable) {
      const take = Math.min(k.Balance, left);
      k.Balance -= take;
      left -= take;
      k.UpdateTime = stamp;
      if (k.Balance === 0) k.Status = "used";
      if (left === 0) break;
    }
    const productId = String(p.ProductPid);
    const product = PACKAGE_PRODUCTS[productId];
    let id = randomId(8);
    while (this.certs.has(id)) id = randomId(8);
    this.seed({ certificateId: id, productType: product.type, domainCount });
    const rec = this.mustGet(id);
    rec.packageType = productId;
    rec.tags = tags.map((t) => ({ ...t }));
    rec.purchased = true;
    rec.timeSpan = p.Period as number;
    rec.tagIndexLagReads = this.tagIndexLagReads;
    rec.paidWithPackages = usable.map((k) => k.PackageId);
    if (old) {
      rec.originCertificateId = old.certificateId;
      old.renewOrder = id;
      rec.renewal = {
        method: method ?? "original",
        ...(p.RenewCsr ? { csr: str(p.RenewCsr) } : {}),
        ...(p.RenewAlgorithmType ? { algorithmType: str(p.RenewAlgorithmType) } : {}),
        ...(p.RenewAlgorithmParam ? { algorithmParam: str(p.RenewAlgorithmParam) } : {}),
        ...(p.RenewKeyPass ? { keyPass: true } : {}),
      };
    }
    return { CertificateId: id, CertificateIds: [id] };
  }

  /**
   * DescribePackages ("获得权益包列表"): the account's benefit packages, filtered by `Status`, `PackageId`, `Type`,
   * sorted by expiry when `ExpireTime` is asc/desc, paged with `Offset`/`Limit` (default 20); `TotalBalance` sums the
   * listed packages' balances.
   */
  private describePackages(p: Params): Record<string, unknown> {
    const list = [...this.packages.values()]
      .filter((k) => p.Status === undefined || p.Status === "" || k.Status === p.Status)
      .filter((k) => p.PackageId === undefined || p.PackageId === "" || k.PackageId === p.PackageId)
      .filter((k) => p.Type === undefined || p.Type === "" || k.Type === p.Type);
    if (p.ExpireTime === "asc") list.sort((a, b) => a.ExpireTime.localeCompare(b.ExpireTime));
    if (p.ExpireTime === "desc") list.sort((a, b) => b.ExpireTime.localeCompare(a.ExpireTime));
    const offset = Math.max(0, (p.Offset as number | undefined) ?? 0);
    const limit = Math.max(1, (p.Limit as number | undefined) ?? 20);
    return {
      Packages: list.slice(offset, offset + limit).map((k) => ({ ...k, SourceUin: null, TransferOutInfos: null })),
      TotalCount: list.length,
      TotalBalance: list.reduce((n, k) => n + k.Balance, 0),
    };
  }

  /** One `Certificates` entry of DescribeCertificates (the SDK's `Certificates` model; no key material). */
  private listEntry(rec: TencentCertRecord, requested: "zh" | "en", now: number): Record<string, unknown> {
    const cert = rec.certificate;
    const product = PRODUCTS[rec.packageType] ?? PACKAGE_PRODUCTS[rec.packageType];
    const vary = this.shared.vary;
    // V6 (seeded): as in DescribeCertificateDetail, the language StatusMsg comes in, whatever was asked.
    const lang = vary.on ? (vary.pick(`tencent|list-lang|${rec.certificateId}`, 2) === 0 ? "zh" : "en") : requested;
    const entry: Record<string, unknown> = {
      OwnerUin: "100000000001",
      ProjectId: "0",
      From: "trustasia",
      PackageType: rec.packageType,
      CertificateType: "SVR",
      ProductZhName: product?.name ?? PACKAGES[rec.packageType]?.name ?? null,
      Domain: rec.domain,
      Alias: "",
      Status: rec.status,
      StatusMsg: rec.status === 2 && rec.statusMsg === DCV_TIMEOUT_MSG.zh && lang === "en" ? DCV_TIMEOUT_MSG.en : rec.statusMsg,
      VerifyType: rec.verifyType,
      CertBeginTime: cert ? gmt8(new Date(cert.notBefore).getTime()) : null,
      CertEndTime: cert ? gmt8(new Date(cert.notAfter).getTime()) : null,
      ValidityPeriod: String(12 * rec.timeSpan),
      InsertTime: rec.insertTime,
      CertificateId: rec.certificateId,
      SubjectAltName: rec.domain ? [rec.domain, ...rec.dnsNames] : [],
      StatusName: statusName(rec.status),
      IsDv: rec.productType === "dv",
      IsWildcard: (rec.domain ?? "").startsWith("*."),
      RenewAble: renewable(rec, now),
      Deployable: rec.status === 1,
      Tags: rec.tags.length ? rec.tags.map((t) => ({ ...t })) : null,
      IsExpiring: expiringSoon(rec, now),
    };
    // V1/V3 (seeded): fields the `Certificates` model marks optional (`?:`) that a status does not need come as they
    // are, absent, null or empty; an entry may carry a field a newer API version adds.
    const key = `tencent|list|${rec.certificateId}`;
    return { ...vary.optional(key, entry, ["OwnerUin", "ProjectId", "From", "CertificateType", "ProductZhName", "Alias", "StatusName", "Tags", "InsertTime"]), ...vary.extra(key) };
  }

  /** inferred: a cancellation passes through 6 and reads as 7 after `cancelSettleMs`. */
  private beginCancel(rec: TencentCertRecord): void {
    rec.dvAuths = null;
    this.setStatus(rec, 6, "The order is being cancelled.");
    // V4 (seeded): how long 6 (cancelling) shows before 7.
    rec.cancelSettlesAt = this.shared.now() + Math.max(this.cancelSettleMs, this.shared.vary.between(`tencent|cancel-ms|${rec.certificateId}`, 0, 400, 0));
    this.settle(rec);
  }

  private async describe(id: string, detail: boolean, lang: "zh" | "en"): Promise<Record<string, unknown>> {
    const rec = this.find(id);
    const vary = this.shared.vary;
    await this.issuing.get(id);
    const dv = rec.dvAuths;
    // One domain: the top-level fields; several: DvAuths[] (SDK DvAuthDetail: "存在多个域名验证使用本字段").
    // inferred: the top-level fields are null when there are several, and DvAuths is null when there is one.
    const single = dv && dv.length === 1 ? dv[0] : undefined;
    const dvDetail = dv
      ? {
          DvAuthKey: single?.DvAuthKey ?? null,
          DvAuthValue: single?.DvAuthValue ?? null,
          DvAuthDomain: single?.DvAuthDomain ?? null,
          DvAuthPath: single?.DvAuthPath ?? null,
          DvAuthKeySubDomain: single?.DvAuthSubDomain ?? null,
          // V2 (seeded): DvAuths in a drawn order.
          DvAuths: single ? null : vary.order(`tencent|dvauths|${id}`, dv).map((d) => ({ ...d })),
        }
      : null;
    const san = rec.domain ? (detail ? [...rec.dnsNames] : [rec.domain, ...rec.dnsNames]) : null;
    const pkg = PACKAGES[rec.packageType] ?? PRODUCTS[rec.packageType] ?? PACKAGE_PRODUCTS[rec.packageType];
    const cert = rec.status === 1 ? rec.certificate : null;
    // V6 (seeded): the language StatusMsg comes in, whatever the request asked for.
    const language = vary.on ? (vary.pick(`tencent|lang|${id}`, 2) === 0 ? "zh" : "en") : lang;
    const statusMsg = rec.statusMsg === DCV_TIMEOUT_MSG.zh ? DCV_TIMEOUT_MSG[language] : rec.statusMsg;
    const companyType = rec.submittedParams?.CompanyType;
    const common: Record<string, unknown> = {
      OwnerUin: "100000000001",
      ProjectId: "0",
      From: "trustasia",
      CertificateType: "SVR",
      PackageType: rec.packageType,
      ProductZhName: pkg?.name ?? null,
      Domain: rec.domain,
      Alias: "",
      Status: rec.status,
      StatusMsg: statusMsg,
      VerifyType: rec.verifyType,
      VulnerabilityStatus: "INACTIVE",
      CertBeginTime: cert ? gmt8(new Date(cert.notBefore).getTime()) : null,
      CertEndTime: cert ? gmt8(new Date(cert.notAfter).getTime()) : null,
      ValidityPeriod: String(12 * rec.timeSpan),
      InsertTime: rec.insertTime,
      OrderId: rec.orderId,
      CertificateExtra: {
        DomainNumber: String(rec.domainCount),
        OriginCertificateId: rec.originCertificateId,
        ReplacedBy: null,
        ReplacedFor: null,
        RenewOrder: rec.renewOrder,
        SMCert: 0,
        CompanyType: typeof companyType === "number" ? companyType : null,
      },
      DvAuthDetail: dvDetail,
      CertificateId: rec.certificateId,
      StatusName: statusName(rec.status),
      SubjectAltName: san,
      IsVip: true,
      IsWildcard: (rec.domain ?? "").startsWith("*."),
      IsDv: rec.productType === "dv",
      IsVulnerability: false,
      RenewAble: renewable(rec, this.shared.now()),
      Tags: rec.tags.length ? rec.tags.map((t) => ({ ...t })) : null,
      DvRevokeAuthDetail: null,
    };
    // V1 (seeded): fields the SDK model marks optional or "可能返回 null" come as they are, absent, null or empty.
    const optional = (o: Record<string, unknown>): Record<string, unknown> =>
      vary.optional(`tencent|${detail ? "detail" : "describe"}|${id}`, o, ["Alias", "VulnerabilityStatus", "VulnerabilityReport", "Tags", "DvRevokeAuthDetail", "CertChainInfo", "UseCrossSignRoot", "HostingStatus", "TypeName", "ProductZhName", "PackageTypeName", "CAEncryptAlgorithms", "CACommonNames", "CAEndTimes", "StatusName"]);
    if (detail) {
      return optional({
        ...common,
        TypeName: pkg?.name ?? null,
        // CertType and DomainType are DescribeCertificateDetailResponse fields only (not DescribeCertificateResponse:
        // the official Python SDK's oracle found the emulator sending them there).
        CertType: rec.productType.toUpperCase(),
        DomainType: rec.domainCount > 1 ? 2 : (rec.domain ?? "").startsWith("*.") ? 3 : 1,
        // The key only when Tencent generated it (GenCsrType online). CertificatePublicKey is "公钥证书" (the leaf); the
        // chain is described in CertChainInfo (CertBasicInfo: Issuer, Subject, Fingerprint, ValidFrom, ValidTo).
        CertificatePrivateKey: cert?.privateKeyPem ?? null,
        CertificatePublicKey: cert ? cert.certificatePem : null,
        CertChainInfo: cert ? [chainInfo(cert.chainPem)] : null,
        CertFingerprint: cert ? cert.sha1Thumbprint : null,
        VulnerabilityReport: null,
        // inferred (Terraform comment): SubmittedData is no longer returned once issued.
        SubmittedData: rec.status === 1 ? null : rec.submittedData,
        Deployable: rec.status === 1,
        UseCrossSignRoot: false,
        HostingStatus: -1,
      });
    }
    return optional({ ...common, PackageTypeName: pkg?.name ?? null, CAEncryptAlgorithms: null, CACommonNames: null, CAEndTimes: null });
  }

  // ---------------------------------------------------------------- control API (also usable in-process)

  /**
   * Seeds a purchased certificate in status 5. `packageType` picks the product (PACKAGES); otherwise it follows
   * from `productType`, `requiresLetter` and `domainCount`.
   */
  seed(opts: { certificateId?: string; productType?: "dv" | "ov" | "ev"; domainCount?: number; requiresLetter?: boolean; packageType?: string } = {}): { certificateId: string } {
    const id = opts.certificateId ?? randomId(8);
    if (!/^[A-Za-z0-9]{8}$/.test(id)) throw new Error(`certificateId must be 8 alphanumerics, got ${JSON.stringify(id)}`);
    if (opts.packageType !== undefined && !PACKAGES[opts.packageType]) throw new Error(`packageType must be one of ${Object.keys(PACKAGES).join(", ")}`);
    const fixed = opts.packageType !== undefined ? PACKAGES[opts.packageType] : undefined;
    const productType = fixed?.type ?? opts.productType ?? "dv";
    if (!["dv", "ov", "ev"].includes(productType)) throw new Error(`productType must be dv, ov or ev`);
    const domainCount = Math.max(1, Math.floor(opts.domainCount ?? 1));
    const requiresLetter = fixed ? fixed.letter : productType !== "dv" && opts.requiresLetter === true;
    const rec: TencentCertRecord = {
      certificateId: id,
      productType,
      packageType: opts.packageType ?? packageFor(productType, requiresLetter, domainCount > 1),
      domainCount,
      requiresLetter,
      status: 5,
      statusMsg: null,
      verifyType: null,
      domain: null,
      dnsNames: [],
      submittedData: null,
      submittedParams: null,
      materialsSaved: false,
      orderInFlight: false,
      dvAuths: null,
      orderId: null,
      letterUploaded: false,
      cancelSettlesAt: null,
      insertTime: gmt8(this.shared.now()),
      history: [5],
      submitCount: 0,
      orderCount: 0,
      resubmitCount: 0,
      certificate: null,
      tags: [],
      purchased: false,
      timeSpan: 1,
      originCertificateId: null,
      renewOrder: null,
      renewal: null,
      paidWithPackages: [],
      tagIndexLagReads: 0,
    };
    this.certs.set(id, rec);
    return { certificateId: id };
  }

  /**
   * An application submitted outside certapply (the console): the materials are saved and the order sent, through
   * the same rules as the API. `materials` are CertificateInfoSubmit parameters (CertId is filled in).
   */
  async submitOutside(certificateId: string, materials: Record<string, unknown>): Promise<TencentCertRecord> {
    this.mustGet(certificateId);
    const run = async (action: string, raw: Record<string, unknown>) => {
      const check = checkParams(action, raw, false);
      if (!check.ok) throw new Error(`${check.code}: ${check.message}`);
      try {
        return action === "CertificateInfoSubmit" ? this.certificateInfoSubmit(check.params) : await this.certificateOrderSubmit(check.params);
      } catch (err) {
        throw err instanceof ApiError ? new Error(`${err.code}: ${err.message}`) : err;
      }
    };
    await run("CertificateInfoSubmit", { ...materials, CertId: certificateId });
    await run("CertificateOrderSubmit", { CertId: certificateId });
    return this.mustGet(certificateId);
  }

  /** Moves a certificate under review into domain validation, with DCV records per domain. */
  dcv(certificateId: string): TencentCertRecord {
    const rec = this.mustGet(certificateId);
    if (rec.status !== 0 && rec.status !== 4) throw new Error(`certificate ${certificateId} is in status ${rec.status}; dcv needs 0 (under review)`);
    rec.dvAuths = [rec.domain ?? "", ...rec.dnsNames].map((d) => dvAuthFor(d, rec.verifyType ?? "DNS"));
    // inferred: DNS_AUTO stays in 4 (record added automatically); DNS and FILE stay 0; StatusMsg PENDING-DCV (SDK StatusMsg list).
    if (rec.verifyType === "DNS_AUTO") this.setStatus(rec, 4, "PENDING-DCV");
    else this.setStatus(rec, 0, "PENDING-DCV");
    return rec;
  }

  /**
   * The CA issues the certificate: a real X.509 certificate from the emulator's CA for the submitted names, certifying
   * the CSR's key (GenCsrType parse) or a key generated here (online), kept so every read returns the same one.
   * The status is 1 at once; reads wait until the certificate is signed.
   */
  issue(certificateId: string): TencentCertRecord {
    const rec = this.mustGet(certificateId);
    if (rec.status !== 0 && rec.status !== 4) throw new Error(`certificate ${certificateId} is in status ${rec.status}; issue needs 0 or 4`);
    rec.dvAuths = null;
    this.setStatus(rec, 1, null);
    const csr = rec.submittedParams?.GenCsrType === "parse" ? str(rec.submittedParams.Csr) : undefined;
    // R: an online key follows CsrEncryptAlgo / CsrKeyParameter (RSA 2048|4096, ECC prime256v1).
    const algo = rec.submittedParams?.CsrEncryptAlgo === "ECC" ? "ECC" : "RSA";
    const key: KeySpec = algo === "ECC" ? { type: "EC", curve: "P-256" } : { type: "RSA", bits: rec.submittedParams?.CsrKeyParameter === "4096" ? 4096 : 2048 };
    const done = this.ca
      .issue({ commonName: rec.domain ?? "", dnsNames: rec.dnsNames, csrPem: csr, key, notBefore: new Date(this.shared.now()) })
      .then((c) => {
        rec.certificate = c;
      })
      .finally(() => this.issuing.delete(certificateId));
    this.issuing.set(certificateId, done);
    return rec;
  }

  /** The issued certificate of `certificateId`, once signed (undefined when it is not issued). */
  async certificate(certificateId: string): Promise<IssuedCertificate | undefined> {
    await this.issuing.get(certificateId);
    return this.certs.get(certificateId)?.certificate ?? undefined;
  }

  /**
   * Ages an issued certificate so that it expires `daysLeft` days from the emulator's now: the CA signs it again
   * for the same names with dates moved back (same CSR key; a key Tencent generated is generated anew). A test
   * control, not a cloud rule: the emulator clock cannot be moved far, as signatures carry the real time.
   */
  async age(certificateId: string, daysLeft: number): Promise<IssuedCertificate> {
    const rec = this.mustGet(certificateId);
    await this.issuing.get(certificateId);
    if (rec.status !== 1 || !rec.certificate) throw new Error(`certificate ${certificateId} is in status ${rec.status}; age needs an issued certificate (1)`);
    if (!Number.isFinite(daysLeft)) throw new Error(`daysLeft must be a number, got ${String(daysLeft)}`);
    const csr = rec.submittedParams?.GenCsrType === "parse" ? str(rec.submittedParams.Csr) : undefined;
    const validityDays = 365;
    const notBefore = new Date(this.shared.now() - (validityDays - daysLeft) * 86_400_000);
    rec.certificate = await this.ca.issue({ commonName: rec.domain ?? "", dnsNames: rec.dnsNames, csrPem: csr, notBefore, validityDays });
    return rec.certificate;
  }

  /**
   * Adds a benefit package (a test control: packages are bought in the console). `points` default 100, `type` one of
   * the model's `ssl_100` | `ssl_500` | `ssl_2000`; `expiresInDays` default 365 (negative: already expired).
   */
  addPackage(opts: { packageId?: string; points?: number; type?: string; expiresInDays?: number } = {}): TencentPackage {
    const id = opts.packageId ?? `pkg-${randomId(8).toLowerCase()}`;
    const points = opts.points ?? 100;
    const now = this.shared.now();
    const pkg: TencentPackage = {
      PackageId: id,
      Total: points,
      Balance: points,
      Type: opts.type ?? "ssl_100",
      Status: points > 0 ? "usable" : "used",
      ExpireTime: gmt8(now + (opts.expiresInDays ?? 365) * 86_400_000),
      CreateTime: gmt8(now),
      UpdateTime: gmt8(now),
      SourceType: "buy",
    };
    this.packages.set(id, pkg);
    return { ...pkg };
  }

  /** A benefit package (a copy), for tests. */
  package(packageId: string): TencentPackage | undefined {
    const k = this.packages.get(packageId);
    return k ? { ...k } : undefined;
  }

  /** Every stored record (copies), oldest first, for tests. */
  all(): TencentCertRecord[] {
    return [...this.certs.keys()].map((id) => this.state(id) as TencentCertRecord);
  }

  /** The CA rejects the application (status 2 with the reason as StatusMsg). */
  reject(certificateId: string, reason: string): TencentCertRecord {
    const rec = this.mustGet(certificateId);
    if (![0, 4, 8].includes(rec.status)) throw new Error(`certificate ${certificateId} is in status ${rec.status}; reject needs 0, 4 or 8`);
    rec.dvAuths = null;
    // The SDK's StatusMsg list names "订单审核失败" (order review failed) as a failure text.
    this.setStatus(rec, 2, reason || "订单审核失败");
    return rec;
  }

  /**
   * Domain validation timed out: status 2 with the official StatusMsg "域名验证超时，订单自动关闭，请您重新进行证书申请"
   * (SDK StatusMsg list); a request in en-US gets an inferred English wording of it.
   */
  timeout(certificateId: string): TencentCertRecord {
    const rec = this.mustGet(certificateId);
    if (rec.status !== 0 && rec.status !== 4) throw new Error(`certificate ${certificateId} is in status ${rec.status}; timeout needs 0 or 4`);
    rec.dvAuths = null;
    this.setStatus(rec, 2, DCV_TIMEOUT_MSG.zh);
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
              packageType: typeof body.packageType === "string" ? body.packageType : undefined,
            }),
          );
        case "submit":
          return ok(await this.submitOutside(id, typeof body.materials === "object" && body.materials !== null ? (body.materials as Record<string, unknown>) : {}));
        case "issue":
          this.issue(id);
          await this.issuing.get(id);
          return ok(this.mustGet(id));
        case "reject":
          return ok(this.reject(id, typeof body.reason === "string" ? body.reason : ""));
        case "timeout":
          return ok(this.timeout(id));
        case "dcv":
          return ok(this.dcv(id));
        case "age":
          return ok(await this.age(id, typeof body.daysLeft === "number" ? body.daysLeft : NaN));
        case "package":
          return ok(
            this.addPackage({
              packageId: typeof body.packageId === "string" ? body.packageId : undefined,
              points: typeof body.points === "number" ? body.points : undefined,
              type: typeof body.type === "string" ? body.type : undefined,
              expiresInDays: typeof body.expiresInDays === "number" ? body.expiresInDays : undefined,
            }),
          );
        case "list":
          return ok({ certificates: this.all() });
        case "state": {
          const s = this.state(id);
          return s ? ok(s) : { status: 404, body: { error: `no certificate ${id}` } };
        }
        case "settings":
          if (typeof body.cancelSettleMs === "number") this.cancelSettleMs = body.cancelSettleMs;
          if (typeof body.orderProcessingMs === "number") this.orderProcessingMs = body.orderProcessingMs;
          if (typeof body.letterUploadSupported === "boolean") this.letterUploadSupported = body.letterUploadSupported;
          if (typeof body.tagIndexLagReads === "number") this.tagIndexLagReads = body.tagIndexLagReads;
          return ok({ cancelSettleMs: this.cancelSettleMs, orderProcessingMs: this.orderProcessingMs, letterUploadSupported: this.letterUploadSupported, tagIndexLagReads: this.tagIndexLagReads });
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

/** inferred: how close to its notAfter an issued certificate counts as expiring (FilterExpiring, IsExpiring). */
export const EXPIRING_WINDOW_MS = 30 * 86_400_000;

/** inferred: an issued certificate within EXPIRING_WINDOW_MS of its notAfter (or past it). */
function expiringSoon(rec: TencentCertRecord, now: number): boolean {
  return rec.status === 1 && rec.certificate !== null && new Date(rec.certificate.notAfter).getTime() - now <= EXPIRING_WINDOW_MS;
}

/** inferred: RenewAble (and the `Renew` filter) is true for an issued, paid certificate that is expiring. */
function renewable(rec: TencentCertRecord, now: number): boolean {
  // inferred: a certificate that already has a renewal (CertificateExtra.RenewOrder) is not offered again.
  return expiringSoon(rec, now) && rec.renewOrder === null;
}

function ok(body: object): EmulatorResponse {
  return { status: 200, body };
}

function header(req: EmulatorRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/** The language of StatusMsg texts: `X-TC-Language`, zh-CN by default (the Go SDK profile's default). */
function language(req: EmulatorRequest): "zh" | "en" {
  return (header(req, "x-tc-language") ?? "").toLowerCase().startsWith("en") ? "en" : "zh";
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

/** CertBasicInfo of a chain certificate (ssl_models.d.ts): issuer, subject, SHA-1 fingerprint, validity as "YYYY-MM-DD HH:MM:SS". */
function chainInfo(pem: string): Record<string, string> {
  const x = new X509Certificate(pem);
  const day = (d: string): string => new Date(d).toISOString().replace("T", " ").slice(0, 19);
  return {
    Issuer: x.issuer.replace(/\n/g, ", "),
    Subject: x.subject.replace(/\n/g, ", "),
    Fingerprint: x.fingerprint.replace(/:/g, ""),
    ValidFrom: day(x.validFrom),
    ValidTo: day(x.validTo),
  };
}
