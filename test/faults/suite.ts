/**
 * The seeded fault run: many applications per cloud go through create, an update by content, a resubmit or
 * retrigger and a delete, each phase one `pulumi up` of a program declaring all of them, driven through
 * Pulumi's dynamic-provider host (test/harness/engine.ts, `--parallel` and `--continue-on-error`, so every
 * resource gets its step in every run) against the emulator with a seeded share of the requests faulted. A
 * failed run is run again as a user would: the first re-run meets faults as well, the second one a quiet cloud.
 * The final state is then judged against the emulator's own state.
 *
 * The per-cloud parts (what to declare, what the cloud holds, what counts as a submission) are in
 * test/faults/clouds.ts.
 */
import { CertificateApplication, type CertificateApplicationArgs } from "certapply";
import { Emulator, type EmulatorLogEntry, type FaultKind } from "../../emulator";
import { Engine, EngineError } from "../harness/engine";

/** The operations of the run, one phase each. */
export const PHASES = ["create", "update", "resubmit", "delete"] as const;
export type Phase = (typeof PHASES)[number];

/** What the cloud holds for one resource's application. */
export interface Facts {
  /** The application exists at the cloud. */
  exists: boolean;
  /** Submitted and under review (not withdrawn, not finished). */
  pending: boolean;
  /** Withdrawn, or its withdrawal is under way. */
  withdrawn: boolean;
  /** The declared content marker the cloud holds (e.g. the admin e-mail submitted), or undefined. */
  content?: string;
  /** Short description of the cloud's status, for traces. */
  status: string;
}

/** A write that submits (or orders, creates, retriggers) an application. */
export interface Submission {
  /** Emulator action name. */
  action: string;
  /** Which invariant an excess one breaks. */
  excess: "duplicate paid order" | "submitted twice";
  /** Times per resource a phase is expected to apply it. */
  expected: Partial<Record<Phase, number>>;
  /** True when the log entry is one the cloud applied. */
  applied(e: EmulatorLogEntry): boolean;
}

/** One cloud's part of the run. */
export interface CloudPlan {
  cloud: "tencent" | "edgecast" | "huawei";
  /** Buys what the applications need (seeded certificates). */
  prepare(emulator: Emulator, count: number): Promise<void>;
  /** The declaration of application `i` with content version `version` and `resubmitTrigger`. */
  args(i: number, version: 1 | 2, trigger: string): CertificateApplicationArgs;
  /** The content marker the cloud should hold for application `i` at `version`. */
  marker(i: number, version: 1 | 2): string;
  /** Log targets that name application `i` other than its id (e.g. an Edgecast label). */
  aliases(i: number): string[];
  /** Every application the cloud holds for this run (ids), from the emulator's state or log. */
  applications(emulator: Emulator): string[];
  facts(emulator: Emulator, id: string): Promise<Facts>;
  /** The CA's outcome between the update and the resubmit: time out or reject the application. */
  outcome(emulator: Emulator, id: string): Promise<void>;
  submissions: Submission[];
  /** Secret inputs of application `i` at `version`, as `path → value` (canaries). */
  secrets(i: number, version: 1 | 2): Record<string, string>;
}

export interface SuiteOptions {
  /** Applications per cloud; four operations each. */
  count: number;
  seed: number;
  /** Share of requests faulted in the first run of a phase and its first re-run. */
  rate: number;
  /** Extra stack config for the provider host (tuning). */
  config?: Record<string, string>;
  /** Emulator clock rate during runs (set back to real time between runs). */
  clockRate?: number;
  /** Longest injected delay, ms. */
  maxDelayMs?: number;
}

/** One broken invariant, with what led to it. */
export interface Trace {
  cloud: string;
  phase: Phase;
  resource: string;
  invariant: string;
  /** What happened (the engine's error, the cloud's status). */
  what: string;
  /**
   * The resource's requests in that phase that were writes or met a fault, in order:
   * `run N: action [fault shape] → status code` (the status the cloud part answered).
   */
  faults: string[];
}

export interface SuiteResult {
  cloud: string;
  operations: number;
  runs: number;
  reruns: number;
  failedRuns: number;
  requests: number;
  faulted: Record<string, number>;
  /** Distinct secret values looked for in the host's output. */
  canaries: number;
  counts: {
    lost: number;
    duplicatePaidOrders: number;
    submittedTwice: number;
    orphans: number;
    unconverged: number;
    secretsInOutput: number;
  };
  traces: Trace[];
  /** Each run: phase#attempt, duration, requests. */
  timeline: string[];
  ms: number;
}

/** The client's request timeout in the run, and how late a `late-reply` fault answers (after it). */
export const REQUEST_TIMEOUT_MS = 1500;
export const LATE_REPLY_MS = 2000;

const SERVED_FAULTS: (FaultKind | undefined)[] = [undefined, "delay", "commit-then-drop", "garbled-reply", "late-reply"];

/** Reads and token requests: every other request is a write. */
export function isRead(action: string): boolean {
  return /^(Describe|GET |ShowCertificate$|ListCertificates$|CreateToken$|POST \/connect\/token$)/.test(action);
}

/** True when the cloud part served the request (a fault did not stop it first). */
export function served(e: EmulatorLogEntry): boolean {
  return SERVED_FAULTS.includes(e.fault);
}

function seedFor(base: number, phase: number, attempt: number): number {
  return base * 100 + phase * 10 + attempt;
}

/** Runs the whole seeded fault run for one cloud and judges it. */
export async function runFaultSuite(plan: CloudPlan, opts: SuiteOptions): Promise<SuiteResult> {
  const started = Date.now();
  const emulator = await new Emulator({
    credentials: { edgecast: { tokenLifetimeSeconds: 86_400 } },
  }).start();
  let engine: Engine | undefined;
  const result: SuiteResult = {
    cloud: plan.cloud,
    operations: 0,
    runs: 0,
    reruns: 0,
    failedRuns: 0,
    requests: 0,
    faulted: {},
    canaries: 0,
    counts: { lost: 0, duplicatePaidOrders: 0, submittedTwice: 0, orphans: 0, unconverged: 0, secretsInOutput: 0 },
    traces: [],
    timeline: [],
    ms: 0,
  };
  const errors: string[] = [];
  try {
    await plan.prepare(emulator, opts.count);
    engine = await Engine.start({
      config: {
        ...emulator.stackConfig(),
        "certapply:pollIntervalMs": "20",
        "certapply:retryBaseDelayMs": "5",
        // A late-reply fault answers after this timeout (LATE_REPLY_MS): the write is applied, the client gave up.
        "certapply:requestTimeoutMs": String(REQUEST_TIMEOUT_MS),
        ...opts.config,
      },
      parallel: opts.count,
      continueOnError: true,
    });
    const names = Array.from({ length: opts.count }, (_, i) => `app${i}`);
    /** Log entry index → run number, for traces. */
    const runOf: number[] = [];
    const resync = () => {
      emulator.setClockRate(1);
      emulator.advanceClock((Date.now() - emulator.now()) / 1000);
    };

    for (const [p, phase] of PHASES.entries()) {
      const version: 1 | 2 = phase === "create" ? 1 : 2;
      const trigger = phase === "resubmit" || phase === "delete" ? "t1" : "t0";
      const program = () => {
        if (phase === "delete") return;
        for (let i = 0; i < opts.count; i++) new CertificateApplication(names[i], plan.args(i, version, trigger));
      };
      const from = emulator.log.length;
      const runErrors: string[][] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        if (attempt < 2) emulator.setFaultShare({ cloud: plan.cloud, rate: opts.rate, seed: seedFor(opts.seed, p, attempt), maxDelayMs: opts.maxDelayMs ?? 100, lateReplyMs: LATE_REPLY_MS });
        else emulator.clearFaults();
        if (opts.clockRate) emulator.setClockRate(opts.clockRate);
        const logFrom = emulator.log.length;
        result.runs += 1;
        if (attempt > 0) result.reruns += 1;
        let failed: string[] = [];
        const t0 = Date.now();
        try {
          await engine.up(program);
        } catch (err) {
          if (!(err instanceof EngineError)) throw err;
          failed = err.errors.length > 0 ? err.errors : [err.message];
        } finally {
          resync();
          emulator.clearFaults();
          for (let k = logFrom; k < emulator.log.length; k++) runOf[k] = result.runs;
          result.timeline.push(`${phase}#${attempt}: ${Date.now() - t0} ms, ${emulator.log.length - logFrom} requests`);
        }
        runErrors.push(failed);
        errors.push(...failed);
        if (failed.length === 0) break;
        result.failedRuns += 1;
      }
      result.operations += opts.count;
      const window = emulator.log.slice(from);
      await judgePhase(plan, emulator, engine, phase, version, names, window, from, runOf, runErrors, result);
    }

    // Secrets: every secret input value, and the credentials, against everything the host printed.
    const printed = [...engine.hostLines(), ...errors].join("\n");
    const canaries = new Map<string, string>();
    for (let i = 0; i < opts.count; i++) {
      for (const v of [1, 2] as const) for (const [k, value] of Object.entries(plan.secrets(i, v))) canaries.set(value, `${names[i]}.${k}`);
    }
    const c = emulator.credentials;
    for (const [k, value] of Object.entries({ tencentSecretKey: c.tencent.secretKey, edgecastClientSecret: c.edgecast.clientSecret, huaweiSecretKey: c.huawei.secretKey })) canaries.set(value, k);
    result.canaries = canaries.size;
    for (const [value, where] of canaries) {
      if (!printed.includes(value)) continue;
      result.counts.secretsInOutput += 1;
      const line = printed.split("\n").find((l) => l.includes(value)) ?? "";
      result.traces.push({ cloud: plan.cloud, phase: "delete", resource: where.split(".")[0], invariant: "secret in host output", what: `${where} printed: ${line.split(value).join("<canary>").slice(0, 300)}`, faults: [] });
    }
    result.requests = emulator.log.length;
    for (const e of emulator.log) if (e.fault) result.faulted[e.fault] = (result.faulted[e.fault] ?? 0) + 1;
  } finally {
    await engine?.stop();
    await emulator.stop();
  }
  result.ms = Date.now() - started;
  return result;
}

async function judgePhase(
  plan: CloudPlan,
  emulator: Emulator,
  engine: Engine,
  phase: Phase,
  version: 1 | 2,
  names: string[],
  window: EmulatorLogEntry[],
  from: number,
  runOf: number[],
  runErrors: string[][],
  result: SuiteResult,
): Promise<void> {
  const finalErrors = runErrors[runErrors.length - 1];
  const idOf = (i: number) => engine.resource(names[i])?.id;
  const targetsOf = (i: number) => new Set([idOf(i), ...plan.aliases(i)].filter((t): t is string => !!t));
  // Ids a resource's requests carried in this phase (an Edgecast create's reply names the new request).
  const owner = new Map<string, number>();
  for (let i = 0; i < names.length; i++) for (const t of targetsOf(i)) owner.set(t, i);
  for (const e of window) {
    if (e.created && e.target !== undefined && owner.has(e.target)) owner.set(e.created, owner.get(e.target)!);
  }
  const mine = (i: number) => window.map((e, k) => ({ e, k })).filter(({ e }) => (e.target !== undefined && owner.get(e.target) === i) || (e.created !== undefined && owner.get(e.created) === i));
  const faultsOf = (i: number) =>
    mine(i)
      .filter(({ e }) => e.fault || !isRead(e.action))
      .map(({ e, k }) => `run ${runOf[from + k]}: ${e.action}${e.fault ? ` [${e.fault}${e.garbled ? ` ${e.garbled}` : ""}]` : ""} → ${e.status}${e.code ? ` ${e.code}` : ""}`);
  const errorsOf = (i: number) => runErrors.flat().filter((m) => m.startsWith(`${names[i]} `) || m.includes(`${names[i]} [`));
  const trace = (i: number, invariant: string, what: string) => {
    result.traces.push({ cloud: plan.cloud, phase, resource: names[i], invariant, what, faults: faultsOf(i) });
  };

  for (let i = 0; i < names.length; i++) {
    const state = engine.resource(names[i]);
    const finalError = finalErrors.find((m) => m.startsWith(`${names[i]} `) || m.includes(`${names[i]} [`) || m.includes(`(id ${state?.id ?? "-"})`));
    // Submissions applied in this phase, per kind.
    for (const s of plan.submissions) {
      const applied = mine(i).filter(({ e }) => e.action === s.action && served(e) && s.applied(e)).length;
      const expected = s.expected[phase] ?? 0;
      if (applied > expected) {
        if (s.excess === "duplicate paid order") result.counts.duplicatePaidOrders += applied - expected;
        else result.counts.submittedTwice += 1;
        trace(i, s.excess, `${s.action} applied ${applied} times (expected ${expected}); errors: ${errorsOf(i).join(" | ") || "none"}`);
      }
    }
    if (phase === "delete") {
      if (state) {
        result.counts.unconverged += 1;
        trace(i, "unable to converge", `still in state after two re-runs: ${finalError ?? "no error"}`);
      }
      continue;
    }
    if (!state) {
      result.counts.lost += 1;
      trace(i, "lost", `declared but not in state: ${finalError ?? errorsOf(i).join(" | ")}`);
      continue;
    }
    const facts = await plan.facts(emulator, state.id);
    const marker = plan.marker(i, version);
    if (!facts.exists || facts.content !== marker) {
      result.counts.lost += 1;
      trace(i, "lost", `the cloud ${facts.exists ? `holds ${facts.content ?? "no content"} instead of ${marker}` : `has no application ${state.id}`} (${facts.status}); errors: ${errorsOf(i).join(" | ") || "none"}`);
      continue;
    }
    if (finalError || !facts.pending) {
      result.counts.unconverged += 1;
      trace(i, "unable to converge", `${facts.status}${finalError ? `; the last re-run failed: ${finalError}` : "; not under review after the last re-run"}`);
    }
  }

  // Orphans: applications the cloud holds under review that no resource in state owns.
  const owned = new Set([...engine.state.values()].map((r) => r.id));
  for (const id of plan.applications(emulator)) {
    if (owned.has(id)) continue;
    const facts = await plan.facts(emulator, id);
    if (!facts.pending) continue;
    result.counts.orphans += 1;
    const i = owner.get(id);
    result.traces.push({
      cloud: plan.cloud,
      phase,
      resource: i !== undefined ? names[i] : `application ${id}`,
      invariant: "orphan",
      what: `application ${id} is ${facts.status} at the cloud and in no resource's state`,
      faults: i !== undefined ? faultsOf(i) : [],
    });
  }

  // The CA's outcome before the resubmit phase.
  if (phase === "update") {
    for (let i = 0; i < names.length; i++) {
      const id = idOf(i);
      if (!id) continue;
      try {
        await plan.outcome(emulator, id);
      } catch (err) {
        // Counted once per resource and phase: a resource already stuck is not counted again.
        const known = result.traces.some((t) => t.phase === phase && t.resource === names[i] && t.invariant === "unable to converge");
        if (!known) result.counts.unconverged += 1;
        trace(i, "unable to converge", `the CA outcome could not be applied before the resubmit: ${(err as Error).message}`);
      }
    }
  }
}

/** The counts as a table, and each trace on its lines. */
export function report(r: SuiteResult): string {
  const lines = [
    `fault suite ${r.cloud}: ${r.operations} operations in ${r.runs} runs (${r.reruns} re-runs, ${r.failedRuns} failed runs), ` +
      `${r.requests} requests, faults injected: ${Object.entries(r.faulted)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}; ${(r.ms / 1000).toFixed(1)} s`,
    `  lost ${r.counts.lost}, duplicate paid orders ${r.counts.duplicatePaidOrders}, submitted twice ${r.counts.submittedTwice}, ` +
      `orphans ${r.counts.orphans}, unable to converge ${r.counts.unconverged}, secrets in host output ${r.counts.secretsInOutput} ` +
      `(${r.canaries} canaries looked for)`,
    `  runs: ${r.timeline.join("; ")}`,
  ];
  for (const t of r.traces) {
    lines.push(`  - [${t.invariant}] ${t.cloud} ${t.phase} ${t.resource}: ${t.what}`);
    for (const f of t.faults) lines.push(`      ${f}`);
  }
  return lines.join("\n");
}

/**
 * What every cloud's fault run must show: all operations done, faults really injected (the seeded share applies to a
 * phase's first run and first re-run only, so somewhat under `rate` of all requests), canaries looked for, and every
 * invariant count 0.
 */
export function expectSound(result: SuiteResult, opts: SuiteOptions): void {
  expect(result.operations).toBeGreaterThanOrEqual(200);
  expect(Object.values(result.faulted).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(0.6 * opts.rate * result.requests);
  expect(result.canaries).toBeGreaterThanOrEqual(100);
  expect(result.counts).toEqual({ lost: 0, duplicatePaidOrders: 0, submittedTwice: 0, orphans: 0, unconverged: 0, secretsInOutput: 0 });
}
