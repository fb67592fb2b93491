import type { CloudName } from "../resources/types";

/** What the cloud said when a call failed, plus where. */
export interface CloudErrorDetails {
  cloud: CloudName | "iam";
  /** API action or `METHOD /path` of the call. */
  action: string;
  /** The cloud's error code (`FailedOperation.CertificateNotFound`, `SCM.0005`, `NotFound`, `HTTP 503`, ...). */
  code: string;
  message: string;
  requestId?: string;
  httpStatus?: number;
  /** True when retrying the same call later may succeed (throttling, 5xx, network). */
  transient: boolean;
}

/**
 * An error from a cloud API. Its message names the cloud, action, code and request id, and never
 * carries a credential (signatures, tokens and secrets are not part of any field).
 */
export class CloudApiError extends Error implements CloudErrorDetails {
  readonly cloud: CloudName | "iam";
  readonly action: string;
  readonly code: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  readonly transient: boolean;
  /** The resource the call was made for, when known (set by the resource layer). */
  resource?: string;

  constructor(d: CloudErrorDetails) {
    super(formatMessage(d));
    this.name = "CloudApiError";
    this.cloud = d.cloud;
    this.action = d.action;
    this.code = d.code;
    this.requestId = d.requestId;
    this.httpStatus = d.httpStatus;
    this.transient = d.transient;
    Object.defineProperty(this, "rawMessage", { value: d.message, enumerable: false });
  }

  /** The cloud's own message, without the prefix this class adds. */
  get cloudMessage(): string {
    return (this as unknown as { rawMessage: string }).rawMessage;
  }

  /** Adds the resource name to the message, once. */
  forResource(resource: string): this {
    if (!this.resource) {
      this.resource = resource;
      this.message = `${resource}: ${this.message}`;
    }
    return this;
  }
}

function formatMessage(d: CloudErrorDetails): string {
  const rid = d.requestId ? ` (request id ${d.requestId})` : "";
  const http = d.httpStatus && d.httpStatus >= 300 && !d.code.startsWith("HTTP") ? ` [HTTP ${d.httpStatus}]` : "";
  return `${d.cloud} ${d.action} failed: ${d.code}: ${d.message}${http}${rid}`;
}

/** A configuration problem the user must fix (missing credentials, bad endpoint). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** True when a failed call may succeed if tried again. */
export function isTransient(err: unknown): boolean {
  return err instanceof CloudApiError && err.transient;
}

/**
 * Codes with which a cloud refuses a request for exceeding its rate (Tencent common and SSL codes, Huawei's
 * API gateway). HTTP 429 counts on every cloud. A throttled request was not processed, so it is sent again
 * even when its action is not safe to repeat blindly.
 */
export const THROTTLE_CODES: ReadonlySet<string> = new Set(["RequestLimitExceeded", "LimitExceeded.RateLimitExceeded", "APIG.0308", "APIGW.0308"]);

/** True when a cloud refused the call for exceeding its rate. */
export function isThrottle(err: unknown): err is CloudApiError {
  return (
    err instanceof CloudApiError &&
    (err.httpStatus === 429 || THROTTLE_CODES.has(err.code) || err.code.startsWith("RequestLimitExceeded."))
  );
}
