import type http from "node:http";
import type { Readable } from "node:stream";
import zlib from "node:zlib";
import type { z } from "zod";
import type { CloudName } from "../resources/types";
import { sleep } from "../resources/wait";
import { CloudApiError, isThrottle } from "./errors";
import { acquire, throttled } from "./ratelimit";

/**
 * Largest request body sent. The largest legitimate one is Tencent's UploadConfirmLetter: a letter of at most
 * 1.4 MB, about 1.9 MB once base64-encoded in JSON.
 */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/**
 * Largest reply read. Legitimate replies are a few kilobytes: a certificate detail with its PEM chain, a list
 * page of at most 50 entries. Reading stops at this size, so an over-size reply never sits in memory whole.
 */
export const MAX_REPLY_BYTES = 4 * 1024 * 1024;
/** Throttle replies sent again per call, by default, before the throttle is reported. */
export const MAX_THROTTLE_RETRIES = 20;

/** One HTTP call as a cloud client builds it. Built anew for every attempt, so signatures stay fresh. */
export interface HttpCall {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  headers: Record<string, string>;
  /** Exact body bytes; signed clients sign these. */
  body?: string | Buffer;
}

/** What came back, before the cloud client interprets it. */
export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** How to make one call of one action, and how to read its reply. */
export interface CallSpec<T> {
  cloud: CloudName | "iam";
  /** Action name or `METHOD /path template`; the rate limiter and error messages use it. */
  action: string;
  /** Rate-limit key; defaults to `cloud:action`. */
  limitKey?: string;
  /** Builds the request (signing included). Called once per attempt. */
  build: () => HttpCall | Promise<HttpCall>;
  /**
   * Reads the reply. Throws a `CloudApiError` for an error reply; its `transient` flag decides the retry.
   * Replies it does not throw for are results.
   */
  parse: (reply: HttpReply) => T;
  /**
   * Overrides the configured retry count (0 = no retry, e.g. for calls that are not safe to repeat).
   * Throttle replies are sent again regardless (see `TransportOptions.maxThrottleRetries`): the cloud refused them unprocessed.
   */
  maxRetries?: number;
}

/** Knobs of the transport, from provider config. */
export interface TransportOptions {
  timeoutMs: number;
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs?: number;
  /**
   * Throttle replies resent per call (default `MAX_THROTTLE_RETRIES`); they do not count against `maxRetries`,
   * since the lowered rate paces the resend and a throttled request was never processed.
   */
  maxThrottleRetries?: number;
  /** Called before each retry of a transient failure (not of a throttle), for progress messages. */
  onRetry?: (err: CloudApiError, attempt: number) => void;
}

/**
 * Sends a call: paced per action (see ratelimit.ts), with a timeout, size caps, and retries with exponential
 * backoff and full jitter for transient errors only. A throttle reply lowers the action's rate and is sent
 * again without using up the retry count.
 */
export async function send<T>(spec: CallSpec<T>, opts: TransportOptions): Promise<T> {
  const key = spec.limitKey ?? `${spec.cloud}:${spec.action}`;
  const retries = spec.maxRetries ?? opts.maxRetries;
  let failures = 0;
  let throttles = 0;
  // Loaded before the pacer releases the call, so the first call's load time is not spent in transit.
  httpClient();
  for (;;) {
    const releasedAt = await acquire(key);
    try {
      return await attempt(spec, opts);
    } catch (err) {
      if (isThrottle(err)) {
        throttled(key, releasedAt, throttles > 0);
        throttles += 1;
        // Resending is safe for writes too: a throttled request was refused before the action ran. Tencent's
        // `RequestLimitExceeded*` is the API gateway's frequency refusal, which the official Go SDK resends for any
        // request (tencentcloud/common/ratelimitretry.go), and SSL's `LimitExceeded.RateLimitExceeded` reads
        // "单位时间内接口请求频率达到限制" (ssl/v20191205/errors.go); Huawei's APIG.0308 and HTTP 429 are gateway refusals.
        const budget = opts.maxThrottleRetries ?? MAX_THROTTLE_RETRIES;
        if (throttles > budget) throw throttleSpent(err, throttles, key);
        // Spread so retries do not arrive together; the lowered rate paces them once they queue again.
        await sleep(opts.baseDelayMs * (1 + 2 * Math.random()));
        continue;
      }
      if (!(err instanceof CloudApiError && err.transient) || failures >= retries) throw err;
      failures += 1;
      opts.onRetry?.(err, failures);
      await sleep(backoffDelayMs(opts, failures - 1));
    }
  }
}

/**
 * The last throttle of a call that used up its resends, as a final error: not transient, so no caller's own retry
 * loop sends the call again (that multiplied the sends). Nothing was applied, and the message says what to change.
 */
function throttleSpent(err: CloudApiError, sends: number, key: string): CloudApiError {
  const spent = new CloudApiError({
    cloud: err.cloud,
    action: err.action,
    code: err.code,
    message:
      `${err.cloudMessage} — refused for its rate ${sends} times in a row, so nothing was applied; ` +
      `run fewer pipelines on this account at once, or lower this action's pace with certapply:rateLimits (e.g. {"${key}": 2})`,
    requestId: err.requestId,
    httpStatus: err.httpStatus,
    transient: false,
  });
  if (err.resource) spent.forResource(err.resource);
  return spent;
}

/** Delay before retry number `attempt` (0 for the first): exponential backoff with full jitter, capped at `maxDelayMs`. */
export function backoffDelayMs(opts: Pick<TransportOptions, "baseDelayMs" | "maxDelayMs">, attempt: number): number {
  return Math.random() * Math.min(opts.maxDelayMs ?? 30_000, opts.baseDelayMs * 2 ** attempt);
}

async function attempt<T>(spec: CallSpec<T>, opts: TransportOptions): Promise<T> {
  const call = await spec.build();
  const body = call.body === undefined ? undefined : Buffer.isBuffer(call.body) ? call.body : Buffer.from(call.body, "utf8");
  if (body && body.length > MAX_REQUEST_BYTES) {
    throw new CloudApiError({
      cloud: spec.cloud,
      action: spec.action,
      code: "RequestTooLarge",
      message: `the request body is ${body.length} bytes; certapply sends at most ${MAX_REQUEST_BYTES}`,
      transient: false,
    });
  }
  let reply: HttpReply;
  try {
    reply = await exchange(call, body, opts.timeoutMs);
  } catch (err) {
    throw networkError(spec, err);
  }
  return spec.parse(reply);
}

/** Why an exchange ended without a reply. */
class ExchangeFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

/** The HTTP client, loaded on the first call so that a start-up that sends nothing stays light. */
let axiosLib: typeof import("axios").default | undefined;
function httpClient(): typeof import("axios").default {
  return (axiosLib ??= (require("axios") as typeof import("axios")).default);
}

let proxyFromEnv: typeof import("proxy-from-env") | undefined;

/**
 * The proxy a call to `url` goes through, from the environment at call time: `HTTPS_PROXY` for https, `HTTP_PROXY`
 * for http (`ALL_PROXY` for both; lower-case names too), unless `NO_PROXY` names the host: `*`, a host name, a
 * `.suffix` or `*.suffix`, each optionally with `:port`. `undefined`: connect directly.
 */
export function proxyFor(url: string): URL | undefined {
  const proxy = (proxyFromEnv ??= require("proxy-from-env") as typeof import("proxy-from-env")).getProxyForUrl(url);
  if (!proxy) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(proxy);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol === "http:" || parsed?.protocol === "https:") return parsed;
  throw new ExchangeFailure(
    "BadProxy",
    `the proxy setting for ${new URL(url).protocol.slice(0, -1)} (${redactProxy(proxy)}) is not an http:// or https:// URL such as http://proxy.example.com:3128`,
  );
}

/** A proxy URL fit for a message: without its password. */
function redactProxy(proxy: string): string {
  return proxy.replace(/\/\/([^/@:]*):[^/@]*@/, "//$1:***@");
}

/**
 * One HTTP exchange on axios: no redirects followed, a deadline for the whole exchange (proxy included), the reply
 * capped, TLS verified. Through a proxy from the environment (`proxyFor`), https is tunnelled with CONNECT, so the
 * proxy sees neither the request nor its signature; http is forwarded.
 */
async function exchange(call: HttpCall, body: Buffer | undefined, timeoutMs: number): Promise<HttpReply> {
  const url = new URL(call.url);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ExchangeFailure("UnsupportedProtocol", `${url.protocol} is not http: or https:`);
  const proxy = proxyFor(call.url);
  const abort = new AbortController();
  let expire!: (err: Error) => void;
  const deadline = new Promise<never>((_, reject) => (expire = reject));
  // Our own deadline settles the exchange at once; the abort then tears the request down behind it.
  const timer = setTimeout(() => {
    expire(new ExchangeFailure("RequestTimeout", "no reply before the request timeout"));
    abort.abort();
  }, timeoutMs);
  const flow = (async () => {
    let stream: Readable | undefined;
    try {
      const res = await httpClient().request<Readable>({
        url: call.url,
        method: call.method,
        headers: { ...call.headers },
        data: body,
        responseType: "stream",
        decompress: false,
        maxRedirects: 0,
        validateStatus: () => true,
        transformRequest: [(d: unknown) => d],
        proxy: proxy
          ? {
              protocol: proxy.protocol.slice(0, -1),
              host: proxy.hostname.replace(/^\[|\]$/g, ""),
              port: Number(proxy.port) || (proxy.protocol === "https:" ? 443 : 80),
              ...(proxy.username ? { auth: { username: decodeURIComponent(proxy.username), password: decodeURIComponent(proxy.password) } } : {}),
            }
          : false,
        signal: abort.signal,
      });
      stream = res.data;
      const socket = (res.request as http.ClientRequest | undefined)?.socket as { encrypted?: boolean } | null | undefined;
      if (proxy && url.protocol === "https:" && socket?.encrypted !== true) {
        // The proxy refused the tunnel; its answer, replayed as a reply, is not the cloud's.
        throw new ExchangeFailure(
          "ProxyRefused",
          `the proxy ${proxy.host} refused to open a tunnel to ${url.host} (HTTP ${res.status})` +
            (res.status === 407 ? ": it wants credentials; put them in the proxy URL (http://user:password@host:port)" : ": check HTTPS_PROXY and NO_PROXY"),
          res.status,
        );
      }
      return await readCapped(res.status, flattenHeaders(res.headers as http.IncomingHttpHeaders), stream, abort.signal);
    } catch (err) {
      stream?.destroy();
      throw unwrap(err);
    }
  })();
  flow.catch(() => undefined); // settled after the deadline: nobody waits for it any more
  try {
    return await Promise.race([flow, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads a reply body, decompressed, up to `MAX_REPLY_BYTES`; stops reading (and fails) past it. */
function readCapped(status: number, headers: Record<string, string>, res: Readable, signal: AbortSignal): Promise<HttpReply> {
  return new Promise<HttpReply>((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | undefined, reply?: HttpReply): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", aborted);
      if (err) {
        res.destroy();
        reject(err);
      } else resolve(reply!);
    };
    const aborted = (): void => finish(new ExchangeFailure("RequestTimeout", "no reply before the request timeout"));
    if (signal.aborted) return aborted();
    signal.addEventListener("abort", aborted);
    const tooLarge = () => new ExchangeFailure("ReplyTooLarge", `the reply is larger than ${MAX_REPLY_BYTES} bytes; certapply stopped reading it`, status);
    if (Number(headers["content-length"]) > MAX_REPLY_BYTES) return finish(tooLarge());
    const stream = decoded(res, headers["content-encoding"]);
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REPLY_BYTES) {
        stream.destroy();
        return finish(tooLarge());
      }
      chunks.push(chunk);
    });
    stream.on("error", (err) => finish(err));
    res.on("close", () => {
      if (!(res as http.IncomingMessage).complete) finish(new ExchangeFailure("ECONNRESET", "the connection closed before the reply was complete"));
    });
    stream.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      finish(undefined, { status, headers, body: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text });
    });
  });
}

/** The error under axios's wrapper: Node's own, whose `code` says what failed (refused, reset, TLS). */
function unwrap(err: unknown): unknown {
  const e = err as { isAxiosError?: boolean; cause?: unknown; code?: string; message?: string };
  if (e?.isAxiosError && e.cause instanceof Error) return e.cause;
  return err;
}

/** The reply body as sent, decompressed when the server compressed it (the cap applies to what is decompressed). */
function decoded(res: Readable, contentEncoding: string | undefined): Readable {
  const encoding = String(contentEncoding ?? "").trim().toLowerCase();
  const inflate =
    encoding === "gzip" || encoding === "x-gzip"
      ? zlib.createGunzip()
      : encoding === "deflate"
        ? zlib.createInflate()
        : encoding === "br"
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!inflate) return res;
  res.on("error", (err) => inflate.destroy(err));
  return res.pipe(inflate);
}

function flattenHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

/** OpenSSL's certificate verification failures, as Node names them (`err.code`). */
const TLS_VERIFY_CODES: ReadonlySet<string> = new Set([
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_CRL",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
  "UNABLE_TO_DECRYPT_CRL_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
  "CERT_SIGNATURE_FAILURE",
  "CRL_SIGNATURE_FAILURE",
  "CERT_NOT_YET_VALID",
  "CERT_HAS_EXPIRED",
  "CRL_NOT_YET_VALID",
  "CRL_HAS_EXPIRED",
  "ERROR_IN_CERT_NOT_BEFORE_FIELD",
  "ERROR_IN_CERT_NOT_AFTER_FIELD",
  "ERROR_IN_CRL_LAST_UPDATE_FIELD",
  "ERROR_IN_CRL_NEXT_UPDATE_FIELD",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "CERT_CHAIN_TOO_LONG",
  "CERT_REVOKED",
  "INVALID_CA",
  "PATH_LENGTH_EXCEEDED",
  "INVALID_PURPOSE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "HOSTNAME_MISMATCH",
]);

/** True when TLS refused the server (its certificate, name or protocol): the same call fails the same way again. */
function tlsRefused(code: string | undefined): boolean {
  if (code === undefined) return false;
  return TLS_VERIFY_CODES.has(code) || (code.startsWith("ERR_TLS_") && code !== "ERR_TLS_HANDSHAKE_TIMEOUT");
}

/**
 * A request that never got a whole reply: refused, reset, timed out (transient), or an over-size reply or a
 * server TLS does not accept (not transient).
 */
function networkError(spec: CallSpec<unknown>, err: unknown): CloudApiError {
  const e = err as Partial<ExchangeFailure> & Error;
  if (e.code === "ReplyTooLarge") {
    return new CloudApiError({ cloud: spec.cloud, action: spec.action, code: "ReplyTooLarge", message: e.message, httpStatus: e.httpStatus, transient: false });
  }
  if (e.code === "ProxyRefused") {
    const status = e.httpStatus ?? 0;
    return new CloudApiError({ cloud: spec.cloud, action: spec.action, code: "ProxyRefused", message: e.message ?? "", httpStatus: status, transient: status >= 500 || status === 429 });
  }
  const timedOut = e.code === "RequestTimeout" || e.code === "ETIMEDOUT";
  return new CloudApiError({
    cloud: spec.cloud,
    action: spec.action,
    code: timedOut ? "RequestTimeout" : `NetworkError.${e.code ?? "Unknown"}`,
    message: timedOut ? "no reply before the request timeout" : (e.message ?? String(err)),
    transient: e.code !== "UnsupportedProtocol" && e.code !== "BadProxy" && !tlsRefused(e.code),
  });
}

/** Parses a JSON body; a body that is not JSON becomes an error carrying the HTTP status. */
export function parseJson(spec: { cloud: CloudName | "iam"; action: string }, reply: HttpReply): unknown {
  if (reply.body === "") return undefined;
  try {
    return JSON.parse(reply.body);
  } catch {
    throw new CloudApiError({
      cloud: spec.cloud,
      action: spec.action,
      code: `HTTP ${reply.status}`,
      message: `reply is not JSON: ${reply.body.slice(0, 200)}`,
      httpStatus: reply.status,
      transient: reply.status >= 500 || reply.status === 429,
    });
  }
}

/** A reply body as JSON, or as its text when it is not JSON (a validated model then names the misfit); empty: undefined. */
export function jsonOrText(reply: HttpReply): unknown {
  if (reply.body === "") return undefined;
  try {
    return JSON.parse(reply.body) as unknown;
  } catch {
    return reply.body;
  }
}

/** The transport options in force, from provider settings. */
export function transportOptions(get: (name: "requestTimeoutMs" | "maxRetries" | "retryBaseDelayMs") => number | undefined): TransportOptions {
  return {
    timeoutMs: get("requestTimeoutMs") ?? 30_000,
    maxRetries: get("maxRetries") ?? 4,
    baseDelayMs: get("retryBaseDelayMs") ?? 500,
  };
}

/**
 * Checks a parsed reply against the official model of the action before anything uses it. A reply that does
 * not fit (an error body under HTTP 200, `null`, wrong types, HTML) is an `InvalidReply` error naming the cloud,
 * action and request id; it never reaches state. Transient, so a read is retried; writes that must not be
 * repeated set `maxRetries: 0` and read before acting again.
 */
export function validated<S extends z.ZodType>(
  schema: S,
  spec: { cloud: CloudName | "iam"; action: string },
  reply: HttpReply,
  body: unknown,
  requestId?: string,
): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length ? issue.path.map(String).join(".") : "the reply";
  throw new CloudApiError({
    cloud: spec.cloud,
    action: spec.action,
    code: "InvalidReply",
    message: `the reply does not fit the ${spec.action} model (${where}: ${issue?.message ?? "unexpected shape"}); nothing was stored`,
    requestId,
    httpStatus: reply.status,
    transient: true,
  });
}
