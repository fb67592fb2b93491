import { createHash } from "node:crypto";
import type { z } from "zod";
import type { ProviderConfig } from "../../config";
import type { CloudCertificate } from "../../resources/types";
import { CloudApiError, ConfigError, THROTTLE_CODES } from "../../http/errors";
import { jsonOrText, send, validated, type HttpCall, type HttpReply, type TransportOptions } from "../../http/transport";
import { redactText } from "../../resources/redact";
import { CreateTokenModel, ListAuthDomainsModel } from "./models";
import { encodeRfc3986, signRequest } from "./signer";

/** How the client authenticates. AK/SK takes precedence over every token setting when both are configured. */
export type HuaweiAuth =
  | { kind: "aksk"; accessKey: string; secretKey: string; securityToken?: string; domainId?: string; iamEndpoint: string }
  | { kind: "token"; token: string; domainId?: string }
  | { kind: "password"; userName: string; password: string; domainName: string; iamEndpoint: string; region: string; domainId?: string };

const GATEWAY_AUTH_CODES = new Set(["APIG.0301", "APIGW.0301", "APIG.0303", "APIGW.0303"]);
/** The gateway's "Incorrect IAM authentication information" (bad signature, unknown AK): the failures that lock an AK. */
const SIGNATURE_CODES = new Set(["APIG.0301", "APIGW.0301"]);
/** How long an AK/SK whose signature was rejected is not used again in this process: the gateway locks an AK for 5 minutes after 5 failures. */
const AUTH_FAILURE_HOLD_MS = 5 * 60_000;

/** Settings resolved from config, with clear errors for what is missing. */
export function resolveHuaweiSettings(config: ProviderConfig): { endpoint: string; region: string; auth: HuaweiAuth } {
  const region = config.get("huaweiRegion") ?? "ap-southeast-1";
  const endpoint = (config.get("huaweiEndpoint") ?? `https://scm.${region}.myhuaweicloud.com`).replace(/\/+$/, "");
  checkUrl("huaweiEndpoint", "CERTAPPLY_HUAWEI_ENDPOINT", endpoint);
  const domainId = config.get("huaweiDomainId");
  const iamEndpoint = (config.get("huaweiIamEndpoint") ?? "https://iam.myhuaweicloud.com").replace(/\/+$/, "");
  const ak = config.get("huaweiAccessKey");
  const sk = config.get("huaweiSecretKey");
  // AK/SK wins when both AK/SK and token settings are present (IAM itself recommends AK/SK over tokens).
  if (ak || sk) {
    if (!ak || !sk) {
      throw new ConfigError(
        `huawei: AK/SK signing needs both certapply:huaweiAccessKey (env HW_ACCESS_KEY) and certapply:huaweiSecretKey (env HW_SECRET_KEY); ` +
          `only ${ak ? "the access key" : "the secret key"} is set`,
      );
    }
    checkUrl("huaweiIamEndpoint", "CERTAPPLY_HUAWEI_IAM_ENDPOINT", iamEndpoint);
    return { endpoint, region, auth: { kind: "aksk", accessKey: ak, secretKey: sk, securityToken: config.get("huaweiSecurityToken"), domainId, iamEndpoint } };
  }
  const token = config.get("huaweiAuthToken");
  if (token) return { endpoint, region, auth: { kind: "token", token, domainId } };
  const userName = config.get("huaweiUserName");
  const password = config.get("huaweiPassword");
  const domainName = config.get("huaweiDomainName");
  if (userName || password || domainName) {
    const missing = [
      !userName && "certapply:huaweiUserName (env HW_USER_NAME)",
      !password && "certapply:huaweiPassword (env HW_USER_PASSWORD)",
      !domainName && "certapply:huaweiDomainName (env HW_DOMAIN_NAME)",
    ].filter(Boolean);
    if (missing.length > 0) throw new ConfigError(`huawei: an IAM token needs user, password and account name; missing ${missing.join(", ")}`);
    checkUrl("huaweiIamEndpoint", "CERTAPPLY_HUAWEI_IAM_ENDPOINT", iamEndpoint);
    return { endpoint, region, auth: { kind: "password", userName: userName!, password: password!, domainName: domainName!, iamEndpoint, region, domainId } };
  }
  throw new ConfigError(
    "huawei: no credentials configured. Set certapply:huaweiAccessKey and certapply:huaweiSecretKey (env HW_ACCESS_KEY, HW_SECRET_KEY), " +
      "or certapply:huaweiAuthToken (env HW_AUTH_TOKEN), or certapply:huaweiUserName, certapply:huaweiPassword and certapply:huaweiDomainName " +
      "(env HW_USER_NAME, HW_USER_PASSWORD, HW_DOMAIN_NAME)",
  );
}

function checkUrl(setting: string, env: string, value: string): void {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new ConfigError(`huawei: certapply:${setting} (env ${env}) must be an http(s) URL such as https://scm.ap-southeast-1.myhuaweicloud.com`);
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") throw new ConfigError(`huawei: certapply:${setting} (env ${env}) must use https:// or http://`);
}

/** Replaces every secret value (credential or personal input) found in a cloud's message with `***`. */
function redact(message: string, secrets: readonly (string | undefined)[]): string {
  return redactText(message, secrets, "***");
}

/**
 * Turns a non-2xx Huawei reply (SCM, API gateway or IAM shape) into a CloudApiError. `secrets` (credentials,
 * personal inputs of the call) are masked wherever the cloud's message repeats them.
 */
export function huaweiError(cloud: "huawei" | "iam", action: string, reply: HttpReply, secrets: readonly (string | undefined)[] = []): CloudApiError {
  let code = "";
  let message = "";
  let requestId = reply.headers["x-request-id"];
  try {
    const body: unknown = reply.body ? JSON.parse(reply.body) : undefined;
    if (body && typeof body === "object") {
      const b = body as Record<string, unknown>;
      if (typeof b.error_code === "string") code = b.error_code;
      if (typeof b.error_msg === "string") message = b.error_msg;
      if (typeof b.request_id === "string" && !requestId) requestId = b.request_id;
      const nested = b.error;
      if (!code && nested && typeof nested === "object") {
        const n = nested as Record<string, unknown>;
        if (n.code !== undefined) code = String(n.code);
        if (typeof n.message === "string") message = n.message;
      }
    }
  } catch {
    // not JSON: keep the HTTP status as the code
  }
  if (!code) code = `HTTP ${reply.status}`;
  if (!message) message = reply.body ? reply.body.slice(0, 200) : `HTTP ${reply.status} with no body`;
  message = redact(message, secrets);
  const throttled = reply.status === 429 || THROTTLE_CODES.has(code);
  const authFailure = reply.status === 401 || reply.status === 403 || GATEWAY_AUTH_CODES.has(code);
  const transient = !authFailure && (throttled || reply.status >= 500);
  let hint = "";
  if (SIGNATURE_CODES.has(code)) {
    hint =
      " — check certapply:huaweiAccessKey/huaweiSecretKey (HW_ACCESS_KEY/HW_SECRET_KEY) or the token settings; the gateway locks an access key for 5 minutes after 5 failed signatures, so certapply does not retry";
  } else if (code === "APIG.0303" || code === "APIGW.0303") {
    hint = " — the local clock differs from the server's by more than 15 minutes; fix the system time";
  } else if (throttled) {
    hint = " — throttled by the API gateway; retried with backoff";
  } else if (cloud === "iam" && reply.status === 401) {
    hint = " — check certapply:huaweiUserName, huaweiPassword and huaweiDomainName (HW_USER_NAME, HW_USER_PASSWORD, HW_DOMAIN_NAME)";
  }
  return new CloudApiError({ cloud, action, code, message: message + hint, requestId, httpStatus: reply.status, transient });
}

interface CachedToken {
  token: string;
  refreshAt: number;
  expiresAt: number;
}

/**
 * Process-wide: IAM tokens by identity, in-flight refreshes, account (domain) ids looked up per credential, and
 * signature failures by identity (with the credential that failed, so new credentials are tried at once).
 */
const tokenCache = new Map<string, CachedToken>();
const tokenInFlight = new Map<string, Promise<CachedToken>>();
const domainIds = new Map<string, Promise<string>>();
const rejected = new Map<string, { credential: string; until: number; error: CloudApiError }>();
/** Issued certificates exported in this process, by endpoint, certificate id and SHA-1 fingerprint. */
export const issuedCertificates = new Map<string, CloudCertificate>();

/** Forgets cached tokens, account ids and remembered signature failures (tests). */
export function resetHuaweiClientState(): void {
  tokenCache.clear();
  tokenInFlight.clear();
  domainIds.clear();
  rejected.clear();
  issuedCertificates.clear();
}

function fingerprint(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

/** A call to SCM. */
export interface ScmCall {
  method: HttpCall["method"];
  /** Path below the endpoint, e.g. `/v3/scm/certificates/{id}/apply` with the id filled in. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Name for logs, errors and the rate limiter, e.g. `ApplyCertificate`. */
  action: string;
  maxRetries?: number;
  /** Personal values sent in this call: masked if the cloud's error message repeats them. */
  secrets?: readonly (string | undefined)[];
}

/**
 * SCM v3 client: AK/SK signing as a global service (every call carries a signed `X-Domain-Id`, looked up once
 * per credential through IAM when not configured) or X-Auth-Token; replies checked against the SDK models;
 * errors mapped; retries through `send`.
 */
export class HuaweiClient {
  readonly endpoint: string;
  readonly auth: HuaweiAuth;
  private readonly authKey: string;
  /** Who the gateway sees (access key or token identity) and the credential presented for it. */
  private readonly identity: string;
  private readonly credential: string;

  constructor(
    config: ProviderConfig,
    private readonly transport: TransportOptions,
  ) {
    const s = resolveHuaweiSettings(config);
    this.endpoint = s.endpoint;
    this.auth = s.auth;
    const a = s.auth;
    this.identity = a.kind === "aksk" ? `ak\u0000${a.accessKey}` : a.kind === "token" ? `token\u0000${s.endpoint}` : `user\u0000${a.iamEndpoint}\u0000${a.domainName}\u0000${a.userName}`;
    this.credential = a.kind === "aksk" ? fingerprint(a.secretKey, a.securityToken ?? "") : a.kind === "token" ? fingerprint(a.token) : fingerprint(a.password);
    this.authKey = fingerprint(this.identity, s.endpoint, this.credential);
    // New credentials for the same identity: a failure remembered for the old ones no longer applies.
    const held = rejected.get(this.identity);
    if (held && held.credential !== this.credential) rejected.delete(this.identity);
  }

  private get secrets(): string[] {
    const a = this.auth;
    return a.kind === "aksk" ? [a.secretKey, a.securityToken ?? ""] : a.kind === "token" ? [a.token] : [a.password];
  }

  /** Sends one SCM call; returns its body once it fits `schema` (the action's SDK model). */
  async call<S extends z.ZodType>(c: ScmCall, schema: S): Promise<z.output<S>> {
    const held = rejected.get(this.identity);
    if (held && held.credential === this.credential && held.until > Date.now()) {
      // Never burst signature failures at the gateway: a rejected credential is not tried again for a while.
      throw held.error;
    }
    try {
      return await this.callOnce(c, schema);
    } catch (err) {
      if (err instanceof CloudApiError && this.auth.kind === "password" && err.cloud === "huawei" && isAuthFailure(err)) {
        // The cached token may have been revoked (password change, permission change): fetch a new one, once.
        tokenCache.delete(this.authKey);
        return await this.callOnce(c, schema);
      }
      if (err instanceof CloudApiError && this.auth.kind === "aksk" && SIGNATURE_CODES.has(err.code)) this.hold(err);
      throw err;
    }
  }

  /** Only a signature failure is held: clock skew, permissions and other 401/403s can pass on the next call. */
  private hold(err: CloudApiError): void {
    rejected.set(this.identity, { credential: this.credential, until: Date.now() + AUTH_FAILURE_HOLD_MS, error: err });
  }

  private async callOnce<S extends z.ZodType>(c: ScmCall, schema: S): Promise<z.output<S>> {
    const qs = Object.entries(c.query ?? {})
      .filter((e): e is [string, string | number] => e[1] !== undefined)
      .map(([k, v]) => `${encodeRfc3986(k)}=${encodeRfc3986(String(v))}`)
      .join("&");
    const url = `${this.endpoint}${c.path}${qs ? `?${qs}` : ""}`;
    const body = c.body === undefined ? undefined : JSON.stringify(c.body);
    const token = this.auth.kind === "aksk" ? undefined : await this.token();
    const domainId = await this.domainId();
    const secrets = [...this.secrets, ...(c.secrets ?? [])];
    return send(
      {
        cloud: "huawei",
        action: c.action,
        maxRetries: c.maxRetries,
        build: () => this.build(c.method, url, body, token, domainId),
        parse: (reply) => {
          if (reply.status < 200 || reply.status >= 300) throw huaweiError("huawei", c.action, reply, secrets);
          return validated(schema, { cloud: "huawei", action: c.action }, reply, jsonOrText(reply), reply.headers["x-request-id"]);
        },
      },
      this.transport,
    );
  }

  private build(method: HttpCall["method"], url: string, body: string | undefined, token: string | undefined, domainId: string | undefined): HttpCall {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["Content-Type"] = "application/json;charset=UTF-8";
    if (domainId) headers["X-Domain-Id"] = domainId;
    if (this.auth.kind === "aksk") return this.signed(method, url, headers, body);
    headers["X-Auth-Token"] = token ?? "";
    return { method, url, headers, body };
  }

  /** Signs with AK/SK; every header given (X-Domain-Id, X-Security-Token, Content-Type) is signed, as the SDKs do. */
  private signed(method: HttpCall["method"], url: string, headers: Record<string, string>, body?: string): HttpCall {
    if (this.auth.kind !== "aksk") throw new Error("not in AK/SK mode");
    if (this.auth.securityToken) headers["X-Security-Token"] = this.auth.securityToken;
    const signed = signRequest({ method, url, headers, body }, { accessKey: this.auth.accessKey, secretKey: this.auth.secretKey });
    delete signed.host; // the HTTP client sends the same Host it was signed with (from the URL)
    return { method, url, headers: signed, body };
  }

  /**
   * The account id for `X-Domain-Id`: configured, or (AK/SK) looked up once per credential with IAM
   * `GET /v3/auth/domains` signed with the same AK/SK, as the SDKs' global credentials do.
   */
  private domainId(): Promise<string | undefined> {
    const a = this.auth;
    if (a.domainId || a.kind !== "aksk") return Promise.resolve(a.domainId);
    const key = fingerprint(a.iamEndpoint, a.accessKey, this.credential);
    let known = domainIds.get(key);
    if (!known) {
      known = this.lookupDomainId(a).catch((err: unknown) => {
        domainIds.delete(key);
        throw err;
      });
      domainIds.set(key, known);
    }
    return known;
  }

  private async lookupDomainId(a: Extract<HuaweiAuth, { kind: "aksk" }>): Promise<string> {
    const action = "KeystoneListAuthDomains";
    const way = "certapply:huaweiDomainId (env HW_DOMAIN_ID) is not set, so certapply asks IAM for the account id; set it to your account ID (console: My Credentials → API Credentials) to skip this lookup";
    let reply;
    try {
      reply = await send(
        {
          cloud: "iam",
          action,
          build: () => this.signed("GET", `${a.iamEndpoint}/v3/auth/domains`, {}),
          parse: (r) => {
            if (r.status < 200 || r.status >= 300) throw huaweiError("iam", action, r, this.secrets);
            return validated(ListAuthDomainsModel, { cloud: "iam", action }, r, jsonOrText(r), r.headers["x-request-id"]);
          },
        },
        this.transport,
      );
    } catch (err) {
      if (!(err instanceof CloudApiError)) throw err;
      throw new CloudApiError({ cloud: "iam", action, code: err.code, message: `${err.cloudMessage} — ${way}`, requestId: err.requestId, httpStatus: err.httpStatus, transient: err.transient });
    }
    const first = reply.domains[0];
    if (!first) {
      throw new CloudApiError({ cloud: "iam", action, code: "NoDomainId", message: `IAM listed no account for this access key — ${way}`, transient: false });
    }
    return first.id;
  }

  /** The X-Auth-Token to use: the configured one, or a cached IAM token refreshed before its expiry, one refresh at a time. */
  private async token(): Promise<string> {
    if (this.auth.kind === "token") return this.auth.token;
    if (this.auth.kind !== "password") throw new Error("no token in AK/SK mode");
    const cached = tokenCache.get(this.authKey);
    if (cached && Date.now() < cached.refreshAt) return cached.token;
    let inflight = tokenInFlight.get(this.authKey);
    if (!inflight) {
      inflight = this.fetchToken(this.auth).finally(() => tokenInFlight.delete(this.authKey));
      tokenInFlight.set(this.authKey, inflight);
    }
    const fresh = await inflight;
    tokenCache.set(this.authKey, fresh);
    return fresh.token;
  }

  private async fetchToken(a: Extract<HuaweiAuth, { kind: "password" }>): Promise<CachedToken> {
    const action = "POST /v3/auth/tokens";
    const requestBody = JSON.stringify({
      auth: {
        identity: { methods: ["password"], password: { user: { name: a.userName, password: a.password, domain: { name: a.domainName } } } },
        scope: { project: { name: a.region } },
      },
    });
    const started = Date.now();
    return send(
      {
        cloud: "iam",
        action,
        build: () => ({
          method: "POST",
          url: `${a.iamEndpoint}/v3/auth/tokens?nocatalog=true`,
          headers: { "Content-Type": "application/json;charset=utf8" },
          body: requestBody,
        }),
        parse: (reply) => {
          if (reply.status < 200 || reply.status >= 300) throw huaweiError("iam", action, reply, [a.password]);
          const token = reply.headers["x-subject-token"];
          if (!token) {
            throw new CloudApiError({ cloud: "iam", action, code: "NoToken", message: "IAM replied without an X-Subject-Token header", httpStatus: reply.status, transient: false });
          }
          const body = validated(CreateTokenModel, { cloud: "iam", action }, reply, jsonOrText(reply), reply.headers["x-request-id"]);
          const expires = Date.parse(body.token.expires_at ?? "");
          const issued = Date.parse(body.token.issued_at ?? "");
          // Lifetime from the server's own timestamps (24 h on the real service), applied to the local clock.
          const lifetime = Number.isFinite(expires) && Number.isFinite(issued) && expires > issued ? expires - issued : 24 * 3600_000;
          const margin = Math.min(10 * 60_000, lifetime / 5);
          return { token, expiresAt: started + lifetime, refreshAt: started + lifetime - margin };
        },
      },
      this.transport,
    );
  }
}

function isAuthFailure(err: CloudApiError): boolean {
  return err.httpStatus === 401 || GATEWAY_AUTH_CODES.has(err.code);
}
