import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * TC3-HMAC-SHA256, the signature of Tencent Cloud API 3.0 (reference note §1.3).
 * Pure functions: no clock, no I/O. The emulator uses `verifyTc3` with the same code path.
 */

export const TC3_ALGORITHM = "TC3-HMAC-SHA256";

/** Everything that goes into one signature. */
export interface Tc3Input {
  method: string;
  /** Host as sent, with or without `:port`; signed verbatim (lower-cased). */
  host: string;
  contentType: string;
  /** Exact body bytes (a string is taken as UTF-8). Empty for GET. */
  body: string | Buffer;
  /** Unix seconds (the `X-TC-Timestamp` header). */
  timestamp: number;
  /** Scope service, e.g. `ssl`. */
  service: string;
  secretId: string;
  secretKey: string;
  /** Further headers to sign besides content-type and host, e.g. `{"x-tc-action": "describeinstances"}`. */
  extraSignedHeaders?: Record<string, string>;
  /** Canonical URI; default `/`. */
  path?: string;
  /** Canonical query string (without `?`); default empty. */
  query?: string;
}

export interface Tc3Signature {
  authorization: string;
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
  /** `YYYY-MM-DD` (UTC date of the timestamp). */
  date: string;
  signedHeaders: string;
}

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** The UTC `YYYY-MM-DD` of a Unix timestamp in seconds. */
export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/** Builds the canonical headers block and the `SignedHeaders` list from a header map. */
function canonicalHeaders(headers: Record<string, string>): { block: string; signed: string } {
  const entries = Object.entries(headers).map(([k, v]) => [k.toLowerCase().trim(), String(v).trim()] as const);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    block: entries.map(([k, v]) => `${k}:${v}\n`).join(""),
    signed: entries.map(([k]) => k).join(";"),
  };
}

/** Signs a request given the exact header values to sign (lower-case names). */
export function signTc3Headers(p: {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string | Buffer;
  timestamp: number;
  service: string;
  secretId: string;
  secretKey: string;
}): Tc3Signature {
  const date = tc3Date(p.timestamp);
  const { block, signed } = canonicalHeaders(p.headers);
  const canonicalRequest = [p.method.toUpperCase(), p.path, p.query, block, signed, sha256Hex(p.body)].join("\n");
  const scope = `${date}/${p.service}/tc3_request`;
  const stringToSign = [TC3_ALGORITHM, String(p.timestamp), scope, sha256Hex(canonicalRequest)].join("\n");
  const secretDate = hmac(`TC3${p.secretKey}`, date);
  const secretService = hmac(secretDate, p.service);
  const secretSigning = hmac(secretService, "tc3_request");
  const signature = createHmac("sha256", secretSigning).update(stringToSign, "utf8").digest("hex");
  const authorization = `${TC3_ALGORITHM} Credential=${p.secretId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`;
  return { authorization, signature, canonicalRequest, stringToSign, date, signedHeaders: signed };
}

/** Signs one request (content-type, host and any extra headers). */
export function signTc3(input: Tc3Input): Tc3Signature {
  const headers: Record<string, string> = {
    "content-type": input.contentType,
    host: input.host.toLowerCase(),
  };
  for (const [k, v] of Object.entries(input.extraSignedHeaders ?? {})) headers[k.toLowerCase()] = v;
  return signTc3Headers({
    method: input.method,
    path: input.path ?? "/",
    query: input.query ?? "",
    headers,
    body: input.body,
    timestamp: input.timestamp,
    service: input.service,
    secretId: input.secretId,
    secretKey: input.secretKey,
  });
}

/** A parsed `Authorization` header. */
export interface ParsedTc3Authorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request, SignedHeaders=a;b, Signature=<hex>`; undefined if malformed. */
export function parseTc3Authorization(header: string | undefined): ParsedTc3Authorization | undefined {
  if (!header) return undefined;
  const m = /^TC3-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-fA-F]{64})\s*$/.exec(header.trim());
  if (!m) return undefined;
  const cred = m[1].split("/");
  if (cred.length !== 4 || cred[3] !== "tc3_request" || !cred[0] || !/^\d{4}-\d{2}-\d{2}$/.test(cred[1]) || !cred[2]) return undefined;
  const signedHeaders = m[2].split(";").map((h) => h.trim().toLowerCase());
  if (signedHeaders.some((h) => h === "")) return undefined;
  return { secretId: cred[0], date: cred[1], service: cred[2], signedHeaders, signature: m[3].toLowerCase() };
}

/** The result of `verifyTc3`: ok, or the AuthFailure code and a message. */
export type Tc3Verdict =
  | { ok: true; parsed: ParsedTc3Authorization }
  | {
      ok: false;
      code:
        | "AuthFailure.InvalidAuthorization"
        | "AuthFailure.SecretIdNotFound"
        | "AuthFailure.SignatureExpire"
        | "AuthFailure.SignatureFailure"
        | "MissingParameter";
      message: string;
    };

/** What a server knows about a received request. */
export interface Tc3Received {
  method: string;
  path: string;
  /** Raw query string without `?`. */
  query: string;
  /** Header values by lower-case name. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Server time in ms. */
  nowMs: number;
  /** The expected scope service. */
  service: string;
  /** Looks up the secret key of a SecretId; undefined when unknown. */
  secretKeyFor: (secretId: string) => string | undefined;
  /** Allowed clock skew in seconds; default 300. */
  windowSeconds?: number;
}

function headerValue(h: string | string[] | undefined): string | undefined {
  if (h === undefined) return undefined;
  return Array.isArray(h) ? h.join(",") : h;
}

/**
 * Verifies the TC3 signature of a received request over its raw body. The host header is accepted with
 * and without its port (the Node SDK signs the host without the port and sends it with).
 */
export function verifyTc3(r: Tc3Received): Tc3Verdict {
  const parsed = parseTc3Authorization(headerValue(r.headers["authorization"]));
  if (!parsed) return { ok: false, code: "AuthFailure.InvalidAuthorization", message: "Authorization header is missing or not a TC3-HMAC-SHA256 header." };
  if (!parsed.signedHeaders.includes("content-type") || !parsed.signedHeaders.includes("host")) {
    return { ok: false, code: "AuthFailure.InvalidAuthorization", message: "SignedHeaders must include content-type and host." };
  }
  if (parsed.service !== r.service) {
    return { ok: false, code: "AuthFailure.InvalidAuthorization", message: `Credential scope service must be ${r.service}, got ${parsed.service}.` };
  }
  const tsRaw = headerValue(r.headers["x-tc-timestamp"]);
  if (tsRaw === undefined || !/^\d+$/.test(tsRaw.trim())) {
    return { ok: false, code: "MissingParameter", message: "The request is missing the required header X-TC-Timestamp (Unix seconds)." };
  }
  const ts = Number(tsRaw.trim());
  const window = r.windowSeconds ?? 300;
  if (Math.abs(r.nowMs / 1000 - ts) > window) {
    return { ok: false, code: "AuthFailure.SignatureExpire", message: `Signature expired: X-TC-Timestamp ${ts} is more than ${window} seconds from server time.` };
  }
  if (parsed.date !== tc3Date(ts)) {
    return { ok: false, code: "AuthFailure.InvalidAuthorization", message: `Credential date ${parsed.date} is not the UTC date of X-TC-Timestamp (${tc3Date(ts)}).` };
  }
  const secretKey = r.secretKeyFor(parsed.secretId);
  if (secretKey === undefined) return { ok: false, code: "AuthFailure.SecretIdNotFound", message: "The SecretId does not exist." };

  const base: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const v = headerValue(r.headers[name]);
    if (v === undefined) return { ok: false, code: "AuthFailure.SignatureFailure", message: `Signed header ${name} is missing from the request.` };
    // The doc revision that signs x-tc-action lower-cases its value (reference §1.3, vector B).
    base[name] = name === "host" || name === "x-tc-action" ? v.toLowerCase() : v;
  }
  const hosts = [base["host"]];
  const noPort = base["host"].replace(/:\d+$/, "");
  if (noPort !== base["host"]) hosts.push(noPort);
  const want = Buffer.from(parsed.signature, "hex");
  for (const host of hosts) {
    const sig = signTc3Headers({
      method: r.method,
      path: r.path,
      query: r.query,
      headers: { ...base, host },
      body: r.body,
      timestamp: ts,
      service: parsed.service,
      secretId: parsed.secretId,
      secretKey,
    });
    const got = Buffer.from(sig.signature, "hex");
    if (got.length === want.length && timingSafeEqual(got, want)) return { ok: true, parsed };
  }
  return { ok: false, code: "AuthFailure.SignatureFailure", message: "The request signature does not match the one computed on the server." };
}
