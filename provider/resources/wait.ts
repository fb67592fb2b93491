import type { ApplicationBackend, CloudContext, LiveApplication } from "./backend";
import type { ApplicationInputs, ApplicationStatus, WaitFor } from "./types";

/** Statuses after which waiting longer changes nothing without another `pulumi up`. */
const SETTLED: readonly ApplicationStatus[] = ["issued", "failed", "timed-out", "cancelled", "expired", "revoked"];

function reached(waitFor: WaitFor, live: LiveApplication): boolean {
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

/**
 * Polls until the application reaches what `waitFor` asks for, or until `waitTimeoutSeconds` runs out.
 * `known` is the status a write's reply gave: when it already satisfies `waitFor`, nothing is read.
 * Running out is not an error: the resource is returned with its current status, and the next
 * `pulumi up` or `pulumi refresh` picks it up (customTimeouts do not reach dynamic providers).
 */
export async function waitForApplication(
  backend: ApplicationBackend,
  ctx: CloudContext,
  id: string,
  inputs: ApplicationInputs,
  known?: LiveApplication,
): Promise<LiveApplication | undefined> {
  const waitFor = inputs.waitFor ?? "submitted";
  const deadline = Date.now() + (inputs.waitTimeoutSeconds ?? 600) * 1000;
  if (known && reached(waitFor, known)) return known;
  let live = await backend.read(ctx, id);
  let lastStatus = live?.status;
  if (live && !reached(waitFor, live)) ctx.log(`waiting up to ${inputs.waitTimeoutSeconds ?? 600}s for ${waitFor} (now ${live.status})`);
  while (live && !reached(waitFor, live)) {
    if (Date.now() + ctx.pollIntervalMs > deadline) {
      ctx.log(`still ${live.status} after waiting ${inputs.waitTimeoutSeconds ?? 600}s for ${waitFor}; run pulumi up or pulumi refresh later`);
      return live;
    }
    await sleep(ctx.pollIntervalMs);
    live = await backend.read(ctx, id);
    if (live && live.status !== lastStatus) {
      ctx.log(`status ${live.status}${live.rawStatus ? ` (${live.rawStatus})` : ""}${live.statusMessage ? `: ${live.statusMessage}` : ""}`);
      lastStatus = live.status;
    }
  }
  if (live && live.status !== "issued" && SETTLED.includes(live.status) && waitFor !== "submitted") {
    ctx.log(`the CA outcome is ${live.status}${live.statusMessage ? ` (${live.statusMessage})` : ""}; the next pulumi up decides per autoResubmit`);
  }
  return live;
}

/** Polls `probe` until it returns true or `timeoutMs` passes; returns whether it did. */
export async function pollUntil(ctx: CloudContext, timeoutMs: number, probe: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() + ctx.pollIntervalMs > deadline) return false;
    await sleep(ctx.pollIntervalMs);
  }
}
