import type { ApplicationStatus } from "../../resources/types";

/**
 * Tencent SSL certificate `Status` codes 0–15 (reference note §2.1) and their normalised status.
 * The raw code is always kept by the caller as `rawStatus`; nothing here throws.
 */
export const TENCENT_STATUS: Readonly<Record<number, { name: string; status: ApplicationStatus }>> = {
  0: { name: "reviewing", status: "under-review" },
  1: { name: "issued", status: "issued" },
  2: { name: "review failed", status: "failed" },
  3: { name: "expired", status: "expired" },
  // inferred: 4 (DNS record added automatically) is still the CA's domain validation; nothing for the user to publish.
  4: { name: "DNS record added automatically", status: "under-review" },
  5: { name: "pending information submission", status: "pending-submission" },
  6: { name: "order cancelling", status: "cancelling" },
  7: { name: "cancelled", status: "cancelled" },
  8: { name: "information submitted, confirmation letter pending", status: "awaiting-confirm-letter" },
  // inferred: revocation in progress (9) and revocation letter pending (12) are reported as revoked.
  9: { name: "revoking", status: "revoked" },
  10: { name: "revoked", status: "revoked" },
  // inferred: a reissue is a new review.
  11: { name: "reissuing", status: "under-review" },
  12: { name: "revocation confirmation letter pending", status: "revoked" },
  13: { name: "free certificate pending information submission", status: "pending-submission" },
  // inferred: a refunded order can no longer be used, like a cancelled one.
  14: { name: "refunded", status: "cancelled" },
  15: { name: "migrating", status: "unknown" },
};

/** Statuses in which the CA is reviewing (CancelAuditCertificate applies), per Terraform's practice. */
export const UNDER_REVIEW_CODES: readonly number[] = [0, 4, 8];

/**
 * True when a StatusMsg says domain validation timed out. The official text is Chinese ("域名验证超时，订单自动关闭，
 * 请您重新进行证书申请", SDK DescribeCertificateDetailResponse.StatusMsg); reads ask for zh-CN so it comes in that
 * wording. English wordings are unknown, so the common ones are recognised too (inferred).
 */
export function isDcvTimeoutMessage(msg: string | null | undefined): boolean {
  if (!msg) return false;
  return /超时|DCV[-_ ]?TIME[-_ ]?OUT|time[sd]?[-_ ]?out|validation (has )?expired/i.test(msg);
}

/** Normalises a raw Status (number, numeric string, null) and StatusMsg. Unknown codes → `unknown`. */
export function normaliseStatus(raw: unknown, statusMsg?: string | null): { status: ApplicationStatus; rawStatus: string; statusMessage: string } {
  const code = typeof raw === "number" ? raw : typeof raw === "string" && /^\d+$/.test(raw.trim()) ? Number(raw) : undefined;
  const rawStatus = raw === undefined || raw === null ? "" : String(raw);
  const msg = typeof statusMsg === "string" ? statusMsg : "";
  const entry = code === undefined ? undefined : TENCENT_STATUS[code];
  if (!entry) {
    return { status: "unknown", rawStatus, statusMessage: msg || `unrecognised Tencent certificate status ${JSON.stringify(raw)}` };
  }
  let status = entry.status;
  if (code === 0 && msg.toUpperCase() === "PENDING-DCV") status = "awaiting-validation";
  if ((code === 2 || code === 7) && isDcvTimeoutMessage(msg)) status = "timed-out";
  return { status, rawStatus, statusMessage: msg || entry.name };
}
