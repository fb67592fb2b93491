import type { IncomingHttpHeaders } from "node:http";
import type { Variation } from "./vary";

/** A request as the emulator's cloud parts see it: the raw body bytes are kept for signature checks. */
export interface EmulatorRequest {
  method: string;
  /** Path and query exactly as sent. */
  rawUrl: string;
  /** Decoded path, without the query. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Emulator-clock ms at which the request was taken in: its log time and the second its rate limit counts it in. */
  receivedAt: number;
}

/** A reply; an object body is sent as JSON. */
export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer | object;
}

/** Credentials the emulator accepts. Tests and `npx certapply-emulator` print them as stack config. */
export interface EmulatorCredentials {
  tencent: { secretId: string; secretKey: string; sessionToken?: string };
  edgecast: { clientId: string; clientSecret: string; tokenLifetimeSeconds: number };
  huawei: {
    accessKey: string;
    secretKey: string;
    securityToken?: string;
    domainId: string;
    /** The project (region) id a project-scoped AK/SK call may carry as `X-Project-Id` instead of `X-Domain-Id`. */
    projectId?: string;
    userName: string;
    password: string;
    domainName: string;
    tokenLifetimeSeconds: number;
  };
}

/** One logged API request (control API calls are not logged). */
export interface EmulatorLogEntry {
  time: string;
  cloud: string;
  action: string;
  /**
   * HTTP status the cloud part answered; -1 when the connection was reset before it served the request.
   * Under `commit-then-drop` and `garbled-reply` it is what the cloud part answered, not what the client got.
   */
  status: number;
  /** Error code returned, if any. */
  code?: string;
  /**
   * The application the request addressed: an id in the path, or `CertificateId`, `CertId`, `certificate_id`
   * or `certificate_label` in the query or a JSON body.
   */
  target?: string;
  /** The id a successful reply gave when it differs from `target`: the application a create made. */
  created?: string;
  /** The fault injected into this request, if any. */
  fault?: FaultKind;
  /** For `garbled-reply`: the shape the reply was garbled into. */
  garbled?: GarbledShape;
}

/**
 * What an injected fault does to a request:
 * - `throttle`, `internal`: the cloud's own throttling or internal error reply, without serving the request;
 * - `http500`: a bare HTTP 500 with a text body, without serving the request;
 * - `reset`: the connection is closed before the request is served;
 * - `delay`: the request is served after `delayMs`;
 * - `commit-then-drop`: the request is served (a write is applied), then the connection is closed before the reply;
 * - `garbled-reply`: the request is served (a write is applied), then the reply is replaced by an HTTP 200 of a
 *   `GarbledShape`;
 * - `not-found`: the cloud's own "not found" reply for the application, without serving the request (a transient
 *   not-found: eventual consistency);
 * - `gateway-not-found`: an HTTP 404 from the API gateway, without the cloud's error body or code, without serving
 *   the request (routing);
 * - `late-reply`: the request is served (a write is applied), and its reply sent only after `delayMs` (for a seeded
 *   share, `lateReplyMs`): after the client's own timeout.
 */
export type FaultKind =
  | "throttle"
  | "internal"
  | "http500"
  | "reset"
  | "delay"
  | "commit-then-drop"
  | "garbled-reply"
  | "not-found"
  | "gateway-not-found"
  | "late-reply";

/** Every fault kind, in a fixed order (seeded shares pick from it). */
export const FAULT_KINDS: readonly FaultKind[] = [
  "throttle",
  "internal",
  "http500",
  "reset",
  "delay",
  "commit-then-drop",
  "garbled-reply",
  "not-found",
  "gateway-not-found",
  "late-reply",
];

/** Fault kinds answered by the cloud part itself, instead of the request (see `CloudEmulator.faultResponse`). */
export type ReplyFault = "throttle" | "internal" | "not-found" | "gateway-not-found";

/**
 * The HTTP 200 body a `garbled-reply` sends instead of the real reply:
 * - `error-body`: the cloud's error shape under HTTP 200 (Tencent: the `Response` envelope with only `RequestId`,
 *   none of the action's fields; Huawei: `error_code`/`error_msg`; Edgecast: its `@type: Error` body);
 * - `empty`: no body;
 * - `null`: the JSON `null`;
 * - `wrong-types`: the real reply with every field of the wrong JSON type (Tencent: the fields inside `Response`);
 * - `html`: an HTML error page (`text/html`).
 */
export type GarbledShape = "error-body" | "empty" | "null" | "wrong-types" | "html";

/** Every garbled shape, in a fixed order (seeded shares pick from it). */
export const GARBLED_SHAPES: readonly GarbledShape[] = ["error-body", "empty", "null", "wrong-types", "html"];

/** A fault to inject: the next `count` requests of `action` (or any action of `cloud` with `*`) get it. */
export interface Fault {
  cloud: string;
  action: string;
  kind: FaultKind;
  count: number;
  /** For `delay`: milliseconds before replying; for `late-reply`: after serving (default 1000 both). */
  delayMs?: number;
  /** Let this many matching requests through untouched first. */
  skip?: number;
  /** For `garbled-reply`: the shape (default `error-body`). */
  garbled?: GarbledShape;
}

/**
 * A seeded share of faults over a cloud's requests: each request of `cloud` (of `actions`, default all) gets a
 * fault with probability `rate`, of a kind drawn from `kinds` (default all). The draw is a hash of the seed, the
 * action, the request's target (for an application a create made, the create's own target, e.g. the Edgecast
 * label, so the draws do not depend on the order ids were given out) and how many requests of that action and
 * target came before (a request the cloud part throttled by its own rate limit does not count, and a drawn
 * `commit-then-drop` or `garbled-reply` is left for its retry), so the same requests get the same faults on every
 * run with the same seed, whatever the order across targets.
 * Faults injected with `injectFault` for the same request take precedence.
 */
export interface FaultShare {
  cloud: string;
  /** Probability in [0, 1] that a request gets a fault. */
  rate: number;
  seed: number;
  kinds?: FaultKind[];
  /** Actions the share applies to; default every action of the cloud. */
  actions?: string[];
  /** For `delay`: the longest delay in milliseconds (default 200); each delay is drawn up to it. */
  maxDelayMs?: number;
  /** For `late-reply`: milliseconds between serving the request and replying (default 1000). */
  lateReplyMs?: number;
  /** For `garbled-reply`: the shapes to draw from (default all). */
  garbled?: GarbledShape[];
}

/** What every cloud part shares: the clock, the credentials and the request log. */
export interface EmulatorShared {
  credentials: EmulatorCredentials;
  /** Emulator time in ms; tests can move it forward through the control API (`clock`). */
  now(): number;
  /** A fresh request id (UUID). */
  newRequestId(): string;
  /** What varies by seed (nothing without one). */
  vary: Variation;
}

/** One cloud's API in the emulator. */
export interface CloudEmulator {
  readonly cloud: "tencent" | "edgecast" | "huawei";
  /** The action name if this cloud serves the request, else `undefined`. */
  match(req: EmulatorRequest): string | undefined;
  /** Serves a request this cloud matched; `errorCode` on the reply goes to the request log. */
  handle(req: EmulatorRequest, action: string): Promise<EmulatorResponse & { errorCode?: string }>;
  /** The cloud's own shape of a throttling, internal or not-found error, or its gateway's 404, for fault injection. */
  faultResponse(kind: ReplyFault, action: string): EmulatorResponse & { errorCode?: string };
  /** Control API: `POST /_control/<cloud>/<command>` with a JSON body. */
  control(command: string, body: Record<string, unknown>): Promise<EmulatorResponse>;
  /** Forgets all state. */
  reset(): void;
}
