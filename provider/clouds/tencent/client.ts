import type { CloudContext } from "../../resources/backend";
import { CloudApiError, ConfigError } from "../../http/errors";
import { parseJson, send, type HttpReply } from "../../http/transport";
import { signTc3 } from "./signer";

/** API version of Tencent Cloud SSL. */
export const TENCENT_SSL_VERSION = "2019-12-05";
/** Scope service of every SSL call, whatever the endpoint host is. */
export const TENCENT_SSL_SERVICE = "ssl";

/** Error codes worth retrying besides network errors and 5xx (reference note §1.5). */
const TRANSIENT_EXACT = new Set([
  "LimitExceeded.RateLimitExceeded",
  "FailedOperation.NetworkError",
  "FailedOperation.CannotGetOrder",
  "FailedOperation.CertificateOrderSubmitProcessing",
]);

/** True when a Tencent error code is transient (throttling, internal error, CA busy). */
export function isTransientTencentCode(code: string): boolean {
  if (code.startsWith("AuthFailure") || code.startsWith("InvalidParameter") || code.startsWith("MissingParameter")) return false;
  return (
    code === "RequestLimitExceeded" ||
    code.startsWith("RequestLimitExceeded.") ||
    code === "InternalError" ||
    code.startsWith("InternalError.") ||
    TRANSIENT_EXACT.has(code)
  );
}

/** Parameters of CertificateInfoSubmit (reference note §2.2). */
export interface CertificateInfoSubmitRequest {
  CertId: string;
  GenCsrType: "online" | "parse";
  CertCommonName: string;
  CompanyType: number;
  CompanyId: string;
  OrgIdType?: string;
  OrgIdNumber?: string;
  AdminIdType?: string;
  AdminIdNumber?: string;
  TechIdType?: string;
  TechIdNumber?: string;
  Csr?: string;
  DnsNames?: string[];
  KeyPass?: string;
  OrgOrganization?: string;
  OrgDivision?: string;
  OrgAddress?: string;
  OrgCountry?: string;
  OrgCity?: string;
  OrgRegion?: string;
  OrgPhoneArea?: string;
  OrgPhoneNumber?: string;
  VerifyType?: string;
  AdminFirstName?: string;
  AdminLastName?: string;
  AdminPhone?: string;
  AdminEmail?: string;
  AdminTitle?: string;
  TechFirstName?: string;
  TechLastName?: string;
  ContactEmail?: string;
  AutoRenewFlag?: number;
  CsrKeyParameter?: string;
  CsrEncryptAlgo?: string;
  ManagerId?: string;
  TechPhone?: string;
  TechEmail?: string;
  TechTitle?: string;
  Type?: number;
  CaType?: string;
  SignAlgo?: string;
  UseCrossSignRoot?: boolean;
}

/** One DCV record of DescribeCertificateDetail. */
export interface DvAuth {
  DvAuthKey?: string | null;
  DvAuthValue?: string | null;
  DvAuthDomain?: string | null;
  DvAuthPath?: string | null;
  DvAuthSubDomain?: string | null;
  DvAuthVerifyType?: string | null;
}

/** The fields of DescribeCertificateDetail the provider reads (most are nullable). */
export interface CertificateDetail {
  CertificateId?: string | null;
  Domain?: string | null;
  Status?: number | null;
  StatusMsg?: string | null;
  StatusName?: string | null;
  VerifyType?: string | null;
  PackageType?: string | null;
  CertType?: string | null;
  SubjectAltName?: string[] | null;
  OrderId?: string | null;
  DvAuthDetail?: {
    DvAuthKey?: string | null;
    DvAuthValue?: string | null;
    DvAuthDomain?: string | null;
    DvAuthPath?: string | null;
    DvAuthKeySubDomain?: string | null;
    DvAuths?: DvAuth[] | null;
  } | null;
  SubmittedData?: Record<string, unknown> | null;
  RequestId?: string;
  [key: string]: unknown;
}

/** The Tencent SSL API, signed with TC3-HMAC-SHA256; credentials are read from config at call time. */
export class TencentClient {
  constructor(private readonly ctx: CloudContext) {}

  /** Calls an action; returns the `Response` object (without `Error`), throws `CloudApiError` on an error reply. */
  async call<T extends object = Record<string, unknown>>(action: string, params: object, opts: { maxRetries?: number } = {}): Promise<T & { RequestId?: string }> {
    const endpoint = this.endpoint();
    const body = Buffer.from(JSON.stringify(params), "utf8");
    return send<T & { RequestId?: string }>(
      {
        cloud: "tencent",
        action,
        maxRetries: opts.maxRetries,
        build: () => {
          const { secretId, secretKey, token } = this.credentials();
          const timestamp = Math.floor(Date.now() / 1000);
          const contentType = "application/json";
          const sig = signTc3({
            method: "POST",
            host: endpoint.host,
            contentType,
            body,
            timestamp,
            service: TENCENT_SSL_SERVICE,
            secretId,
            secretKey,
            extraSignedHeaders: { "x-tc-action": action.toLowerCase() },
          });
          const headers: Record<string, string> = {
            Authorization: sig.authorization,
            "Content-Type": contentType,
            Host: endpoint.host,
            "X-TC-Action": action,
            "X-TC-Version": TENCENT_SSL_VERSION,
            "X-TC-Timestamp": String(timestamp),
            "X-TC-Language": "en-US",
          };
          if (token) headers["X-TC-Token"] = token;
          return { method: "POST", url: `${endpoint.origin}/`, headers, body };
        },
        parse: (reply) => parseEnvelope<T>(action, reply),
      },
      this.ctx.transport,
    );
  }

  certificateInfoSubmit(req: CertificateInfoSubmitRequest): Promise<{ RequestId?: string }> {
    // A retried submit that the CA already took fails with CertificateInfoSubmitStatusInvalid; the backend then adopts.
    return this.call("CertificateInfoSubmit", req);
  }

  modifyCertificateResubmit(certificateId: string): Promise<{ CertificateId?: string | null; RequestId?: string }> {
    return this.call("ModifyCertificateResubmit", { CertificateId: certificateId });
  }

  uploadConfirmLetter(certificateId: string, confirmLetter: string): Promise<{ CertificateId?: string | null; IsSuccess?: boolean | null; RequestId?: string }> {
    return this.call("UploadConfirmLetter", { CertificateId: certificateId, ConfirmLetter: confirmLetter });
  }

  cancelAuditCertificate(certificateId: string): Promise<{ Result?: boolean | null; RequestId?: string }> {
    return this.call("CancelAuditCertificate", { CertificateId: certificateId });
  }

  cancelCertificateOrder(certificateId: string): Promise<{ CertificateId?: string | null; RequestId?: string }> {
    return this.call("CancelCertificateOrder", { CertificateId: certificateId });
  }

  describeCertificateDetail(certificateId: string): Promise<CertificateDetail> {
    return this.call<CertificateDetail>("DescribeCertificateDetail", { CertificateId: certificateId });
  }

  describeCertificate(certificateId: string): Promise<CertificateDetail> {
    return this.call<CertificateDetail>("DescribeCertificate", { CertificateId: certificateId });
  }

  private endpoint(): URL {
    const raw = this.ctx.config.get("tencentEndpoint") ?? "https://ssl.tencentcloudapi.com";
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(
        `certapply:tencentEndpoint (CERTAPPLY_TENCENT_ENDPOINT) must be a full URL such as https://ssl.tencentcloudapi.com; got ${JSON.stringify(raw)}`,
      );
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new ConfigError(`certapply:tencentEndpoint must use https:// (or http:// for a local emulator); got ${url.protocol}`);
    }
    return url;
  }

  private credentials(): { secretId: string; secretKey: string; token?: string } {
    const secretId = this.ctx.config.get("tencentSecretId");
    const secretKey = this.ctx.config.get("tencentSecretKey");
    const missing: string[] = [];
    if (!secretId) missing.push("certapply:tencentSecretId (env TENCENTCLOUD_SECRET_ID)");
    if (!secretKey) missing.push("certapply:tencentSecretKey (env TENCENTCLOUD_SECRET_KEY)");
    if (missing.length > 0 || !secretId || !secretKey) {
      throw new ConfigError(
        `Tencent Cloud credentials are missing: set ${missing.join(" and ")}, e.g. \`pulumi config set certapply:tencentSecretId AKID...\` and \`pulumi config set --secret certapply:tencentSecretKey ...\`.`,
      );
    }
    const token = this.ctx.config.get("tencentSessionToken");
    return { secretId, secretKey, token: token || undefined };
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads the `{"Response": {...}}` envelope; an `Error` inside becomes a `CloudApiError`. */
export function parseEnvelope<T>(action: string, reply: HttpReply): T & { RequestId?: string } {
  if (reply.status >= 500) {
    throw new CloudApiError({
      cloud: "tencent",
      action,
      code: `HTTP ${reply.status}`,
      message: reply.body.slice(0, 200) || "server error",
      httpStatus: reply.status,
      transient: true,
    });
  }
  const json = parseJson({ cloud: "tencent", action }, reply);
  if (reply.status !== 200 || !isRecord(json) || !isRecord(json.Response)) {
    throw new CloudApiError({
      cloud: "tencent",
      action,
      code: `HTTP ${reply.status}`,
      message: `unexpected reply without a Response envelope: ${reply.body.slice(0, 200)}`,
      httpStatus: reply.status,
      transient: reply.status === 429,
    });
  }
  const response = json.Response;
  const requestId = typeof response.RequestId === "string" ? response.RequestId : undefined;
  if (isRecord(response.Error)) {
    const code = typeof response.Error.Code === "string" ? response.Error.Code : "UnknownError";
    const message = typeof response.Error.Message === "string" ? response.Error.Message : "";
    throw new CloudApiError({ cloud: "tencent", action, code, message, requestId, transient: isTransientTencentCode(code) });
  }
  return response as T & { RequestId?: string };
}
