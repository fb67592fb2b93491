import axios, { AxiosError } from "axios";
import { backOff } from "exponential-backoff";
import type { z } from "zod";
import type { CloudName } from "../resources/types";
import { CloudApiError } from "./errors";
import { schedule } from "./ratelimit";

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
  /** Overrides the configured retry count (0 = no retry, e.g. for calls that are not safe to repeat). */
  maxRetries?: number;
}

/** Knobs of the transport, from provider config. */
export interface TransportOptions {
  timeoutMs: number;
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs?: number;
  /** Called before each retry, for progress messages. */
  onRetry?: (err: CloudApiError, attempt: number) => void;
}

/** Sends a call: rate limit, timeout, retry with exponential backoff and full jitter for transient errors only. */
export async function send<T>(spec: CallSpec<T>, opts: TransportOptions): Promise<T> {
  const key = spec.limitKey ?? `${spec.cloud}:${spec.action}`;
  const retries = spec.maxRetries ?? opts.maxRetries;
  return backOff(() => schedule(key, () => attempt(spec, opts)), {
    numOfAttempts: retries + 1,
    startingDelay: opts.baseDelayMs,
    timeMultiple: 2,
    maxDelay: opts.maxDelayMs ?? 30_000,
    jitter: "full",
    delayFirstAttempt: false,
    retry: (err: unknown, attemptNumber: number) => {
      const retry = err instanceof CloudApiError && err.transient;
      if (retry) opts.onRetry?.(err as CloudApiError, attemptNumber);
      return retry;
    },
  });
}

async function attempt<T>(spec: CallSpec<T>, opts: TransportOptions): Promise<T> {
  const call = await spec.build();
  let reply: HttpReply;
  try {
    const res = await axios.request<string>({
      method: call.method,
      url: call.url,
      headers: call.headers,
      data: call.body,
      timeout: opts.timeoutMs,
      responseType: "text",
      transformResponse: [(d: unknown) => d],
      validateStatus: () => true,
      maxRedirects: 0,
      proxy: false,
    });
    reply = { status: res.status, headers: flattenHeaders(res.headers), body: typeof res.data === "string" ? res.data : "" };
  } catch (err) {
    throw networkError(spec, err);
  }
  return spec.parse(reply);
}

function flattenHeaders(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (h && typeof h === "object") {
    for (const [k, v] of Object.entries(h as Record<string, unknown>)) {
      if (v !== undefined && v !== null) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
    }
  }
  return out;
}

/** A request that never got a reply: refused, reset, timed out. Always transient. */
function networkError(spec: CallSpec<unknown>, err: unknown): CloudApiError {
  const e = err as AxiosError;
  const code = e?.code ?? "NetworkError";
  const timedOut = code === "ECONNABORTED" || code === "ETIMEDOUT";
  return new CloudApiError({
    cloud: spec.cloud,
    action: spec.action,
    code: timedOut ? "RequestTimeout" : `NetworkError.${code}`,
    message: timedOut ? "no reply before the request timeout" : (e?.message ?? String(err)),
    transient: true,
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
