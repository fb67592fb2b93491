/** The Edgecast CPS backend: certificate requests (`cdnprovided`), PATCH in place, retrigger, cancel/delete. */
import { createHash, randomBytes } from "node:crypto";
import { CloudApiError, isTransient } from "../../http/errors";
import { backoffDelayMs } from "../../http/transport";
import type { KnownLive, ApplicationBackend, ImportedApplication, CheckFailure, CloudContext, ContentPlan, LiveApplication, SubmitResult } from "../../resources/backend";
import { canonical, edgecastEcho } from "../../resources/normalize";
import { confirmAbsence } from "../../resources/plan";
import { sleep } from "../../resources/wait";
import type { ApplicationInputs, ApplicationOutputs, ApplicationStatus, Contact, EdgecastNotification, EdgecastOptions, IssuedCertificate, ValidationRecord } from "../../resources/types";
import { UNKNOWN } from "../../resources/types";
import {
  cancelCertificate,
  createCertificate,
  deleteCertificate,
  findCertificates,
  getCertificate,
  getDcv,
  getNotifications,
  getStatus,
  isResourceNotFound,
  patchCertificate,
  patchNotifications,
  putOrganization,
  retrigger,
  renewCertificate,
  type Certificate,
  type CertificateCreate,
  type CertificateStatus,
  type CertificateUpdate,
  type DcvItem,
  type NotificationSetting,
  type OrganizationBody,
} from "./api";
import { EdgecastClient, isHttp } from "./client";
import { everIssued, inService, normalizeStatus, orderImpliesIssued } from "./status";

const VALIDATION_METHODS = ["DnsTxtToken", "DnsCnameToken", "Email"] as const;
const VALIDATION_TYPES = ["DV", "OV", "EV"] as const;
const CERTIFICATE_AUTHORITIES = ["DigiCert", "LetsEncrypt"] as const;
const NOTIFICATION_TYPES = ["CertificateRenewal", "CertificateExpiring", "PendingValidations"] as const;
const DEFAULT_VALIDATION_METHOD = "DnsTxtToken";
const DEFAULT_VALIDATION_TYPE = "DV";
const DEFAULT_CERTIFICATE_AUTHORITY = "DigiCert";
/** Documented label charset. */
const LABEL_RE = /^[A-Za-z0-9_-]+$/;
const LABEL_MAX = 100;
/** Target of DigiCert's DNS CNAME validation record. */
/** DigiCert's DNS CNAME method since 2025-10-28: `_dnsauth.<domain>` CNAME `<token>.dcv.digicert.com` (note box). */
const DCV_CNAME_SUFFIX = ".dcv.digicert.com";

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
function domainsOf(i: ApplicationInputs): { name: string; is_common_name: boolean }[] {
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

const LABEL_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const labelOf = (commonName: string, bytes: Uint8Array): string =>
  `${labelPrefix(commonName)}-${[...bytes.subarray(0, 6)].map((b) => LABEL_ALPHABET[b % LABEL_ALPHABET.length]).join("")}`;

/** A fresh label: `<common name with dashes>-<6 random chars>`. Labels stay reserved after deletion. */
export function deriveLabel(commonName: string): string {
  return labelOf(commonName, randomBytes(6));
}

function isDerivedLabel(label: string, commonName: string): boolean {
  const prefix = labelPrefix(commonName);
  return label.startsWith(`${prefix}-`) && /^[a-z0-9]{6}$/.test(label.slice(prefix.length + 1));
}

/** The `organization` body (OV/EV): `admin` is the organization contact, `tech` an additional TechnicalContact. */
function organizationBody(i: ApplicationInputs): OrganizationBody | undefined {
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

/**
 * The label of a resource's first create: the one set; with an owner key, `<common name>-<6 chars>` from a hash of
 * the owner key and the request's content, the same on every run, so a create sent again after its reply was lost
 * (in this run or a later one) meets its own label taken, a check the API makes at once, where a search may lag;
 * else a random one.
 */
function labelFor(i: ApplicationInputs): { label: string; ours: boolean } {
  const set = i.edgecast?.certificateLabel;
  if (set) return { label: set, ours: false };
  if (!i.ownerKey) return { label: deriveLabel(i.commonName), ours: false };
  const digest = createHash("sha256").update(`${i.ownerKey}\n${canonical(createBody(i, ""))}`).digest();
  return { label: labelOf(i.commonName, digest), ours: true };
}

function createBody(i: ApplicationInputs, label: string): CertificateCreate {
  const e = i.edgecast ?? {};
  const body: CertificateCreate = {
    certificate_label: label,
    certificate_authority: e.certificateAuthority ?? DEFAULT_CERTIFICATE_AUTHORITY,
    validation_type: validationType(i),
    dcv_method: dcvMethod(i),
    domains: domainsOf(i),
  };
  // CertificateCreate.AutoRenew is `json:"auto_renew,omitempty"` (ec-sdk-go): the official client sends it only when true.
  if (e.autoRenew ?? true) body.auto_renew = true;
  const description = markedDescription(e.description, i.ownerKey ? ownerMarker(i.ownerKey) : undefined);
  if (description) body.description = description;
  const org = organizationBody(i);
  if (org) body.organization = org;
  return body;
}

function sameDomains(cert: Certificate, want: { name: string; is_common_name: boolean }[]): boolean {
  const have = (cert.domains ?? []).map((d) => ({ name: d.name.toLowerCase(), is_common_name: d.is_common_name === true }));
  return want.length === have.length && want.every((w) => have.some((h) => h.name === w.name && h.is_common_name === w.is_common_name));
}

/** Same content as the inputs would submit (label aside). */
function sameContent(cert: Certificate, i: ApplicationInputs): boolean {
  return (
    cert.validation_type === validationType(i) &&
    cert.certificate_authority === (i.edgecast?.certificateAuthority ?? DEFAULT_CERTIFICATE_AUTHORITY) &&
    cert.dcv_method === dcvMethod(i) &&
    sameDomains(cert, domainsOf(i))
  );
}

function notificationSettings(list: EdgecastNotification[] | undefined): NotificationSetting[] {
  return (list ?? []).map((n) => ({ notification_type: n.notificationType, enabled: n.enabled, emails: n.emails ?? [] }));
}

/** DCV metadata → records to publish. Records shared by several domains (DV tokens) are listed once. */
function validationRecords(cert: Certificate, items: DcvItem[]): ValidationRecord[] {
  const out: ValidationRecord[] = [];
  const seen = new Set<string>();
  const add = (r: ValidationRecord, key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push(r);
  };
  // In domain-id order (the order the request named its domains): the API gives its lists in no set order.
  for (const item of [...items].sort((a, b) => (a.domain_id ?? 0) - (b.domain_id ?? 0))) {
    const d = (cert.domains ?? []).find((x) => x.id === item.domain_id);
    if (!d) continue;
    const host = d.name.replace(/^\*\./, "");
    const method = item.dcv_method ?? cert.dcv_method ?? "";
    const token = item.dcv_token?.token ?? undefined;
    if (method === "Email") {
      for (const email of item.emails ?? []) add({ domain: d.name, type: "EMAIL", name: email, value: email }, `EMAIL ${d.name} ${email}`);
    } else if (method === "DnsCnameToken" && token) {
      const name = `_dnsauth.${host}`;
      add({ domain: d.name, type: "CNAME", name, value: `${token}${DCV_CNAME_SUFFIX}` }, `CNAME ${name}`);
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

/** Prefix of the owner marker a request's description carries. */
const OWNER_PREFIX = "certapply-owner-";
const OWNER_RE = /(?:^|\s)(certapply-owner-[0-9a-f]{16})$/;

/**
 * The marker that ties a request to the resource that declared it: a hash of `ownerKey` (no name of the
 * project, stack or resource reaches the cloud), appended to the request's description.
 */
export function ownerMarker(ownerKey: string): string {
  return OWNER_PREFIX + createHash("sha256").update(ownerKey).digest("hex").slice(0, 16);
}

/** The description to send: the user's own text, then the owner marker (either may be absent). */
function markedDescription(userText: string | undefined, marker: string | undefined): string {
  return [userText ?? "", marker ?? ""].filter((x) => x !== "").join(" ");
}

/** A request's description split into the user's text and the owner marker it carries, if any. */
export function splitDescription(description: string | null | undefined): { text: string; marker?: string } {
  const d = description ?? "";
  const m = OWNER_RE.exec(d);
  if (!m) return { text: d };
  return { text: d.slice(0, m.index).trimEnd(), marker: m[1] };
}

/** The marker of these inputs: from `ownerKey`, else the one the request already carries (kept, never dropped). */
function markerFor(i: ApplicationInputs, current?: string | null): string | undefined {
  return i.ownerKey ? ownerMarker(i.ownerKey) : splitDescription(current).marker;
}

/** True when a request may be adopted by these inputs: it carries their owner marker (or, without an owner
 * key, the label this run generated itself) and was submitted with the same content. */
function adoptable(cert: Certificate, i: ApplicationInputs, ownLabel?: string): boolean {
  const wanted = i.edgecast?.certificateLabel;
  const labelOk = ownLabel ? cert.certificate_label.toLowerCase() === ownLabel.toLowerCase() : wanted ? cert.certificate_label === wanted : isDerivedLabel(cert.certificate_label, i.commonName);
  if (!labelOk || !sameContent(cert, i)) return false;
  const marker = splitDescription(cert.description).marker;
  if (i.ownerKey) return marker === ownerMarker(i.ownerKey);
  // No owner key: only the request carrying the random label this very run generated is its own.
  return ownLabel !== undefined && wanted === undefined && marker === undefined;
}

/** Statuses that end a request (or its renewal or reissue): a new resource with the same owner key gets a new request. */
const ENDED: ReadonlySet<ApplicationStatus> = new Set(["failed", "revoked", "expired", "cancelled"]);

/**
 * An earlier submission of this resource that is still live: found by its owner marker (or, for `ownLabel`,
 * by the label just sent). Another resource's request with the same domains is never taken, nor an ended one, so
 * a replacement of an ended request gets a new one. A request that is not ended (an issued one that destroy or
 * `onDelete: retain` left in place) is adopted by a replacement with the same owner key and content.
 */
async function findOwn(c: EdgecastClient, i: ApplicationInputs, ownLabel?: string, listed: Certificate[] = []): Promise<{ cert: Certificate; st: CertificateStatus } | undefined> {
  let query: string;
  if (ownLabel) query = `certificate_label:${ownLabel}`;
  else if (i.ownerKey) query = `description:*${ownerMarker(i.ownerKey)}`;
  else return undefined;
  listed.push(...(await findCertificates(c, query)));
  const candidates = listed.filter((cert) => adoptable(cert, i, ownLabel));
  candidates.sort((a, b) => b.id - a.id);
  for (const cert of candidates) {
    const st = await getStatus(c, String(cert.id));
    // Listed but its status not found: a transient answer, never a reason to order again.
    if (!st) {
      throw new CloudApiError({ cloud: "edgecast", action: "GET /v2.0/certificates/{id}/status", code: "Inconclusive", message: `request ${cert.id} is listed under this resource's mark but its status was not found; nothing new is ordered`, transient: true });
    }
    // A request whose certificate is still in service is never ended, whatever its latest order says.
    if (ENDED.has(normalizeStatus(st, cert).status) && !inService(st, cert)) continue;
    return { cert, st };
  }
  return undefined;
}

/** What the reply to a create implies: a new request is `Processing`, not yet at the CA (note §4 lifecycle). */
function liveOfNewRequest(cert: Certificate): LiveApplication {
  return {
    status: "under-review",
    rawStatus: "Processing",
    statusMessage: "request received, being submitted to the certificate authority",
    validationRecords: [],
    edgecast: { requestId: cert.id, cnameTarget: "", certificateStatus: "Processing", orderStatus: "", expirationDate: "" },
  };
}

/** The error of a create whose label is taken by a request the search does not show: nothing more is ordered. */
function unlisted(label: string, why: string): CloudApiError {
  return new CloudApiError({
    cloud: "edgecast",
    action: "POST /v2.0/certificates/cdnprovided",
    code: "Inconclusive",
    message: `${why}, label ${label} is taken by a request the search does not list yet, most likely that create. Nothing more is ordered: run pulumi up again; it looks for the request before ordering`,
    transient: true,
  });
}

/**
 * Sends the create; a reply that never came (timeout, reset, garbled) is followed by a search for the label just
 * sent before the create is sent again, so a paid request is never submitted twice. `ours`: the label is derived
 * from this resource (`labelFor`), so a request holding it that the search shows ended (or not this resource's)
 * leaves it to a fresh random label, and one the search does not show stops the run.
 */
async function createOnce(ctx: CloudContext, c: EdgecastClient, i: ApplicationInputs, first: { label: string; ours: boolean }): Promise<{ cert: Certificate; adopted: boolean }> {
  let { label, ours } = first;
  let body = createBody(i, label);
  let lostBefore = "";
  for (let attempt = 0; ; attempt += 1) {
    try {
      return { cert: await createCertificate(c, body), adopted: false };
    } catch (err) {
      const lost = isTransient(err);
      const taken = isHttp(err, 400) && /certificate_label/.test(err.message);
      if (!lost && !taken) throw err;
      const listed: Certificate[] = [];
      const own = await findOwn(c, i, label, listed);
      if (own) {
        ctx.log(`edgecast: adopting certificate request ${own.cert.id} (label ${own.cert.certificate_label}), created by an earlier attempt whose reply was lost`);
        return { cert: own.cert, adopted: true };
      }
      // Taken after this run's own create lost its reply: most likely by that create, which the search does not list yet.
      if (taken && lostBefore) throw unlisted(label, `the create got no usable reply (${lostBefore}), and sending it again was refused`);
      if (taken && ours) {
        // What the search for the label listed: the holders, none of them this resource's live request.
        const holders = listed;
        if (holders.length === 0) throw unlisted(label, "this resource's create was refused: its label is taken, and an earlier run's create may have lost its reply");
        // Held by an ended request (or, by a hash collision, another resource's): a fresh label orders this one.
        const fresh = deriveLabel(i.commonName);
        ctx.log(`edgecast: label ${label} is held by request ${holders.map((h) => h.id).join(", ")}, ended or not this resource's; creating with label ${fresh}`);
        ({ label, ours } = { label: fresh, ours: false });
        body = createBody(i, label);
        continue;
      }
      if (taken) {
        if (err instanceof CloudApiError) {
          err.message += i.edgecast?.certificateLabel
            ? " — labels are unique per account and stay reserved even after a request is deleted, and this one belongs to another request (another resource or stack, or one deleted earlier): change edgecast.certificateLabel or omit it to let certapply derive a fresh one"
            : "";
        }
        throw err;
      }
      if (attempt >= ctx.transport.maxRetries) throw err;
      lostBefore = (err as Error).message;
      ctx.log(`edgecast: the create got no usable reply (${lostBefore}) and no request with label ${label} exists; sending it again`);
      // A create that lands late meets the label taken by the resend, so a jittered wait suffices.
      await sleep(backoffDelayMs(ctx.transport, attempt));
    }
  }
}

async function submit(ctx: CloudContext, i: ApplicationInputs): Promise<SubmitResult> {
  const c = client(ctx);
  const listed: Certificate[] = [];
  const existing = await findOwn(c, i, undefined, listed);
  let id: string;
  let adopted = false;
  let live: LiveApplication | undefined;
  if (existing) {
    id = String(existing.cert.id);
    adopted = true;
    // The status the search read is the status, unless it needs the certificate and DCV metadata too.
    if (!certificateNeeded(existing.st, undefined)) live = liveFromStatus(id, existing.st, undefined);
    ctx.log(`edgecast: adopting certificate request ${id} (label ${existing.cert.certificate_label}), submitted earlier for this resource with this content`);
  } else {
    let label = labelFor(i);
    // The label derived for this resource, held by its own ended request the search just listed: a fresh one.
    if (label.ours && listed.some((cert) => cert.certificate_label.toLowerCase() === label.label.toLowerCase())) label = { label: deriveLabel(i.commonName), ours: false };
    const created = await createOnce(ctx, c, i, label);
    id = String(created.cert.id);
    adopted = created.adopted;
    if (!adopted) {
      live = liveOfNewRequest(created.cert);
      ctx.log(`edgecast: created certificate request ${id} (label ${created.cert.certificate_label})`);
    }
  }
  const settings = notificationSettings(i.edgecast?.notifications);
  if (settings.length) {
    try {
      await patchNotifications(c, id, settings);
    } catch (err) {
      if (adopted) throw err;
      // Only a refusal of the settings themselves withdraws the new request: after a transient failure or a
      // not-found (which proves nothing) it is kept, and the next run adopts it by its owner mark and sets them.
      if (isTransient(err) || isHttp(err, 404)) {
        if (err instanceof CloudApiError) {
          err.message = `${err.message}; certificate request ${id} was created and is kept: run pulumi up again to adopt it and set its notifications`;
        }
        throw err;
      }
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
  return live ? { applicationId: id, adopted, live } : { applicationId: id, adopted };
}

const ISSUED_STATUSES = new Set(["Deployment", "Active"]);

/**
 * Whether the certificate object must be read besides `/status`. Not while `Processing` without an order (no
 * domain state, token or certificate exists yet); not when `known` saw the same request and order status, nothing
 * requires attention, and it already holds what that status can show (the issued certificate once issued, the
 * validation records while validating).
 */
function certificateNeeded(st: CertificateStatus, known: KnownLive | undefined): boolean {
  if (st.status === "Processing" && !st.order_validation) return false;
  if (!known || st.requires_attention || st.error_message) return true;
  const order = st.order_validation?.status ?? "";
  if (known.rawStatus !== st.status || (known.edgecast?.orderStatus ?? "") !== order) return true;
  if (ISSUED_STATUSES.has(st.status)) return !known.certificate;
  return known.validationRecords.length === 0;
}

/** The live view from `/status` alone, with what `known` holds (when `certificateNeeded` says that suffices). */
function liveFromStatus(id: string, st: CertificateStatus, known: KnownLive | undefined): LiveApplication {
  const base = { requestId: Number(id), certificateStatus: st.status, orderStatus: st.order_validation?.status ?? "" };
  const { status, statusMessage } = normalizeStatus(st, undefined);
  const fresh = st.status === "Processing" && !st.order_validation;
  return {
    status,
    rawStatus: st.status,
    statusMessage,
    validationRecords: fresh ? [] : (known?.validationRecords ?? []),
    // Fields not read now are left out, so the stored ones stand.
    edgecast: fresh ? { ...base, cnameTarget: "", expirationDate: "" } : base,
    // Issued, same status and order: the known certificate still stands (its notAfter decides a renewal).
    ...(ISSUED_STATUSES.has(st.status) && known?.certificate ? { certificate: known.certificate } : {}),
  };
}

/** The issued certificate as Edgecast reports it: its expiration date and thumbprint. */
function issuedCertificate(cert: Certificate): IssuedCertificate | undefined {
  if (!everIssued(cert)) return undefined;
  const out: IssuedCertificate = { notAfter: cert.expiration_date ?? undefined };
  if (cert.thumbprint) out.thumbprint = cert.thumbprint;
  return out;
}

/**
 * Reads a request: `/status`, and the certificate and DCV metadata only when the status says they are needed or
 * can have changed since `known` (the resource layer's `read(ctx, id)` passes nothing: everything needed is read).
 */
export async function readRequest(ctx: CloudContext, id: string, known?: KnownLive): Promise<LiveApplication | undefined> {
  return (await readWith(ctx, id, known))?.live;
}

/** `readRequest`, with the certificate object when it was read. */
async function readWith(ctx: CloudContext, id: string, known?: KnownLive): Promise<{ live: LiveApplication; cert?: Certificate } | undefined> {
  const c = client(ctx);
  const st = await getStatus(c, id);
  if (!st || st.status === "Deleted") return undefined;
  if (!certificateNeeded(st, known)) return { live: liveFromStatus(id, st, known) };
  const base = { requestId: Number(id), certificateStatus: st.status, orderStatus: st.order_validation?.status ?? "" };
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
  const live: LiveApplication = {
    status,
    rawStatus: st.status,
    statusMessage,
    validationRecords: records,
    edgecast: { ...base, cnameTarget: hex ?? "", expirationDate: everIssued(cert) ? (cert.expiration_date ?? "") : "" },
  };
  const issued = issuedCertificate(cert);
  if (issued) live.certificate = issued;
  return { live, cert };
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

/**
 * True when the request is back in validation and was never issued: what a retrigger leads to. A retrigger whose
 * reply was lost leaves the request here, and the stored `resubmitTrigger` still differs; nothing is left to do.
 */
function retriggered(live: LiveApplication): boolean {
  const validating = live.status === "under-review" || live.status === "awaiting-validation";
  return validating && !live.edgecast?.expirationDate && !orderImpliesIssued(live.edgecast?.orderStatus);
}

/**
 * Edgecast retriggers only a request whose domain validation timed out and that was never issued. A request that
 * is already validating again (an earlier retrigger went through, its reply lost) takes the new trigger without a call.
 */
function planResubmit(live: LiveApplication): ContentPlan {
  if (live.status === "timed-out") return { kind: "update", description: "PUT …/retrigger" };
  if (retriggered(live)) {
    return {
      kind: "update",
      description: `no API call: the request is already validating again (${live.rawStatus}), as a retrigger leaves it; the new resubmitTrigger is stored`,
      resubmits: false,
    };
  }
  return {
    kind: "refuse",
    reason:
      `Edgecast retriggers only a request whose domain validation timed out and that was never issued; this one is ${live.status} (${live.rawStatus}). ` +
      "Revert resubmitTrigger, or change it again once the request has timed out",
  };
}

/** What a successful retrigger implies until the next read: the request starts over at `Processing`. */
function liveAfterRetrigger(id: string, live: LiveApplication): LiveApplication {
  return {
    status: "under-review",
    rawStatus: "Processing",
    statusMessage: "request retriggered, being submitted to the certificate authority again",
    validationRecords: [],
    edgecast: { ...live.edgecast, requestId: Number(id), certificateStatus: "Processing", orderStatus: "" },
  };
}

/** True when the request holds every field of `patch`. */
function holdsUpdate(cert: Certificate, patch: CertificateUpdate): boolean {
  return (
    (patch.certificate_label === undefined || cert.certificate_label === patch.certificate_label) &&
    (patch.description === undefined || (cert.description ?? "") === patch.description) &&
    (patch.auto_renew === undefined || cert.auto_renew === patch.auto_renew) &&
    (patch.dcv_method === undefined || cert.dcv_method === patch.dcv_method) &&
    (!patch.domains || sameDomains(cert, patch.domains))
  );
}

/** Same values, absent and null alike; ids the API assigns are ignored. */
function sameFields(want: object, have: object): boolean {
  const w = want as Record<string, unknown>;
  const h = have as Record<string, unknown>;
  const keys = new Set([...Object.keys(w), ...Object.keys(h)].filter((k) => k !== "id" && k !== "additional_contacts"));
  return [...keys].every((k) => (w[k] ?? null) === (h[k] ?? null));
}

/** True when the request's organization is `want` (contacts in any order). */
function holdsOrganization(held: Certificate["organization"], want: OrganizationBody): boolean {
  if (!held || !sameFields(want, held)) return false;
  const have = held.additional_contacts ?? [];
  const wanted = want.additional_contacts ?? [];
  return have.length === wanted.length && wanted.every((x) => have.some((y) => sameFields(x, y)));
}

/**
 * Sends a write the transport does not repeat. A failure that may hide an applied write (no usable reply, or a
 * resend refused; with `refusalRead`, any 400) is followed by a wait and a read: a request that already holds the
 * change is done; otherwise a lost write is sent again while retries last. `holds` gets the error and may throw it
 * (the request moved where the write no longer applies). Returns true when the read found the write applied.
 */
async function writeChecked(
  ctx: CloudContext,
  what: string,
  write: () => Promise<unknown>,
  holds: (err: unknown) => Promise<boolean>,
  refusalRead = false,
): Promise<boolean> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await write();
      return false;
    } catch (err) {
      const lost = isTransient(err);
      if (!lost && !((refusalRead || attempt > 0) && isHttp(err, 400))) throw err;
      // A fixed wait, not jittered towards 0: a write can land just after the client gave up on it.
      await sleep(Math.min(ctx.transport.baseDelayMs * 2 ** attempt, ctx.transport.maxDelayMs ?? 30_000));
      if (await holds(err)) {
        ctx.log(`edgecast: ${what} went through although its reply was lost`);
        return true;
      }
      if (!lost || attempt >= ctx.transport.maxRetries) throw err;
      ctx.log(`edgecast: ${what} got no usable reply (${(err as Error).message}) and is not applied; sending it again`);
    }
  }
}

/** Applies a content change; returns the status the writes imply (unchanged, for settings only). */
async function applyContentChange(ctx: CloudContext, id: string, olds: ApplicationOutputs, news: ApplicationInputs, live: LiveApplication): Promise<LiveApplication | void> {
  const c = client(ctx);
  const cert = await getCertificate(c, id);
  if (!cert) throw new Error(`edgecast: certificate request ${id} no longer exists; run \`pulumi refresh\` and then \`pulumi up\` to create a new one`);
  const e = news.edgecast ?? {};
  const patch: CertificateUpdate = {};
  if (e.certificateLabel !== undefined && e.certificateLabel !== cert.certificate_label) patch.certificate_label = e.certificateLabel;
  const description = markedDescription(e.description, markerFor(news, cert.description));
  if (description !== (cert.description ?? "")) patch.description = description;
  const autoRenew = e.autoRenew ?? true;
  // Sent explicitly, false included (Edgecast's own SDK drops false by `omitempty`).
  if (cert.auto_renew !== autoRenew) patch.auto_renew = autoRenew;
  if (cert.dcv_method !== dcvMethod(news)) patch.dcv_method = dcvMethod(news);
  const issued = live.status === "issued";
  if (!sameDomains(cert, domainsOf(news))) {
    if (!issued) throw new Error(`edgecast: the domains of request ${id} can only change once it is issued (now ${live.rawStatus})`);
    patch.domains = domainsOf(news);
  }
  if (Object.keys(patch).length) {
    await writeChecked(ctx, `the update of request ${id}`, () => patchCertificate(c, id, patch), async () => {
      const now = await getCertificate(c, id);
      return !!now && holdsUpdate(now, patch);
    });
    ctx.log(`edgecast: updated request ${id} (${Object.keys(patch).join(", ")})${patch.domains ? "; the certificate authority reissues the certificate" : ""}`);
  }
  const oldN = edgecastEcho(olds.edgecast, olds.hashSalt)?.notifications ?? [];
  const newN = edgecastEcho(news.edgecast, olds.hashSalt)?.notifications ?? [];
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
    if (holdsOrganization(cert.organization, newOrg)) {
      // An earlier run's PUT went through without its reply: sending it again would start a second reissue.
      ctx.log(`edgecast: request ${id} already holds the new organization; no change sent`);
      return;
    }
    if (!issued) throw new Error(`edgecast: the organization of request ${id} can only change once it is issued (now ${live.rawStatus})`);
    await writeChecked(ctx, `the organization change of request ${id}`, () => putOrganization(c, id, newOrg), async () => holdsOrganization((await getCertificate(c, id))?.organization, newOrg));
    ctx.log(`edgecast: changed the organization of request ${id}; the certificate authority revalidates and reissues`);
    return;
  }
  // Settings (label, description, auto-renew, notifications) do not move the request: its status stands. A new DCV
  // method changes the validation records, and new domains start a reissue: the wait reads those afresh.
  if (!patch.domains && !patch.dcv_method) return live;
}

async function resubmit(ctx: CloudContext, id: string, _inputs: ApplicationInputs, live: LiveApplication): Promise<LiveApplication | void> {
  if (live.status !== "timed-out") {
    if (retriggered(live)) {
      ctx.log(`edgecast: certificate request ${id} is already validating again (${live.rawStatus}); no retrigger sent`);
      return live;
    }
    const fix =
      live.status === "failed"
        ? `; the certificate authority rejected it (${live.statusMessage}): replace it with \`pulumi up --replace <urn>\`, or set autoResubmit to "timeout"`
        : "";
    throw new Error(
      `edgecast: certificate request ${id} cannot be retriggered while it is ${live.status} (${live.rawStatus}); ` +
        `Edgecast retriggers only a request whose domain validation timed out and that was never issued${fix}`,
    );
  }
  const c = client(ctx);
  // The retrigger may have gone through without its reply, or another run's may have (then this one is refused).
  const read: { now?: LiveApplication } = {};
  const holds = async (err: unknown): Promise<boolean> => {
    read.now = await readRequest(ctx, id);
    if (!read.now) throw err;
    if (read.now.status === "timed-out") return false;
    if (!retriggered(read.now)) throw err;
    return true;
  };
  if (await writeChecked(ctx, `the retrigger of request ${id}`, () => retrigger(c, id), holds, true)) return read.now;
  ctx.log(`edgecast: retriggered certificate request ${id} (domain validation had timed out)`);
  return liveAfterRetrigger(id, live);
}

/** Order statuses of a renewal under way (SDK `order_validation.go`): the CA's own (`AwaitingRenewal`) or a requested one. */
const RENEWING = new Set(["PendingRenewal", "AwaitingRenewal"]);

/**
 * Renewal on Edgecast: with `auto_renew` on (Edgecast's default) the CA renews about 60 days before expiry, so
 * certapply follows it and reports its order status; with it off, `PUT …/renew`. A renewal under way is never
 * started again.
 */
function planRenewal(live: LiveApplication, _olds: ApplicationOutputs, news: ApplicationInputs): { kind: "renew"; description: string } | { kind: "wait"; reason: string } {
  const order = live.edgecast?.orderStatus ?? "";
  if (RENEWING.has(order)) return { kind: "wait", reason: `a renewal is under way (order ${order}); the current certificate stays in service until it is issued` };
  if (news.edgecast?.autoRenew !== false) {
    return { kind: "wait", reason: `edgecast.autoRenew is on: Edgecast renews about 60 days before expiry by itself; certapply follows it (order ${order || "none"})` };
  }
  return { kind: "renew", description: "PUT …/renew (a new paid order; the current certificate stays in service until the renewal is issued)" };
}

async function renew(ctx: CloudContext, id: string, live: LiveApplication): Promise<LiveApplication | void> {
  const c = client(ctx);
  // Read first: a renewal an earlier run started (its reply lost) shows as an order under way.
  const st = await getStatus(c, id);
  const order = st?.order_validation?.status ?? "";
  if (RENEWING.has(order)) {
    ctx.log(`edgecast: a renewal of request ${id} is already under way (order ${order}); nothing sent`);
    return;
  }
  const read: { now?: LiveApplication } = {};
  const holds = async (err: unknown): Promise<boolean> => {
    read.now = await readRequest(ctx, id);
    if (!read.now) throw err;
    return RENEWING.has(read.now.edgecast?.orderStatus ?? "");
  };
  if (await writeChecked(ctx, `the renewal of request ${id}`, () => renewCertificate(c, id), holds)) return read.now;
  ctx.log(`edgecast: renewal of request ${id} requested (PUT …/renew); the current certificate (until ${live.certificate?.notAfter ?? "?"}) stays in service`);
}

async function cancel(ctx: CloudContext, id: string, olds: ApplicationOutputs, live: LiveApplication | undefined): Promise<void> {
  const c = client(ctx);
  if (!live) return;
  const leaveOrDelete = async (now: LiveApplication) => {
    const target = now.edgecast?.cnameTarget || olds.edgecast?.cnameTarget;
    if (olds.edgecast?.deleteIssuedCertificate === true) {
      try {
        await deleteCertificate(c, id);
      } catch (err) {
        if (!isResourceNotFound(err) || (await stillThere(ctx, id, olds))) throw err;
        return;
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
  const isIssued = (l: LiveApplication) => l.status === "issued" || !!l.edgecast?.expirationDate || orderImpliesIssued(l.edgecast?.orderStatus);
  if (live.status === "cancelled") return;
  if (isIssued(live)) return leaveOrDelete(live);
  try {
    await cancelCertificate(c, id);
    ctx.log(`edgecast: cancelled certificate request ${id}`);
  } catch (err) {
    // One not-found is no proof: the request is read again after a pause, and a pending one fails the delete.
    if (isResourceNotFound(err)) {
      if (await stillThere(ctx, id, olds)) throw err;
      return;
    }
    if (!isHttp(err, 409)) throw err;
    // 409: the request moved on since it was read. Read again and act on what it is now.
    const now = await readRequest(ctx, id);
    if (!now || now.status === "cancelled") return;
    if (isIssued(now)) return leaveOrDelete(now);
    ctx.log(`edgecast: request ${id} cannot be cancelled (${now.rawStatus}); deleting it instead`);
    try {
      await deleteCertificate(c, id);
    } catch (delErr) {
      if (!isResourceNotFound(delErr) || (await stillThere(ctx, id, olds))) throw delErr;
    }
  }
}

/**
 * After a not-found from a write: true unless the request is confirmed gone or cancelled. Gone takes what a read's
 * not-found takes (`confirmAbsence`: a read after a pause, then the owner-mark lookup agreeing).
 */
async function stillThere(ctx: CloudContext, id: string, olds: ApplicationOutputs): Promise<boolean> {
  const absence = await confirmAbsence(edgecastBackend, ctx, id, olds);
  return absence.gone ? false : absence.live ? absence.live.status !== "cancelled" : true;
}

/**
 * The lookup by the owner mark that confirms a request is gone (`ApplicationBackend.locate`): a search for the
 * request's marker (its id without one). True when it lists the request and its status is not `Deleted`.
 */
async function locate(ctx: CloudContext, id: string, olds: ApplicationOutputs): Promise<boolean> {
  const c = client(ctx);
  const query = olds.ownerKey ? `description:*${ownerMarker(olds.ownerKey)}` : `id:${id}`;
  const listed = (await findCertificates(c, query)).some((cert) => String(cert.id) === id);
  if (!listed) return false;
  const st = await getStatus(c, id);
  if (!st) {
    throw new CloudApiError({ cloud: "edgecast", action: "GET /v2.0/certificates/{id}/status", code: "Inconclusive", message: `request ${id} is listed under its owner mark but its status was not found`, transient: true });
  }
  return st.status !== "Deleted";
}

const nonEmpty = (v: string | null | undefined): string | undefined => (v === null || v === undefined || v.trim() === "" ? undefined : v);

/** The contact fields a request reports for a person, absent ones left out. */
function contactOf(first?: string | null, last?: string | null, email?: string | null, phone?: string | null, title?: string | null): Contact | undefined {
  const c = stripUndefined({ firstName: nonEmpty(first), lastName: nonEmpty(last), email: nonEmpty(email), phone: nonEmpty(phone), title: nonEmpty(title) });
  return Object.keys(c).length ? c : undefined;
}

/**
 * The inputs a request was submitted with, as far as Edgecast reports them; values equal to certapply's defaults
 * (DnsTxtToken, DV, DigiCert, auto-renew on, a label certapply derives) are left out, as a declaration leaves them out.
 */
function inputsOfRequest(cert: Certificate, notifications: NotificationSetting[]): ApplicationInputs {
  const domains = cert.domains ?? [];
  const cn = (domains.find((d) => d.is_common_name === true) ?? domains[0])?.name.toLowerCase() ?? "";
  const inputs: ApplicationInputs = {
    cloud: "edgecast",
    commonName: cn,
    dnsNames: domains.map((d) => d.name.toLowerCase()).filter((n) => n !== cn),
  };
  if (cert.dcv_method && cert.dcv_method !== DEFAULT_VALIDATION_METHOD) inputs.validationMethod = cert.dcv_method;
  const e: EdgecastOptions = {};
  if (!isDerivedLabel(cert.certificate_label, cn)) e.certificateLabel = cert.certificate_label;
  const text = splitDescription(cert.description).text;
  if (text) e.description = text;
  if (cert.auto_renew === false) e.autoRenew = false;
  if (cert.certificate_authority && cert.certificate_authority !== DEFAULT_CERTIFICATE_AUTHORITY) e.certificateAuthority = cert.certificate_authority;
  if (cert.validation_type && cert.validation_type !== DEFAULT_VALIDATION_TYPE) e.validationType = cert.validation_type;
  // A new request has every type disabled: only the enabled ones are part of a declaration.
  const enabled = notifications.filter((n) => n.enabled);
  if (enabled.length) e.notifications = enabled.map((n) => ({ notificationType: n.notification_type, enabled: true, emails: n.emails }));
  if (Object.keys(e).length) inputs.edgecast = e;
  const o = cert.organization;
  if (o && cert.validation_type !== "DV") {
    const org = stripUndefined({
      name: nonEmpty(o.company_name),
      address: nonEmpty(o.company_address),
      city: nonEmpty(o.city),
      region: nonEmpty(o.state),
      postalCode: nonEmpty(o.zip_code),
      country: nonEmpty(o.country),
      division: nonEmpty(o.organizational_unit),
    });
    if (Object.keys(org).length) inputs.organization = org;
    const admin = contactOf(o.contact_first_name, o.contact_last_name, o.contact_email, o.contact_phone, o.contact_title);
    if (admin) inputs.admin = admin;
    const t = (o.additional_contacts ?? []).find((x) => x.contact_type === "TechnicalContact");
    const tech = t && contactOf(t.first_name, t.last_name, t.email, t.phone, t.title);
    if (tech) inputs.tech = tech;
  }
  return inputs;
}

/** `pulumi import` / `.get()`: the request, its notification settings and its live status. */
async function importApplication(ctx: CloudContext, id: string): Promise<ImportedApplication | undefined> {
  if (!/^[0-9]+$/.test(id)) {
    throw new Error(`edgecast: "${id}" is not a certificate request id; Edgecast request ids are integers (the id in the Edgecast portal or GET /v2.0/certificates)`);
  }
  const read = await readWith(ctx, id);
  if (!read) return undefined;
  const c = client(ctx);
  const cert = read.cert ?? (await getCertificate(c, id));
  if (!cert) return undefined;
  return { inputs: inputsOfRequest(cert, await getNotifications(c, id)), live: read.live };
}

export const edgecastBackend: ApplicationBackend = {
  cloud: "edgecast",
  replaceFields: REPLACE_FIELDS,
  validate,
  decidesIssuedChanges: true,
  planContentChange,
  planResubmit,
  submit,
  read: readRequest,
  applyContentChange,
  resubmit,
  planRenewal,
  renew,
  cancel,
  importApplication,
  locate,
};
