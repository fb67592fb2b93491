import type { ApplicationBackend, CloudContext, KnownLive, LiveApplication } from "./backend";
import { CONTENT_FIELDS, IDENTITY_FIELDS, POLICY_FIELDS, canonical, changedPaths, isUnknown } from "./normalize";
import type { ApplicationInputs, ApplicationOutputs, ApplicationStatus } from "./types";
import { reached, sleep } from "./wait";

/** What `pulumi up` will do to an existing application, and why (the preview prints the reason). */
export type Plan =
  | { kind: "none"; reason?: string }
  | { kind: "replace"; fields: string[]; reason: string }
  | { kind: "content"; changed: string[]; resubmits: boolean; reason: string }
  | { kind: "resubmit"; automatic: boolean; reason: string }
  | { kind: "renew"; reason: string }
  | { kind: "policy"; changed: string[]; reason: string }
  /** No API write: the stored status is stale, or a wait ran out before `waitFor`; the update stores the live status and waits on. */
  | { kind: "status"; reason: string };

const HOUR_MS = 3_600_000;
/** Backoff between automatic resubmits: 1 h doubling to 32 h. */
export function backoffMs(attempts: number): number {
  if (attempts <= 0) return 0;
  return Math.min(2 ** (attempts - 1), 32) * HOUR_MS;
}

/** The live status read of a diff or update; a failed read falls back to the stored status. */
export interface LiveRead {
  live: LiveApplication | undefined;
  /** Set when the read failed and the stored status stands in for it. */
  fallback?: string;
}

/** What the stored outputs know of the live application (the private key back inside the certificate). */
export function knownOf(olds: ApplicationOutputs): KnownLive {
  const certificate = olds.certificate && olds.privateKey ? { ...olds.certificate, privateKeyPem: olds.privateKey } : olds.certificate;
  return { rawStatus: olds.rawStatus ?? "", validationRecords: olds.validationRecords ?? [], edgecast: olds.edgecast, certificate };
}

/** What a read that answered "not found" turned out to be, after `confirmAbsence`. */
export type Absence =
  /** A second read after a pause, and the backend's lookup by the owner mark, agree: the application is gone. */
  | { gone: true }
  /** The second read found it: `live` is that read. */
  | { gone: false; live: LiveApplication }
  /** The evidence disagrees or a read failed: nothing may be decided; `why` says what happened. */
  | { gone: false; live?: undefined; why: string };

/**
 * Confirms a read's "not found" before anything acts on it: clouds answer not-found transiently (eventual
 * consistency, gateway routing). Reads again after a pause (`pollIntervalMs`), then asks the backend's lookup by
 * the owner mark (`locate`), if it has one.
 */
export async function confirmAbsence(backend: ApplicationBackend, ctx: CloudContext, id: string, olds: ApplicationOutputs): Promise<Absence> {
  await sleep(ctx.pollIntervalMs);
  let live: LiveApplication | undefined;
  try {
    live = await backend.read(ctx, id, knownOf(olds));
  } catch (err) {
    return { gone: false, why: `it answered not found, then the second read failed (${(err as Error).message})` };
  }
  if (live) {
    ctx.log(`the first answer was not found, the second one found the application (${live.status}): a transient answer, ignored`);
    return { gone: false, live };
  }
  if (!backend.locate) return { gone: true };
  try {
    if (await backend.locate(ctx, id, olds)) return { gone: false, why: "two reads answered not found, but the confirming lookup (owner mark, or another action) still finds it" };
  } catch (err) {
    return { gone: false, why: `two reads answered not found, and the confirming lookup failed (${(err as Error).message})` };
  }
  return { gone: true };
}

/** The stored status standing in for a live read. */
function storedLive(olds: ApplicationOutputs): LiveApplication {
  return {
    status: olds.status ?? "unknown",
    rawStatus: olds.rawStatus ?? "",
    statusMessage: olds.statusMessage ?? "",
    validationRecords: olds.validationRecords ?? [],
  };
}

/** One live read; a "not found" is confirmed (`confirmAbsence`) before it counts, and one that cannot be stands in as a failed read. */
export async function readLive(backend: ApplicationBackend, ctx: CloudContext, id: string, olds: ApplicationOutputs): Promise<LiveRead> {
  try {
    const live = await backend.read(ctx, id, knownOf(olds));
    if (live) return { live };
    const absence = await confirmAbsence(backend, ctx, id, olds);
    if (absence.gone) return { live: undefined };
    if (absence.live) return { live: absence.live };
    return { live: storedLive(olds), fallback: `not confirmed gone: ${absence.why}` };
  } catch (err) {
    return { live: storedLive(olds), fallback: (err as Error).message };
  }
}

function resubmitAllowed(policy: ApplicationInputs["autoResubmit"], status: ApplicationStatus): boolean {
  if (status === "timed-out") return policy === "timeout" || policy === "failure";
  if (status === "failed") return policy === "failure";
  return false;
}

/** Where a field's new value is unknown (preview), nothing can be decided about it yet. */
function changed(olds: ApplicationOutputs, news: ApplicationInputs, fields: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of fields) {
    const a = (olds as unknown as Record<string, unknown>)[f];
    const b = (news as unknown as Record<string, unknown>)[f];
    if (canonical(a ?? null) !== canonical(b ?? null)) out.push(f);
  }
  return out;
}

/**
 * Decides what to do, from the stored outputs, the new inputs and one live status read.
 * Throws, with the reason, for a change the cloud cannot take (the preview fails with that message).
 */
export function decide(
  backend: ApplicationBackend,
  olds: ApplicationOutputs,
  news: ApplicationInputs,
  read: LiveRead,
  now: number,
): Plan {
  const identity = changed(olds, news, IDENTITY_FIELDS);
  const contentChanges = changedPaths(olds, news, CONTENT_FIELDS);
  const replaceBy = contentChanges.filter((p) => backend.replaceFields.some((f) => p === f || p.startsWith(`${f}.`)));
  if (identity.length || replaceBy.length) {
    const fields = [...identity, ...replaceBy];
    const bought = identity.includes("purchase") && news.purchase
      ? `; a new certificate is bought (a paid order), and the one bought before ${olds.status === "issued" ? "is issued, so it is left in service, not cancelled" : "has its order cancelled if it was never issued (onDelete: cancel)"}`
      : "";
    return {
      kind: "replace",
      fields,
      reason: `${fields.join(", ")} changed: the application is withdrawn first, then a new one is submitted (delete-before-replace, never two paid orders at once)${bought}`,
    };
  }
  const live = read.live;
  const note = read.fallback ? ` (live status read failed: ${read.fallback}; using the stored status ${olds.status})` : "";
  if (!live) {
    return {
      kind: "replace",
      fields: ["applicationId"],
      reason: `application ${olds.applicationId} no longer exists at ${backend.cloud} (two reads and the confirming lookup agree); a new one will be submitted`,
    };
  }
  if (contentChanges.length) {
    if (live.status === "issued" && !backend.decidesIssuedChanges) {
      throw new Error(
        `${backend.cloud} application ${olds.applicationId} for ${olds.commonName} is issued, so ${contentChanges.join(", ")} cannot change. ` +
          `Revert the change, or apply for a new certificate` +
          (backend.cloud === "edgecast" ? " (a new certificateLabel and resource)." : " by changing certificateId to another purchased certificate."),
      );
    }
    const plan = backend.planContentChange(contentChanges, live, olds, news);
    if (plan.kind === "refuse") throw new Error(`${backend.cloud} application ${olds.applicationId}: ${plan.reason}${note}`);
    return {
      kind: "content",
      changed: contentChanges,
      resubmits: plan.resubmits !== false,
      reason: `${contentChanges.join(", ")} changed while ${live.status}: ${plan.description}${note}`,
    };
  }
  if (!isUnknown(news.resubmitTrigger) && (olds.resubmitTrigger ?? "") !== (news.resubmitTrigger ?? "")) {
    const allowed = backend.planResubmit?.(live);
    if (allowed?.kind === "refuse") {
      throw new Error(`${backend.cloud} application ${olds.applicationId}: resubmitTrigger changed, but ${allowed.reason}${note}`);
    }
    if (allowed?.resubmits === false) return { kind: "policy", changed: ["resubmitTrigger"], reason: `resubmitTrigger changed: ${allowed.description}${note}` };
    return { kind: "resubmit", automatic: false, reason: `resubmitTrigger changed: ${resubmitVerb(backend)} now${note}` };
  }
  if (live.status === "pending-submission" && !read.fallback) {
    return {
      kind: "resubmit",
      automatic: false,
      reason: `the application is pending submission at ${backend.cloud} (a previous run stopped before submitting it, or it was withdrawn outside Pulumi): ${resubmitVerb(backend)} now`,
    };
  }
  const policy = changed(olds, news, POLICY_FIELDS);
  const policyNow = news.autoResubmit ?? "timeout";
  // No API write, but the state must not stay stale: a status that moved since it was stored, or a wait that ran out.
  const unchanged = (why?: string): Plan => {
    const pending = read.fallback ? undefined : pendingWait(olds, news, live);
    if (pending) return { kind: "status", reason: why ? `${pending}; ${why}` : pending };
    return { kind: "none", reason: why };
  };
  const renewal = renewalPlan(backend, olds, news, live, now, note);
  if (renewal?.kind === "none") {
    // A renewal that waits (or a warning) still lets changed policy fields and a moved status reach the state.
    if (policy.length) return { kind: "policy", changed: policy, reason: `${policy.join(", ")} changed: stored only, no API call; ${renewal.reason ?? ""}` };
    return unchanged(renewal.reason);
  }
  if (renewal) return renewal;
  const refusal = resubmitAllowed(policyNow, live.status) ? backend.planResubmit?.(live) : undefined;
  if (refusal?.kind === "refuse") {
    const why = `the CA outcome is ${live.status} and autoResubmit is ${policyNow}, but ${refusal.reason}`;
    if (policy.length) return { kind: "policy", changed: policy, reason: `${policy.join(", ")} changed (no API call); ${why}${note}` };
    return unchanged(`${why}${note}`);
  }
  if (resubmitAllowed(policyNow, live.status)) {
    const attempts = olds.autoResubmitAttempts ?? 0;
    const last = olds.lastResubmitAt ? Date.parse(olds.lastResubmitAt) : 0;
    const dueAt = last + backoffMs(attempts);
    const why = `the CA outcome is ${live.status}${live.statusMessage ? ` (${live.statusMessage})` : ""}`;
    if (attempts === 0 || now >= dueAt) {
      return { kind: "resubmit", automatic: true, reason: `${why} and autoResubmit is ${policyNow}: ${resubmitVerb(backend)} (automatic attempt ${attempts + 1})${note}` };
    }
    const waitNote = `${why}; the next automatic ${resubmitVerb(backend)} is due after ${new Date(dueAt).toISOString()} (backoff after ${attempts} attempt(s)); change resubmitTrigger to do it now`;
    if (policy.length) return { kind: "policy", changed: policy, reason: `${policy.join(", ")} changed (no API call); ${waitNote}` };
    return unchanged(waitNote);
  }
  // A CA outcome autoResubmit does not answer is said at every preview, so it is never silent.
  const outcome =
    live.status === "failed" || live.status === "timed-out"
      ? `the CA outcome is ${live.status}${live.statusMessage ? ` (${live.statusMessage})` : ""} and autoResubmit is ${policyNow}, so there is no automatic ${resubmitVerb(backend)}: fix the cause, then change resubmitTrigger${live.status === "failed" && policyNow !== "failure" ? ' (or set autoResubmit to "failure")' : ""}`
      : undefined;
  if (policy.length) return { kind: "policy", changed: policy, reason: `${policy.join(", ")} changed: stored only, no API call${outcome ? `; ${outcome}` : ""}${note}` };
  if (outcome) return unchanged(`${outcome}${note}`);
  return unchanged(note ? note.trim() : undefined);
}

/**
 * Why a no-change run still updates (no API write): the live status differs from the stored one, or the stored
 * status has not reached `waitFor` (a wait that ran out; the update waits on). Undefined when neither holds.
 */
function pendingWait(olds: ApplicationOutputs, news: ApplicationInputs, live: LiveApplication): string | undefined {
  const waitFor = isUnknown(news.waitFor) ? "submitted" : (news.waitFor ?? "submitted");
  const moved = olds.status !== live.status || (olds.rawStatus ?? "") !== live.rawStatus;
  const records = recordsKey(olds.validationRecords) !== recordsKey(live.validationRecords);
  const waiting = !reached(waitFor, live);
  const reissued = newCertificate(olds, live);
  if (!moved && !records && !waiting && !reissued) return undefined;
  const parts: string[] = [];
  if (moved) parts.push(`the status moved to ${live.status}${live.rawStatus ? ` (${live.rawStatus})` : ""} since it was stored (${olds.status ?? "unknown"})`);
  if (records) parts.push(`the validation records changed since they were stored (${(live.validationRecords ?? []).length} now)`);
  if (reissued) parts.push(`a new certificate was issued (valid until ${live.certificate?.notAfter ?? "?"}; e.g. a renewal in place): the outputs take it`);
  if (waiting) parts.push(`waitFor is ${waitFor} and the application is ${live.status}: the wait continues`);
  return `${parts.join("; ")} (no API write)`;
}

/** True when the live certificate is not the stored one (a renewal or reissue in place, e.g. Edgecast's `Renewed`). */
function newCertificate(olds: ApplicationOutputs, live: LiveApplication): boolean {
  const now = live.certificate;
  if (!now?.notAfter) return false;
  const was = olds.certificate;
  if (!was) return false;
  return now.notAfter !== was.notAfter || (!!now.sha256Fingerprint && !!was.sha256Fingerprint && now.sha256Fingerprint !== was.sha256Fingerprint);
}

/** Validation records in a canonical order (a cloud may list them in any order). */
function recordsKey(records: LiveApplication["validationRecords"] | undefined): string {
  return (records ?? []).map((r) => canonical(r)).sort().join("|");
}

const DAY_MS = 86_400_000;

/**
 * Renewal (`renewBeforeDays`): once the issued certificate is that close to its notAfter, a renewal is planned
 * with the dates, or the preview says why not (one is under way, the cloud renews by itself, or this cloud cannot
 * renew here). Outside the window, or without `renewBeforeDays`, nothing.
 */
export function renewalPlan(backend: ApplicationBackend, olds: ApplicationOutputs, news: ApplicationInputs, live: LiveApplication, now: number, note = ""): Plan | undefined {
  const days = news.renewBeforeDays;
  if (typeof days !== "number" || live.status !== "issued") return undefined;
  const notAfter = live.certificate?.notAfter;
  const end = notAfter ? Date.parse(notAfter) : NaN;
  if (!Number.isFinite(end) || end - now > days * DAY_MS) return undefined;
  const left = Math.floor((end - now) / DAY_MS);
  const when = `expires ${new Date(end).toISOString().slice(0, 10)}, ${left >= 0 ? `in ${left} days` : `${-left} days ago`}; renewing ${days} days ahead`;
  if (!backend.planRenewal || !backend.renew) {
    return {
      kind: "none",
      reason: `warning: ${when}, but certapply cannot renew on ${backend.cloud} in this version: renew it in the ${backend.cloud} console (or buy a new certificate and change certificateId)${note}`,
    };
  }
  const plan = backend.planRenewal(live, olds, news);
  if (plan.kind === "wait") {
    // A wait the backend marks as a warning stays one (the reason starts with it).
    const warn = /^warning:\s*/.exec(plan.reason);
    return { kind: "none", reason: warn ? `warning: ${when}: ${plan.reason.slice(warn[0].length)}${note}` : `${when}: ${plan.reason}${note}` };
  }
  return { kind: "renew", reason: `${when}: ${plan.description}${note}` };
}

export function resubmitVerb(backend: ApplicationBackend): string {
  return backend.cloud === "edgecast" ? "retrigger" : backend.cloud === "huawei" ? "apply again" : "resubmit";
}
