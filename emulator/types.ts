import type { IncomingHttpHeaders } from "node:http";

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
  status: number;
  /** Error code returned, if any. */
  code?: string;
}

/** A fault to inject: the next `count` requests of `action` (or any action of `cloud` with `*`) get it. */
export interface Fault {
  cloud: string;
  action: string;
  kind: "throttle" | "internal" | "http500" | "reset" | "delay";
  count: number;
  /** For `delay`: milliseconds before replying. */
  delayMs?: number;
  /** Let this many matching requests through untouched first. */
  skip?: number;
}

/** What every cloud part shares: the clock, the credentials and the request log. */
export interface EmulatorShared {
  credentials: EmulatorCredentials;
  /** Emulator time in ms; tests can move it forward through the control API (`clock`). */
  now(): number;
  /** A fresh request id (UUID). */
  newRequestId(): string;
}

/** One cloud's API in the emulator. */
export interface CloudEmulator {
  readonly cloud: "tencent" | "edgecast" | "huawei";
  /** The action name if this cloud serves the request, else `undefined`. */
  match(req: EmulatorRequest): string | undefined;
  /** Serves a request this cloud matched; `errorCode` on the reply goes to the request log. */
  handle(req: EmulatorRequest, action: string): Promise<EmulatorResponse & { errorCode?: string }>;
  /** The cloud's own shape of a throttling or internal error, for fault injection. */
  faultResponse(kind: "throttle" | "internal", action: string): EmulatorResponse & { errorCode?: string };
  /** Control API: `POST /_control/<cloud>/<command>` with a JSON body. */
  control(command: string, body: Record<string, unknown>): Promise<EmulatorResponse>;
  /** Forgets all state. */
  reset(): void;
}
