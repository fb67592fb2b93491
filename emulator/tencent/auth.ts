import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/**
 * The emulator's own check of TC3-HMAC-SHA256 (Tencent Cloud API 3.0 signature v3), written from the
 * signature documentation (reference note §1.3) and the official vectors, independently of the provider's signer.
 */

/** What the server knows about a received request. */
export interface Tc3Request {
  method: string;
  /** Raw query without `?` (GET), empty for POST. */
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  nowMs: number;
  /** Secret key of a SecretId, or undefined when the id is unknown. */
  keyOf: (secretId: string) => string | undefined;
}

/** Accepted, or refused with the documented error code. */
export type Tc3Check = { ok: true } | { ok: false; code: string; message: string };

const AUTH_RE = /^TC3-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-fA-F]{64})\s*$/;
/** Allowed clock skew (reference note §1.2: more than 5 minutes gives AuthFailure.SignatureExpire). */
const WINDOW_SECONDS = 300;

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(",") : v;
}

function hmacSha256(key: Buffer | string, text: string): Buffer {
  return createHmac("sha256", key).update(text, "utf8").digest();
}

function refuse(code: string, message: string): Tc3Check {
  return { ok: false, code, message };
}

/** The hex signature the server expects for a request, given the header values to sign. */
function expectedSignature(req: Tc3Request, signed: string[], values: Record<string, string>, ts: number, date: string, service: string, key: string): string {
  const canonicalHeaders = signed.map((h) => `${h}:${values[h].trim()}\n`).join("");
  const payloadHash = createHash("sha256").update(req.body).digest("hex");
  const canonical = [req.method.toUpperCase(), "/", req.query, canonicalHeaders, signed.join(";"), payloadHash].join("\n");
  const scope = `${date}/${service}/tc3_request`;
  const toSign = ["TC3-HMAC-SHA256", String(ts), scope, createHash("sha256").update(canonical).digest("hex")].join("\n");
  const signing = hmacSha256(hmacSha256(hmacSha256(`TC3${key}`, date), service), "tc3_request");
  return createHmac("sha256", signing).update(toSign, "utf8").digest("hex");
}

/**
 * Checks the Authorization header of a request to service `ssl`. The host is accepted as signed with or without
 * its port (the Node SDK signs it without, other clients with); a signed `x-tc-action` is compared lower-cased.
 */
export function checkTc3(req: Tc3Request): Tc3Check {
  const m = AUTH_RE.exec((one(req.headers.authorization) ?? "").trim());
  if (!m) return refuse("AuthFailure.InvalidAuthorization", "The Authorization header is missing or is not TC3-HMAC-SHA256.");
  const [secretId, date, service, terminator, ...rest] = m[1].split("/");
  if (rest.length > 0 || terminator !== "tc3_request" || !secretId || !/^\d{4}-\d\d-\d\d$/.test(date ?? "")) {
    return refuse("AuthFailure.InvalidAuthorization", "The Credential of the Authorization header is malformed.");
  }
  if (service !== "ssl") return refuse("AuthFailure.InvalidAuthorization", `The Credential scope names service ${service}; this is ssl.`);
  const signed = m[2].toLowerCase().split(";");
  if (signed.some((h) => h === "") || !signed.includes("content-type") || !signed.includes("host")) {
    return refuse("AuthFailure.InvalidAuthorization", "SignedHeaders must include content-type and host.");
  }
  const tsText = one(req.headers["x-tc-timestamp"])?.trim() ?? "";
  if (!/^\d+$/.test(tsText)) return refuse("MissingParameter", "The request is missing the required header X-TC-Timestamp.");
  const ts = Number(tsText);
  if (Math.abs(req.nowMs / 1000 - ts) > WINDOW_SECONDS) {
    return refuse("AuthFailure.SignatureExpire", "The signature expired: X-TC-Timestamp is more than 300 seconds from the server time.");
  }
  if (new Date(ts * 1000).toISOString().slice(0, 10) !== date) {
    return refuse("AuthFailure.InvalidAuthorization", "The Credential date is not the UTC date of X-TC-Timestamp.");
  }
  const key = req.keyOf(secretId);
  if (key === undefined) return refuse("AuthFailure.SecretIdNotFound", "The SecretId does not exist.");

  const values: Record<string, string> = {};
  for (const h of [...signed].sort()) {
    const v = one(req.headers[h]);
    if (v === undefined) return refuse("AuthFailure.SignatureFailure", `The signed header ${h} is not in the request.`);
    values[h] = h === "host" || h === "x-tc-action" ? v.toLowerCase() : v;
  }
  const order = [...signed].sort();
  const hosts = new Set([values.host, values.host.replace(/:\d+$/, "")]);
  const got = Buffer.from(m[3].toLowerCase(), "hex");
  for (const host of hosts) {
    const want = Buffer.from(expectedSignature(req, order, { ...values, host }, ts, date, service, key), "hex");
    if (want.length === got.length && timingSafeEqual(want, got)) return { ok: true };
  }
  return refuse("AuthFailure.SignatureFailure", "The request signature does not match the signature the server computed.");
}
