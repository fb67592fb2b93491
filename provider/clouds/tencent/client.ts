import { z } from "zod";
import type { CloudContext } from "../../resources/backend";
import { CloudApiError, ConfigError } from "../../http/errors";
import { parseJson, send, validated, type HttpReply } from "../../http/transport";
import {
  CancelAuditCertificateReplySchema,
  CancelCertificateOrderReplySchema,
  CertificateBriefSchema,
  CertificateDetailSchema,
  CertificateInfoSubmitReplySchema,
  CertificateOrderSubmitReplySchema,
  ModifyCertificateResubmitReplySchema,
  UploadConfirmLetterReplySchema,
  type CertificateDetail,
} from "./models";
import { signTc3 } from "./signer";

export type { CertificateDetail, DvAuth, SubmittedData, CertificateOrderSubmitReply } from "./models";

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

/** Parameters of CertificateOrderSubmit (SDK CertificateOrderSubmitRequest). */
export interface CertificateOrderSubmitRequest {
  CertId: string;
  /** 0 keep (default), 1 delete the DNS record DNS_AUTO added. */
  DeleteDnsAutoRecord?: number;
  VerifyType?: string;
}

/** The Tencent SSL API, signed with TC3-HMAC-SHA256; credentials are read from config at call time. */
export class TencentClient {
  constructor(private readonly ctx: CloudContext) {}

  /**
   * Calls an action and returns its `Response`, checked against the action's SDK model (`schema`); an `Error`
   * inside becomes a `CloudApiError`, a reply that does not fit the model an `InvalidReply` error.
   * Writes are sent once (`maxRetries: 0`): the backend reads before it repeats one.
   */
  async call<S extends z.ZodType>(action: string, params: object, schema: S, opts: { write?: boolean; language?: "zh-CN" | "en-US" } = {}): Promise<z.output<S>> {
    const endpoint = this.endpoint();
    // A string, not a Buffer: a queued call would pin a whole pooled 8 KB slab until its turn.
    const body = JSON.stringify(params);
    return send<z.output<S>>(
      {
        cloud: "tencent",
        action,
        maxRetries: opts.write ? 0 : undefined,
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
            "X-TC-Language": opts.language ?? "en-US",
          };
          if (token) headers["X-TC-Token"] = token;
          return { method: "POST", url: `${endpoint.origin}/`, headers, body };
        },
        parse: (reply) => {
          const response = parseEnvelope(action, reply);
          return validated(schema, { cloud: "tencent", action }, reply, response, typeof response.RequestId === "string" ? response.RequestId : undefined);
        },
      },
      this.ctx.transport,
    );
  }

  /** Saves the materials ("付费提交证书资料"); the certificate stays in 5 until the order. */
  certificateInfoSubmit(req: CertificateInfoSubmitRequest) {
    return this.call("CertificateInfoSubmit", req, CertificateInfoSubmitReplySchema, { write: true });
  }

  /** Sends the order to the CA ("提交付费证书订单"); the reply gives the CA's OrderId and the new Status. */
  certificateOrderSubmit(req: CertificateOrderSubmitRequest) {
    return this.call("CertificateOrderSubmit", req, CertificateOrderSubmitReplySchema, { write: true });
  }

  modifyCertificateResubmit(certificateId: string) {
    return this.call("ModifyCertificateResubmit", { CertificateId: certificateId }, ModifyCertificateResubmitReplySchema, { write: true });
  }

  uploadConfirmLetter(certificateId: string, confirmLetter: string) {
    return this.call("UploadConfirmLetter", { CertificateId: certificateId, ConfirmLetter: confirmLetter }, UploadConfirmLetterReplySchema, { write: true });
  }

  cancelAuditCertificate(certificateId: string) {
    return this.call("CancelAuditCertificate", { CertificateId: certificateId }, CancelAuditCertificateReplySchema, { write: true });
  }

  cancelCertificateOrder(certificateId: string) {
    return this.call("CancelCertificateOrder", { CertificateId: certificateId }, CancelCertificateOrderReplySchema, { write: true });
  }

  /**
   * Read in zh-CN: StatusMsg's failure texts (e.g. the domain-validation timeout) are documented only in Chinese,
   * so certapply reads them in the wording it can recognise.
   */
  describeCertificateDetail(certificateId: string): Promise<CertificateDetail> {
    return this.call("DescribeCertificateDetail", { CertificateId: certificateId }, CertificateDetailSchema, { language: "zh-CN" });
  }

  /** DescribeCertificate: the certificate's basic information (another action than the detail read). */
  describeCertificate(certificateId: string) {
    return this.call("DescribeCertificate", { CertificateId: certificateId }, CertificateBriefSchema);
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

/** What to check for an authentication error: the config keys and environment variables involved (no values). */
export function authHint(code: string, action: string): string {
  if (!code.startsWith("AuthFailure")) return "";
  const id = "certapply:tencentSecretId (env TENCENTCLOUD_SECRET_ID)";
  const key = "certapply:tencentSecretKey (env TENCENTCLOUD_SECRET_KEY)";
  const token = "certapply:tencentSessionToken (env TENCENTCLOUD_SECURITY_TOKEN)";
  let hint: string;
  switch (code) {
    case "AuthFailure.SecretIdNotFound":
    case "AuthFailure.InvalidSecretId":
      hint = `check ${id}: Tencent does not know this SecretId (a typo, a deleted key, or a key of another account)`;
      break;
    case "AuthFailure.SignatureFailure":
      hint = `check ${key}: it must be the SecretKey of the SecretId in ${id}`;
      break;
    case "AuthFailure.SignatureExpire":
      hint = "the clock of the machine running pulumi is more than 5 minutes off; synchronise it (NTP)";
      break;
    case "AuthFailure.TokenFailure":
      hint = `check ${token}: set it with temporary (STS) credentials, leave it unset with long-term keys; temporary credentials may have expired`;
      break;
    case "AuthFailure.UnauthorizedOperation":
      hint = `the key in ${id} is not allowed ssl:${action}; grant it in CAM (e.g. the QcloudSSLFullAccess policy)`;
      break;
    case "AuthFailure.InvalidAuthorization":
      hint = `the request signature was malformed; check certapply:tencentEndpoint (env CERTAPPLY_TENCENT_ENDPOINT) points at the SSL API`;
      break;
    default:
      hint = `check ${id}, ${key} and ${token}`;
  }
  return ` — ${hint}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads the `{"Response": {...}}` envelope; an `Error` inside becomes a `CloudApiError`. */
export function parseEnvelope(action: string, reply: HttpReply): Record<string, unknown> {
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
  if (reply.status === 200) {
    // A 200 that is not the envelope (empty, HTML, `null`, wrong types) is a garbled reply: InvalidReply, transient.
    let body: unknown = reply.body;
    try {
      body = parseJson({ cloud: "tencent", action }, reply);
    } catch {
      // not JSON: validated() reports it as a string where the envelope was expected
    }
    return envelope(action, validated(EnvelopeSchema, { cloud: "tencent", action }, reply, body).Response);
  }
  const json = parseJson({ cloud: "tencent", action }, reply);
  if (!isRecord(json) || !isRecord(json.Response)) {
    throw new CloudApiError({
      cloud: "tencent",
      action,
      code: `HTTP ${reply.status}`,
      message: `unexpected reply without a Response envelope: ${reply.body.slice(0, 200)}`,
      httpStatus: reply.status,
      transient: reply.status === 429,
    });
  }
  return envelope(action, json.Response);
}

/** The `{"Response": {...}}` envelope every Tencent API 3.0 reply is (reference note §1.4). */
const EnvelopeSchema = z.object({ Response: z.record(z.string(), z.unknown()) });

/** The `Response` object; an `Error` inside becomes a `CloudApiError` with the cloud's code. */
function envelope(action: string, response: Record<string, unknown>): Record<string, unknown> {
  const requestId = typeof response.RequestId === "string" ? response.RequestId : undefined;
  if (isRecord(response.Error)) {
    const code = typeof response.Error.Code === "string" ? response.Error.Code : "UnknownError";
    const message = typeof response.Error.Message === "string" ? response.Error.Message : "";
    throw new CloudApiError({ cloud: "tencent", action, code, message: message + authHint(code, action), requestId, transient: isTransientTencentCode(code) });
  }
  return response;
}
