import { isIP } from "node:net";
import type * as Tldts from "tldts";
import { z } from "zod";
import type { CheckFailure } from "./backend";
import { MIN_RSA_BITS, WEAK_HASHES, parseCsr } from "./csr";
import { nearNames } from "./near";
import { redactText } from "./redact";
import { containsUnknown, isUnknown, OWNER_KEY_LENGTH } from "./normalize";
import { APPLICATION, EMAIL_MAX, ENUMS, LETTER, TYPES, argEntries, type FieldSpec, type Format, type ResourceSpec } from "./spec";

import type { ApplicationInputs } from "./types";
import { CLOUDS, UNKNOWN } from "./types";

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const DOMAIN_RE = new RegExp(`^(?:\\*\\.)?(?:${LABEL}\\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$`);

/** True for a host name or a wildcard (`*.example.com`), lower-case. */
export function isDomainName(v: string): boolean {
  return v.length <= 253 && DOMAIN_RE.test(v);
}

/** True for an IPv4 or IPv6 address (the names of a pure-IP certificate). */
export function isIpAddress(v: string): boolean {
  return isIP(v) !== 0;
}

/** Each value format: its test and the reason given when it fails (never the value itself). */
const FORMATS: Record<Format, { test: (v: string) => boolean; reason: string }> = {
  domain: {
    test: (v) => isDomainName(v) || isIpAddress(v),
    reason: "must be a domain name such as www.example.com or *.example.com (punycode for international names), or an IP address for a Huawei pure-IP certificate",
  },
  email: {
    test: (v) => v.length <= EMAIL_MAX && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
    reason: `must be an e-mail address such as admin@example.com, at most ${EMAIL_MAX} characters`,
  },
  phone: { test: (v) => /^\+?[0-9][0-9 ()-]{3,30}$/.test(v), reason: "must be a phone number of digits, optionally with +, spaces or dashes" },
  country: { test: (v) => /^[A-Z]{2}$/.test(v), reason: "must be a two-letter ISO 3166-1 country code such as CN or US" },
  phoneAreaCode: { test: (v) => /^[0-9]{1,6}$/.test(v), reason: "must be digits only, e.g. 021 (86 for mobile numbers)" },
  phoneNumber: { test: (v) => /^[0-9 -]{4,20}$/.test(v), reason: "must be 4 to 20 digits" },
  ownerKey: { test: (v) => new RegExp(`^[0-9a-f]{${OWNER_KEY_LENGTH}}$`).test(v), reason: `is set by certapply: ${OWNER_KEY_LENGTH} lower-case hex digits` },
};

const TYPE_NAMES: Record<FieldSpec["type"], string> = {
  string: "a string",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "an object (a block of named fields)",
};

/** "is required" when absent, otherwise the type that was expected; never the value given. */
function typeError(f: FieldSpec): (issue: { input?: unknown }) => string {
  const expected = f.type === "array" && f.items ? `a list of ${TYPE_NAMES[f.items.type].replace(/^an? /, "")}s` : TYPE_NAMES[f.type];
  return (issue) => (issue.input === undefined ? "is required" : `must be ${expected}, not ${describe(issue.input)}`);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  if (typeof v === "number") return Number.isInteger(v) ? "a whole number" : "a number";
  if (typeof v === "boolean") return "true or false";
  return `a ${typeof v}`;
}

function enumCheck(ref: string): { test: (v: unknown) => boolean; reason: string } {
  const e = ENUMS[ref];
  if (e.values.length === 0) {
    return { test: () => false, reason: "is not accepted: the cloud documents no values for it, so none can be checked before a paid order; remove it" };
  }
  const values = e.values.map((v) => v.value);
  const folded = values.map((v) => String(v).toLowerCase());
  const test = e.caseInsensitive ? (v: unknown) => folded.includes(String(v).toLowerCase()) : (v: unknown) => values.includes(v as string | number);
  return { test, reason: `must be one of ${values.join(", ")}` };
}

/** The zod validator of one field, derived from its spec. */
export function zodOf(f: FieldSpec): z.ZodType {
  const error = typeError(f);
  let t: z.ZodType;
  switch (f.type) {
    case "string": {
      let s = z.string({ error });
      if (f.maxLength !== undefined) s = s.max(f.maxLength, { message: `must be at most ${f.maxLength} characters` });
      const format = f.format ? FORMATS[f.format] : undefined;
      t = format ? s.refine(format.test, { message: format.reason }) : s;
      break;
    }
    case "integer":
    case "number": {
      let n = z.number({ error });
      if (f.type === "integer") n = n.int({ message: "must be a whole number" });
      if (f.minimum !== undefined) n = n.min(f.minimum, { message: `must be ${f.minimum} or more` });
      if (f.maximum !== undefined) n = n.max(f.maximum, { message: `must be at most ${f.maximum}` });
      t = n;
      break;
    }
    case "boolean":
      t = z.boolean({ error });
      break;
    case "array": {
      let a = z.array(zodOf({ ...(f.items as FieldSpec), required: true }), { error });
      if (f.maxItems !== undefined) a = a.max(f.maxItems, { message: `must have at most ${f.maxItems} entries` });
      t = a;
      break;
    }
    case "object":
      t = z.strictObject(shapeOf(TYPES[f.ref as string].properties), { error });
      break;
  }
  if (f.ref && ENUMS[f.ref]) {
    const e = enumCheck(f.ref);
    t = t.refine(e.test, { message: e.reason });
  }
  return f.required ? t : t.optional();
}

function shapeOf(fields: Record<string, FieldSpec>): Record<string, z.ZodType> {
  return Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, zodOf(f)]));
}

/** The zod validator of a resource's inputs (arguments and certapply's own inputs). */
export function inputSchema(r: ResourceSpec): z.ZodType {
  const inputs = Object.entries(r.properties).filter(([, p]) => p.input !== undefined);
  return z.strictObject(Object.fromEntries(inputs.map(([k, p]) => [k, zodOf(p)])));
}

const applicationSchema = inputSchema(APPLICATION);
const letterSchema = inputSchema(LETTER);

/** Replaces unknown values by `undefined` and returns their paths, so validation skips them. */
function maskUnknowns(v: unknown, path: string, paths: string[]): unknown {
  if (v === UNKNOWN) {
    paths.push(path);
    return undefined;
  }
  if (Array.isArray(v)) return v.map((x, i) => maskUnknowns(x, `${path}[${i}]`, paths));
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = maskUnknowns(x, path ? `${path}.${k}` : k, paths);
    return out;
  }
  return v;
}

function issuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** Known field names at a path of a resource's inputs, for "did you mean" hints. */
function knownKeys(r: ResourceSpec, path: readonly PropertyKey[]): string[] {
  let fields: Record<string, FieldSpec> = Object.fromEntries(argEntries(r));
  for (const p of path) {
    if (typeof p === "number") continue;
    let f: FieldSpec | undefined = fields[String(p)];
    if (f?.type === "array") f = f.items;
    if (!f?.ref || !TYPES[f.ref]) return [];
    fields = TYPES[f.ref].properties;
  }
  return Object.keys(fields);
}

function unknownKeyReason(r: ResourceSpec, path: readonly PropertyKey[], key: string): string {
  const known = knownKeys(r, path);
  const near = nearNames(key, known);
  const what = path.length ? `a field of ${issuePath(path)}` : `a ${r.token.split(":").pop()} argument`;
  return `is not ${what}${near.length ? `; did you mean ${near.join(" or ")}?` : ""} (known: ${known.join(", ")})`;
}

/** Validates inputs against a resource's spec; one failure per problem, each naming its field. */
function validateAgainst(r: ResourceSpec, schema: z.ZodType, inputs: unknown): CheckFailure[] {
  const unknownPaths: string[] = [];
  const masked = maskUnknowns(inputs, "", unknownPaths);
  const result = schema.safeParse(masked);
  if (result.success) return [];
  const failures: CheckFailure[] = [];
  const skipped = (property: string) => unknownPaths.some((u) => property === u || property.startsWith(`${u}.`) || property.startsWith(`${u}[`));
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      const parent = issuePath(issue.path);
      for (const key of issue.keys) failures.push({ property: parent ? `${parent}.${key}` : key, reason: unknownKeyReason(r, issue.path, key) });
      continue;
    }
    const property = issuePath(issue.path);
    if (skipped(property)) continue;
    failures.push({ property, reason: issue.message });
  }
  return failures;
}

/** The product fields of `purchase` each cloud requires (and the other refuses). */
const PURCHASE_FIELDS: Record<"tencent" | "huawei", readonly string[]> = { tencent: ["productId"], huawei: ["brand", "type", "domainType"] };

/** Common validation of normalised inputs: types, enums, formats, domain names, CSR agreement, cloud blocks. */
export function validateCommon(inputs: ApplicationInputs): CheckFailure[] {
  const failures = validateAgainst(APPLICATION, applicationSchema, inputs);
  const cloud = inputs.cloud;
  for (const block of CLOUDS) {
    if (block !== cloud && inputs[block] !== undefined && !isUnknown(cloud)) {
      failures.push({ property: block, reason: `only applies to cloud "${block}"; remove it or set cloud: "${block}"` });
    }
  }
  failures.push(...checkNames(inputs));
  if (inputs.purchase !== undefined && inputs.purchase !== null && cloud === "edgecast") {
    failures.push({ property: "purchase", reason: 'buying at create is available for clouds "tencent" and "huawei"; an Edgecast request is itself the order: remove purchase' });
  } else if (inputs.purchase && !isUnknown(inputs.purchase) && (cloud === "tencent" || cloud === "huawei")) {
    const p = inputs.purchase as Record<string, unknown>;
    for (const [c, fields] of Object.entries(PURCHASE_FIELDS)) {
      for (const k of fields) {
        if (c === cloud && p[k] === undefined) failures.push({ property: `purchase.${k}`, reason: `required to buy on ${cloud}` });
        if (c !== cloud && p[k] !== undefined) failures.push({ property: `purchase.${k}`, reason: `a ${c} product field; ${cloud} does not take it: remove it` });
      }
    }
  }
  failures.push(...checkCsr(inputs));
  return failures;
}

/**
 * Clouds that issue pure-IP certificates: Huawei's apply model says "仅纯IP证书支持文件验证" (huawei-scm.md §2.1,
 * `domain_method`); neither the Tencent nor the Edgecast notes document an IP certificate.
 */
const IP_CERTIFICATE_CLOUDS: readonly string[] = ["huawei"];

let tldts: typeof Tldts | undefined;

/** The public suffix list (tldts), loaded on the first wildcard checked. */
function publicSuffixes(): typeof Tldts {
  tldts ??= require("tldts") as typeof Tldts;
  return tldts;
}

/**
 * The names as a certificate can carry them: IP addresses only on clouds that issue pure-IP certificates, and
 * never mixed with domain names; a wildcard neither on a public suffix (`*.co.uk`: Baseline Requirements §3.2.2.6)
 * nor validated by FILE (§3.2.2.4.18: file validation does not cover wildcards).
 */
function checkNames(inputs: ApplicationInputs): CheckFailure[] {
  const named: [string, string][] = [];
  if (typeof inputs.commonName === "string" && !isUnknown(inputs.commonName)) named.push(["commonName", inputs.commonName]);
  if (Array.isArray(inputs.dnsNames)) inputs.dnsNames.forEach((n, i) => typeof n === "string" && !isUnknown(n) && named.push([`dnsNames[${i}]`, n]));
  const failures: CheckFailure[] = [];
  const ips = named.filter(([, n]) => isIpAddress(n));
  const cloud = inputs.cloud;
  if (ips.length && typeof cloud === "string" && !isUnknown(cloud)) {
    if (!IP_CERTIFICATE_CLOUDS.includes(cloud)) {
      for (const [property] of ips) failures.push({ property, reason: `is an IP address; ${cloud} issues certificates for domain names only (pure-IP certificates: cloud "huawei")` });
    } else if (ips.length !== named.length) {
      failures.push({ property: ips[0][0], reason: "is an IP address among domain names; a pure-IP certificate names IP addresses only: apply for the IP addresses and the domain names separately" });
    }
  }
  const wildcards = named.filter(([, n]) => n.startsWith("*."));
  const method = typeof inputs.validationMethod === "string" ? inputs.validationMethod.toUpperCase() : undefined;
  if (wildcards.length && method === "FILE") {
    failures.push({
      property: "validationMethod",
      reason: `FILE validation cannot prove control of a wildcard (${wildcards.map(([p]) => p).join(", ")}; CA/Browser Forum Baseline Requirements 3.2.2.4.18): use DNS`,
    });
  }
  for (const [property, name] of wildcards) {
    const base = name.slice(2);
    if (publicSuffixes().getDomain(base, { allowPrivateDomains: false }) === null) {
      failures.push({ property, reason: `is a wildcard on the public suffix ${base}, which CAs refuse (Baseline Requirements 3.2.2.6): name a domain you own, e.g. *.example.${base}` });
    }
  }
  return failures;
}

/** The CSR must parse, use a strong key and hash, and its CN and SANs must be exactly `commonName` and `dnsNames`. */
function checkCsr(inputs: ApplicationInputs): CheckFailure[] {
  const { csr, commonName } = inputs;
  if (typeof csr !== "string" || containsUnknown(csr) || containsUnknown(commonName) || containsUnknown(inputs.dnsNames)) return [];
  let names;
  try {
    names = parseCsr(csr);
  } catch (err) {
    return [{ property: "csr", reason: `${(err as Error).message}; pass a PEM CSR or omit csr to let the cloud generate the key` }];
  }
  const failures: CheckFailure[] = [];
  if (!names.signatureValid) {
    failures.push({
      property: "csr",
      reason: "the CSR's signature does not verify with the public key it carries (altered, or signed with another key): generate the CSR again from its private key",
    });
  }
  if (names.rsaBits !== undefined && names.rsaBits < MIN_RSA_BITS) {
    failures.push({ property: "csr", reason: `the CSR's RSA key has ${names.rsaBits} bits; CAs take at least ${MIN_RSA_BITS}: generate a new key and CSR` });
  }
  if (WEAK_HASHES.includes(names.signatureHash)) {
    failures.push({
      property: "csr",
      reason: `the CSR is signed with ${names.signatureHash === "unknown" ? "an unsupported algorithm" : names.signatureHash}; CAs take SHA-256 or stronger: sign it again (openssl req -sha256)`,
    });
  }
  if (typeof commonName !== "string" || !Array.isArray(inputs.dnsNames ?? []) || !(inputs.dnsNames ?? []).every((n) => typeof n === "string")) return failures;
  if (names.commonName !== commonName) {
    failures.push({
      property: "csr",
      reason: `the CSR's common name is ${names.commonName ?? "(none)"} but commonName is ${commonName}; they must match`,
    });
  }
  const declared = new Set([commonName, ...(inputs.dnsNames ?? [])]);
  const sans = [...names.dnsNames, ...names.ipAddresses];
  const inCsr = new Set(sans.length ? sans : [names.commonName ?? ""]);
  const missing = [...declared].filter((n) => !inCsr.has(n) && n !== names.commonName);
  const extra = [...inCsr].filter((n) => n && !declared.has(n));
  if (missing.length) failures.push({ property: "dnsNames", reason: `not in the CSR's subject alternative names: ${missing.join(", ")}` });
  if (extra.length) failures.push({ property: "dnsNames", reason: `the CSR also names ${extra.join(", ")}; add them to dnsNames or issue a new CSR` });
  return failures;
}

/** A Tencent certificate id: 8 letters and digits (e.g. `J2lX2maH`). */
export const TENCENT_CERTIFICATE_ID = /^[A-Za-z0-9]{8}$/;

/**
 * `ConfirmLetter` inputs: unknown keys (with a "did you mean"), types, the certificate id's format, and
 * exactly one of `file` and `content`, with `content` base64. The letter's bytes (size, format) are checked
 * by the resource (provider/resources/letter.ts). No message contains the letter's content.
 */
export function validateLetterInputs(news: Record<string, unknown>): CheckFailure[] {
  const raw = { ...news };
  delete raw.__provider;
  const failures = validateAgainst(LETTER, letterSchema, raw);
  const id = raw.certificateId;
  if (typeof id === "string" && !isUnknown(id) && !TENCENT_CERTIFICATE_ID.test(id)) {
    failures.push({ property: "certificateId", reason: "must be a Tencent certificate id: 8 letters and digits (e.g. app.applicationId)" });
  }
  const set = (v: unknown) => v !== undefined && v !== null && v !== "";
  if (!failures.some((f) => f.property === "file" || f.property === "content")) {
    if (set(raw.file) === set(raw.content)) failures.push({ property: set(raw.file) ? "content" : "file", reason: "set exactly one of file (a path) or content (base64)" });
    else if (typeof raw.content === "string" && !isUnknown(raw.content) && !isBase64(raw.content)) {
      failures.push({ property: "content", reason: "must be base64 (the letter file's bytes encoded)" });
    }
  }
  return failures;
}

/**
 * True for base64 text: the alphabet `A-Z a-z 0-9 + /`, line breaks and spaces anywhere, at most two `=` at
 * the end. One pass over the text, no regular expression, so its time is linear in the length.
 */
export function isBase64(s: string): boolean {
  let padding = 0;
  let data = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || c === 13 || c === 32 || c === 9) continue;
    if (c === 61) {
      padding++;
      if (padding > 2) return false;
      continue;
    }
    if (padding > 0) return false;
    const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
    if (!alpha) return false;
    data++;
  }
  return padding === 0 || (data + padding) % 4 === 0;
}

/** The free-text values inside `v` per its spec: strings that are not of a closed set (enums, booleans and numbers say nothing personal). */
function textLeaves(f: FieldSpec, v: unknown, out: string[]): void {
  if (v === undefined || v === null) return;
  if (f.type === "string" && !(f.ref && ENUMS[f.ref])) {
    if (typeof v === "string") out.push(v);
  } else if (f.type === "array" && f.items && Array.isArray(v)) {
    for (const x of v) textLeaves(f.items, x, out);
  } else if (f.type === "object" && f.ref && TYPES[f.ref] && typeof v === "object") {
    for (const [k, sub] of Object.entries(TYPES[f.ref].properties)) textLeaves(sub, (v as Record<string, unknown>)[k], out);
  } else if (typeof v === "string" && !(f.ref && ENUMS[f.ref])) {
    out.push(v); // a value of the wrong type is still the user's text
  }
}

/** The values of a resource's secret inputs (per the spec, blocks included) in every source, once each. */
function secretValues(r: ResourceSpec, sources: readonly (Record<string, unknown> | undefined)[]): string[] {
  const out: string[] = [];
  for (const inputs of sources) {
    if (!inputs) continue;
    for (const [k, p] of Object.entries(r.properties)) {
      const v = inputs[k];
      if (v === undefined || p.input === undefined) continue;
      if (p.secret) textLeaves(p, v, out);
      else if (p.ref && TYPES[p.ref] && v && typeof v === "object") {
        for (const [n, f] of Object.entries(TYPES[p.ref].properties)) if (f.secret) textLeaves(f, (v as Record<string, unknown>)[n], out);
      }
    }
  }
  return [...new Set(out.filter((s) => s !== UNKNOWN))];
}

/** `message` with the value of every secret input found in `sources` (inputs or state) replaced by `[secret]`. */
export function redactMessage(message: string, ...sources: (Record<string, unknown> | undefined)[]): string {
  return redactText(message, secretValues(APPLICATION, sources));
}

/**
 * The failures with every secret input's value (personal data, key password, ID numbers, notification
 * e-mails, the letter) replaced by `[secret]`: a safety net over every check message, the clouds' included.
 */
export function redactFailures(resource: "CertificateApplication" | "ConfirmLetter", inputs: Record<string, unknown>, failures: CheckFailure[]): CheckFailure[] {
  const values = secretValues(resource === "ConfirmLetter" ? LETTER : APPLICATION, [inputs]);
  if (!values.length) return failures;
  return failures.map((f) => {
    const reason = redactText(f.reason, values);
    return reason === f.reason ? f : { ...f, reason };
  });
}
