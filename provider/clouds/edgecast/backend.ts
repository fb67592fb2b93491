/** The Edgecast CPS backend: certificate requests (`cdnprovided`), PATCH in place, retrigger, cancel/delete. */
import { randomBytes } from "node:crypto";
import { CloudApiError } from "../../http/errors";
import type { ApplicationBackend, ImportedApplication, CheckFailure, CloudContext, ContentPlan, LiveApplication, SubmitResult } from "../../resources/backend";
import { canonical, edgecastEcho } from "../../resources/normalize";
import type { ApplicationInputs, ApplicationOutputs, Contact, EdgecastNotification, ValidationRecord } from "../../resources/types";
import { UNKNOWN } from "../../resources/types";
import {
  cancelCertificate,
  createCertificate,
  deleteCertificate,
  findCertificates,
  getCertificate,
  getDcv,
  getStatus,
  patchCertificate,
  patchNotifications,
  putOrganization,
  retrigger,
  type Certificate,
  type CertificateCreate,
  type CertificateUpdate,
  type DcvItem,
  type NotificationSetting,
  type OrganizationBody,
} from "./api";
import { EdgecastClient, isHttp } from "./client";
import { everIssued, normalizeStatus } from "./status";

export const VALIDATION_METHODS = ["DnsTxtToken", "DnsCnameToken", "Email"] as const;
export const VALIDATION_TYPES = ["DV", "OV", "EV"] as const;
export const CERTIFICATE_AUTHORITIES = ["DigiCert", "LetsEncrypt"] as const;
export const NOTIFICATION_TYPES = ["CertificateRenewal", "CertificateExpiring", "PendingValidations"] as const;
export const DEFAULT_VALIDATION_METHOD = "DnsTxtToken";
export const DEFAULT_VALIDATION_TYPE = "DV";
export const DEFAULT_CERTIFICATE_AUTHORITY = "DigiCert";
/** Documented label charset. */
export const LABEL_RE = /^[A-Za-z0-9_-]+$/;
export const LABEL_MAX = 100;
/** Target of DigiCert's DNS CNAME validation record. */
export const DCV_CNAME_TARGET = "dcv.digicert.com";

/** Fields the API cannot change: a change replaces the request (delete first, fresh label). */
const REPLACE_FIELDS = ["edgecast.validationType", "edgecast.certificateAuthority"] as const;
/** Content the API lets PATCH change in any state that is not deleted. */
const ANY_STATE_FIELDS = new Set([
  "edgecast.certificateLabel",
  "edgecast.description",
  "edgecast.autoRenew",
  "edgecast.notifications",
  "edgecast.deleteIssuedCertificate",
  "validationMethod",
]);
/** Content the API changes only once issued (starting a reissue). */
const DOMAIN_FIELDS = ["commonName", "dnsNames"];
const ORGANIZATION_FIELDS = ["organization", "admin", "tech"];

const known = (v: unknown): boolean => v !== undefined && v !== UNKNOWN;
const top = (path: string): string => path.split(".")[0];

function validationType(i: ApplicationInputs): string {
  return i.edgecast?.validationType ?? DEFAULT_VALIDATION_TYPE;
}

function dcvMethod(i: ApplicationInputs): string {
  return i.validationMethod ?? DEFAULT_VALIDATION_METHOD;
}

/** The domain list of a request: the common name flagged, then the SANs. */
export function domainsOf(i: ApplicationInputs): { name: string; is_common_name: boolean }[] {
  const out = [{ name: i.commonName, is_common_name: true }];
  for (const n of i.dnsNames ?? []) if (n !== i.commonName && !out.some((d) => d.name === n)) out.push({ name: n, is_common_name: false });
  return out;
}

/** Label prefix derived from the common name (a random suffix is added per request). */
export function labelPrefix(commonName: string): string {
  const base = commonName
    .replace(/^\*\./, "wildcard-")
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  return (base || "certificate").slice(0, LABEL_MAX - 7);
}

/** A fresh label: `<common name with dashes>-<6 random chars>`. Labels stay reserved after deletion. */
export function deriveLabel(commonName: string): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const suffix = [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join("");
  return `${labelPrefix(commonName)}-${suffix}`;
}

function isDerivedLabel(label: string, commonName: string): boolean {
  const prefix = labelPrefix(commonName);
  return label.startsWith(`${prefix}-`) && /^[a-z0-9]{6}$/.test(label.slice(prefix.length + 1));
}

/** The `organization` body (OV/EV): `admin` is the organization contact, `tech` an additional TechnicalContact. */
export function organizationBody(i: ApplicationInputs): OrganizationBody | undefined {
  const vt = validationType(i);
  if (vt === "DV" || !i.organization) return undefined;
  const o = i.organization;
  const a: Contact = i.admin ?? {};
  const phone = o.phoneNumber ? [o.phoneAreaCode, o.phoneNumber].filter(Boolean).join(" ") : undefined;
  const contact = (c: Contact, type: string) => ({
    first_name: c.firstName,
    last_name: c.lastName,
    email: c.email,
    phone: c.phone,
    title: c.title,
    contact_type: type,
  });
  const extra: NonNullable<OrganizationBody["additional_contacts"]> = [];
  if (i.tech) extra.push(contact(i.tech, "TechnicalContact"));
  if (vt === "EV" && i.admin) extra.push(contact(i.admin, "EvApprover"));
  return stripUndefined({
    company_name: o.name,
    company_address: o.address,
    city: o.city,
    state: o.region,
    zip_code: o.postalCode,
    country: o.country,
    organizational_unit: o.division,
    contact_first_name: a.firstName,
    contact_last_name: a.lastName,
    contact_email: a.email,
    contact_phone: a.phone ?? phone,
    contact_title: a.title,
    additional_contacts: extra.length ? extra.map(stripUndefined) : undefined,
  });
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function createBody(i: ApplicationInputs, label: string): CertificateCreate {
  const e = i.edgecast ?? {};
  const body: CertificateCreate = {
    certificate_label: label,
    certificate_authority: e.certificateAuthority ?? DEFAULT_CERTIFICATE_AUTHORITY,
    validation_type: validationType(i),
    dcv_method: dcvMethod(i),
    domains: domainsOf(i),
    auto_renew: e.autoRenew ?? true,
  };
  if (e.description) body.description = e.description;
  const org = organizationBody(i);
  if (org) body.organization = org;
  return body;
}

function sameDomains(cert: Certificate, i: ApplicationInputs): boolean {
  const want = domainsOf(i);
  const have = (cert.domains ?? []).map((d) => ({ name: d.name.toLowerCase(), is_common_name: d.is_common_name === true }));
  return want.length === have.length && want.every((w) => have.some((h) => h.name === w.name && h.is_common_name === w.is_common_name));
}

/** Same content as the inputs would submit (label aside). */
function sameContent(cert: Certificate, i: ApplicationInputs): boolean {
  return (
    cert.validation_type === validationType(i) &&
    cert.certificate_authority === (i.edgecast?.certificateAuthority ?? DEFAULT_CERTIFICATE_AUTHORITY) &&
    cert.dcv_method === dcvMethod(i) &&
    sameDomains(cert, i)
  );
}

function notificationSettings(list: EdgecastNotification[] | undefined): NotificationSetting[] {
  return (list ?? []).map((n) => ({ notification_type: n.notificationType, enabled: n.enabled, emails: n.emails ?? [] }));
}

/** DCV metadata → records to publish. Records shared by several domains (DV tokens) are listed once. */
export function validationRecords(cert: Certificate, items: DcvItem[]): ValidationRecord[] {
  const out: ValidationRecord[] = [];
  const seen = new Set<string>();
  const add = (r: ValidationRecord, key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push(r);
  };
  for (const item of items) {
    const d = (cert.domains ?? []).find((x) => x.id === item.domain_id);
    if (!d) continue;
    const host = d.name.replace(/^\*\./, "");
    const method = item.dcv_method ?? cert.dcv_method ?? "";
    const token = item.dcv_token?.token ?? undefined;
    if (method === "Email") {
      for (const email of item.emails ?? []) add({ domain: d.name, type: "EMAIL", name: email, value: email }, `EMAIL ${d.name} ${email}`);
    } else if (method === "DnsCnameToken" && token) {
      // inferred: DigiCert's DNS CNAME method: `<token>.<domain>` CNAME dcv.digicert.com.
      const name = `${token}.${host}`;
      add({ domain: d.name, type: "CNAME", name, value: DCV_CNAME_TARGET }, `CNAME ${name}`);
    } else if (method === "DnsTxtToken" && token) {
      // inferred: DigiCert's DNS TXT method: the token as a TXT record on the domain itself.
      add({ domain: d.name, type: "TXT", name: host, value: token }, `TXT ${host} ${token}`);
    }
  }
  return out;
}

function client(ctx: CloudContext): EdgecastClient {
  return new EdgecastClient(ctx.config, ctx.transport);
}

/** Edgecast's check rules (common validation is done by the resource layer). */
function validate(i: ApplicationInputs): CheckFailure[] {
  const f: CheckFailure[] = [];
  const e = i.edgecast ?? {};
  if (known(i.certificateId)) {
    f.push({ property: "certificateId", reason: 'must be omitted for cloud "edgecast": the API assigns the request id (output applicationId)' });
  }
  if (known(i.csr)) {
    f.push({ property: "csr", reason: "Edgecast CDN-provided certificates are keyed by the CDN; remove csr" });
  }
  if (typeof i.commonName === "string" && i.commonName !== UNKNOWN && /[,\s]/.test(i.commonName)) {
    f.push({ property: "commonName", reason: "takes exactly one name (a request has at most one common name); list the other names in dnsNames" });
  }
  if (known(i.validationMethod) && !(VALIDATION_METHODS as readonly string[]).includes(i.validationMethod as string)) {
    f.push({ property: "validationMethod", reason: `must be one of ${VALIDATION_METHODS.join(", ")} for cloud "edgecast" (got "${i.validationMethod}")` });
  }
  if (known(e.validationType) && !(VALIDATION_TYPES as readonly string[]).includes(e.validationType as string)) {
    f.push({ property: "edgecast.validationType", reason: `must be one of ${VALIDATION_TYPES.join(", ")} (got "${e.validationType}")` });
  }
  if (known(e.certificateAuthority) && !(CERTIFICATE_AUTHORITIES as readonly string[]).includes(e.certificateAuthority as string)) {
    f.push({ property: "edgecast.certificateAuthority", reason: `must be one of ${CERTIFICATE_AUTHORITIES.join(", ")} (got "${e.certificateAuthority}")` });
  }
  if (known(e.certificateLabel)) {
    const label = e.certificateLabel as string;
    if (!LABEL_RE.test(label)) f.push({ property: "edgecast.certificateLabel", reason: "may contain only letters, digits, '_' and '-' (no spaces or dots)" });
    if (label.length > LABEL_MAX) f.push({ property: "edgecast.certificateLabel", reason: `must be at most ${LABEL_MAX} characters` });
  }
  const seenTypes = new Set<string>();
  (Array.isArray(e.notifications) ? e.notifications : []).forEach((n, idx) => {
    const p = `edgecast.notifications[${idx}]`;
    if (!n || typeof n !== "object") return;
    if (known(n.notificationType)) {
      if (!(NOTIFICATION_TYPES as readonly string[]).includes(n.notificationType)) {
        f.push({ property: `${p}.notificationType`, reason: `must be one of ${NOTIFICATION_TYPES.join(", ")}` });
      } else if (seenTypes.has(n.notificationType)) {
        f.push({ property: `${p}.notificationType`, reason: `${n.notificationType} is listed twice; keep one setting per type` });
      }
      seenTypes.add(n.notificationType);
    }
    if (n.enabled === true && Array.isArray(n.emails) && n.emails.length === 0) {
      f.push({ property: `${p}.emails`, reason: "at least one e-mail (of a user of the Edgecast account) is required when enabled is true" });
    }
  });
  const vt = e.validationType;
  if (vt === UNKNOWN) return f;
  const type = vt ?? DEFAULT_VALIDATION_TYPE;
  if (type === "DV") {
    for (const k of ["organization", "admin", "tech"] as const) {
      if (i[k] !== undefined) {
        f.push({ property: k, reason: `DV certificates take no ${k}; remove it or set edgecast.validationType to "OV" or "EV"` });
      }
    }
  } else if (type === "OV" || type === "EV") {
    const o = i.organization;
    if (o === undefined) {
      f.push({ property: "organization", reason: `is required for ${type} certificates (name, address, city, country; region and postalCode in the US)` });
    } else if ((o as unknown) !== UNKNOWN) {
      const need: [keyof typeof o, string][] = [["name", "name"], ["address", "address"], ["city", "city"], ["country", "country"]];
      if (o.country === "US") need.push(["region", "region (state)"], ["postalCode", "postalCode"]);
      for (const [k, label] of need) if (o[k] === undefined) f.push({ property: `organization.${String(k)}`, reason: `${label} is required for ${type} certificates` });
    }
    const contacts: ["admin" | "tech", string][] = [["admin", "the organization contact"]];
    if (type === "EV") contacts.push(["tech", "the additional (technical) contact EV requires"]);
    for (const [k, what] of contacts) {
      const c = i[k];
      if (c === undefined) {
        f.push({ property: k, reason: `is required for ${type} certificates: ${what} (firstName, lastName, email, phone)` });
        continue;
      }
      if ((c as unknown) === UNKNOWN) continue;
      for (const field of ["firstName", "lastName", "email", "phone"] as const) {
        if (c[field] === undefined) f.push({ property: `${k}.${field}`, reason: `is required for ${type} certificates` });
      }
    }
  }
  return f;
}

async function findAdoptable(c: EdgecastClient, i: ApplicationInputs): Promise<Certificate | undefined> {
  const wanted = i.edgecast?.certificateLabel;
  const query = wanted ? `certificate_label:${wanted}` : `domain_names:${i.commonName}`;
  const candidates = (await findCertificates(c, query)).filter(
    (cert) => (wanted ? cert.certificate_label === wanted : isDerivedLabel(cert.certificate_label, i.commonName)) && sameContent(cert, i),
  );
  candidates.sort((a, b) => b.id - a.id);
  for (const cert of candidates) {
    const st = await getStatus(c, String(cert.id));
    if (!st || st.status === "Deleted" || st.order_validation?.status === "Canceled") continue;
    return cert;
  }
  return undefined;
}

async function submit(ctx: CloudContext, i: ApplicationInputs): Promise<SubmitResult> {
  const c = client(ctx);
  const existing = await findAdoptable(c, i);
  let id: string;
  let adopted = false;
  if (existing) {
    id = String(existing.id);
    adopted = true;
    ctx.log(`edgecast: adopting certificate request ${id} (label ${existing.certificate_label}), which already has this content`);
  } else {
    const label = i.edgecast?.certificateLabel ?? deriveLabel(i.commonName);
    try {
      const cert = await createCertificate(c, createBody(i, label));
      id = String(cert.id);
      ctx.log(`edgecast: created certificate request ${id} (label ${label})`);
    } catch (err) {
      if (isHttp(err, 400) && /certificate_label/.test(err.message)) {
        // A create whose reply was lost may have gone through: adopt it rather than fail.
        const again = await findAdoptable(c, i);
        if (again) {
          ctx.log(`edgecast: adopting certificate request ${again.id} (label ${again.certificate_label}) created by an earlier attempt`);
          return { applicationId: String(again.id), adopted: true };
        }
        if (i.edgecast?.certificateLabel) {
          err.message +=
            " — Edgecast keeps labels reserved even after a request is deleted, so a replacement needs a new label: change edgecast.certificateLabel or omit it to let certapply derive a fresh one";
        }
      }
      throw err;
    }
  }
  const settings = notificationSettings(i.edgecast?.notifications);
  if (settings.length) {
    try {
      await patchNotifications(c, id, settings);
    } catch (err) {
      if (adopted) throw err;
      let rollback = "the new request was cancelled, so nothing is left behind";
      try {
        await cancelCertificate(c, id);
      } catch (cancelErr) {
        rollback = `cancelling the new request ${id} failed too (${(cancelErr as Error).message}); cancel it in the Edgecast portal`;
      }
      const msg = `edgecast: setting the notifications of new certificate request ${id} failed (${(err as Error).message}); ${rollback}. Fix edgecast.notifications (e-mails must belong to users of the Edgecast account) and run pulumi up again`;
      if (err instanceof CloudApiError) err.message = msg;
      else throw new Error(msg);
      throw err;
    }
  }
  return { applicationId: id, adopted };
}

async function read(ctx: CloudContext, id: string): Promise<LiveApplication | undefined> {
  const c = client(ctx);
  const st = await getStatus(c, id);
  if (!st || st.status === "Deleted") return undefined;
  const cert = await getCertificate(c, id);
  if (!cert) return undefined;
  const { status, statusMessage } = normalizeStatus(st, cert);
  let records: ValidationRecord[] = [];
  const pendingDcv = status === "awaiting-validation" || status === "timed-out" || (status === "under-review" && st.status !== "Processing");
  const ids = (cert.domains ?? []).filter((d) => d.status !== "Active").map((d) => d.id);
  if (pendingDcv && ids.length) {
    try {
      records = validationRecords(cert, await getDcv(c, id, ids));
    } catch (err) {
      // As in Edgecast's own Terraform provider, missing DCV metadata does not fail a read.
      ctx.log(`edgecast: could not read the DCV metadata of request ${id}: ${(err as Error).message}`);
    }
  }
  const hex = (cert.deployments ?? []).find((d) => d.platform === "HttpLarge" && d.hex_url)?.hex_url ?? undefined;
  return {
    status,
    rawStatus: st.status,
    statusMessage,
    validationRecords: records,
    edgecast: {
      requestId: cert.id,
      cnameTarget: hex ?? "",
      certificateStatus: st.status,
      orderStatus: st.order_validation?.status ?? "",
      expirationDate: everIssued(cert) ? (cert.expiration_date ?? "") : "",
    },
  };
}

function planContentChange(changed: string[], live: LiveApplication, olds: ApplicationOutputs, news: ApplicationInputs): ContentPlan {
  const id = olds.applicationId;
  if (live.status === "cancelled" || live.status === "expired" || live.status === "revoked") {
    return {
      kind: "refuse",
      reason: `Edgecast certificate request ${id} is ${live.status} (${live.rawStatus}) and cannot be changed; replace it with \`pulumi up --replace <urn>\``,
    };
  }
  const domains = changed.filter((p) => DOMAIN_FIELDS.includes(top(p)));
  const org = changed.filter((p) => ORGANIZATION_FIELDS.includes(top(p)));
  const other = changed.filter((p) => !ANY_STATE_FIELDS.has(p) && !DOMAIN_FIELDS.includes(top(p)) && !ORGANIZATION_FIELDS.includes(top(p)));
  if (other.length) {
    return { kind: "refuse", reason: `Edgecast cannot change ${other.join(", ")} of an existing certificate request; replace the resource with \`pulumi up --replace <urn>\`` };
  }
  const issued = live.status === "issued";
  if ((domains.length || org.length) && !issued) {
    const what = [...domains, ...org].join(", ");
    return {
      kind: "refuse",
      reason:
        `Edgecast accepts changes of ${what} only once the certificate is issued (then they start a reissue); request ${id} is ${live.status} (${live.rawStatus}). ` +
        "Revert the change until it is issued, or replace the request with `pulumi up --replace <urn>`",
    };
  }
  const steps: string[] = [];
  const basic = changed.filter((p) => ANY_STATE_FIELDS.has(p) && p !== "edgecast.notifications" && p !== "edgecast.deleteIssuedCertificate");
  const labelRemoved = basic.includes("edgecast.certificateLabel") && news.edgecast?.certificateLabel === undefined;
  const patched = basic.filter((p) => !(p === "edgecast.certificateLabel" && labelRemoved));
  if (patched.length || domains.length) {
    steps.push(`PATCH /v2.0/certificates/${id} (${[...patched, ...domains].join(", ")})${domains.length ? ": starts a reissue at the certificate authority" : ""}`);
  }
  if (labelRemoved) steps.push("certificateLabel removed: the request keeps its current label");
  if (changed.includes("edgecast.notifications")) steps.push(`PATCH /v2.0/certificates/${id}/notifications`);
  if (org.length) {
    if (validationType(news) === "DV") return { kind: "refuse", reason: "DV certificates have no organization" };
    steps.push(`PUT /v2.0/certificates/${id}/organization (${org.join(", ")}): starts a reissue at the certificate authority`);
  }
  if (changed.includes("edgecast.deleteIssuedCertificate")) steps.push("deleteIssuedCertificate only changes what destroy does (no API call)");
  // Settings are PATCHed without a new review; domains or organization start a reissue.
  return { kind: "update", description: steps.join("; ") || "no API call", resubmits: domains.length > 0 || org.length > 0 };
}

/** Edgecast retriggers only a request whose domain validation timed out and that was never issued. */
function planResubmit(live: LiveApplication): ContentPlan {
  if (live.status === "timed-out") return { kind: "update", description: "PUT …/retrigger" };
  return {
    kind: "refuse",
    reason:
      `Edgecast retriggers only a request whose domain validation timed out and that was never issued; this one is ${live.status} (${live.rawStatus}). ` +
      "Revert resubmitTrigger, or change it again once the request has timed out",
  };
}

async function applyContentChange(ctx: CloudContext, id: string, olds: ApplicationOutputs, news: ApplicationInputs, live: LiveApplication): Promise<void> {
  const c = client(ctx);
  const cert = await getCertificate(c, id);
  if (!cert) throw new Error(`edgecast: certificate request ${id} no longer exists; run \`pulumi refresh\` and then \`pulumi up\` to create a new one`);
  const e = news.edgecast ?? {};
  const patch: CertificateUpdate = {};
  if (e.certificateLabel !== undefined && e.certificateLabel !== cert.certificate_label) patch.certificate_label = e.certificateLabel;
  if ((e.description ?? "") !== (cert.description ?? "")) patch.description = e.description ?? "";
  const autoRenew = e.autoRenew ?? true;
  // Sent explicitly, false included (Edgecast's own SDK drops false by `omitempty`).
  if (cert.auto_renew !== autoRenew) patch.auto_renew = autoRenew;
  if (cert.dcv_method !== dcvMethod(news)) patch.dcv_method = dcvMethod(news);
  const issued = live.status === "issued";
  if (!sameDomains(cert, news)) {
    if (!issued) throw new Error(`edgecast: the domains of request ${id} can only change once it is issued (now ${live.rawStatus})`);
    patch.domains = domainsOf(news);
  }
  if (Object.keys(patch).length) {
    await patchCertificate(c, id, patch);
    ctx.log(`edgecast: updated request ${id} (${Object.keys(patch).join(", ")})${patch.domains ? "; the certificate authority reissues the certificate" : ""}`);
  }
  const oldN = edgecastEcho(olds.edgecast)?.notifications ?? [];
  const newN = edgecastEcho(news.edgecast)?.notifications ?? [];
  if (canonical(oldN) !== canonical(newN)) {
    const settings = notificationSettings(e.notifications);
    for (const o of oldN) {
      // Types no longer declared are switched off, as Edgecast's Terraform provider does.
      if (!settings.some((s) => s.notification_type === o.notificationType)) settings.push({ notification_type: o.notificationType, enabled: false, emails: [] });
    }
    if (settings.length) {
      await patchNotifications(c, id, settings);
      ctx.log(`edgecast: updated the notification settings of request ${id}`);
    }
  }
  const newOrg = organizationBody(news);
  if (newOrg && canonical(organizationBody(olds)) !== canonical(newOrg)) {
    if (!issued) throw new Error(`edgecast: the organization of request ${id} can only change once it is issued (now ${live.rawStatus})`);
    await putOrganization(c, id, newOrg);
    ctx.log(`edgecast: changed the organization of request ${id}; the certificate authority revalidates and reissues`);
  }
}

async function resubmit(ctx: CloudContext, id: string, _inputs: ApplicationInputs, live: LiveApplication): Promise<void> {
  if (live.status !== "timed-out") {
    throw new Error(
      `edgecast: certificate request ${id} cannot be retriggered while it is ${live.status} (${live.rawStatus}); ` +
        "Edgecast retriggers only a request whose domain validation timed out and that was never issued",
    );
  }
  await retrigger(client(ctx), id);
  ctx.log(`edgecast: retriggered certificate request ${id} (domain validation had timed out)`);
}

async function cancel(ctx: CloudContext, id: string, olds: ApplicationOutputs, live: LiveApplication | undefined): Promise<void> {
  const c = client(ctx);
  if (!live) return;
  const leaveOrDelete = async (now: LiveApplication) => {
    const target = now.edgecast?.cnameTarget;
    if (olds.edgecast?.deleteIssuedCertificate === true) {
      try {
        await deleteCertificate(c, id);
      } catch (err) {
        if (isHttp(err, 404)) return;
        throw err;
      }
      ctx.log(
        `warning: edgecast: deleted the issued certificate of request ${id} (edgecast.deleteIssuedCertificate is true); ` +
          `its CDN CNAME target${target ? ` ${target}` : ""} is removed too, and a new certificate gets a new one`,
      );
      return;
    }
    ctx.log(
      `warning: edgecast: certificate request ${id} is issued, so it was left in place (it still serves the CDN). ` +
        "Set edgecast.deleteIssuedCertificate to true before destroying to delete it (its CNAME target goes too)",
    );
  };
  const isIssued = (l: LiveApplication) => l.status === "issued" || !!l.edgecast?.expirationDate;
  if (live.status === "cancelled") return;
  if (isIssued(live)) return leaveOrDelete(live);
  try {
    await cancelCertificate(c, id);
    ctx.log(`edgecast: cancelled certificate request ${id}`);
  } catch (err) {
    if (isHttp(err, 404)) return;
    if (!isHttp(err, 409)) throw err;
    // 409: the request moved on since it was read. Read again and act on what it is now.
    const now = await read(ctx, id);
    if (!now || now.status === "cancelled") return;
    if (isIssued(now)) return leaveOrDelete(now);
    ctx.log(`edgecast: request ${id} cannot be cancelled (${now.rawStatus}); deleting it instead`);
    try {
      await deleteCertificate(c, id);
    } catch (delErr) {
      if (!isHttp(delErr, 404)) throw delErr;
    }
  }
}

export const edgecastBackend: ApplicationBackend = {
  cloud: "edgecast",
  replaceFields: REPLACE_FIELDS,
  validate,
  decidesIssuedChanges: true,
  planContentChange,
  planResubmit,
  submit,
  read,
  applyContentChange,
  resubmit,
  cancel,
  // TODO(issue 10): reconstruct the inputs for pulumi import; replaced by the cloud's implementation.
  async importApplication(): Promise<ImportedApplication | undefined> {
    throw new Error("import is not implemented for this cloud yet");
  },
};
