import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { EmulatorCa, type KeySpec, type IssuedCertificate } from "../ca";
import { RateWindows } from "../ratelimit";
import type { CloudEmulator, EmulatorRequest, EmulatorResponse, EmulatorShared, ReplyFault } from "../types";
import { parseAuthorization, parseSdkDate, verifySignature } from "./auth";

type Reply = EmulatorResponse & { errorCode?: string };

/** Statuses that may be withdrawn (user guide). */
const WITHDRAWABLE = new Set(["CHECKING", "CHECKING_DOMAIN", "CHECKING_ORG", "SUPPLEMENTCHECKING"]);
/** Apply is valid from PAID (documented) and — inferred: a rejected application can be applied again — from UNPASSED. */
const APPLICABLE = new Set(["PAID", "UNPASSED"]);
const CLOCK_WINDOW_MS = 15 * 60_000;
const LOCK_AFTER_FAILURES = 5;
const LOCK_MS = 5 * 60_000;
// inferred: no SCM quota is published; the gateway throttle is modelled as 50 requests per second per credential.
const GATEWAY_RATE = 50;
/** ApplyCertificateRequestBody.ca_hash_algorithm: "- DEFAULT - SHA-256". */
const CA_HASH_ALGORITHMS = new Set(["DEFAULT", "SHA-256"]);
/** inferred from SCM's CreateCsrRequestBody.private_key_algo (the apply model says only "默认RSA_2048"). */
const KEY_ALGORITHMS = new Set(["RSA_2048", "RSA_3072", "RSA_4096", "EC_P256", "EC_P384", "SM2"]);

interface ApplicationInfo {
  country?: string;
  company_name?: string;
  company_province?: string;
  company_city?: string;
  company_unit?: string;
  applicant_name?: string;
  applicant_phone?: string;
  applicant_email?: string;
  contact_name?: string;
  contact_phone?: string;
  contact_email?: string;
}

interface Authentification {
  record_name: string;
  record_type: string;
  record_value: string;
  domain: string;
}

/** One purchased certificate. */
export interface HuaweiCertificate {
  id: string;
  status: string;
  order_id: string;
  name: string;
  type: string;
  brand: string;
  domain_type: string;
  domain_count: number;
  wildcard_count: number;
  domain: string | null;
  sans: string | null;
  validation_method: string | null;
  application_info: ApplicationInfo | null;
  authentification: Authentification[];
  issue_time: string | null;
  not_before: string | null;
  not_after: string | null;
  fingerprint: string | null;
  description: string;
  enterprise_project_id: string;
  key_algorithm: string | null;
  ca_hash_algorithm: string | null;
  /** Tags (CreateCertificateTagRequest: resource_id is the certificate id), key → value. */
  tags: Map<string, string>;
  /** The certificate issued by the emulator's CA at issuance, kept so every read and export is the same. */
  issued: IssuedCertificate | null;
  /** Emulator bookkeeping (never in API replies). */
  internal: {
    applyCount: number;
    cancelCount: number;
    lastApplyBody?: Record<string, unknown>;
    rejectReason?: string;
    /** GETs that still show CANCELCHECKING after a withdrawal before it settles; null = only the `settle` command settles. */
    autoSettleReads: number | null;
    withdrawalReads: number;
    /** V5 (seeded): ShowCertificate reads left that show CHECKING before it moves to CHECKING_DOMAIN; null = only `advance` moves it. */
    checkingReadsLeft: number | null;
    updatedAt: number;
    /** Set for a certificate bought through `POST /v3/scm/certificates/buy`. */
    purchased?: { years: number; autoPay: boolean };
    /** ListCertificatesByTag calls that still miss this certificate (the tag index lagging behind its purchase). */
    tagIndexLagReads?: number;
    /** Order of creation (ListCertificatesByTag lists oldest first: inferred). */
    createdSeq: number;
    /** The certificate this one renews (TagResourceResourceDetail.origin_cert_id), and the one renewing it (renewal_cert_id). */
    originCertId?: string;
    renewalCertId?: string;
  };
}

/** PurchaseCertificateRequestBody.cert_brand: "- GEOTRUST - GLOBALSIGN - SYMANTEC - CFCA - TRUSTASIA - VTRUS". */
const BRANDS = ["GEOTRUST", "GLOBALSIGN", "SYMANTEC", "CFCA", "TRUSTASIA", "VTRUS"] as const;
/** PurchaseCertificateRequestBody.cert_type. */
const CERT_TYPES = ["DV_SSL_CERT", "DV_SSL_CERT_BASIC", "EV_SSL_CERT", "EV_SSL_CERT_PRO", "OV_SSL_CERT", "OV_SSL_CERT_PRO"] as const;
/** S32 (issue 18: "Multi-year purchases renew themselves 30 days before each year ends"). */
const MULTI_YEAR_RENEW_DAYS = 30;
/** PurchaseCertificateRequestBody.domain_type. */
const DOMAIN_TYPES = ["SINGLE_DOMAIN", "MULTI_DOMAIN", "WILDCARD"] as const;

function err(status: number, code: string, msg: string, requestId: string): Reply {
  return { status, headers: { "X-Request-Id": requestId }, body: { error_code: code, error_msg: msg }, errorCode: code };
}

function gatewayErr(status: number, code: string, msg: string, requestId: string): Reply {
  return { status, headers: { "X-Request-Id": requestId }, body: { error_code: code, error_msg: msg, request_id: requestId }, errorCode: code };
}

function headerOf(req: EmulatorRequest, name: string): string | undefined {
  const v = req.headers[name];
  return v === undefined ? undefined : Array.isArray(v) ? v.join(",") : v;
}

const DOMAIN_RE = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The key SCM generates for `key_algorithm` (S11); SM2 cannot be made here, so an EC P-256 key stands in (and is reported). */
function keySpecOf(alg: string | null): KeySpec {
  const m = /^RSA_(2048|3072|4096)$/.exec(alg ?? "");
  if (m) return { type: "RSA", bits: Number(m[1]) as 2048 | 3072 | 4096 };
  return alg === "EC_P384" ? { type: "EC", curve: "P-384" } : alg === "EC_P256" || alg === "SM2" ? { type: "EC", curve: "P-256" } : { type: "RSA", bits: 2048 };
}

/** Huawei Cloud SCM v3 and the IAM token call, with the status machine of the reference note. */
export class HuaweiEmulator implements CloudEmulator {
  readonly cloud = "huawei" as const;
  private certs = new Map<string, HuaweiCertificate>();
  private readonly ca = new EmulatorCa();
  private tokens = new Map<string, number>();
  private failures = new Map<string, { count: number; lockedUntil: number }>();
  private readonly windows = new RateWindows();
  private seq = 0;
  /** Actions refused as by a narrower IAM policy (control `deny`). */
  private denied = new Set<string>();

  constructor(private readonly shared: EmulatorShared) {}

  match(req: EmulatorRequest): string | undefined {
    const p = req.path.replace(/\/+$/, "");
    if (p === "/v3/auth/tokens" && req.method === "POST") return "CreateToken";
    if (p === "/v3/auth/domains" && req.method === "GET") return "KeystoneListAuthDomains";
    if (p === "/v3/scm/certificates" && req.method === "GET") return "ListCertificates";
    if (p === "/v3/scm/certificates/buy") return req.method === "POST" ? "SubscribeCertificate" : undefined;
    if (p === "/v3/scm/resource_instances/action") return req.method === "POST" ? "ListCertificatesByTag" : undefined;
    if (/^\/v3\/scm\/certificates\/[^/]+\/unsubscribe$/.test(p)) return req.method === "DELETE" ? "UnsubscribeCertificate" : undefined;
    const tags = /^\/v3\/scm\/([^/]+)\/tags$/.exec(p);
    if (tags && tags[1] !== "certificates") return req.method === "GET" ? "ListTagsByCertificate" : req.method === "POST" ? "CreateCertificateTag" : undefined;
    const m = /^\/v3\/scm\/certificates\/([^/]+)(\/apply|\/cancel-cert|\/export)?$/.exec(p);
    if (!m) return undefined;
    if (!m[2]) return req.method === "GET" ? "ShowCertificate" : req.method === "DELETE" ? "DeleteCertificate" : undefined;
    if (req.method !== "POST") return undefined;
    return m[2] === "/apply" ? "ApplyCertificate" : m[2] === "/export" ? "ExportCertificate" : "CancelCertificateRequest";
  }

  async handle(req: EmulatorRequest, action: string): Promise<Reply> {
    const rid = this.shared.newRequestId();
    if (action === "CreateToken") return this.createToken(req, rid);
    if (action === "KeystoneListAuthDomains") return this.authenticate(req, rid, false) ?? this.listAuthDomains(rid);
    const denied = this.authenticate(req, rid, true);
    if (denied) return denied;
    // S28: an action the credentials' IAM policy does not allow (control `deny`).
    if (this.denied.has(action)) return err(401, "SCM.4002", `Missing IAM policy: the user is not authorized to perform ${action}`, rid);
    if (action === "ListCertificates") return this.list(req, rid);
    if (action === "SubscribeCertificate") return this.buy(req.body.toString("utf8"), rid);
    if (action === "ListCertificatesByTag") return this.byTag(req.body.toString("utf8"), rid);
    const parts = req.path.replace(/\/+$/, "").split("/");
    const id = (action === "ListTagsByCertificate" || action === "CreateCertificateTag" ? parts[3] : parts[4]) ?? "";
    // inferred: a malformed id (not 16 letters/digits) is SCM.0008 "abnormal certificate ID"; an unknown one is 404 SCM.0020.
    if (id.length !== 16 || !/^[A-Za-z0-9]+$/.test(id)) return err(400, "SCM.0008", `Abnormal certificate ID: certificate_id must be 16 characters`, rid);
    const cert = this.certs.get(id);
    if (!cert) return err(404, "SCM.0020", `Incorrect certificate ID: certificate ${id} does not exist`, rid);
    switch (action) {
      case "ShowCertificate":
        return { status: 200, headers: { "X-Request-Id": rid }, body: this.varied(`show|${id}`, this.view(this.onRead(cert))) };
      case "ApplyCertificate":
        return this.apply(req.body.toString("utf8"), cert, rid);
      case "ExportCertificate":
        return this.export(cert, rid);
      case "ListTagsByCertificate":
        // V2 (seeded): tags in a drawn order.
        return {
          status: 200,
          headers: { "X-Request-Id": rid },
          body: { tags: this.shared.vary.order(`huawei|tags|${id}`, [...cert.tags].map(([key, value]) => ({ key, value }))), ...this.shared.vary.extraSnake("huawei|tags") },
        };
      case "CreateCertificateTag":
        return this.tag(req.body.toString("utf8"), cert, rid);
      case "CancelCertificateRequest":
        return this.cancel(cert, rid);
      case "DeleteCertificate":
        return this.remove(cert, rid);
      case "UnsubscribeCertificate":
        return this.unsubscribe(cert, rid);
      default:
        return err(404, "SCM.0005", `unsupported action ${action}`, rid);
    }
  }

  faultResponse(kind: ReplyFault): Reply {
    const rid = this.shared.newRequestId();
    if (kind === "not-found") return err(404, "SCM.0020", "Incorrect certificate ID: the certificate does not exist", rid);
    // inferred: fault injection; the gateway's own 404 (APIG code, as its other errors), no SCM error code.
    if (kind === "gateway-not-found") return gatewayErr(404, "APIG.0101", "The API does not exist or has not been published in the environment", rid);
    if (kind === "throttle") {
      return gatewayErr(429, "APIG.0308", "The throttling threshold has been reached: policy user over ratelimit,limit:50,time:1 second", rid);
    }
    // inferred: the shape of an internal error (no documented generic code).
    return err(500, "SCM.9999", "Internal server error", rid);
  }

  async control(command: string, body: Record<string, unknown>): Promise<EmulatorResponse> {
    const id = typeof body.id === "string" ? body.id : typeof body.certificateId === "string" ? body.certificateId : undefined;
    if (command === "seed") return { status: 200, body: this.seed(body) };
    if (command === "tokens") return { status: 200, body: { count: this.tokens.size } };
    if (command === "settings") {
      if (typeof body.tagIndexLagReads === "number") this.tagIndexLagReads = body.tagIndexLagReads;
      return { status: 200, body: { tagIndexLagReads: this.tagIndexLagReads } };
    }
    if (command === "deny") {
      const actions = Array.isArray(body.actions) ? body.actions.filter((a): a is string => typeof a === "string") : [];
      this.denied = new Set(actions);
      return { status: 200, body: { denied: actions } };
    }
    const cert = id ? this.certs.get(id) : undefined;
    if (!cert) return { status: 404, body: { error: `unknown certificate ${String(id)}` } };
    const now = this.shared.now();
    const bad = (why: string): EmulatorResponse => ({ status: 409, body: { error: why, status: cert.status } });
    // A test that moves the certificate itself takes over from the drawn move (V5).
    if (command !== "state") cert.internal.checkingReadsLeft = null;
    switch (command) {
      case "state":
        return { status: 200, body: { ...this.view(cert), tags: Object.fromEntries(cert.tags), internal: cert.internal } };
      case "advance": {
        const next = this.nextStatus(cert);
        if (!next) return bad(`no automatic next status from ${cert.status}`);
        if (next === "ISSUED") await this.issue(cert);
        else if (next === "PAID") this.settle(cert);
        else cert.status = next;
        break;
      }
      case "checking":
        // V5 on demand: `reads` more ShowCertificate reads show CHECKING, the next one CHECKING_DOMAIN.
        if (cert.status !== "CHECKING" || typeof body.reads !== "number") return bad("checking takes { reads } on a CHECKING certificate");
        cert.internal.checkingReadsLeft = body.reads;
        break;
      case "reject":
        if (!WITHDRAWABLE.has(cert.status) && cert.status !== "ISSUING") return bad(`cannot reject from ${cert.status}`);
        cert.status = "UNPASSED";
        cert.internal.rejectReason = typeof body.reason === "string" ? body.reason : "rejected by the CA";
        cert.authentification = [];
        break;
      case "issue":
        // CANCELCHECKING included: the CA approves before the withdrawal lands (the race of the user guide).
        if (!WITHDRAWABLE.has(cert.status) && cert.status !== "ISSUING" && cert.status !== "CANCELCHECKING") return bad(`cannot issue from ${cert.status}`);
        await this.issue(cert);
        break;
      case "apply": {
        // An application submitted outside certapply (console, another tool): the apply call's rules, no gateway.
        const r = this.apply(JSON.stringify({ agree_privacy_protection: true, domain_method: "DNS", ...(body.body as object) }), cert, "control");
        if (r.status !== 200) return { status: r.status, body: r.body };
        break;
      }
      case "settle":
        if (cert.status !== "CANCELCHECKING") return bad("no withdrawal under review");
        this.settle(cert);
        break;
      case "status":
        if (typeof body.status !== "string" || body.status === "") return { status: 400, body: { error: "status must be a non-empty string" } };
        cert.status = body.status;
        break;
      case "age": {
        // Test control: the CA signs the issued certificate again so that it expires `daysLeft` days from now (S32).
        const days = typeof body.daysLeft === "number" ? body.daysLeft : NaN;
        if (cert.status !== "ISSUED" || !cert.issued || !Number.isFinite(days)) return bad("age needs an issued certificate and a number daysLeft");
        await this.issue(cert, new Date(Math.floor((now - (365 - days) * 86_400_000) / 1000) * 1000));
        if (days <= MULTI_YEAR_RENEW_DAYS) this.renewMultiYear(cert);
        break;
      }
      default:
        return { status: 404, body: { error: `unknown huawei control command ${command}` } };
    }
    cert.internal.updatedAt = now;
    return { status: 200, body: { ...this.view(cert), internal: cert.internal } };
  }

  reset(): void {
    this.certs.clear();
    this.denied.clear();
    this.tokens.clear();
    this.failures.clear();
    this.windows.reset();
    this.unsubscribed.length = 0;
    this.tagIndexLagReads = 0;
  }

  /** inferred: ListCertificatesByTag calls that miss a certificate bought from now on (a lagging tag index); tests raise it. */
  tagIndexLagReads = 0;

  /** Certificates held, for tests. */
  get(id: string): HuaweiCertificate | undefined {
    return this.certs.get(id);
  }

  /** Every certificate held, oldest first, for tests. */
  all(): HuaweiCertificate[] {
    return [...this.certs.values()].sort((a, b) => a.internal.createdSeq - b.internal.createdSeq);
  }

  // ---- IAM ---------------------------------------------------------------------------------------

  private createToken(req: EmulatorRequest, rid: string): Reply {
    const c = this.shared.credentials.huawei;
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString("utf8"));
    } catch {
      return { status: 400, headers: { "X-Request-Id": rid }, body: { error: { code: 400, title: "Bad Request", message: "The request body is not JSON." } }, errorCode: "400" };
    }
    const user = (body as { auth?: { identity?: { methods?: unknown; password?: { user?: { name?: unknown; password?: unknown; domain?: { name?: unknown } } } } } })
      ?.auth?.identity?.password?.user;
    const methods = (body as { auth?: { identity?: { methods?: unknown } } })?.auth?.identity?.methods;
    const project = (body as { auth?: { scope?: { project?: { name?: unknown } } } })?.auth?.scope?.project?.name;
    if (!Array.isArray(methods) || !methods.includes("password") || !user) {
      return { status: 400, headers: { "X-Request-Id": rid }, body: { error: { code: 400, title: "Bad Request", message: "auth.identity.methods must include password" } }, errorCode: "400" };
    }
    if (user.name !== c.userName || user.password !== c.password || user.domain?.name !== c.domainName) {
      return {
        status: 401,
        headers: { "X-Request-Id": rid },
        body: { error: { code: 401, title: "Unauthorized", message: "The username or password is wrong." } },
        errorCode: "401",
      };
    }
    const now = this.shared.now();
    const token = "MII" + randomBytes(48).toString("base64url");
    const expires = now + c.tokenLifetimeSeconds * 1000;
    this.tokens.set(token, expires);
    return {
      status: 201,
      headers: { "X-Subject-Token": token, "X-Request-Id": rid },
      body: {
        token: {
          methods: ["password"],
          issued_at: new Date(now).toISOString(),
          expires_at: new Date(expires).toISOString(),
          user: { name: c.userName, domain: { name: c.domainName, id: c.domainId } },
          project: { name: typeof project === "string" ? project : "ap-southeast-1", id: c.projectId ?? "0".repeat(32), domain: { name: c.domainName, id: c.domainId } },
        },
      },
    };
  }

  // ---- gateway authentication --------------------------------------------------------------------

  /**
   * Gateway authentication. `globalService`: SCM is a global service, so an AK/SK call must carry the account's
   * `X-Domain-Id`, signed ([D-sign] "AK/SK认证方式下，全局服务的接口调用，需在请求消息头中配置X-Domain-Id"; the SDKs
   * build SCM clients with global credentials, which add it before signing).
   */
  private authenticate(req: EmulatorRequest, rid: string, globalService: boolean): Reply | undefined {
    const c = this.shared.credentials.huawei;
    // One instant for every check of the call (date skew, lock, token expiry, throttle): when it was taken in.
    const now = req.receivedAt;
    const domainHeader = headerOf(req, "x-domain-id");
    const authorization = headerOf(req, "authorization");
    const token = headerOf(req, "x-auth-token");
    let who: string;
    if (authorization) {
      const parsed = parseAuthorization(authorization);
      if (!parsed) return gatewayErr(401, "APIG.0301", "Incorrect IAM authentication information: malformed Authorization header", rid);
      if (parsed.accessKey !== c.accessKey) return gatewayErr(401, "APIG.0301", "Incorrect IAM authentication information: unknown access key", rid);
      const f = this.failures.get(parsed.accessKey) ?? { count: 0, lockedUntil: 0 };
      // inferred: a locked AK is answered with APIG.0301 (the docs state the lock, not its reply).
      if (f.lockedUntil > now) return gatewayErr(401, "APIG.0301", "Incorrect IAM authentication information: the access key is locked after repeated failures", rid);
      const date = headerOf(req, "x-sdk-date");
      if (!parsed.signedHeaders.includes("host") || !parsed.signedHeaders.includes("x-sdk-date") || !date) {
        return this.badSignature(f, parsed.accessKey, now, rid, "host and x-sdk-date must be signed");
      }
      const when = parseSdkDate(date);
      if (when === undefined) return this.badSignature(f, parsed.accessKey, now, rid, "X-Sdk-Date must be YYYYMMDDTHHMMSSZ");
      // inferred: APIGW.0303 is sent with HTTP 401.
      if (Math.abs(when - now) > CLOCK_WINDOW_MS) return gatewayErr(401, "APIGW.0303", "Incorrect app authentication information: the request time differs from the server time by more than 15 minutes", rid);
      if (!verifySignature(req, parsed, c.secretKey, date)) return this.badSignature(f, parsed.accessKey, now, rid, "signature mismatch");
      // inferred: with temporary credentials configured, X-Security-Token must be present and equal.
      if (c.securityToken !== undefined && headerOf(req, "x-security-token") !== c.securityToken) {
        return this.badSignature(f, parsed.accessKey, now, rid, "security token missing or wrong");
      }
      this.failures.delete(parsed.accessKey);
      // inferred: the refusal of an AK/SK call to a global service without a signed X-Domain-Id is 401 APIG.0301
      // (no documented reply names this case; the signature itself was valid, so it does not count towards the lock).
      // G5a: a signed X-Project-Id of the account's project is accepted instead, as official tooling sends it.
      const projectHeader = headerOf(req, "x-project-id");
      const byProject = domainHeader === undefined && projectHeader !== undefined && parsed.signedHeaders.includes("x-project-id");
      if (byProject && projectHeader !== c.projectId) return err(403, "SCM.0002", "The tenant ID does not match the token.", rid);
      if (globalService && !byProject && (domainHeader === undefined || !parsed.signedHeaders.includes("x-domain-id"))) {
        return gatewayErr(
          401,
          "APIG.0301",
          `Incorrect IAM authentication information: ${domainHeader === undefined ? "X-Domain-Id is required" : "X-Domain-Id must be signed"} for a global service with AK/SK`,
          rid,
        );
      }
      who = `ak:${parsed.accessKey}`;
    } else if (token) {
      const expires = this.tokens.get(token);
      if (expires === undefined) return gatewayErr(401, "APIG.0301", "Incorrect IAM authentication information: decrypt token fail", rid);
      if (expires <= now) return gatewayErr(401, "APIG.0301", "Incorrect IAM authentication information: The token must be updated.", rid);
      who = "token";
    } else {
      return gatewayErr(401, "APIG.0301", "Incorrect IAM authentication information: no X-Auth-Token or Authorization header", rid);
    }
    // inferred: an X-Domain-Id for another account is SCM.0002 (tenant does not match) with 403.
    if (domainHeader !== undefined && domainHeader !== c.domainId) return err(403, "SCM.0002", "The tenant ID does not match the token.", rid);
    if (!this.windows.allow(who, GATEWAY_RATE, now)) {
      return gatewayErr(429, "APIG.0308", `The throttling threshold has been reached: policy user over ratelimit,limit:${GATEWAY_RATE},time:1 second`, rid);
    }
    return undefined;
  }

  private badSignature(f: { count: number; lockedUntil: number }, ak: string, now: number, rid: string, why: string): Reply {
    f.count += 1;
    if (f.count >= LOCK_AFTER_FAILURES) {
      f.lockedUntil = now + LOCK_MS;
      f.count = 0;
    }
    this.failures.set(ak, f);
    return gatewayErr(401, "APIG.0301", `Incorrect IAM authentication information: verify aksk signature fail (${why})`, rid);
  }

  // ---- SCM -------------------------------------------------------------------------------------

  private list(req: EmulatorRequest, rid: string): Reply {
    const limitRaw = req.query.get("limit");
    const offsetRaw = req.query.get("offset");
    const limit = limitRaw === null ? 10 : Number(limitRaw);
    const offset = offsetRaw === null ? 0 : Number(offsetRaw);
    if (!Number.isInteger(limit) || limit < 10 || limit > 50) return err(400, "SCM.0005", "Incorrect request parameter: limit must be 10 to 50", rid);
    if (!Number.isInteger(offset) || offset < 0) return err(400, "SCM.0005", "Incorrect request parameter: offset must be a non-negative integer", rid);
    const status = req.query.get("status") ?? "ALL";
    const dir = (req.query.get("sort_dir") ?? "DESC").toUpperCase();
    let all = [...this.certs.values()].filter((c) => status === "ALL" || c.status === status);
    all.sort((a, b) => a.internal.updatedAt - b.internal.updatedAt || (a.id < b.id ? -1 : 1));
    if (dir !== "ASC") all = all.reverse();
    // inferred: offset counts items (Terraform pages with offset += limit), not pages.
    const page = all.slice(offset, offset + limit).map((c) => ({
      id: c.id,
      name: c.name,
      domain: c.domain ?? "",
      sans: c.sans ?? "",
      signature_algorithm: "SHA256WITHRSA",
      deploy_support: false,
      type: c.type,
      brand: c.brand,
      expire_time: c.not_after ? c.not_after.replace("T", " ").replace("Z", "") : "",
      domain_type: c.domain_type,
      validity_period: 12,
      status: c.status,
      domain_count: c.domain_count,
      wildcard_count: c.wildcard_count,
      description: c.description,
      domain_id: this.shared.credentials.huawei.domainId,
      enterprise_project_id: c.enterprise_project_id,
    }));
    // V1/V3 (seeded): optional list fields varied, fields a newer API version adds.
    const vary = this.shared.vary;
    const items = page.map((c) => ({ ...vary.optional(`huawei|list|${c.id}`, c, ["description", "enterprise_project_id", "signature_algorithm", "expire_time"]), ...vary.extraSnake(`huawei|list-item`) }));
    return { status: 200, headers: { "X-Request-Id": rid }, body: { certificates: items, total_count: all.length, ...vary.extraSnake("huawei|list") } };
  }

  private apply(raw: string, cert: HuaweiCertificate, rid: string): Reply {
    if (!APPLICABLE.has(cert.status)) {
      return err(400, "SCM.0010", `The operation is not allowed by the current certificate status (${cert.status}).`, rid);
    }
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
      body = parsed as Record<string, unknown>;
    } catch {
      return err(400, "SCM.0005", "Incorrect request parameter: the body must be a JSON object", rid);
    }
    // Messages name the field, never its value (personal data).
    const bad = (msg: string): Reply => err(400, "SCM.0005", `Incorrect request parameter: ${msg}`, rid);
    const str = (k: string): string | undefined => (typeof body[k] === "string" ? (body[k] as string) : undefined);
    const chars = (v: string): number => [...v].length;
    for (const k of ["domain", "applicant_name", "applicant_phone", "applicant_email", "domain_method"]) {
      if (!str(k)) return bad(`${k} is required`);
    }
    if (body.agree_privacy_protection !== true) return bad("agree_privacy_protection must be true");
    const method = str("domain_method")!.toUpperCase();
    if (!["DNS", "FILE", "EMAIL"].includes(method)) return bad("domain_method must be DNS, FILE or EMAIL");
    const name = str("applicant_name")!;
    const nameBytes = Buffer.byteLength(name, "utf8");
    // RULES S7: Go model >= 0.1.93 and Python huaweicloudsdkscm: Chinese or Latin letters, _ - , . and 4 to 100 bytes.
    if (!/^[\p{Script=Han}A-Za-z_\-,.]+$/u.test(name)) return bad("applicant_name may hold only Chinese or English letters, underscores, hyphens, commas and periods");
    if (nameBytes < 4 || nameBytes > 100) return bad("applicant_name must be 4 to 100 bytes");
    if ((str("contact_name") ?? "").length > 0 && chars(str("contact_name")!) > 63) return bad("contact_name must be at most 63 characters");
    if (!EMAIL_RE.test(str("applicant_email")!) || str("applicant_email")!.length > 256) return bad("applicant_email is not an e-mail address");
    const country = str("country");
    if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) return bad("country must be two letters");
    for (const k of ["company_name", "company_province", "company_city", "company_unit"]) {
      if (chars(str(k) ?? "") > 63) return bad(`${k} must be at most 63 characters`);
    }
    if (/^(OV|EV)_/.test(cert.type)) {
      for (const k of ["company_name", "company_province", "company_city", "country"]) if (!str(k)) return bad(`${k} is required for ${cert.type}`);
    }
    const hash = str("ca_hash_algorithm");
    if (hash !== undefined && !CA_HASH_ALGORITHMS.has(hash)) return bad("ca_hash_algorithm must be DEFAULT or SHA-256");
    const keyAlg = str("key_algorithm");
    if (keyAlg !== undefined && !KEY_ALGORITHMS.has(keyAlg)) return bad("key_algorithm is not a supported key algorithm");
    const csr = str("csr");
    // inferred: a csr that is not PEM is SCM.0005.
    if (csr !== undefined && !csr.includes("BEGIN CERTIFICATE REQUEST")) return bad("csr is not a PEM certificate request");
    const sansRaw = str("sans") ?? "";
    if (sansRaw.length > 4096) return bad("sans must be at most 4096 characters");
    const domain = str("domain")!.toLowerCase();
    const sans = sansRaw === "" ? [] : sansRaw.split(";").map((s) => s.trim().toLowerCase());
    const ipOnly = [domain, ...sans].every((d) => isIP(d) !== 0);
    // domain_method: "纯IP（公网IP）的证书仅支持通过“文件验证”方式进行验证，且仅纯IP证书支持“文件验证”方式验证".
    if (method === "FILE" && !ipOnly) return bad("domain_method FILE is only supported for pure-IP certificates");
    if (method !== "FILE" && ipOnly) return bad("a pure-IP certificate supports only domain_method FILE");
    const domainErr = this.checkDomains(cert, domain, sans);
    if (domainErr) return err(400, "SCM.0015", `The number or format of domain names does not match the certificate: ${domainErr}`, rid);

    cert.status = "CHECKING";
    cert.domain = domain;
    cert.sans = sans.length > 0 ? sans.join(";") : null;
    cert.validation_method = method;
    cert.key_algorithm = str("key_algorithm") ?? "RSA_2048";
    cert.ca_hash_algorithm = str("ca_hash_algorithm") ?? "DEFAULT";
    const info: ApplicationInfo = {};
    for (const k of [
      "country",
      "company_name",
      "company_province",
      "company_city",
      "company_unit",
      "applicant_name",
      "applicant_phone",
      "applicant_email",
      "contact_name",
      "contact_phone",
      "contact_email",
    ] as const) {
      if (str(k) !== undefined) info[k] = str(k);
    }
    cert.application_info = info;
    // inferred: validation records exist from the moment of application (record names from the official GET example: _dnsauth.<domain>).
    cert.authentification = body.auto_dns_auth === true ? [] : [domain, ...sans].map((d) => this.record(d, method));
    cert.internal.applyCount += 1;
    // V5 (seeded): the CA takes up the application on its own after 0–3 reads of CHECKING (never without a seed).
    cert.internal.checkingReadsLeft = this.shared.vary.on
      ? this.shared.vary.between(`huawei|checking-reads|${cert.id}|${cert.internal.applyCount}`, 0, 3, 0)
      : null;
    cert.internal.lastApplyBody = body;
    cert.internal.rejectReason = undefined;
    cert.internal.updatedAt = this.shared.now();
    return { status: 200, headers: { "X-Request-Id": rid }, body: { request_info: "success" } };
  }

  private checkDomains(cert: HuaweiCertificate, domain: string, sans: string[]): string | undefined {
    for (const d of [domain, ...sans]) if (isIP(d) === 0 && (!DOMAIN_RE.test(d) || d.length > 255)) return `"${d}" is not a domain name`;
    const wildcards = [domain, ...sans].filter((d) => d.startsWith("*.")).length;
    if (cert.domain_type === "SINGLE_DOMAIN") {
      if (sans.length > 0) return "a single-domain certificate takes no sans";
      if (wildcards > 0) return "a single-domain certificate takes no wildcard";
    } else if (cert.domain_type === "WILDCARD") {
      if (sans.length > 0) return "a wildcard certificate takes no sans";
      if (wildcards !== 1) return "a wildcard certificate needs a *. domain";
    } else {
      if (1 + sans.length > cert.domain_count) return `${1 + sans.length} domains for a certificate bought for ${cert.domain_count}`;
      if (wildcards > cert.wildcard_count) return `${wildcards} wildcard domains for a certificate bought for ${cert.wildcard_count}`;
    }
    return undefined;
  }

  private record(domain: string, method: string): Authentification {
    const base = domain.replace(/^\*\./, "");
    const value = randomBytes(16).toString("hex");
    // inferred: FILE and EMAIL record shapes (only the DNS shape appears in the docs).
    if (method === "FILE") return { domain, record_type: "FILE", record_name: `http://${base}/.well-known/pki-validation/fileauth.txt`, record_value: value };
    if (method === "EMAIL") return { domain, record_type: "EMAIL", record_name: `admin@${base}`, record_value: "" };
    return { domain, record_type: "TXT", record_name: `_dnsauth.${base}`, record_value: value };
  }

  private cancel(cert: HuaweiCertificate, rid: string): Reply {
    if (!WITHDRAWABLE.has(cert.status)) {
      return err(400, "SCM.0010", `The operation is not allowed by the current certificate status (${cert.status}).`, rid);
    }
    cert.status = "CANCELCHECKING";
    cert.internal.cancelCount += 1;
    cert.internal.withdrawalReads = 0;
    cert.internal.updatedAt = this.shared.now();
    return { status: 200, headers: { "X-Request-Id": rid }, body: { cert_id: cert.id, message: "success" } };
  }

  private remove(cert: HuaweiCertificate, rid: string): Reply {
    // inferred: a certificate with an application in progress (or a purchased, unused one) cannot be deleted: SCM.0010.
    if (!["ISSUED", "EXPIRED", "REVOKED", "UPLOAD", "UNPASSED"].includes(cert.status)) {
      return err(400, "SCM.0010", `The operation is not allowed by the current certificate status (${cert.status}).`, rid);
    }
    this.certs.delete(cert.id);
    return { status: 200, headers: { "X-Request-Id": rid } };
  }

  /**
   * CreateCertificateTag: body `{"tag":{"key","value"}}` (CreateCertificateTagRequestBody / ScsResourceTag); reply
   * `{"desc":"success"}` (CreateCertificateTagResponse.desc). Key and value characters as ScsTag states (letters,
   * digits, spaces, `_ . : = + - @`). inferred: key at most 128 and value at most 255 characters, and a tag with an
   * existing key replaces its value.
   */
  private tag(raw: string, cert: HuaweiCertificate, rid: string): Reply {
    let tag: { key?: unknown; value?: unknown } | undefined;
    try {
      tag = (JSON.parse(raw) as { tag?: { key?: unknown; value?: unknown } })?.tag;
    } catch {
      tag = undefined;
    }
    const ok = (v: unknown, max: number, min: number): v is string => typeof v === "string" && v.length >= min && v.length <= max && /^[\p{L}\p{N} _.:=+\-@]*$/u.test(v);
    if (!tag || !ok(tag.key, 128, 1) || !ok(tag.value, 255, 0)) return err(400, "SCM.0005", "Incorrect request parameter: tag.key and tag.value", rid);
    cert.tags.set(tag.key, tag.value);
    return { status: 200, headers: { "X-Request-Id": rid }, body: { desc: "success" } };
  }

  /**
   * SubscribeCertificate (`POST /v3/scm/certificates/buy`, "购买SSL证书"): the Go SDK's PurchaseCertificateRequestBody.
   * Buys `order_number` certificates, each PAID; reply `{order_id, cert: [{cert_id}]}` (SubscribeCertificateResponse,
   * CertDetail). The model has no `tags`: a purchase carries none (inferred: fields outside the model are ignored).
   */
  private buy(raw: string, rid: string): Reply {
    let b: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
      b = parsed as Record<string, unknown>;
    } catch {
      return err(400, "SCM.0005", "Incorrect request parameter: the body must be a JSON object", rid);
    }
    const bad = (why: string) => err(400, "SCM.0005", `Incorrect request parameter: ${why}`, rid);
    const oneOf = (k: string, values: readonly string[]) => typeof b[k] === "string" && values.includes(b[k] as string);
    const int = (k: string) => (typeof b[k] === "number" && Number.isInteger(b[k]) ? (b[k] as number) : undefined);
    if (!oneOf("cert_brand", BRANDS)) return bad(`cert_brand must be one of ${BRANDS.join(", ")}`);
    if (!oneOf("cert_type", CERT_TYPES)) return bad(`cert_type must be one of ${CERT_TYPES.join(", ")}`);
    if (!oneOf("domain_type", DOMAIN_TYPES)) return bad(`domain_type must be one of ${DOMAIN_TYPES.join(", ")}`);
    const years = int("effective_time");
    // inferred: the model says only "证书有效期（年）"; a positive whole number of years.
    if (years === undefined || years < 1) return bad("effective_time must be a positive number of years");
    const domains = int("domain_numbers");
    const multi = b.domain_type === "MULTI_DOMAIN";
    if (domains === undefined || (multi ? domains < 2 || domains > 100 : domains !== 1)) {
      return bad(`domain_numbers must be ${multi ? "2 to 100 for MULTI_DOMAIN" : "1 for SINGLE_DOMAIN and WILDCARD"}`);
    }
    const count = int("order_number");
    if (count === undefined || count < 1 || count > 100) return bad("order_number must be 1 to 100");
    if (b.agree_privacy_protection !== true) return bad("agree_privacy_protection must be true to buy a certificate");
    if (b.primary_domain_type !== undefined && !oneOf("primary_domain_type", ["SINGLE_DOMAIN", "WILDCARD_DOMAIN"])) return bad("primary_domain_type must be SINGLE_DOMAIN or WILDCARD_DOMAIN");
    if (b.is_auto_pay !== undefined && typeof b.is_auto_pay !== "boolean") return bad("is_auto_pay must be a boolean");
    const ep = b.enterprise_project_id;
    if (ep !== undefined && !(typeof ep === "string" && (ep === "all" || ep === "0" || /^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$/.test(ep)))) {
      return bad("enterprise_project_id must be all, 0 or a project id");
    }
    const orderId = `CS${String(this.shared.now()).slice(-8)}${String(this.seq + 1).padStart(5, "0")}`;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const made = this.seed({ type: b.cert_type, brand: b.cert_brand, domainType: b.domain_type, domainCount: domains, wildcardCount: b.domain_type === "WILDCARD" ? 1 : 0 });
      const cert = this.certs.get(String(made.certificateId));
      if (!cert) continue;
      cert.order_id = orderId;
      cert.internal.purchased = { years, autoPay: b.is_auto_pay === true };
      cert.internal.tagIndexLagReads = this.tagIndexLagReads;
      ids.push(cert.id);
    }
    return { status: 200, headers: { "X-Request-Id": rid }, body: { order_id: orderId, cert: ids.map((cert_id) => ({ cert_id })) } };
  }

  /**
   * ListCertificatesByTag (`POST /v3/scm/resource_instances/action`, ListCertificatesByTagRequestBody): `action`
   * `filter` (a page of `resources`, TagResource) or `count` (`total_count` only); `tags` (every key present, a value
   * among `values`, an empty `values` matching any), `not_tags` (none of them present), `without_any_tag`; `limit`
   * 10/20/50, `offset`. inferred: `action` is required, `limit` defaults to 10, `order_status` is the certificate's
   * status, `unsubscribe_support` holds for PAID and UNPASSED (S30), times are millisecond timestamps as strings.
   */
  private byTag(raw: string, rid: string): Reply {
    let b: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw || "{}");
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
      b = parsed as Record<string, unknown>;
    } catch {
      return err(400, "SCM.0005", "Incorrect request parameter: the body must be a JSON object", rid);
    }
    const bad = (why: string) => err(400, "SCM.0005", `Incorrect request parameter: ${why}`, rid);
    if (b.action !== "filter" && b.action !== "count") return bad("action must be filter or count");
    const limit = b.limit === undefined ? 10 : b.limit;
    const offset = b.offset === undefined ? 0 : b.offset;
    if (limit !== 10 && limit !== 20 && limit !== 50) return bad("limit must be 10, 20 or 50");
    if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0) return bad("offset must be a non-negative integer");
    const tagList = (k: string): { key: string; values: string[] }[] | undefined | null => {
      const v = b[k];
      if (v === undefined) return undefined;
      if (!Array.isArray(v) || v.length > 20) return null;
      const out: { key: string; values: string[] }[] = [];
      for (const t of v as unknown[]) {
        const o = t as { key?: unknown; values?: unknown };
        if (!o || typeof o.key !== "string" || !Array.isArray(o.values) || o.values.length > 20 || !o.values.every((x) => typeof x === "string")) return null;
        out.push({ key: o.key, values: o.values as string[] });
      }
      return out;
    };
    const tags = tagList("tags");
    const notTags = tagList("not_tags");
    if (tags === null) return bad("tags must be a list of {key, values}");
    if (notTags === null) return bad("not_tags must be a list of {key, values}");
    const has = (c: HuaweiCertificate, t: { key: string; values: string[] }) => c.tags.has(t.key) && (t.values.length === 0 || t.values.includes(c.tags.get(t.key) ?? ""));
    // inferred: the listing is answered from a tag index that may lag behind a purchase (tagIndexLagReads).
    const indexed = [...this.certs.values()].filter((c) => !c.internal.tagIndexLagReads);
    for (const c of this.certs.values()) if (c.internal.tagIndexLagReads) c.internal.tagIndexLagReads -= 1;
    const all = indexed
      .filter((c) => (b.without_any_tag === true ? c.tags.size === 0 : (tags ?? []).every((t) => has(c, t)) && !(notTags ?? []).some((t) => has(c, t))))
      .sort((x, y) => x.internal.createdSeq - y.internal.createdSeq);
    if (b.action === "count") return { status: 200, headers: { "X-Request-Id": rid }, body: { total_count: all.length } };
    const ms = (iso: string | null) => (iso ? String(Date.parse(iso)) : "");
    const resources = all.slice(offset, offset + limit).map((c) => ({
      resource_id: c.id,
      resource_name: c.name,
      tags: [...c.tags].map(([key, value]) => ({ key, value })),
      resource_detail: {
        cert_id: c.id,
        cert_name: c.name,
        domain: c.domain ?? "",
        cert_type: c.type,
        cert_brand: c.brand,
        domain_type: c.domain_type,
        purchase_period: c.internal.purchased?.years ?? 1,
        expired_time: ms(c.not_after),
        order_status: c.status,
        domain_num: c.domain_count,
        wildcard_number: c.wildcard_count,
        sans: c.sans ?? "",
        resource_id: c.id,
        unsubscribe_support: c.status === "PAID" || c.status === "UNPASSED",
        enterprise_project_id: c.enterprise_project_id,
        origin_cert_id: c.internal.originCertId ?? "",
        renewal_cert_id: c.internal.renewalCertId ?? "",
      },
    }));
    return { status: 200, headers: { "X-Request-Id": rid }, body: { resources, total_count: all.length } };
  }

  /**
   * UnsubscribeCertificate (`DELETE /v3/scm/certificates/{cert_id}/unsubscribe`, "退订证书"): reply
   * `{unsubscribe_results}` (UnsubscribeCertificateResponse; Terraform expects "SUCCESS"); the certificate is then gone
   * (Terraform polls GET until 404). inferred: only a certificate with no application under way and not issued
   * (PAID, UNPASSED) can be unsubscribed; others answer SCM.0010.
   */
  private unsubscribe(cert: HuaweiCertificate, rid: string): Reply {
    if (!["PAID", "UNPASSED"].includes(cert.status)) {
      return err(400, "SCM.0010", `The operation is not allowed by the current certificate status (${cert.status}).`, rid);
    }
    this.certs.delete(cert.id);
    this.unsubscribed.push(cert.id);
    return { status: 200, headers: { "X-Request-Id": rid }, body: { unsubscribe_results: "SUCCESS" } };
  }

  /** Ids of certificates unsubscribed (refunded), oldest first, for tests. */
  readonly unsubscribed: string[] = [];

  /** A read during a withdrawal review counts towards its automatic settling. */
  private onRead(cert: HuaweiCertificate): HuaweiCertificate {
    if (cert.status === "CHECKING" && cert.internal.checkingReadsLeft !== null) {
      if (cert.internal.checkingReadsLeft <= 0) {
        cert.status = "CHECKING_DOMAIN";
        cert.internal.checkingReadsLeft = null;
        cert.internal.updatedAt = this.shared.now();
      } else cert.internal.checkingReadsLeft -= 1;
    }
    if (cert.status === "CANCELCHECKING" && cert.internal.autoSettleReads !== null) {
      cert.internal.withdrawalReads += 1;
      if (cert.internal.withdrawalReads > cert.internal.autoSettleReads) this.settle(cert);
    }
    return cert;
  }

  private nextStatus(cert: HuaweiCertificate): string | undefined {
    const ovEv = /^(OV|EV)_/.test(cert.type);
    // inferred: the order CHECKING → CHECKING_DOMAIN → (OV/EV: CHECKING_ORG) → ISSUING → ISSUED (user guide: 40 % / 70 % / 90 %).
    switch (cert.status) {
      case "CHECKING":
        return "CHECKING_DOMAIN";
      case "CHECKING_DOMAIN":
        return ovEv ? "CHECKING_ORG" : "ISSUING";
      case "CHECKING_ORG":
        return "ISSUING";
      case "ISSUING":
      case "SUPPLEMENTCHECKING":
        return "ISSUED";
      case "CANCELCHECKING":
        return "PAID";
      default:
        return undefined;
    }
  }

  /**
   * S32 (inferred): a certificate bought for more than one year, within 30 days of its expiry, gets its next
   * certificate from SCM: same product and application, PAID until applied, `origin_cert_id` the old one and the old
   * one's `renewal_cert_id` the new one; one year fewer left. Tags are not copied.
   */
  private renewMultiYear(cert: HuaweiCertificate): void {
    const years = cert.internal.purchased?.years ?? 1;
    if (years <= 1 || cert.internal.renewalCertId) return;
    const made = this.seed({ type: cert.type, brand: cert.brand, domainType: cert.domain_type, domainCount: cert.domain_count, wildcardCount: cert.wildcard_count });
    const next = this.certs.get(String(made.certificateId));
    if (!next) return;
    next.order_id = cert.order_id;
    next.internal.purchased = { years: years - 1, autoPay: cert.internal.purchased?.autoPay ?? false };
    next.internal.originCertId = cert.internal.originCertId ?? cert.id;
    cert.internal.renewalCertId = next.id;
  }

  /** Issues a real certificate from the emulator's CA for the applied names (the CSR's key, else a generated one) and keeps it. */
  private async issue(cert: HuaweiCertificate, notBefore?: Date): Promise<void> {
    const now = this.shared.now();
    const csr = cert.internal.lastApplyBody?.csr;
    const issued = await this.ca.issue({
      commonName: cert.domain ?? cert.name,
      dnsNames: (cert.sans ?? "").split(";").filter((s) => s !== ""),
      csrPem: typeof csr === "string" ? csr : undefined,
      key: keySpecOf(cert.key_algorithm),
      notBefore: notBefore ?? new Date(Math.floor(now / 1000) * 1000),
      validityDays: 365,
    });
    cert.issued = issued;
    // S11: the key follows key_algorithm (a CSR's key as the CSR has it); reads report the key certified.
    cert.key_algorithm = issued.keyAlgorithm;
    cert.status = "ISSUED";
    cert.issue_time = new Date(now).toISOString();
    cert.not_before = issued.notBefore.toISOString();
    cert.not_after = issued.notAfter.toISOString();
    // ShowCertificateResponse.fingerprint: "证书的SHA-1指纹".
    cert.fingerprint = issued.sha1Thumbprint;
    cert.authentification = [];
  }

  /**
   * ExportCertificateResponse: `entire_certificate` (certificate and chain), `certificate`, `certificate_chain`,
   * `private_key` (only when SCM generated the key, i.e. no CSR was given). inferred: export before issuance is SCM.0010.
   */
  private export(cert: HuaweiCertificate, rid: string): Reply {
    if (cert.status !== "ISSUED" || !cert.issued) {
      return err(400, "SCM.0010", `The operation is not allowed by the current certificate status (${cert.status}).`, rid);
    }
    const i = cert.issued;
    const body: Record<string, unknown> = {
      entire_certificate: i.certificatePem + i.chainPem,
      certificate: i.certificatePem,
      certificate_chain: i.chainPem,
    };
    if (i.privateKeyPem) body.private_key = i.privateKeyPem;
    return { status: 200, headers: { "X-Request-Id": rid }, body };
  }

  // ---- IAM: KeystoneListAuthDomains ----------------------------------------------------------------

  /** `GET /v3/auth/domains` (KeystoneListAuthDomainsResponse): the account of the caller. */
  private listAuthDomains(rid: string): Reply {
    const c = this.shared.credentials.huawei;
    return {
      status: 200,
      headers: { "X-Request-Id": rid, "X-IAM-Trace-Id": rid },
      body: {
        domains: [{ id: c.domainId, name: c.domainName, enabled: true, description: "", links: { self: `https://iam.myhuaweicloud.com/v3/domains/${c.domainId}` } }],
        links: { self: "https://iam.myhuaweicloud.com/v3/auth/domains" },
      },
    };
  }

  /** A withdrawal approved: back to PAID, the application forgotten so it can be applied again. */
  private settle(cert: HuaweiCertificate): void {
    cert.status = "PAID";
    cert.domain = null;
    cert.sans = null;
    cert.validation_method = null;
    cert.application_info = null;
    cert.authentification = [];
    cert.internal.updatedAt = this.shared.now();
  }

  private seed(body: Record<string, unknown>): Record<string, unknown> {
    this.seq += 1;
    const id =
      typeof body.certificateId === "string" && body.certificateId !== ""
        ? body.certificateId
        : `scs${String(this.shared.now()).slice(-9)}${String(this.seq).padStart(4, "0")}`.slice(0, 16).padEnd(16, "0");
    const type = typeof body.type === "string" ? body.type : "DV_SSL_CERT";
    const domainType = typeof body.domainType === "string" ? body.domainType : "MULTI_DOMAIN";
    const cert: HuaweiCertificate = {
      id,
      status: "PAID",
      order_id: `CS${String(this.shared.now()).slice(-8)}${String(this.seq).padStart(5, "0")}`,
      name: typeof body.name === "string" ? body.name : `scm-${id.slice(-6)}`,
      type,
      brand: typeof body.brand === "string" ? body.brand : "GEOTRUST",
      domain_type: domainType,
      domain_count: typeof body.domainCount === "number" ? body.domainCount : domainType === "MULTI_DOMAIN" ? 10 : 1,
      wildcard_count: typeof body.wildcardCount === "number" ? body.wildcardCount : domainType === "WILDCARD" ? 1 : domainType === "MULTI_DOMAIN" ? 2 : 0,
      domain: null,
      sans: null,
      validation_method: null,
      application_info: null,
      authentification: [],
      issue_time: null,
      not_before: null,
      not_after: null,
      fingerprint: null,
      description: "",
      enterprise_project_id: "0",
      key_algorithm: null,
      ca_hash_algorithm: null,
      issued: null,
      tags: new Map(),
      internal: {
        applyCount: 0,
        cancelCount: 0,
        // inferred: by default a withdrawal shows CANCELCHECKING on one read and has settled (PAID) on the next.
        // V4 (seeded): how many reads show CANCELCHECKING before PAID, 0 to 3.
        autoSettleReads:
          body.autoSettleReads === null || body.manualWithdrawal === true
            ? null
            : typeof body.autoSettleReads === "number"
              ? body.autoSettleReads
              : this.shared.vary.between(`huawei|settle-reads|${id}`, 0, 3, 1),
        withdrawalReads: 0,
        checkingReadsLeft: null,
        updatedAt: this.shared.now(),
        createdSeq: this.seq,
      },
    };
    this.certs.set(id, cert);
    return { certificateId: id, ...this.view(cert) };
  }

  /**
   * V1–V3 (seeded): a ShowCertificate reply with the fields the model leaves open varied: optional ones as they are,
   * absent, null or empty; `authentification` in a drawn order; fields a newer API version adds.
   */
  private varied(key: string, v: Record<string, unknown>): Record<string, unknown> {
    const vary = this.shared.vary;
    if (!vary.on) return v;
    const out = vary.optional(`huawei|${key}`, v, ["push_support", "revoke_reason", "multi_domain_type", "description", "enterprise_project_id", "shared", "issue_time", "signature_algorithm"]);
    if (Array.isArray(out.authentification)) out.authentification = vary.order(`huawei|auth|${key}`, out.authentification);
    return { ...out, ...vary.extraSnake(`huawei|${key}`) };
  }

  /** The detail object of GET /v3/scm/certificates/{id}. */
  private view(c: HuaweiCertificate): Record<string, unknown> {
    return {
      id: c.id,
      status: c.status,
      order_id: c.order_id,
      name: c.name,
      type: c.type,
      brand: c.brand,
      push_support: "OFF",
      revoke_reason: "",
      signature_algorithm: "SHA256WITHRSA",
      issue_time: c.issue_time,
      not_before: c.not_before,
      not_after: c.not_after,
      validity_period: 12,
      validation_method: c.validation_method,
      domain_type: c.domain_type,
      multi_domain_type: c.domain_type === "MULTI_DOMAIN" ? "primary_single" : "",
      domain: c.domain,
      sans: c.sans,
      domain_count: c.domain_count,
      wildcard_count: c.wildcard_count,
      fingerprint: c.fingerprint,
      shared: false,
      application_info: c.application_info,
      description: c.description,
      enterprise_project_id: c.enterprise_project_id,
      authentification: c.authentification,
    };
  }
}
