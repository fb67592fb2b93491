import { createHash, createHmac } from "node:crypto";

/**
 * Huawei Cloud API Gateway signing, `SDK-HMAC-SHA256` (API Request Signing Guide; reference note §1.3):
 *
 *   CanonicalRequest = Method\nCanonicalURI\nCanonicalQueryString\nCanonicalHeaders\nSignedHeaders\nHex(SHA256(body))
 *   StringToSign     = "SDK-HMAC-SHA256"\nX-Sdk-Date\nHex(SHA256(CanonicalRequest))
 *   Signature        = Hex(HMAC-SHA256(SK, StringToSign))
 */

export const ALGORITHM = "SDK-HMAC-SHA256";
export const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

export interface SigningCredentials {
  accessKey: string;
  secretKey: string;
}

/** A request to sign. Every header in `headers` is signed, plus `host` (from the URL unless given). */
export interface SignableRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** `YYYYMMDDTHHMMSSZ` (UTC) for a time in ms. */
export function sdkDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

/** RFC 3986 percent-encoding of UTF-8 bytes; only `A-Za-z0-9-_.~` stay literal; hex upper-case. */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Canonical URI: each segment decoded then RFC 3986-encoded, always ending in `/`. */
export function canonicalUri(pathname: string): string {
  const path = pathname === "" ? "/" : pathname;
  const encoded = path
    .split("/")
    .map((s) => encodeRfc3986(safeDecode(s)))
    .join("/");
  return encoded.endsWith("/") ? encoded : encoded + "/";
}

/** Canonical query: keys sorted (code units), values of a repeated key sorted, each part RFC 3986-encoded. */
export function canonicalQuery(search: string | URLSearchParams): string {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const byKey = new Map<string, string[]>();
  for (const [k, v] of params) {
    const list = byKey.get(k) ?? [];
    list.push(v);
    byKey.set(k, list);
  }
  const keys = [...byKey.keys()].sort(compareCodeUnits);
  const parts: string[] = [];
  for (const k of keys) {
    for (const v of (byKey.get(k) ?? []).sort(compareCodeUnits)) parts.push(`${encodeRfc3986(k)}=${encodeRfc3986(v)}`);
  }
  return parts.join("&");
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Lower-cased, sorted header names and the canonical header block (`name:trimmed value\n` each). */
export function canonicalHeaders(headers: Record<string, string>): { signedHeaders: string; block: string } {
  const lower = new Map<string, string>();
  for (const [k, v] of Object.entries(headers)) lower.set(k.toLowerCase(), String(v).trim());
  const names = [...lower.keys()].sort(compareCodeUnits);
  return { signedHeaders: names.join(";"), block: names.map((n) => `${n}:${lower.get(n)}\n`).join("") };
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** The canonical request text of a request whose headers already hold `host` and `x-sdk-date`. */
export function canonicalRequest(req: SignableRequest): { text: string; signedHeaders: string } {
  const url = new URL(req.url);
  const { signedHeaders, block } = canonicalHeaders(req.headers);
  const unsigned = headerValue(req.headers, "x-sdk-content-sha256");
  const bodyHash = unsigned ?? sha256Hex(req.body ?? "");
  const text = [req.method.toUpperCase(), canonicalUri(url.pathname), canonicalQuery(url.search), block, signedHeaders, bodyHash].join("\n");
  return { text, signedHeaders };
}

export function stringToSign(date: string, canonicalRequestText: string): string {
  return `${ALGORITHM}\n${date}\n${sha256Hex(canonicalRequestText)}`;
}

export function signature(secretKey: string, toSign: string): string {
  return createHmac("sha256", secretKey).update(toSign).digest("hex");
}

/**
 * Signs a request. Returns the full header set to send: the request's headers, `X-Sdk-Date` (added when
 * absent, from `nowMs`), `host` (added when absent, from the URL, with the port when not default) and
 * `Authorization`. The secret key appears in no returned value.
 */
export function signRequest(req: SignableRequest, cred: SigningCredentials, nowMs: number = Date.now()): Record<string, string> {
  const headers: Record<string, string> = { ...req.headers };
  let date = headerValue(headers, "x-sdk-date");
  if (date === undefined) {
    date = sdkDate(nowMs);
    headers["X-Sdk-Date"] = date;
  }
  if (headerValue(headers, "host") === undefined) headers.host = new URL(req.url).host;
  const { text, signedHeaders } = canonicalRequest({ ...req, headers });
  const sig = signature(cred.secretKey, stringToSign(date, text));
  headers.Authorization = `${ALGORITHM} Access=${cred.accessKey}, SignedHeaders=${signedHeaders}, Signature=${sig}`;
  return headers;
}
