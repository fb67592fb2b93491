import type { ApplicationBackend, CloudContext, LiveApplication } from "./backend";
import type { ApplicationInputs, ApplicationStatus, WaitFor } from "./types";

/** Statuses after which waiting longer changes nothing without another `pulumi up`. */
const SETTLED: readonly ApplicationStatus[] = ["issued", "failed", "timed-out", "cancelled", "expired", "revoked"];

/** True when `live` is what `waitFor` waits for, or settled (waiting longer changes nothing). */
export function reached(waitFor: WaitFor, live: LiveApplication): boolean {
  if (SETTLED.includes(live.status)) return true;
  switch (waitFor) {
    case "submitted":
      return true;
    case "validation-records":
      return live.validationRecords.length > 0 || live.status === "awaiting-confirm-letter";
    case "issued":
      return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Default time between progress lines of a long wait. */
export const PROGRESS_INTERVAL_MS = 30_000;

/** `95` → `1m35s`. */
export function formatSeconds(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const m = Math.floor(s / 60);
  return m ? `${m}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/**
 * The deadline of a wait in seconds: the operation's customTimeouts when the engine gave one (plugin path),
 * else the resource's own `waitTimeoutSeconds`, else 600.
 */
export function waitSeconds(ctx: CloudContext, waitTimeoutSeconds: number | undefined): number {
  return ctx.timeoutSeconds ?? waitTimeoutSeconds ?? 600;
}

/**
 * Prints a progress line (elapsed, remaining, current status) when `ctx.progressIntervalMs` (default 30 s)
 * has passed since the wait began or since the last line, so a long wait never looks hung.
 */
class Progress {
  private readonly started = Date.now();
  private last = this.started;

  constructor(
    private readonly ctx: CloudContext,
    private readonly what: string,
    private readonly deadline: number,
  ) {}

  tick(status: string): void {
    const now = Date.now();
    if (now - this.last < (this.ctx.progressIntervalMs ?? PROGRESS_INTERVAL_MS)) return;
    this.last = now;
    const elapsed = formatSeconds((now - this.started) / 1000);
    const remaining = formatSeconds((this.deadline - now) / 1000);
    this.ctx.log(`still waiting for ${this.what}: ${elapsed} elapsed, ${remaining} remaining, status ${status}`);
  }
}

function describeLive(live: LiveApplication): string {
  return `${live.status}${live.rawStatus ? ` (${live.rawStatus})` : ""}`;
}

/**
 * A wait bounded by the operation's `customTimeouts` ran out: the step fails (as a first-party provider's does),
 * with the application's current status in `live`, and the next `pulumi up` continues the wait.
 */
export class WaitTimeoutError extends Error {
  constructor(
    message: string,
    readonly live: LiveApplication | undefined,
  ) {
    super(message);
    this.name = "WaitTimeoutError";
  }
}

/** Reads in a row answering not-found that a wait tolerates (a new application may not be visible yet). */
const NOT_FOUND_READS = 3;

/**
 * Polls until the application reaches what `waitFor` asks for, or until the wait's deadline (`waitSeconds`) runs
 * out; the last poll is at the deadline. `known` is the status a write's reply gave: when it already satisfies
 * `waitFor`, nothing is read. Running out of `waitTimeoutSeconds` is not an error: the resource is returned with
 * its current status, and the next `pulumi up` continues the wait. Running out of the operation's `customTimeouts`
 * throws `WaitTimeoutError`.
 */
export async function waitForApplication(
  backend: ApplicationBackend,
  ctx: CloudContext,
  id: string,
  inputs: ApplicationInputs,
  known?: LiveApplication,
): Promise<LiveApplication | undefined> {
  const waitFor = inputs.waitFor ?? "submitted";
  const seconds = waitSeconds(ctx, inputs.waitTimeoutSeconds);
  const started = Date.now();
  const deadline = started + seconds * 1000;
  if (known && reached(waitFor, known)) return known;
  let live = await backend.read(ctx, id, known);
  let missing = live ? 0 : 1;
  let lastStatus = live?.status;
  if (live && !reached(waitFor, live)) ctx.log(`waiting up to ${seconds}s for ${waitFor} (now ${live.status})`);
  const progress = new Progress(ctx, waitFor, deadline);
  while (!live || !reached(waitFor, live)) {
    // A not-found proves nothing during a wait: the last status read stands, and a few more reads are made.
    if (!live && missing >= NOT_FOUND_READS) return known;
    const left = deadline - Date.now();
    if (left <= 0) {
      const waited = formatSeconds((Date.now() - started) / 1000);
      const now = live ?? known;
      const status = now ? describeLive(now) : "not readable";
      if (ctx.timeoutSeconds !== undefined) {
        throw new WaitTimeoutError(
          `timed out after ${waited} (customTimeouts ${formatSeconds(seconds)}) waiting for ${waitFor}; the application is ${status}: run pulumi up again to continue the wait`,
          now,
        );
      }
      ctx.log(`still ${status} after waiting ${waited} for ${waitFor}; the next pulumi up continues the wait (pulumi refresh only reads the status)`);
      return now;
    }
    if (live) progress.tick(describeLive(live));
    await sleep(Math.min(ctx.pollIntervalMs, left));
    const next = await backend.read(ctx, id, live ?? known);
    if (!next) {
      missing += 1;
      if (live) known = live;
      live = undefined;
      continue;
    }
    missing = 0;
    live = next;
    if (live.status !== lastStatus) {
      ctx.log(`status ${describeLive(live)}${live.statusMessage ? `: ${live.statusMessage}` : ""}`);
      lastStatus = live.status;
    }
  }
  if (live.status !== "issued" && SETTLED.includes(live.status) && waitFor !== "submitted") {
    ctx.log(`the CA outcome is ${live.status}${live.statusMessage ? ` (${live.statusMessage})` : ""}; the next pulumi up decides per autoResubmit`);
  }
  return live;
}

/** What a `pollUntil` waits for and how its current status reads, for the progress lines. */
export interface PollProgress {
  what: string;
  status: () => string;
}

/**
 * Polls `probe` until it returns true or `timeoutMs` passes (the operation's customTimeouts instead, when given);
 * returns whether it did. With `progress`, prints a progress line at least every 30 s.
 */
export async function pollUntil(ctx: CloudContext, timeoutMs: number, probe: () => Promise<boolean>, progress?: PollProgress): Promise<boolean> {
  const ms = ctx.timeoutSeconds !== undefined ? ctx.timeoutSeconds * 1000 : timeoutMs;
  const deadline = Date.now() + ms;
  const line = progress ? new Progress(ctx, progress.what, deadline) : undefined;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() + ctx.pollIntervalMs > deadline) return false;
    line?.tick(progress?.status() ?? "");
    await sleep(ctx.pollIntervalMs);
  }
}
