/**
 * Data model and pure helpers of the emulated Edgecast CPS API (request state, wire shapes, validation).
 * Every rule names its evidence (`// documented:` with the note or seed) or is marked `// inferred:`; RULES.md lists them.
 */

export const REQUEST_STATUSES = ["Processing", "DomainControlValidation", "OtherValidation", "Deployment", "Active", "Deleted"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Order statuses (SDK `models/order_validation.go`). */
export const ORDER_STATUSES = [
  "Pending",
  "Issued",
  "Deleted",
  "Rejected",
  "Revoked",
  "Canceled",
  "AwaitingRenewal",
  "PendingRenewal",
  "Renewed",
  "PendingReissue",
  "AwaitingReissue",
  "PendingOrgUpdate",
  "OrgUpdated",
  "RenewalRejected",
  "ReissueRejected",
  "Expired",
  "AwaitingOrgUpdate",
] as const;

/** Delivery regions of a deployment (ec-sdk-go v1.2.0 `models/request_deployment.go` enum). */
export const DELIVERY_REGIONS = [
  "GlobalPremiumPlusAsia",
  "NorthAmericaAndEurope",
  "GlobalStandard",
  "Internal",
  "GlobalPremiumAsiaPlusChina",
  "GlobalPremiumAsiaPlusIndia",
  "GlobalPremiumAsiaPlusChinaAndIndia",
  "GlobalPremiumAsiaPlusLatam",
  "GlobalPremiumAsiaPremiumChinaPlusLatam",
] as const;

export const VALIDATION_TYPES = ["DV", "OV", "EV"] as const;
export const DCV_METHODS = ["Email", "DnsCnameToken", "DnsTxtToken"] as const;
// documented (note §2.4, SDK enum): DigiCert and LetsEncrypt; the docs name only DigiCert.
export const CERTIFICATE_AUTHORITIES = ["DigiCert", "LetsEncrypt"] as const;
export const NOTIFICATION_TYPES = ["CertificateRenewal", "CertificateExpiring", "PendingValidations"] as const;
export const CONTACT_TYPES = ["EvApprover", "OrganizationContact", "TechnicalContact", "Unknown"] as const;

// inferred: only step 3 (domain control validation) is documented; the other step numbers are ours.
export const STEP: Record<RequestStatus, number> = {
  Processing: 2,
  DomainControlValidation: 3,
  OtherValidation: 4,
  Deployment: 5,
  Active: 6,
  Deleted: 7,
};

/** `expiration_date` until the certificate is issued (documented). */
export const ZERO_DATE = "0001-01-01T00:00:00Z";

export interface DomainState {
  id: number;
  name: string;
  isCommonName: boolean;
  /** Domain status (SDK enum): ProvisioningInitiated, AwaitingCertificateAuthority, Active, TimedOut, ... */
  status: string;
  created: number;
  activeDate?: number;
}

export interface ContactWire {
  id?: number;
  first_name?: string;
  last_name?: string;
  email?: string;
  phone?: string;
  title?: string;
  contact_type?: string;
}

export interface OrganizationWire {
  id?: number;
  company_name?: string;
  company_address?: string;
  company_address2?: string;
  city?: string;
  state?: string;
  zip_code?: string;
  country?: string;
  organizational_unit?: string;
  contact_first_name?: string;
  contact_last_name?: string;
  contact_email?: string;
  contact_phone?: string;
  contact_title?: string;
  additional_contacts?: ContactWire[];
}

export interface NotificationWire {
  notification_type: string;
  enabled: boolean;
  emails: string[];
}

export interface RequestState {
  id: number;
  label: string;
  description: string;
  autoRenew: boolean;
  /** `auto_renew` as the create sent it (null: left out), for control `state`: what the client said, not what it means. */
  autoRenewSent?: boolean | null;
  certificateAuthority: string;
  validationType: string;
  dcvMethod: string;
  domains: DomainState[];
  organization?: OrganizationWire;
  created: number;
  lastModified: number;
  /** ms; undefined until issued. */
  expiration?: number;
  thumbprint?: string;
  /** PEM of the issued certificate (control `state` only: the API reports its expiration and thumbprint). */
  certificatePem?: string;
  status: RequestStatus;
  /** Order status; undefined while `Processing` (not yet at the CA). */
  orderStatus?: string;
  /** True once a certificate was ever issued for this request. */
  everIssued: boolean;
  requiresAttention: boolean;
  errorMessage?: string;
  notifications: NotificationWire[];
  /** DCV token per domain group (DV: one group `*`). Generated when DCV starts. */
  tokens: Map<string, string>;
  hexUrl?: string;
  /** Delivery region of the deployment (SDK enum), set at the first issuance. */
  deliveryRegion?: string;
  /** V7 (seeded): reads left that show the domains of a deleted request `PendingDelete` before `Delete`. */
  pendingDeleteReads?: number;
  /** Retriggers accepted so far (control `state`). */
  retriggerCount: number;
  /** Validation rejections reported only in `/status` (control `reject` with `in: "status"`). */
  orgValidationRejected?: boolean;
  /** Domain names whose `/status` domain validation is `Rejected` while the domain itself keeps its status. */
  validationRejected?: Set<string>;
  /** Renewals started so far, by `PUT …/renew` or the CA's auto-renewal (control `state`). */
  renewCount?: number;
  /** Searches (`GET /v2.0/certificates` with `query`) that still miss this request (a lagging search index). */
  searchLagReads?: number;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Error body shared by every CPS error reply (HyperionErrorReponse). */
export function errorBody(status: number, code: string, details: { source?: string; description: string }[]): object {
  return {
    "@type": "Error",
    code,
    status_code: status,
    details: details.map((d) => ({ "@type": "ErrorDetail", source: d.source ?? "", description: d.description, meta: {} })),
  };
}

/** Registrable-looking parent of a domain: the last two labels. */
// inferred: OV/EV DCV tokens are grouped per parent domain (TF comments); "parent" = last two labels here.
export function parentDomain(name: string): string {
  const labels = name.replace(/^\*\./, "").split(".");
  return labels.slice(-2).join(".");
}

/** Candidate DCV mailboxes of a domain. */
// inferred: DigiCert's usual constructed addresses; the docs only say `emails[]` lists them.
export function dcvEmails(name: string): string[] {
  const base = parentDomain(name);
  return ["admin", "administrator", "hostmaster", "postmaster", "webmaster"].map((m) => `${m}@${base}`);
}

/** Documented label charset: alphanumerics, `_` and `-`. */
export const LABEL_RE = /^[A-Za-z0-9_-]+$/;
// inferred: no maximum label length is documented; 100 characters is ours.
export const LABEL_MAX = 100;

// inferred: no domain-name rule is documented; a lower-case host name, optionally a `*.` wildcard.
export const DOMAIN_RE = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

export type Problem = { source: string; description: string };

/** Checks an organization object for a create or `PUT …/organization`. */
export function checkOrganization(org: unknown, validationType: string, source: string): Problem[] {
  const problems: Problem[] = [];
  if (!isRecord(org)) return [{ source, description: "organization must be an object" }];
  const str = (k: string) => (typeof org[k] === "string" ? (org[k] as string).trim() : "");
  const matchedById = typeof org.id === "number" && org.id > 0;
  if (!matchedById) {
    // documented: an org is matched by id, else by exact company_name; a new org needs its details.
    for (const k of ["company_name", "company_address", "city", "country", "contact_first_name", "contact_last_name", "contact_email", "contact_phone"]) {
      // inferred: which fields a new organization requires is not documented; these are ours.
      if (!str(k)) problems.push({ source: `${source}.${k}`, description: `${k} is required for a new organization` });
    }
    const country = str("country");
    if (country && !/^[A-Z]{2}$/.test(country)) problems.push({ source: `${source}.country`, description: "country must be an ISO 3166 two-letter code" });
    if (country === "US") {
      // documented: state and zip_code are required for US organizations.
      if (!str("state")) problems.push({ source: `${source}.state`, description: "state is required for US organizations" });
      if (!str("zip_code")) problems.push({ source: `${source}.zip_code`, description: "zip_code is required for US organizations" });
    }
    if (str("contact_email") && !EMAIL_RE.test(str("contact_email"))) problems.push({ source: `${source}.contact_email`, description: "contact_email is not an e-mail address" });
  }
  const extra = org.additional_contacts;
  if (extra !== undefined && extra !== null && !Array.isArray(extra)) problems.push({ source: `${source}.additional_contacts`, description: "additional_contacts must be an array" });
  if (Array.isArray(extra)) {
    extra.forEach((c, i) => {
      if (!isRecord(c)) {
        problems.push({ source: `${source}.additional_contacts[${i}]`, description: "contact must be an object" });
        return;
      }
      if (c.contact_type !== undefined && !CONTACT_TYPES.includes(c.contact_type as (typeof CONTACT_TYPES)[number])) {
        problems.push({ source: `${source}.additional_contacts[${i}].contact_type`, description: `contact_type must be one of ${CONTACT_TYPES.join(", ")}` });
      }
    });
  }
  // documented: EV requires additional contacts.
  if (validationType === "EV" && (!Array.isArray(extra) || extra.length === 0)) {
    problems.push({ source: `${source}.additional_contacts`, description: "EV certificates require additional_contacts" });
  }
  return problems;
}
