import { z } from "zod";
import type { CheckFailure } from "./backend";
import { parseCsr } from "./csr";
import { containsUnknown, isUnknown } from "./normalize";
import type { ApplicationInputs, CloudName } from "./types";
import { CLOUDS, UNKNOWN } from "./types";

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const DOMAIN_RE = new RegExp(`^(?:\\*\\.)?(?:${LABEL}\\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$`);

/** True for a host name or a wildcard (`*.example.com`), lower-case. */
export function isDomainName(v: string): boolean {
  return v.length <= 253 && DOMAIN_RE.test(v);
}

const domain = z.string().refine(isDomainName, {
  message: "must be a domain name such as www.example.com or *.example.com",
});
const text = z.string().max(1024);
const email = z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: "must be an e-mail address such as admin@example.com" });
const phone = z.string().regex(/^\+?[0-9][0-9 ()-]{3,30}$/, { message: "must be a phone number of digits, optionally with +, spaces or dashes" });

const contact = z.strictObject({
  firstName: text.optional(),
  lastName: text.optional(),
  email: email.optional(),
  phone: phone.optional(),
  title: text.optional(),
});

const organization = z.strictObject({
  name: text.optional(),
  division: text.optional(),
  address: text.optional(),
  city: text.optional(),
  region: text.optional(),
  country: z.string().regex(/^[A-Z]{2}$/, { message: "must be a two-letter ISO 3166-1 country code such as CN or US" }).optional(),
  postalCode: text.optional(),
  phoneAreaCode: z.string().regex(/^[0-9]{1,6}$/, { message: "must be digits only, e.g. 021 (86 for mobile numbers)" }).optional(),
  phoneNumber: z.string().regex(/^[0-9 -]{4,20}$/, { message: "must be 4 to 20 digits" }).optional(),
});

const tencent = z.strictObject({
  companyType: z.number().int().optional(),
  companyId: z.string().optional(),
  managerId: z.string().optional(),
  csrKeyParameter: z.string().optional(),
  csrEncryptAlgo: z.string().optional(),
  keyPass: z.string().optional(),
  autoRenew: z.boolean().optional(),
  caType: z.string().optional(),
  signAlgo: z.string().optional(),
  useCrossSignRoot: z.boolean().optional(),
  type: z.number().int().optional(),
  orgIdType: z.string().optional(),
  orgIdNumber: z.string().optional(),
  adminIdType: z.string().optional(),
  adminIdNumber: z.string().optional(),
  techIdType: z.string().optional(),
  techIdNumber: z.string().optional(),
  contactEmail: email.optional(),
});

const edgecast = z.strictObject({
  certificateLabel: z.string().optional(),
  description: z.string().max(1024).optional(),
  autoRenew: z.boolean().optional(),
  certificateAuthority: z.string().optional(),
  validationType: z.string().optional(),
  notifications: z
    .array(
      z.strictObject({
        notificationType: z.string(),
        enabled: z.boolean(),
        emails: z.array(email),
      }),
    )
    .optional(),
  deleteIssuedCertificate: z.boolean().optional(),
});

const huawei = z.strictObject({
  autoDnsAuth: z.boolean().optional(),
  keyAlgorithm: z.string().optional(),
  caHashAlgorithm: z.string().optional(),
});

const applicationSchema = z.strictObject({
  cloud: z.enum(CLOUDS as [CloudName, ...CloudName[]], { message: `must be one of ${CLOUDS.join(", ")}` }),
  certificateId: z.string().optional(),
  commonName: domain,
  dnsNames: z.array(domain).max(250).optional(),
  csr: z.string().optional(),
  validationMethod: z.string().optional(),
  organization: organization.optional(),
  admin: contact.optional(),
  tech: contact.optional(),
  tencent: tencent.optional(),
  edgecast: edgecast.optional(),
  huawei: huawei.optional(),
  autoResubmit: z.enum(["timeout", "failure", "never"], { message: "must be timeout, failure or never" }),
  resubmitTrigger: z.string().optional(),
  onDelete: z.enum(["cancel", "retain"], { message: "must be cancel or retain" }),
  waitFor: z.enum(["submitted", "validation-records", "issued"], { message: "must be submitted, validation-records or issued" }),
  waitTimeoutSeconds: z
    .number({ message: "must be a number of seconds" })
    .int({ message: "must be a whole number of seconds" })
    .min(0, { message: "must be 0 or more" })
    .max(3600, { message: "must be at most 3600 (waits longer than an hour belong to a later `pulumi up`)" }),
});

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

/** Common validation of normalised inputs: types, enums, domain names, CSR agreement, cloud blocks. */
export function validateCommon(inputs: ApplicationInputs): CheckFailure[] {
  const unknownPaths: string[] = [];
  const masked = maskUnknowns(inputs, "", unknownPaths);
  const failures: CheckFailure[] = [];
  const result = applicationSchema.safeParse(masked);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const property = issuePath(issue.path);
      if (unknownPaths.some((u) => property === u || property.startsWith(`${u}.`) || property.startsWith(`${u}[`))) continue;
      let reason = issue.message;
      if (issue.code === "unrecognized_keys") reason = `unknown field(s) ${issue.keys.join(", ")}; check the spelling against the CertificateApplication arguments`;
      else if (issue.code === "invalid_type" && issue.input === undefined) reason = "is required";
      failures.push({ property: property || issue.path.join("."), reason });
    }
  }
  const cloud = inputs.cloud;
  for (const block of CLOUDS) {
    if (block !== cloud && inputs[block] !== undefined && !isUnknown(cloud)) {
      failures.push({ property: block, reason: `only applies to cloud "${block}"; remove it or set cloud: "${block}"` });
    }
  }
  failures.push(...checkCsr(inputs));
  return failures;
}

/** The CSR must parse, and its CN and SANs must be exactly `commonName` and `dnsNames`. */
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
  if (names.commonName !== commonName) {
    failures.push({
      property: "csr",
      reason: `the CSR's common name is ${names.commonName ?? "(none)"} but commonName is ${commonName}; they must match`,
    });
  }
  const declared = new Set([commonName, ...(inputs.dnsNames ?? [])]);
  const inCsr = new Set(names.dnsNames.length ? names.dnsNames : [names.commonName ?? ""]);
  const missing = [...declared].filter((n) => !inCsr.has(n) && n !== names.commonName);
  const extra = [...inCsr].filter((n) => n && !declared.has(n));
  if (missing.length) failures.push({ property: "dnsNames", reason: `not in the CSR's subject alternative names: ${missing.join(", ")}` });
  if (extra.length) failures.push({ property: "dnsNames", reason: `the CSR also names ${extra.join(", ")}; add them to dnsNames or issue a new CSR` });
  return failures;
}
