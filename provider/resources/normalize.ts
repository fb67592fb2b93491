import { createHash, createHmac, randomBytes } from "node:crypto";
import type { ApplicationInputs, ApplicationOutputs, EdgecastOptions, CloudCertificate } from "./types";
import { UNKNOWN } from "./types";

/** Inputs whose change alters what is submitted to the CA. */
export const CONTENT_FIELDS = [
  "commonName",
  "dnsNames",
  "csr",
  "validationMethod",
  "organization",
  "admin",
  "tech",
  "tencent",
  "edgecast",
  "huawei",
] as const;

/** Inputs that only steer certapply itself: a change is an update with no API call. */
export const POLICY_FIELDS = ["autoResubmit", "onDelete", "waitFor", "waitTimeoutSeconds", "renewBeforeDays"] as const;

/** Inputs whose change means a new application (delete first: never a second paid order). */
export const IDENTITY_FIELDS = ["cloud", "certificateId", "purchase"] as const;

/** The keys of the `edgecast` block that are inputs (the output block adds live fields). */
export const EDGECAST_INPUT_KEYS: readonly (keyof EdgecastOptions)[] = [
  "certificateLabel",
  "description",
  "autoRenew",
  "certificateAuthority",
  "validationType",
  "notifications",
  "deleteIssuedCertificate",
];

export const DEFAULTS = {
  autoResubmit: "timeout",
  onDelete: "cancel",
  waitFor: "submitted",
  waitTimeoutSeconds: 600,
} as const;

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

/** True for a value the user set and the preview knows: not absent, not empty, not the unknown sentinel. */
export function given(v: unknown): boolean {
  return v !== undefined && v !== null && v !== "" && v !== UNKNOWN;
}

/** True when the value or anything inside it is the preview's unknown sentinel. */
export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

function normalizeName(v: string): string {
  return isUnknown(v) ? v : v.trim().toLowerCase().replace(/\.$/, "");
}

/** Drops empty strings and undefined from a flat object; `undefined` if nothing is left. */
function compact<T extends object>(o: T | undefined): T | undefined {
  if (!o || typeof o !== "object" || Array.isArray(o)) return o;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null || v === "") continue;
    out[k] = typeof v === "string" && !isUnknown(v) ? v.trim() : v;
  }
  return Object.keys(out).length ? (out as T) : undefined;
}

/**
 * Normalises inputs so that equivalent declarations compare equal: names lower-case, SANs sorted and
 * de-duplicated (the common name is not repeated among them), empty strings dropped, defaults filled.
 */
export function normalizeInputs(raw: ApplicationInputs): ApplicationInputs {
  const out: ApplicationInputs = { ...raw };
  delete (out as unknown as Record<string, unknown>).__provider;
  if (typeof out.commonName === "string") out.commonName = normalizeName(out.commonName);
  if (Array.isArray(out.dnsNames)) {
    // A non-string entry is left in place for the check to report, never dropped.
    if (out.dnsNames.every((n) => typeof n === "string")) {
      const names = out.dnsNames.map(normalizeName);
      out.dnsNames = [...new Set(names)].filter((n) => n !== out.commonName && n !== "").sort();
    }
  } else if (out.dnsNames === undefined || out.dnsNames === null) {
    out.dnsNames = [];
  }
  if (typeof out.csr === "string" && !isUnknown(out.csr)) out.csr = out.csr.trim() ? out.csr.trim() + "\n" : undefined;
  if (typeof out.certificateId === "string" && !isUnknown(out.certificateId)) out.certificateId = out.certificateId.trim() || undefined;
  for (const key of ["organization", "admin", "tech", "tencent", "huawei"] as const) {
    const v = compact(out[key] as object | undefined);
    if (v === undefined) delete out[key];
    else (out as unknown as Record<string, unknown>)[key] = v;
  }
  if (out.organization && typeof out.organization.country === "string" && !isUnknown(out.organization.country)) {
    out.organization = { ...out.organization, country: out.organization.country.toUpperCase() };
  }
  if (out.edgecast) {
    const e = compact(out.edgecast);
    if (e === undefined) delete out.edgecast;
    else out.edgecast = e;
  }
  for (const [k, v] of Object.entries(DEFAULTS)) {
    const r = out as unknown as Record<string, unknown>;
    if (r[k] === undefined || r[k] === null || r[k] === "") r[k] = v;
  }
  for (const k of Object.keys(out) as (keyof ApplicationInputs)[]) if (out[k] === undefined) delete out[k];
  return out;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Canonical JSON: object keys sorted, so equal values give equal text. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}

/** A new per-resource key for the hashes kept in outputs (`hashSalt`): 32 random hex digits. */
export function newHashSalt(): string {
  return randomBytes(16).toString("hex");
}

/** HMAC-SHA256 keyed with the resource's salt, lower-case hex. */
export function keyedHash(salt: string, data: string): string {
  return createHmac("sha256", salt).update(data).digest("hex");
}

/** A stored hash (`hmac:` keyed, or `sha256:` from state written before keyed hashes), not an address. */
function isStoredHash(v: string): boolean {
  return v.startsWith("hmac:") || v.startsWith("sha256:");
}

/**
 * Notification e-mails are kept in state only as hashes: `hmac:` + HMAC-SHA256 keyed with the resource's
 * `hashSalt`. Without a salt (state written before keyed hashes) the old unkeyed `sha256:` form.
 */
export function hashEmail(email: string, salt?: string): string {
  const normal = email.trim().toLowerCase();
  return salt ? `hmac:${keyedHash(salt, normal)}` : `sha256:${sha256Hex(normal)}`;
}

/**
 * The `edgecast` input block as it is kept in the outputs (e-mails hashed with `salt`, input keys only).
 * To compare stored outputs with new inputs, pass the stored `hashSalt` for both: hashes already stored are
 * kept as they are, addresses are hashed with the same key.
 */
export function edgecastEcho(e: EdgecastOptions | undefined, salt?: string): EdgecastOptions | undefined {
  if (!e) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of EDGECAST_INPUT_KEYS) if (e[k] !== undefined) out[k] = e[k];
  if (Array.isArray(e.notifications)) {
    out.notifications = e.notifications.map((n) => ({
      ...n,
      emails: (n.emails ?? []).map((m) => (typeof m !== "string" || isStoredHash(m) || isUnknown(m) ? m : hashEmail(m, salt))),
    }));
  }
  return out as EdgecastOptions;
}

/** The value of a content field in a comparable form, from inputs or from stored outputs. */
export function fieldView(source: ApplicationInputs | ApplicationOutputs, field: string, salt?: string): unknown {
  if (field === "edgecast") return edgecastEcho(source.edgecast, salt);
  if (field === "dnsNames") return source.dnsNames ?? [];
  return (source as unknown as Record<string, unknown>)[field];
}

/**
 * Paths of content fields that differ (`admin.email`, `dnsNames`). Values still unknown in a preview
 * count as changed. Hashed values compare under the stored `hashSalt`.
 */
export function changedPaths(olds: ApplicationOutputs, news: ApplicationInputs, fields: readonly string[]): string[] {
  const changed: string[] = [];
  for (const field of fields) {
    const a = fieldView(olds, field, olds.hashSalt);
    const b = fieldView(news, field, olds.hashSalt);
    if (canonical(a) === canonical(b)) continue;
    if (isPlainObject(a) || isPlainObject(b)) {
      const ao = (isPlainObject(a) ? a : {}) as Record<string, unknown>;
      const bo = (isPlainObject(b) ? b : {}) as Record<string, unknown>;
      const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort();
      for (const k of keys) if (canonical(ao[k]) !== canonical(bo[k])) changed.push(`${field}.${k}`);
    } else {
      changed.push(field);
    }
  }
  return changed;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

/**
 * Hash of everything that is submitted to the CA: HMAC-SHA256 keyed with the resource's `hashSalt`, so a
 * known address or name cannot be confirmed from state. Without a salt, the old unkeyed SHA-256.
 */
export function contentHash(inputs: ApplicationInputs, salt?: string): string {
  const view: Record<string, unknown> = {};
  for (const f of CONTENT_FIELDS) view[f] = fieldView(inputs, f, salt);
  const text = canonical(view);
  return salt ? keyedHash(salt, text) : sha256Hex(text);
}

/** The inputs as echoed into outputs (the next diff compares against them); e-mails hashed with `salt`. */
export function echoInputs(inputs: ApplicationInputs, salt?: string): ApplicationInputs {
  const out: ApplicationInputs = { ...inputs };
  delete (out as unknown as Record<string, unknown>).__provider;
  const e = edgecastEcho(inputs.edgecast, salt);
  if (e) out.edgecast = e;
  return out;
}

/**
 * The `certificate` output and the top-level secret `privateKey` from an issued certificate: the key never
 * stays nested in `certificate`, because the engine marks only top-level outputs secret
 * (additionalSecretOutputs); the dynamic-provider host returns plain structs.
 */
export function certificateOutputs(cert: CloudCertificate | undefined): Pick<ApplicationOutputs, "certificate" | "privateKey"> {
  if (!cert) return {};
  const { privateKeyPem, ...rest } = cert;
  return privateKeyPem ? { certificate: rest, privateKey: privateKeyPem } : { certificate: rest };
}

/** Length in hex digits of an owner key. */
export const OWNER_KEY_LENGTH = 16;

/** True for a well-formed owner key (`OWNER_KEY_LENGTH` lower-case hex digits). */
export function isOwnerKey(v: unknown): v is string {
  return typeof v === "string" && new RegExp(`^[0-9a-f]{${OWNER_KEY_LENGTH}}$`).test(v);
}

/** Where a resource is declared: what its owner key is derived from. */
export interface OwnerScope {
  /** The Pulumi organisation (`pulumi.getOrganization()`); empty where the engine does not tell it (plugin path). */
  organization: string;
  /** The state backend (`PULUMI_BACKEND_URL`), empty when it is not set; see `backendIdentity`. */
  backend: string;
  project: string;
  stack: string;
  name: string;
}

/**
 * The owner key of a `CertificateApplication`: the first 16 hex digits of SHA-256 over organisation, backend,
 * project, stack and resource name, so two organisations or two backends using the same project, stack and
 * resource names get different keys. It is derived, not random, so a re-run after a crash or a lost reply (no state
 * yet) recognises the application it submitted.
 */
export function ownerKeyOf(scope: OwnerScope): string {
  const { organization, backend, project, stack, name } = scope;
  return sha256Hex(`certapply-owner-v2\n${organization}\n${backend}\n${project}\n${stack}\n${name}`).slice(0, OWNER_KEY_LENGTH);
}

/** The state backend's URL from `PULUMI_BACKEND_URL` (trailing slashes dropped), or empty. */
export function backendIdentity(env: NodeJS.ProcessEnv = process.env): string {
  return (env.PULUMI_BACKEND_URL ?? "").trim().replace(/\/+$/, "");
}

/**
 * `ownerKeyOf` from a resource URN (`urn:pulumi:<stack>::<project>::<type>::<name>`) on the plugin path, where the
 * engine tells no organisation: `PULUMI_ORGANIZATION` when set, and the backend from `backendIdentity`.
 */
export function ownerKeyFromUrn(urn: string, env: NodeJS.ProcessEnv = process.env): string {
  const parts = urn.split("::");
  const stack = (parts[0] ?? "").replace(/^urn:pulumi:/, "");
  const project = parts[1] ?? "";
  const name = parts.slice(3).join("::");
  if (!urn.startsWith("urn:pulumi:") || parts.length < 4 || !name) throw new Error(`not a resource URN: ${urn}`);
  return ownerKeyOf({ organization: (env.PULUMI_ORGANIZATION ?? "").trim(), backend: backendIdentity(env), project, stack, name });
}

/**
 * The owner key check keeps: the one in the old inputs (state) first, so a key never changes once stored and state
 * written by 0.1 (`legacyOwnerKey`) keeps matching its applications' cloud marks, no order changed; else the one
 * the SDK or plugin derived for a new resource (`ownerKeyOf`). Undefined when neither holds one.
 */
export function ownerKeyFor(olds: { ownerKey?: unknown } | undefined, news: { ownerKey?: unknown }): string | undefined {
  if (isOwnerKey(olds?.ownerKey)) return olds.ownerKey;
  if (isOwnerKey(news.ownerKey)) return news.ownerKey;
  return undefined;
}

/**
 * The owner key certapply 0.1 derived (project, stack and resource name only: the same for two organisations or
 * backends using those names). Only state written by 0.1 holds one; nothing derives it any more.
 */
export function legacyOwnerKey(project: string, stack: string, name: string): string {
  return sha256Hex(`certapply-owner\n${project}\n${stack}\n${name}`).slice(0, OWNER_KEY_LENGTH);
}

/** The operations a `customTimeouts` option bounds. */
export type TimedOperation = "create" | "update" | "delete";

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, "µs": 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Seconds of a Pulumi `customTimeouts` value (a Go duration such as `90s`, `10m` or `1h30m`); undefined if it is none. */
export function durationSeconds(text: string | undefined): number | undefined {
  const t = (text ?? "").trim();
  if (t === "" || !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * DURATION_UNITS[m[2]];
  return total > 0 ? total : undefined;
}

/** The `customTimeouts` input the Node.js SDK sends: the option's durations in seconds, as JSON; undefined when none is set. */
export function encodeTimeouts(t: Partial<Record<TimedOperation, string>> | undefined): string | undefined {
  const out: Partial<Record<TimedOperation, number>> = {};
  for (const k of ["create", "update", "delete"] as const) {
    const s = durationSeconds(t?.[k]);
    if (s !== undefined) out[k] = s;
  }
  return Object.keys(out).length ? JSON.stringify(out) : undefined;
}
