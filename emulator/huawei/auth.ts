import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { EmulatorRequest } from "../types";

/**
 * Gateway-side verification of SDK-HMAC-SHA256, written independently of the provider's signer
 * (API Request Signing Guide): canonical URI with a trailing `/`, sorted query, the signed headers as
 * lower-case `name:trimmed value`, body SHA-256 (or the `X-Sdk-Content-Sha256` literal).
 */

export interface ParsedAuthorization {
  accessKey: string;
  signedHeaders: string[];
  signature: string;
}

export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const m = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$/.exec(value);
  if (!m) return undefined;
  return { accessKey: m[1], signedHeaders: m[2].split(";"), signature: m[3].toLowerCase() };
}

/** `YYYYMMDDTHHMMSSZ` → ms, or undefined. */
export function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isFinite(ms) ? ms : undefined;
}

function pct(s: string): string {
  let out = "";
  for (const byte of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(",") : String(v);
}

/** The canonical request the client must have signed. */
export function canonicalRequestOf(req: EmulatorRequest, signedHeaders: string[]): string | undefined {
  const q = req.rawUrl.indexOf("?");
  const rawPath = q < 0 ? req.rawUrl : req.rawUrl.slice(0, q);
  const rawQuery = q < 0 ? "" : req.rawUrl.slice(q + 1);
  let uri = rawPath.split("/").map((seg) => pct(decode(seg))).join("/");
  if (!uri.endsWith("/")) uri += "/";
  const pairs: [string, string][] = [];
  for (const [k, v] of new URLSearchParams(rawQuery)) pairs.push([k, v]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const query = pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join("&");
  let block = "";
  for (const name of signedHeaders) {
    const v = header(req.headers, name);
    if (v === undefined) return undefined;
    block += `${name}:${v.trim()}\n`;
  }
  const declared = header(req.headers, "x-sdk-content-sha256");
  const bodyHash = declared === "UNSIGNED-PAYLOAD" ? declared : createHash("sha256").update(req.body).digest("hex");
  return [req.method, uri, query, block, signedHeaders.join(";"), bodyHash].join("\n");
}

/** Verifies the signature; true when it matches. */
export function verifySignature(req: EmulatorRequest, auth: ParsedAuthorization, secretKey: string, date: string): boolean {
  const sorted = [...auth.signedHeaders].sort();
  if (sorted.join(";") !== auth.signedHeaders.join(";")) return false;
  const canonical = canonicalRequestOf(req, auth.signedHeaders);
  if (canonical === undefined) return false;
  const toSign = `SDK-HMAC-SHA256\n${date}\n${createHash("sha256").update(canonical).digest("hex")}`;
  const expected = createHmac("sha256", secretKey).update(toSign).digest();
  const given = Buffer.from(auth.signature, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
