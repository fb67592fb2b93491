/**
 * The renewal writes of one cloud under the seeded faults, the skeleton the three clouds' renewal runs share:
 * applications are created on a quiet cloud, issued and aged into their window (20 days left), the issue read back;
 * then one `pulumi up` with `renewBeforeDays: 30` renews them, re-run as a user would (faulted with faults aimed at the
 * renewal's writes, faulted at every request, then quiet); then a destroy during the renewal (faulted, faulted,
 * quiet). The cloud's plan says what to declare, where to aim the faults and how to judge what the cloud holds;
 * the counts it fills must all end at 0.
 */
import { CertificateApplication, type CertificateApplicationArgs } from "certapply";
import { Emulator, type EmulatorLogEntry, type Fault } from "../../emulator";
import { Engine, EngineError } from "../harness/engine";
import { LATE_REPLY_MS, REQUEST_TIMEOUT_MS } from "./suite";

/** What the renewal run counts; every count must end at 0. */
export interface RenewalCounts {
  /** Renewals per expiry beyond one. */
  duplicateRenewals: number;
  /** Applications never renewed. */
  missingRenewals: number;
  /** Resources whose state does not follow their renewal. */
  notFollowed: number;
  /** Old certificates cancelled, revoked, withdrawn or replaced before the renewal is issued. */
  oldTouched: number;
  /** Renewals the delete should have withdrawn (or removed) that are still pending. */
  renewalsLeftPending: number;
  /** The quiet, final renewal run or destroy failed. */
  failedFinalRuns: number;
}

/** What the plan's hooks see and fill. */
export interface RenewalRun {
  emulator: Emulator;
  engine: Engine;
  /** Resource names, `renew<i>`. */
  names: string[];
  /** Each resource's id after the first `up`: the certificate (or request) being renewed. */
  ids: string[];
  counts: RenewalCounts;
  traces: string[];
}

/** One cloud's part of the renewal run. */
export interface RenewalPlan {
  cloud: "tencent" | "huawei" | "edgecast";
  count: number;
  /** The fault suite's seed and rate (test/faults/settings.ts). */
  seed: number;
  rate: number;
  /** Stack configuration beyond the emulator's and the suite's timeouts. */
  config?: Record<string, string>;
  /** Seed offsets: the renewal runs draw from `seed * 100 + renewal (+1)`, the deletes from `seed * 100 + delete (+1)`. */
  seeds: { renewal: number; delete: number };
  args(i: number, renewBeforeDays?: number): CertificateApplicationArgs;
  /** Before the engine starts. */
  prepare?(emulator: Emulator): Promise<void>;
  /** Issues the application `id` and ages it into its window (20 days left). */
  issueAndAge(emulator: Emulator, id: string): Promise<void>;
  /** Once the issue was read back, before the renewal (snapshots to judge by). */
  settled?(run: RenewalRun): Promise<void>;
  /**
   * The first renewal run's faults: half the requests of `actions` (the renewal's writes) faulted, and `inject`
   * besides (the crash case: a run that stops right after the paid write).
   */
  aim: { actions: string[]; inject: Omit<Fault, "cloud"> };
  /** A renewal write (a paid order) whose reply the client may not get. */
  paidWrite(e: EmulatorLogEntry): boolean;
  /** After a renewal run failed; `from` is where its requests start in the emulator's log. */
  afterFailedRun?(run: RenewalRun, from: number): Promise<void>;
  /** Judges the renewals and the state after the renewal runs. */
  judgeRenewals(run: RenewalRun): Promise<void>;
  /** Judges what the destroy left. */
  judgeDelete(run: RenewalRun): Promise<void>;
}

/** What the renewal run measured. */
export interface RenewalResult {
  counts: RenewalCounts;
  traces: string[];
  /** Requests faulted in all. */
  faulted: number;
  /** Paid renewal writes applied whose reply the client never got (lost, garbled, late). */
  paidLost: number;
  /** Renewal runs that failed (and were run again). */
  failedRuns: number;
  /** The final renewal run's errors, when it failed. */
  finalErrors: string[];
}

/** The counts a sound run ends with. */
export const SOUND: RenewalCounts = { duplicateRenewals: 0, missingRenewals: 0, notFollowed: 0, oldTouched: 0, renewalsLeftPending: 0, failedFinalRuns: 0 };

const LOST = ["commit-then-drop", "garbled-reply", "late-reply"];

/** Runs `plan` (see the file comment); the plan's hooks fill the counts. */
export async function runRenewalFaults(plan: RenewalPlan): Promise<RenewalResult> {
  const emulator = await new Emulator().start();
  const result: RenewalResult = { counts: { ...SOUND }, traces: [], faulted: 0, paidLost: 0, failedRuns: 0, finalErrors: [] };
  let engine: Engine | undefined;
  const share = (seed: number, actions?: string[], rate = plan.rate) =>
    emulator.setFaultShare({ cloud: plan.cloud, rate, seed: plan.seed * 100 + seed, ...(actions ? { actions } : {}), maxDelayMs: 100, lateReplyMs: LATE_REPLY_MS });
  try {
    await plan.prepare?.(emulator);
    engine = await Engine.start({
      config: {
        ...emulator.stackConfig(),
        "certapply:pollIntervalMs": "20",
        "certapply:requestTimeoutMs": String(REQUEST_TIMEOUT_MS),
        ...plan.config,
      },
      parallel: plan.count,
      continueOnError: true,
    });
    const names = Array.from({ length: plan.count }, (_, i) => `renew${i}`);
    const program = (renewBeforeDays?: number) => () => {
      for (let i = 0; i < plan.count; i++) new CertificateApplication(names[i], plan.args(i, renewBeforeDays));
    };
    await engine.up(program());
    const run: RenewalRun = { emulator, engine, names, ids: names.map((n) => engine!.resource(n)!.id), counts: result.counts, traces: result.traces };
    for (const id of run.ids) await plan.issueAndAge(emulator, id);
    await engine.up(program());
    await plan.settled?.(run);
    emulator.clearLog();

    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt === 0) {
        share(plan.seeds.renewal, plan.aim.actions, 0.5);
        emulator.injectFault({ cloud: plan.cloud, ...plan.aim.inject });
      }
      if (attempt === 1) share(plan.seeds.renewal + 1);
      const from = emulator.log.length;
      let failed = false;
      try {
        await engine.up(program(30));
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        failed = true;
        if (attempt === 2) {
          result.finalErrors = err.errors;
          result.counts.failedFinalRuns += 1;
          result.traces.push(`final renewal run failed: ${err.errors.join(" | ")}`);
        }
      } finally {
        emulator.clearFaults();
      }
      if (!failed) break;
      result.failedRuns += 1;
      await plan.afterFailedRun?.(run, from);
    }
    result.faulted = emulator.log.filter((e) => e.fault).length;
    result.paidLost = emulator.log.filter((e) => plan.paidWrite(e) && e.fault !== undefined && LOST.includes(e.fault)).length;
    await plan.judgeRenewals(run);

    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt < 2) share(plan.seeds.delete + attempt);
      try {
        await engine.destroy();
        break;
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        if (attempt === 2) {
          result.counts.failedFinalRuns += 1;
          result.traces.push(`final destroy failed: ${err.errors.join(" | ")}`);
        }
      } finally {
        emulator.clearFaults();
      }
    }
    await plan.judgeDelete(run);
  } finally {
    await engine?.stop();
    await emulator.stop();
  }
  return result;
}

/** The counts and traces for the log line. */
export function countsLine(r: RenewalResult): string {
  return `${JSON.stringify(r.counts)}${r.traces.length ? `\n  - ${r.traces.join("\n  - ")}` : ""}`;
}
