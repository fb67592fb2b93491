import type { ApplicationStatus } from "../../resources/types";

/**
 * SCM certificate status values (reference note §2.4). Status is an open string: any value not in this
 * table reads as `unknown` with the raw value kept.
 */
export const STATUS_TABLE: Readonly<Record<string, { status: ApplicationStatus; message: string }>> = {
  PAID: { status: "pending-submission", message: "paid, no application submitted" },
  CHECKING: { status: "under-review", message: "application under review" },
  // Not in the status table, but the official GET example returns it.
  CHECKING_DOMAIN: { status: "awaiting-validation", message: "waiting for domain validation" },
  CHECKING_ORG: { status: "under-review", message: "waiting for organisation validation" },
  ISSUING: { status: "under-review", message: "about to be issued" },
  ISSUED: { status: "issued", message: "issued" },
  CANCELCHECKING: { status: "cancelling", message: "withdrawal of the application under review" },
  UNPASSED: { status: "failed", message: "application rejected" },
  EXPIRED: { status: "expired", message: "expired" },
  REVOKING: { status: "issued", message: "revocation under review" },
  CANCLEREVOKING: { status: "issued", message: "cancellation of revocation under review" },
  REVOKED: { status: "revoked", message: "revoked" },
  UPLOAD: { status: "issued", message: "uploaded third-party certificate" },
  SUPPLEMENTCHECKING: { status: "under-review", message: "additional domains under review" },
  CANCELSUPPLEMENTING: { status: "under-review", message: "cancellation of additional domains under review" },
};

/** Statuses in which an application can be withdrawn (user guide "Withdrawing an SSL certificate application"). */
export const WITHDRAWABLE: ReadonlySet<string> = new Set(["CHECKING", "CHECKING_DOMAIN", "CHECKING_ORG", "SUPPLEMENTCHECKING"]);

/** Statuses in which `apply` is accepted: PAID (documented) and UNPASSED (inferred: a rejected application is applied again). */
export const APPLICABLE: ReadonlySet<string> = new Set(["PAID", "UNPASSED"]);

/** Statuses meaning an application for the certificate exists (submitted, in progress or done). */
export const APPLIED: ReadonlySet<string> = new Set([...WITHDRAWABLE, "ISSUING", "ISSUED", "CANCELSUPPLEMENTING"]);

/** Maps a raw SCM status to the normalised vocabulary; unknown values never throw. */
export function normaliseStatus(raw: string | undefined | null): { status: ApplicationStatus; rawStatus: string; message: string } {
  const rawStatus = typeof raw === "string" ? raw : "";
  const entry = STATUS_TABLE[rawStatus];
  if (entry) return { status: entry.status, rawStatus, message: entry.message };
  return {
    status: "unknown",
    rawStatus,
    message: rawStatus === "" ? "SCM reported no status" : `SCM reported a status certapply does not know: ${rawStatus}`,
  };
}
