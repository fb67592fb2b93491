/** The Edgecast status table: request status + order status + domain statuses → normalised status. */
import type { ApplicationStatus } from "../../resources/types";
import type { Certificate, CertificateStatus } from "./api";

/** True when the request has (or had) an issued certificate: a real expiration date. */
export function everIssued(cert: Certificate | undefined): boolean {
  const e = cert?.expiration_date;
  if (!e) return false;
  const t = Date.parse(e);
  return Number.isFinite(t) && t > Date.parse("1970-01-02T00:00:00Z");
}

/** Domains whose validation timed out. */
function timedOutDomains(cert: Certificate | undefined): string[] {
  return (cert?.domains ?? []).filter((d) => d.status === "TimedOut").map((d) => d.name);
}

/** Domain statuses (SDK `models/domain.go`) that end the request: the CA refused the domain. */
const REJECTED_DOMAIN = new Set(["Rejected", "SecretRejected"]);

/** Domains the CA rejected, with the status that says so. */
function rejectedDomains(cert: Certificate | undefined): string[] {
  return (cert?.domains ?? []).filter((d) => REJECTED_DOMAIN.has(d.status ?? "")).map((d) => `${d.name} (${d.status})`);
}

/** Order statuses (SDK `models/order_validation.go`) that end a request that never had a certificate. */
const ORDER_STATUS: Record<string, ApplicationStatus> = {
  Canceled: "cancelled",
  Rejected: "failed",
  RenewalRejected: "failed",
  ReissueRejected: "failed",
  Revoked: "revoked",
  Expired: "expired",
  Deleted: "cancelled",
};

/**
 * Order statuses of a later order (renewal, reissue, cancellation of one) after which the deployed certificate stays
 * in service (note: "the deployed certificate stays in service when a later order is rejected").
 */
const LATER_ORDER_ENDED = new Set(["RenewalRejected", "ReissueRejected", "Canceled", "Deleted"]);

/** Validation rejections `/status` reports: the organization's and each domain's (`Rejected` is in the SDK enums). */
function validationRejections(st: CertificateStatus): string[] {
  const out: string[] = [];
  const ov = st.order_validation;
  if (ov?.organization_validation?.status === "Rejected") out.push("the certificate authority rejected the organization validation");
  const names = (ov?.domain_validations ?? []).filter((d) => d.status === "Rejected").flatMap((d) => d.domain_names ?? []);
  if (names.length) out.push(`the certificate authority rejected the validation of ${names.join(", ")}`);
  return out;
}

/** True when the request's certificate is in service: issued, and not revoked, expired or deleted. */
export function inService(st: CertificateStatus, cert: Certificate | undefined): boolean {
  const order = st.order_validation?.status ?? undefined;
  if (st.status === "Deleted" || order === "Revoked" || order === "Expired") return false;
  return st.status === "Active" || st.status === "Deployment" || everIssued(cert) || orderImpliesIssued(order);
}

/** Order statuses that only occur once a certificate was issued (renewal, reissue, organization update). */
const AFTER_ISSUE_ORDER = new Set([
  "Issued",
  "AwaitingRenewal",
  "PendingRenewal",
  "Renewed",
  "PendingReissue",
  "AwaitingReissue",
  "PendingOrgUpdate",
  "OrgUpdated",
  "RenewalRejected",
  "ReissueRejected",
  "AwaitingOrgUpdate",
]);

/** True when the order status alone says a certificate was issued for this request at some point. */
export function orderImpliesIssued(order: string | undefined): boolean {
  return !!order && AFTER_ISSUE_ORDER.has(order);
}

/**
 * Normalises a request. A certificate in service stays `issued` when a later order (renewal, reissue) is rejected
 * or cancelled; order statuses that end the request win next, then a domain the CA rejected (`Rejected`,
 * `SecretRejected`) or a validation rejection in `/status` (organization or domain); then issued (`Deployment`/`Active`); then a domain `TimedOut` on a
 * never-issued request (the only state retrigger accepts); then the step.
 */
export function normalizeStatus(st: CertificateStatus, cert: Certificate | undefined): { status: ApplicationStatus; statusMessage: string } {
  const order = st.order_validation?.status ?? undefined;
  const timedOut = timedOutDomains(cert);
  const rejected = rejectedDomains(cert);
  const issued = everIssued(cert) || orderImpliesIssued(order);
  const parts: string[] = [];
  if (order) parts.push(`order ${order}`);
  if (rejected.length) parts.push(`the certificate authority rejected ${rejected.join(", ")}`);
  if (timedOut.length) parts.push(`validation timed out for ${timedOut.join(", ")}`);
  if (st.error_message) parts.push(st.error_message);
  else if (cert?.workflow_error_message) parts.push(cert.workflow_error_message);
  if (st.requires_attention) parts.push("requires attention");
  const message = (s: string) => [s, ...parts].join("; ");

  const validation = validationRejections(st);
  parts.push(...validation);
  if (order && LATER_ORDER_ENDED.has(order) && inService(st, cert)) {
    return { status: "issued", statusMessage: message(`certificate issued and in service; its later order ended (${order})`) };
  }
  if (order && ORDER_STATUS[order]) return { status: ORDER_STATUS[order], statusMessage: message(`request ${st.status}`) };
  if (rejected.length || (validation.length && !issued)) return { status: "failed", statusMessage: message(`request ${st.status}`) };
  switch (st.status) {
    case "Deployment":
      return { status: "issued", statusMessage: message("certificate issued, deploying to the CDN") };
    case "Active":
      return { status: "issued", statusMessage: message("certificate issued and active") };
    case "Deleted":
      return { status: "cancelled", statusMessage: message("request deleted") };
    default:
      break;
  }
  if (issued) {
    // A reissue (domains or organization changed) is under way; the current certificate stays valid.
    const what = st.status === "OtherValidation" ? "organization validation" : "domain validation";
    return { status: timedOut.length ? "failed" : "awaiting-validation", statusMessage: message(`reissue in progress (${what}); the current certificate stays valid`) };
  }
  if (timedOut.length) return { status: "timed-out", statusMessage: message("domain control validation timed out; the request can be retriggered") };
  switch (st.status) {
    case "Processing":
      return { status: "under-review", statusMessage: message("request received, being submitted to the certificate authority") };
    case "DomainControlValidation":
      return { status: "awaiting-validation", statusMessage: message("waiting for domain control validation") };
    case "OtherValidation":
      return { status: "under-review", statusMessage: message("the certificate authority is validating the organization") };
    default:
      return { status: "unknown", statusMessage: message(`unrecognised request status ${st.status}`) };
  }
}
