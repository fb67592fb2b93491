import { backendFor, hasBackend } from "../clouds";
import { CloudApiError } from "../http/errors";
import type { ApplicationBackend, CheckFailure, CloudContext, LiveApplication } from "./backend";
import { makeContext, operationOf, type OperationOptions } from "./context";
import { DEFAULTS, certificateOutputs, containsUnknown, contentHash, echoInputs, isUnknown, newHashSalt, normalizeInputs, ownerKeyFor } from "./normalize";
import { preflight } from "./preflight";
import { confirmAbsence, decide, knownOf, readLive, type LiveRead, type Plan } from "./plan";
import { redactFailures, redactMessage, validateCommon } from "./schema";
import { planFromList } from "./status-batch";
import { CLOUDS, type ApplicationInputs, type ApplicationOutputs, type CloudName } from "./types";
import { WaitTimeoutError, waitForApplication } from "./wait";

/** The engine's view of one call's results (the `pulumi.dynamic` result shapes, without importing Pulumi). */
export interface CheckResult<T> {
  inputs?: T;
  failures?: CheckFailure[];
}
export interface DiffResult {
  changes?: boolean;
  replaces?: string[];
  deleteBeforeReplace?: boolean;
}

function label(o: { cloud?: string; applicationId?: string; commonName?: string }): string {
  const id = o.applicationId ? ` ${o.applicationId}` : "";
  return `${o.cloud ?? "?"} application${id}${o.commonName ? ` (${o.commonName})` : ""}`;
}

/**
 * The error, prefixed with the resource, and with no secret input's value in its message: a cloud's message may
 * echo what was sent (names, e-mails, ID numbers). `sources` are the inputs or state the operation had. Of a
 * cloud's error only the cloud's own text is cleared, so its code, action and request id stay whole.
 */
function named(err: unknown, who: string, ...sources: (object | undefined)[]): Error {
  const secrets = sources as (Record<string, unknown> | undefined)[];
  if (err instanceof CloudApiError) {
    const raw = err.cloudMessage;
    err.message = err.message.replace(raw, redactMessage(raw, ...secrets));
    return err.forResource(who);
  }
  const e = err instanceof Error ? err : new Error(String(err));
  if (!e.message.startsWith(who)) e.message = `${who}: ${e.message}`;
  e.message = redactMessage(e.message, ...secrets);
  return e;
}

/** The import id format: the cloud, a slash, and the cloud's application id. */
export const IMPORT_ID_FORMAT = "<cloud>/<applicationId>, e.g. tencent/J2lX2maH, edgecast/1234 or huawei/scs1554192131150";

/**
 * Splits a resource id. An import id names its cloud (`tencent/J2lX2maH`); the ids certapply itself
 * returns are the plain application id, with the cloud in the state. No cloud's application id holds a
 * slash, so the two forms cannot be confused.
 */
export function parseResourceId(id: string): { cloud?: CloudName; applicationId: string } {
  const slash = id.indexOf("/");
  if (slash > 0) {
    const cloud = id.slice(0, slash);
    if ((CLOUDS as readonly string[]).includes(cloud)) return { cloud: cloud as CloudName, applicationId: id.slice(slash + 1) };
  }
  return { applicationId: id };
}

/** The plain application id of either id form. */
function plainId(id: string): string {
  return parseResourceId(id).applicationId;
}

/**
 * An error the dynamic-provider host turns into ErrorResourceInitFailed: the engine keeps the resource
 * (id and properties) in state instead of orphaning an application the cloud has already accepted.
 */
export class ResourceInitError extends Error {
  constructor(
    readonly id: string,
    readonly properties: Record<string, unknown>,
    cause: Error,
  ) {
    super(cause.message);
    this.name = "ResourceInitError";
    (this as unknown as { reasons: string[] }).reasons = [cause.message];
  }
}

/** Which certificate a resource manages now: the last renewal's, or the one it was created with. */
export interface Lineage {
  currentCertificateId: string;
  renewedFrom?: string;
}

/** The certificate every call of this resource goes to (the resource id until a renewal made a new one). */
function currentOf(olds: Pick<ApplicationOutputs, "currentCertificateId">, id: string): string {
  return olds.currentCertificateId || id;
}

/** The lineage of stored outputs, moved on by a live view that names a new certificate (a renewal). */
function lineageOf(olds: Pick<ApplicationOutputs, "currentCertificateId" | "renewedFrom">, id: string, live?: LiveApplication): Lineage {
  const current = currentOf(olds, id);
  if (live?.certificateId && live.certificateId !== current) return { currentCertificateId: live.certificateId, renewedFrom: live.renewedFrom ?? current };
  return olds.renewedFrom ? { currentCertificateId: current, renewedFrom: olds.renewedFrom } : { currentCertificateId: current };
}

function outputsFrom(
  inputs: ApplicationInputs,
  id: string,
  live: LiveApplication | undefined,
  counters: Pick<ApplicationOutputs, "resubmitCount" | "lastResubmitAt" | "autoResubmitAttempts">,
  hashSalt: string,
  lineage: Lineage = { currentCertificateId: id },
): ApplicationOutputs {
  const base: ApplicationOutputs = {
    ...echoInputs(inputs, hashSalt),
    applicationId: id,
    ...lineage,
    status: "unknown",
    rawStatus: "",
    statusMessage: "",
    validationRecords: [],
    ...counters,
    contentHash: contentHash(inputs, hashSalt),
    hashSalt,
  };
  return live ? withLive(base, live) : base;
}

/** Stored outputs with the live fields of a read laid over them. */
function withLive(base: ApplicationOutputs, live: LiveApplication): ApplicationOutputs {
  const out: ApplicationOutputs = {
    ...base,
    status: live.status,
    rawStatus: live.rawStatus,
    statusMessage: live.statusMessage,
    validationRecords: live.validationRecords,
  };
  if (live.edgecast) out.edgecast = { ...(base.edgecast ?? {}), ...live.edgecast };
  if (live.orderId !== undefined) out.orderId = live.orderId;
  if (live.certificate !== undefined) Object.assign(out, certificateOutputs(live.certificate));
  return out;
}

/**
 * After a renewal made a new certificate, the old one stays in service until the new one is issued: until then the
 * outputs keep describing it (`certificate`, `privateKey`).
 */
function keepInService(outs: ApplicationOutputs, olds: ApplicationOutputs): ApplicationOutputs {
  if (!outs.renewedFrom || outs.certificate || !olds.certificate) return outs;
  const kept: ApplicationOutputs = { ...outs, certificate: olds.certificate };
  if (olds.privateKey !== undefined) kept.privateKey = olds.privateKey;
  return kept;
}

/** check: normalise, then validate every field; no API call. */
export async function check(olds: unknown, news: Record<string, unknown>): Promise<CheckResult<ApplicationInputs>> {
  const { preflight: inPreview, ...declared } = news;
  const inputs = normalizeInputs(declared as unknown as ApplicationInputs);
  const ownerKey = ownerKeyFor(olds as { ownerKey?: unknown } | undefined, declared);
  if (ownerKey) inputs.ownerKey = ownerKey;
  const failures = validateCommon(inputs);
  const cloud = inputs.cloud;
  if (!isUnknown(cloud) && typeof cloud === "string" && failures.every((f) => f.property !== "cloud")) {
    if (!hasBackend(cloud)) failures.push({ property: "cloud", reason: `"${cloud}" is not supported by this version of certapply` });
    else failures.push(...backendFor(cloud).validate(inputs));
  }
  if (inPreview === true && !failures.length && isNewResource(olds) && !containsUnknown(inputs)) failures.push(...(await preflight(inputs)));
  return { inputs, failures: redactFailures("CertificateApplication", inputs as unknown as Record<string, unknown>, failures) };
}

/** A check with no old inputs: the resource is not in state yet (diff's own read covers the others). */
function isNewResource(olds: unknown): boolean {
  return !olds || typeof olds !== "object" || (olds as Record<string, unknown>).cloud === undefined;
}

/** Outputs with the counters and policy defaults filled, for state written by older versions. */
function withDefaults(o: ApplicationOutputs): ApplicationOutputs {
  return {
    ...DEFAULTS,
    ...o,
    resubmitCount: o.resubmitCount ?? 0,
    lastResubmitAt: o.lastResubmitAt ?? "",
    autoResubmitAttempts: o.autoResubmitAttempts ?? 0,
  };
}

/** How long a diff's read stands in for the update's read of a "status" plan (no write), in the same process. */
const STATUS_READ_MS = 60_000;
/** The live read of each diff that planned only a status update, so that update reads nothing more. */
const statusReads = new Map<string, { live: LiveApplication; at: number }>();

/** The diff's read for a "status" plan of this application, once, if recent. */
function takeStatusRead(key: string): LiveApplication | undefined {
  const hit = statusReads.get(key);
  statusReads.delete(key);
  return hit && Date.now() - hit.at < STATUS_READ_MS ? hit.live : undefined;
}

/** diff: one live status read (or a settled status from a shared list page), then the plan; the reason goes to the host's stderr, which the CLI shows. */
export async function diff(rawId: string, oldOutputs: ApplicationOutputs, news: ApplicationInputs): Promise<DiffResult> {
  const id = plainId(rawId);
  const olds = withDefaults(oldOutputs);
  const who = label({ ...olds, applicationId: id });
  if (!isUnknown(news.cloud) && news.cloud !== olds.cloud) {
    const reason = `cloud changed from ${olds.cloud} to ${news.cloud}: the application is withdrawn first, then a new one is submitted`;
    makeContext(who).log(`plan: replace: ${reason}`);
    return { changes: true, replaces: ["cloud"], deleteBeforeReplace: true };
  }
  const backend = backendFor(olds.cloud);
  const ctx = makeContext(who, {}, [olds, news]);
  const current = currentOf(olds, id);
  // A read kept by an earlier Diff whose update never came (a refresh's Diff, a failed run) never serves this one's.
  statusReads.delete(`${olds.cloud}/${id}`);
  let plan: Plan;
  try {
    // A settled status from a list page shared with the other Diffs may confirm "no change"; anything else reads.
    const listed = await planFromList(backend, current, olds, news);
    if (listed) plan = listed;
    else {
      const read = await readLive(backend, ctx, current, olds);
      plan = decide(backend, olds, news, read, Date.now());
      if (plan.kind === "status" && read.live) statusReads.set(`${olds.cloud}/${id}`, { live: read.live, at: Date.now() });
    }
  } catch (err) {
    throw named(err, who, olds, news);
  }
  if (plan.reason) {
    // A reason with a warning in it (e.g. a renewal nobody pays for) is shown as the CLI's warning.
    const warns = /(^|; )warning: /.test(plan.reason);
    const reason = warns ? plan.reason.replace(/(^|; )warning: /g, "$1") : plan.reason;
    ctx.log(`${warns ? "warning: " : ""}plan: ${plan.kind === "none" ? "no change" : plan.kind}: ${reason}`);
  }
  switch (plan.kind) {
    case "none":
      return { changes: false };
    case "replace":
      return { changes: true, replaces: plan.fields, deleteBeforeReplace: true };
    default:
      return { changes: true, replaces: [] };
  }
}

/** create: submit (or adopt an identical application already submitted), then wait as `waitFor` says. */
export async function create(inputs: ApplicationInputs, op: OperationOptions = {}): Promise<{ id: string; outs: ApplicationOutputs }> {
  const backend = backendFor(inputs.cloud);
  const who = label(inputs);
  const ctx = makeContext(who, operationOf(op, inputs.customTimeouts, "create"), [inputs]);
  let submitted;
  try {
    submitted = await backend.submit(ctx, inputs);
  } catch (err) {
    throw named(err, who, inputs);
  }
  const id = submitted.applicationId;
  ctx.log(submitted.adopted ? `adopted application ${id}, already submitted with the same content` : `submitted application ${id}`);
  const counters = { resubmitCount: 0, lastResubmitAt: "", autoResubmitAttempts: 0 };
  const hashSalt = newHashSalt();
  try {
    const live = await waitForApplication(backend, ctx, id, inputs, submitted.live);
    return { id, outs: outputsFrom(inputs, id, live, counters, hashSalt) };
  } catch (err) {
    // The application exists: the engine keeps it (with the status a timed-out wait last read), and the next run resumes.
    const outs = outputsFrom(inputs, id, err instanceof WaitTimeoutError ? err.live : undefined, counters, hashSalt);
    throw new ResourceInitError(id, { ...inputs, ...outs }, named(err, label({ ...inputs, applicationId: id }), inputs));
  }
}

/** True when `props` is state certapply wrote (a refresh), not the id-only call of an import or `.get()`. */
function isStoredState(props: Partial<ApplicationOutputs> | undefined): props is ApplicationOutputs {
  return !!props && typeof props.cloud === "string" && typeof props.commonName === "string" && typeof props.status === "string";
}

/**
 * read. A refresh (stored state given): the live status over the state; an application that no longer
 * exists leaves the state. A read failure throws, so a refresh never overwrites good state.
 * An import or `.get()` (only an id, `<cloud>/<applicationId>`): the whole state and the inputs from the
 * live application; the resource's id becomes the plain application id.
 */
export async function read(
  id: string,
  props?: ApplicationOutputs,
): Promise<{ id?: string; props?: ApplicationOutputs; inputs?: ApplicationInputs }> {
  if (!isStoredState(props)) return importById(id, props);
  const olds = withDefaults(props);
  const applicationId = plainId(id);
  const backend = backendFor(olds.cloud);
  const who = label({ ...olds, applicationId });
  const ctx = makeContext(who, {}, [olds]);
  const current = currentOf(olds, applicationId);
  const stored = { ...olds, applicationId, currentCertificateId: current };
  let live: LiveApplication | undefined;
  try {
    live = await backend.read(ctx, current, knownOf(olds));
    if (!live) {
      const absence = await confirmAbsence(backend, ctx, current, olds);
      if (absence.gone) {
        ctx.log(`application ${current} no longer exists at ${olds.cloud} (two reads and the confirming lookup agree); it leaves the state`);
        return {};
      }
      if (!absence.live) {
        ctx.log(`warning: could not confirm that application ${current} is gone (${absence.why}); it stays in the state unchanged: run pulumi refresh again later`);
        return { id: applicationId, props: stored };
      }
      live = absence.live;
    }
  } catch (err) {
    throw named(err, who, olds);
  }
  return { id: applicationId, props: keepInService(withLive(stored, live), olds) };
}

async function importById(id: string, partial: Partial<ApplicationOutputs> | undefined): Promise<{ id?: string; props?: ApplicationOutputs; inputs?: ApplicationInputs }> {
  const parsed = parseResourceId(id);
  const cloud = parsed.cloud ?? partial?.cloud;
  if (!cloud) throw new Error(`cannot import "${id}": the import id names the cloud, as ${IMPORT_ID_FORMAT}`);
  if (!hasBackend(cloud)) throw new Error(`cannot import "${id}": "${cloud}" is not supported by this version of certapply; the import id is ${IMPORT_ID_FORMAT}`);
  const applicationId = parsed.applicationId;
  const backend = backendFor(cloud);
  const who = label({ cloud, applicationId });
  const ctx = makeContext(who);
  let imported;
  try {
    imported = await backend.importApplication(ctx, applicationId);
  } catch (err) {
    throw named(err, who);
  }
  if (!imported) return {};
  const inputs = normalizeInputs({ ...imported.inputs, cloud });
  const lineage: Lineage = imported.live.renewedFrom ? { currentCertificateId: applicationId, renewedFrom: imported.live.renewedFrom } : { currentCertificateId: applicationId };
  const outs = outputsFrom(inputs, applicationId, imported.live, { resubmitCount: 0, lastResubmitAt: "", autoResubmitAttempts: 0 }, newHashSalt(), lineage);
  ctx.log(`imported: ${imported.live.status}; declare the same inputs in the program so the next diff shows no change`);
  return { id: applicationId, props: outs, inputs };
}

/** update: decide again from a fresh live read, act, then wait as `waitFor` says. */
export async function update(rawId: string, oldOutputs: ApplicationOutputs, news: ApplicationInputs, op: OperationOptions = {}): Promise<{ outs: ApplicationOutputs }> {
  const id = plainId(rawId);
  const olds = withDefaults(oldOutputs);
  const backend = backendFor(olds.cloud);
  const who = label({ ...olds, applicationId: id });
  const ctx = makeContext(who, operationOf(op, news.customTimeouts, "update"), [olds, news]);
  const current = currentOf(olds, id);
  const counters = {
    resubmitCount: olds.resubmitCount,
    lastResubmitAt: olds.lastResubmitAt,
    autoResubmitAttempts: olds.autoResubmitAttempts,
  };
  try {
    // A "status" plan writes nothing: the diff's read of a moment ago stands (one read per such run).
    const cached = takeStatusRead(`${olds.cloud}/${id}`);
    let read: LiveRead = cached ? { live: cached } : await readLive(backend, ctx, current, olds);
    let plan = decide(backend, olds, news, read, Date.now());
    if (cached && plan.kind !== "status" && plan.kind !== "none" && plan.kind !== "policy") {
      // A write is planned after all: it is decided on a fresh read.
      read = await readLive(backend, ctx, current, olds);
      plan = decide(backend, olds, news, read, Date.now());
    }
    // A write is never decided on the stored status standing in for a failed or unconfirmed read.
    const dependsOnLive = plan.kind === "content" || plan.kind === "resubmit" || (plan.kind === "policy" && plan.changed.includes("resubmitTrigger"));
    if (read.fallback && dependsOnLive) {
      throw new Error(`the live status could not be read (${read.fallback}); nothing was sent, because what to send depends on it: run pulumi up again`);
    }
    // The certificate in service before this update: a renewal keeps it in the outputs until the new one is issued.
    const inService = read.live?.certificate && !read.fallback ? { ...olds, ...certificateOutputs(read.live.certificate) } : olds;
    const written = await act(backend, ctx, current, olds, news, plan, read.live, counters);
    // A renewal that made a new certificate moves the resource onto it: the wait and every later call go there.
    const lineage = lineageOf(olds, id, written);
    // A stand-in built from state (the read failed) knows no live field, so it never takes the wait's place.
    const known = (plan.kind === "policy" || plan.kind === "none" || plan.kind === "status") && !read.fallback ? read.live : undefined;
    let live: LiveApplication | undefined;
    try {
      live = await waitForApplication(backend, ctx, lineage.currentCertificateId, news, written ?? known);
    } catch (err) {
      if (!(err instanceof WaitTimeoutError)) throw err;
      // What this update did is kept (status, counters), so the next run continues the wait and repeats no write.
      const outs = keepInService(outputsFrom(news, id, err.live ?? written ?? known, counters, olds.hashSalt ?? newHashSalt(), lineage), inService);
      throw new ResourceInitError(id, { ...news, ...outs }, named(err, who, olds, news));
    }
    return { outs: keepInService(outputsFrom(news, id, live, counters, olds.hashSalt ?? newHashSalt(), lineage), inService) };
  } catch (err) {
    if (err instanceof ResourceInitError) throw err;
    throw named(err, who, olds, news);
  }
}

async function act(
  backend: ApplicationBackend,
  ctx: CloudContext,
  id: string,
  olds: ApplicationOutputs,
  news: ApplicationInputs,
  plan: Plan,
  live: LiveApplication | undefined,
  counters: { resubmitCount: number; lastResubmitAt: string; autoResubmitAttempts: number },
): Promise<LiveApplication | undefined> {
  switch (plan.kind) {
    case "content": {
      ctx.log(`updating: ${plan.reason}`);
      const written = await backend.applyContentChange(ctx, id, olds, news, live as LiveApplication);
      if (plan.resubmits) {
        counters.resubmitCount += 1;
        counters.lastResubmitAt = new Date().toISOString();
      }
      counters.autoResubmitAttempts = 0;
      return written ?? undefined;
    }
    case "resubmit": {
      ctx.log(`updating: ${plan.reason}`);
      const written = await backend.resubmit(ctx, id, news, live as LiveApplication, olds);
      counters.resubmitCount += 1;
      counters.lastResubmitAt = new Date().toISOString();
      if (plan.automatic) counters.autoResubmitAttempts += 1;
      return written ?? undefined;
    }
    case "renew": {
      ctx.log(`updating: renewal: ${plan.reason}`);
      if (!backend.renew) throw new Error(`${backend.cloud} cannot renew in this version`);
      return (await backend.renew(ctx, id, live as LiveApplication, olds, news)) ?? undefined;
    }
    case "replace":
      throw new Error(`${plan.reason}; run pulumi up again so the engine can replace it`);
    case "policy":
    case "status":
    case "none":
      return undefined;
  }
}

/** delete: withdraw a pending application (`onDelete: cancel`) or leave it (`retain`). */
export async function remove(rawId: string, props: ApplicationOutputs, op: OperationOptions = {}): Promise<void> {
  const id = plainId(rawId);
  const olds = withDefaults(props);
  const backend = backendFor(olds.cloud);
  const who = label({ ...olds, applicationId: id });
  const ctx = makeContext(who, operationOf(op, olds.customTimeouts, "delete"), [olds]);
  if (olds.onDelete === "retain") {
    ctx.log(`onDelete is retain: application ${id} is left at ${olds.cloud} and removed from the stack only`);
    return;
  }
  const current = currentOf(olds, id);
  try {
    let live: LiveApplication | undefined;
    try {
      live = await backend.read(ctx, current, knownOf(olds));
    } catch (err) {
      ctx.log(`could not read the live status before withdrawing (${(err as Error).message}); withdrawing anyway`);
      live = { status: olds.status, rawStatus: olds.rawStatus, statusMessage: olds.statusMessage, validationRecords: [] };
    }
    if (!live) {
      // Leaving the state on one not-found would leave a pending application behind, unwithdrawn.
      const absence = await confirmAbsence(backend, ctx, current, olds);
      if (absence.gone) {
        ctx.log(`application ${current} no longer exists at ${olds.cloud}; nothing to withdraw`);
        return;
      }
      if (!absence.live) throw new Error(`could not confirm that application ${current} is gone (${absence.why}); nothing was withdrawn and it stays in the state: run the delete again`);
      live = absence.live;
    }
    await backend.cancel(ctx, current, olds, live);
  } catch (err) {
    throw named(err, who, olds);
  }
}
