/**
 * A mini `pulumi up` without the Pulumi CLI.
 *
 * The program runs in this process under `pulumi.runtime.setMocks`; the mock's `newResource` does the
 * engine's work for each registered dynamic resource by driving Pulumi's own dynamic-provider host
 * (test/harness/host.ts) over gRPC: Check, then Create, or Diff and Update / Replace, as the engine's step
 * generator does. State (inputs and outputs per URN) is kept between runs.
 *
 * What it reproduces from the engine:
 * - Configure once per host with the stack config (namespaced keys) before any other call.
 * - The step generator handles one registration at a time, in the order they arrive: Check, then Diff, then
 *   it hands the step to a worker, waiting while all `parallel` workers are busy (the CLI's main loop,
 *   pkg/resource/deploy/deployment_executor.go). So Check and Diff reach the provider one at a time, unless
 *   `parallelDiff` (PULUMI_PARALLEL_DIFF=true, CLI 3.157+), where each Diff runs on a worker.
 * - `parallel` workers run the resource operations (create, update, replace, delete) at once, like
 *   `pulumi up --parallel`; the default is the CLI's since 3.100: 4 per CPU.
 * - Secret-wrapped inputs are unwrapped before a provider call (the host answers acceptSecrets=false); the
 *   keys are kept in `secretInputKeys`.
 * - Check(olds = stored inputs, news); failures fail the run. Diff(id, olds = stored outputs, news = checked
 *   inputs, oldInputs). DIFF_NONE: same (stored inputs become the new checked inputs, outputs stay);
 *   DIFF_SOME with replaces: replace (deleteBeforeReplace: delete, then create; else create, then delete);
 *   DIFF_SOME: update; DIFF_UNKNOWN: the engine compares old and new inputs itself.
 * - Create that fails with ErrorResourceInitFailed keeps id + properties in state, then fails the run.
 * - Resources the program no longer declares are deleted after the program settles (reverse creation order).
 * - Refresh: Read `parallel` at a time, then the engine's refresh Diff of each (recorded from the real CLI).
 * - Preview: Check and Diff only. As the real engine does for a provider without preview support, a planned
 *   create or update answers the checked inputs as outputs and no id, so the id and every output the
 *   provider computes are unknown to the program; dependent inputs then reach Check/Diff of the next
 *   resource as the unknown sentinel. The mock monitor hands `newResource` a `pulumi.Unknown` object for
 *   such an input (it does not drop it during a dry run); this file turns it back into the sentinel string.
 *
 * What it does not reproduce: resource options such as `ignoreChanges`, `replaceOnChanges`,
 * `deleteBeforeReplace`, `protect`, `dependsOn` ordering of deletes, additionalSecretOutputs, and parented
 * URNs (a URN here is always `urn:pulumi:<stack>::<project>::<type>::<name>`).
 *
 * No jest here: `npm run demo` uses the compiled dist/test/harness/engine.js.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { SETTINGS } from "../../provider/config";
import {
  ProviderHost,
  ResourceInitError,
  UNKNOWN_SENTINEL,
  type CheckFailure,
  type PropertyMap,
} from "./host";

export { UNKNOWN_SENTINEL } from "./host";

export interface ResourceState {
  urn: string;
  name: string;
  type: string;
  id: string;
  inputs: PropertyMap;
  outputs: PropertyMap;
  secretInputKeys: string[];
}

export type StepOp = "create" | "update" | "replace" | "same" | "delete" | "read";

export interface StepRecord {
  urn: string;
  name: string;
  /**
   * What was done (preview: what would be done). A step that carries `failures` failed at Check and was
   * NOT performed. In a refresh, "read" is a resource read back and "delete" one the provider reported gone
   * (it is only removed from state).
   */
  op: StepOp;
  diff?: { changes: number; replaces: string[]; deleteBeforeReplace: boolean };
  failures?: { property: string; reason: string }[];
}

export interface RunResult {
  steps: StepRecord[];
}

export interface EngineFailure {
  urn: string;
  name: string;
  property: string;
  reason: string;
}

/**
 * A run failed the way `pulumi up` fails. `steps` holds what was done before it stopped; `errors` each
 * error of the run on its own (the message joins them), most of them starting with `<name> [<type>]: `.
 */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly steps: StepRecord[],
    readonly failures: EngineFailure[],
    readonly errors: string[] = [],
  ) {
    super(message);
    this.name = "EngineError";
  }
}

export interface EngineStartOptions {
  /** Stack config with namespaced keys, e.g. `{ "certapply:tencentEndpoint": "http://127.0.0.1:1234" }`. */
  config: Record<string, string>;
  /** Project name (default "certapply-test"). */
  project?: string;
  /** Stack name (default "dev"). */
  stack?: string;
  /**
   * Extra environment for the provider host process. The host inherits this process's environment minus
   * every certapply setting variable (provider/config.ts SETTINGS: credentials, endpoints, tuning), so a
   * developer's real cloud credentials or endpoints never reach a test; pass them here on purpose.
   */
  env?: Record<string, string>;
  /** State to start from, as produced by `exportState()`. */
  state?: string;
  /** The certapply package the project's node_modules links to, which the host loads (default: this checkout). */
  packageDir?: string;
  /**
   * How many resource operations (create, update, replace, delete; with `parallelDiff` also Diff) run at once,
   * like `pulumi up --parallel`. Default: the CLI's since 3.100, 4 per CPU (`defaultParallel()`). Once one
   * fails, no new one starts (unless `continueOnError`); those under way finish.
   */
  parallel?: number;
  /**
   * Like PULUMI_PARALLEL_DIFF=true (CLI 3.157+): Diff runs on the `parallel` workers, so many diffs are in
   * flight at once. Default false, as in the CLI: Check and Diff run one at a time in the step generator.
   */
  parallelDiff?: boolean;
  /**
   * Like `pulumi up --continue-on-error`: a failed step does not stop the others. Every declared resource gets
   * its step, and resources no longer declared are deleted, even when some step failed; the run still fails.
   * Default false: once a step fails, no new step starts.
   */
  continueOnError?: boolean;
  /** The provider host to run instead of Pulumi's dynamic-provider host (e.g. test/e2e/record-provider.ts in front of it). */
  hostScript?: string;
}

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const DYNAMIC_TYPE_PREFIX = "pulumi-nodejs:dynamic";

const DIFF_UNKNOWN = 0;
const DIFF_NONE = 1;
const DIFF_SOME = 2;

/** Only one run may use the (process-global) Pulumi mock runtime at a time. */
let activeRun: string | undefined;

/** The CLI's default `--parallel` since 3.100 (pkg/cmd/pulumi/operations/up.go): 4 per CPU. */
function defaultParallel(): number {
  return 4 * os.availableParallelism();
}

/** At most `size` holders at once; the others wait in arrival order. `acquire` answers the release. */
class Lanes {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async acquire(): Promise<() => void> {
    if (this.busy < this.size) this.busy++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.busy--;
    };
  }
}

interface Run {
  kind: "up" | "preview";
  /** The step generator: one registration at a time. */
  generator: Lanes;
  /** The step executor's workers. */
  workers: Lanes;
  steps: StepRecord[];
  errors: string[];
  failures: EngineFailure[];
  registered: Set<string>;
  pending: number;
  started: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isSecretWrapper(v: unknown): v is { value: unknown } {
  return isRecord(v) && v[SECRET_SIG_KEY] === SECRET_SIG;
}

/**
 * Unwraps secret wrappers (the engine strips them before calling a provider that does not accept secrets)
 * and turns unknown values into the sentinel string the engine sends. Returns whether a secret was found.
 */
function engineValue(v: unknown): { value: unknown; secret: boolean } {
  if (pulumi.isUnknown(v)) return { value: UNKNOWN_SENTINEL, secret: false };
  if (isSecretWrapper(v)) {
    const inner = engineValue(v.value);
    return { value: inner.value, secret: true };
  }
  if (Array.isArray(v)) {
    let secret = false;
    const value = v.map((e) => {
      const r = engineValue(e);
      secret = secret || r.secret;
      return r.value;
    });
    return { value, secret };
  }
  if (isRecord(v)) {
    let secret = false;
    const value: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) {
      if (e === undefined) continue;
      const r = engineValue(e);
      secret = secret || r.secret;
      value[k] = r.value;
    }
    return { value, secret };
  }
  return { value: v, secret: false };
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((e, i) => deepEqual(e, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The repository root (the directory whose package.json is named "certapply"), from src or dist. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      try {
        const parsed: unknown = JSON.parse(fs.readFileSync(pkg, "utf8"));
        if (isRecord(parsed) && parsed.name === "certapply") return dir;
      } catch {
        // keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`engine harness: no certapply package.json above ${__dirname}`);
    dir = parent;
  }
}

export class Engine {
  readonly state = new Map<string, ResourceState>();
  private readonly texts: string[] = [];
  private stopped = false;

  private constructor(
    readonly host: ProviderHost,
    readonly projectDir: string,
    readonly project: string,
    readonly stack: string,
    private readonly config: Record<string, string>,
    private readonly parallel: number,
    private readonly parallelDiff: boolean,
    private readonly continueOnError: boolean,
  ) {}

  /** Creates the project directory, spawns the provider host and sends Configure. */
  static async start(opts: EngineStartOptions): Promise<Engine> {
    const project = opts.project ?? "certapply-test";
    const stack = opts.stack ?? "dev";
    const parallel = opts.parallel ?? defaultParallel();
    if (!Number.isInteger(parallel) || parallel < 1) throw new Error(`engine harness: parallel must be a whole number of at least 1, got ${parallel}`);
    const projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "certapply-engine-"));
    let host: ProviderHost | undefined;
    try {
      fs.writeFileSync(
        path.join(projectDir, "package.json"),
        JSON.stringify({ name: project, private: true, main: "index.js" }, null, 2),
      );
      fs.writeFileSync(path.join(projectDir, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\n`);
      fs.mkdirSync(path.join(projectDir, "node_modules"));
      fs.symlinkSync(opts.packageDir ?? repoRoot(), path.join(projectDir, "node_modules", "certapply"), "dir");
      host = await ProviderHost.start({
        cwd: projectDir,
        project,
        script: opts.hostScript,
        env: { ...(opts.env ?? {}), PULUMI_CONFIG: JSON.stringify(opts.config) },
        unsetEnv: Object.values(SETTINGS).map((s) => s.env),
      });
      await host.configure(opts.config);
      const engine = new Engine(host, projectDir, project, stack, { ...opts.config }, parallel, opts.parallelDiff ?? false, opts.continueOnError ?? false);
      if (opts.state) engine.importState(opts.state);
      return engine;
    } catch (err) {
      if (host) await host.stop();
      fs.rmSync(projectDir, { recursive: true, force: true });
      throw err;
    }
  }

  resource(name: string): ResourceState | undefined {
    for (const r of this.state.values()) if (r.name === name) return r;
    return undefined;
  }

  /** What the host printed: stdout after the port line, and stderr. */
  hostLines(): string[] {
    return this.host.lines();
  }

  /** Every distinct serialized `__provider` text seen, in the order first seen. */
  providerTexts(): string[] {
    return [...this.texts];
  }

  exportState(): string {
    return JSON.stringify([...this.state.values()], null, 2);
  }

  importState(json: string): void {
    const parsed: unknown = JSON.parse(json);
    if (!Array.isArray(parsed)) throw new Error("engine harness: state JSON must be an array of resources");
    this.state.clear();
    for (const r of parsed as ResourceState[]) this.state.set(r.urn, r);
  }

  up(program: () => unknown): Promise<RunResult> {
    return this.runProgram("up", program);
  }

  preview(program: () => unknown): Promise<RunResult> {
    return this.runProgram("preview", program);
  }

  /**
   * Refresh as the engine runs it (recorded from Pulumi's CLI 3.276, test/e2e/record.e2e.ts): a Read for each
   * resource in state, `parallel` at a time; one the provider reports gone is removed from state. After each
   * Read, the engine's refresh diff (pkg/resource/deploy/step.go RefreshStep): Diff with the read outputs and
   * inputs as the old side and the stored inputs as the new side; a failing Diff fails the refresh.
   */
  async refresh(): Promise<RunResult> {
    return this.exclusive("refresh", async () => {
      const resources = [...this.state.values()];
      const done = new Map<string, StepRecord>();
      const workers = new Lanes(this.parallel);
      const failures: string[] = [];
      await Promise.all(
        resources.map(async (r) => {
          const release = await workers.acquire();
          try {
            if (failures.length > 0) return;
            let step = "read";
            try {
              const res = await this.host.read(r.id, r.urn, r.outputs, r.inputs);
              if (!res.id) {
                this.state.delete(r.urn);
                done.set(r.urn, { urn: r.urn, name: r.name, op: "delete" });
                return;
              }
              const inputs = res.inputs ?? r.inputs;
              this.state.set(r.urn, { ...r, id: res.id, outputs: res.properties, inputs });
              step = "diff";
              await this.host.diff(res.id, r.urn, res.properties, r.inputs, inputs);
              done.set(r.urn, { urn: r.urn, name: r.name, op: "read" });
            } catch (err) {
              failures.push(`refresh failed: ${step} of ${describe(r)} failed: ${errorMessage(err)}`);
            }
          } finally {
            release();
          }
        }),
      );
      const steps = resources.map((r) => done.get(r.urn)).filter((s): s is StepRecord => s !== undefined);
      if (failures.length > 0) throw new EngineError(failures[0], steps, []);
      return { steps };
    });
  }

  /** Delete for each resource in state, in reverse creation order. */
  async destroy(): Promise<RunResult> {
    return this.exclusive("destroy", async () => {
      const steps: StepRecord[] = [];
      for (const r of [...this.state.values()].reverse()) {
        try {
          await this.host.delete(r.id, r.urn, r.outputs, r.inputs);
        } catch (err) {
          throw new EngineError(
            `destroy failed: delete of ${describe(r)} failed: ${errorMessage(err)}`,
            steps,
            [],
          );
        }
        this.state.delete(r.urn);
        steps.push({ urn: r.urn, name: r.name, op: "delete" });
      }
      return { steps };
    });
  }

  /** Stops the host and removes the project directory. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.host.stop();
    fs.rmSync(this.projectDir, { recursive: true, force: true });
  }

  private async exclusive<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.stopped) throw new Error(`engine harness: ${what} after stop()`);
    if (activeRun) {
      throw new Error(`engine harness: ${what} while "${activeRun}" is running (one run at a time per process)`);
    }
    activeRun = what;
    try {
      return await fn();
    } finally {
      await this.host.settled();
      activeRun = undefined;
    }
  }

  private runProgram(kind: "up" | "preview", program: () => unknown): Promise<RunResult> {
    return this.exclusive(kind, async () => {
      const run: Run = {
        kind,
        generator: new Lanes(1),
        workers: new Lanes(this.parallel),
        steps: [],
        errors: [],
        failures: [],
        registered: new Set(),
        pending: 0,
        started: 0,
      };
      const preview = kind === "preview";
      pulumi.runtime.setAllConfig({ ...this.config });
      await pulumi.runtime.setMocks(
        {
          newResource: async (args) => {
            run.pending++;
            run.started++;
            try {
              return await this.register(run, args);
            } catch (err) {
              run.errors.push(`${args.name} [${args.type}]: ${errorMessage(err)}`);
              return { id: undefined, state: {} };
            } finally {
              run.pending--;
            }
          },
          call: (args) => {
            throw new Error(`engine harness: invoke ${args.token} is not supported`);
          },
        },
        this.project,
        this.stack,
        preview,
      );

      // A program error does not stop registrations already under way (they are settled first).
      let programError: string | undefined;
      try {
        await program();
      } catch (err) {
        programError = `the program failed: ${errorMessage(err)}`;
      }
      await settle(run);
      if (programError) run.errors.push(programError);

      if (run.errors.length === 0 || this.continueOnError) {
        const stale = [...this.state.values()].filter((r) => !run.registered.has(r.urn)).reverse();
        if (preview) {
          for (const r of stale) run.steps.push({ urn: r.urn, name: r.name, op: "delete" });
        } else {
          await this.deleteStale(run, stale);
        }
      }

      if (run.errors.length > 0) {
        throw new EngineError(`${kind} failed: ${run.errors.join("; ")}`, run.steps, run.failures, [...run.errors]);
      }
      return { steps: run.steps };
    });
  }

  /**
   * Deletes resources the program no longer declares, `parallel` at a time, in the order given. After a failure
   * no new delete starts, unless `continueOnError`.
   */
  private async deleteStale(run: Run, stale: ResourceState[]): Promise<void> {
    await Promise.all(
      stale.map(async (r) => {
        const release = await run.workers.acquire();
        try {
          if (run.errors.length > 0 && !this.continueOnError) return;
          await this.host.delete(r.id, r.urn, r.outputs, r.inputs);
          this.state.delete(r.urn);
          run.steps.push({ urn: r.urn, name: r.name, op: "delete" });
        } catch (err) {
          run.errors.push(`delete of ${describe(r)} failed: ${errorMessage(err)}`);
        } finally {
          release();
        }
      }),
    );
  }

  /** The engine's work for one registered resource. Returns what the program sees as id and outputs. */
  private async register(
    run: Run,
    args: pulumi.runtime.MockResourceArgs,
  ): Promise<pulumi.runtime.MockResourceResult> {
    const rawInputs: unknown = args.inputs;
    if (!args.custom) {
      // A component: nothing for a provider to do.
      return { id: undefined, state: isRecord(rawInputs) ? rawInputs : {} };
    }
    if (!args.type.startsWith(DYNAMIC_TYPE_PREFIX)) {
      throw new Error(`only dynamic resources (${DYNAMIC_TYPE_PREFIX}...) are supported by this harness`);
    }
    const urn = `urn:pulumi:${this.stack}::${this.project}::${args.type}::${args.name}`;
    if (run.registered.has(urn)) throw new Error(`duplicate resource URN ${urn}`);
    run.registered.add(urn);

    const news: PropertyMap = {};
    const secretInputKeys: string[] = [];
    for (const [k, v] of Object.entries(isRecord(rawInputs) ? rawInputs : {})) {
      if (v === undefined) continue;
      const r = engineValue(v);
      news[k] = r.value;
      if (r.secret) secretInputKeys.push(k);
    }
    const text = news.__provider;
    if (typeof text !== "string") throw new Error("the resource has no serialized __provider input");
    if (!this.texts.includes(text)) this.texts.push(text);

    const label = `${args.name} [${args.type}]`;
    const stepGen = await run.generator.acquire();
    let worker: (() => void) | undefined;
    /** Hands the planned step to a worker and frees the step generator; false once the run has stopped. */
    const toWorker = async (): Promise<boolean> => {
      worker ??= await run.workers.acquire();
      stepGen();
      return run.errors.length === 0 || this.continueOnError;
    };
    try {
      // The engine stops starting new steps once one has failed.
      if (run.errors.length > 0 && !this.continueOnError) return { id: undefined, state: {} };
      return await this.step(run, args, urn, label, news, secretInputKeys, toWorker);
    } finally {
      stepGen();
      worker?.();
    }
  }

  /** Check, Diff and the operation for one registration (see `register` for the step generator's order). */
  private async step(
    run: Run,
    args: pulumi.runtime.MockResourceArgs,
    urn: string,
    label: string,
    news: PropertyMap,
    secretInputKeys: string[],
    toWorker: () => Promise<boolean>,
  ): Promise<pulumi.runtime.MockResourceResult> {
    const preview = run.kind === "preview";
    const old = this.state.get(urn);

    let checked: PropertyMap;
    try {
      const res = await this.host.check(urn, old ? old.inputs : {}, news);
      if (res.failures.length > 0) {
        run.steps.push({ urn, name: args.name, op: old ? "update" : "create", failures: res.failures });
        for (const f of res.failures) run.failures.push({ urn, name: args.name, ...f });
        run.errors.push(`${label}: check failed: ${formatFailures(res.failures)}`);
        return { id: undefined, state: {} };
      }
      checked = res.inputs;
    } catch (err) {
      run.errors.push(`${label}: check failed: ${errorMessage(err)}`);
      return { id: undefined, state: {} };
    }

    if (!old) {
      if (preview) {
        run.steps.push({ urn, name: args.name, op: "create" });
        return { id: undefined, state: checked };
      }
      if (!(await toWorker())) return { id: undefined, state: {} };
      try {
        const res = await this.host.create(urn, checked);
        this.state.set(urn, this.record(urn, args, res.id, checked, res.properties, secretInputKeys));
        run.steps.push({ urn, name: args.name, op: "create" });
        return { id: res.id, state: res.properties };
      } catch (err) {
        this.failedWrite(run, err, urn, args, checked, secretInputKeys, "create", undefined);
        return { id: undefined, state: {} };
      }
    }

    if (this.parallelDiff && !(await toWorker())) return { id: old.id, state: old.outputs };
    let diff;
    try {
      diff = await this.host.diff(old.id, urn, old.outputs, checked, old.inputs);
    } catch (err) {
      run.errors.push(`${label}: diff failed: ${errorMessage(err)}`);
      return { id: old.id, state: old.outputs };
    }
    const diffRecord = {
      changes: diff.changes,
      replaces: diff.replaces,
      deleteBeforeReplace: diff.deleteBeforeReplace,
    };
    let op: "same" | "update" | "replace";
    if (diff.changes === DIFF_SOME) op = diff.replaces.length > 0 ? "replace" : "update";
    else if (diff.changes === DIFF_NONE) op = "same";
    else if (diff.changes === DIFF_UNKNOWN) op = deepEqual(old.inputs, checked) ? "same" : "update";
    else throw new Error(`diff answered an unknown DiffChanges value ${diff.changes}`);
    const step: StepRecord = { urn, name: args.name, op, diff: diffRecord };

    if (preview) {
      run.steps.push(step);
      if (op === "same") return { id: old.id, state: old.outputs };
      if (op === "update") return { id: old.id, state: checked };
      return { id: undefined, state: checked };
    }

    if (op === "same") {
      this.state.set(urn, { ...old, inputs: checked, secretInputKeys });
      run.steps.push(step);
      return { id: old.id, state: old.outputs };
    }
    if (!(await toWorker())) return { id: old.id, state: old.outputs };

    if (op === "update") {
      try {
        const res = await this.host.update(old.id, urn, old.outputs, checked, old.inputs);
        this.state.set(urn, this.record(urn, args, old.id, checked, res.properties, secretInputKeys));
        run.steps.push(step);
        return { id: old.id, state: res.properties };
      } catch (err) {
        this.failedWrite(run, err, urn, args, checked, secretInputKeys, "update", step);
        return { id: old.id, state: this.state.get(urn)?.outputs ?? old.outputs };
      }
    }

    // Replace.
    const deleteOld = async (): Promise<boolean> => {
      try {
        await this.host.delete(old.id, urn, old.outputs, old.inputs);
        return true;
      } catch (err) {
        run.errors.push(`${label}: delete of the replaced resource (id ${old.id}) failed: ${errorMessage(err)}`);
        return false;
      }
    };
    // The entry keeps its place in state (creation order, which destroy reverses) across the replace.
    if (diff.deleteBeforeReplace && !(await deleteOld())) return { id: old.id, state: old.outputs };
    let created;
    try {
      created = await this.host.create(urn, checked);
    } catch (err) {
      const partial = err instanceof ResourceInitError && err.id !== "";
      // Delete-before-replace with nothing created: the old resource is gone, so is its state.
      if (diff.deleteBeforeReplace && !partial) this.state.delete(urn);
      this.failedWrite(run, err, urn, args, checked, secretInputKeys, "replace", step);
      return { id: undefined, state: {} };
    }
    if (!diff.deleteBeforeReplace) {
      // Create-then-delete: the new resource is in state even if the old one cannot be deleted.
      this.state.set(urn, this.record(urn, args, created.id, checked, created.properties, secretInputKeys));
      if (!(await deleteOld())) {
        run.steps.push(step);
        return { id: created.id, state: created.properties };
      }
    } else {
      this.state.set(urn, this.record(urn, args, created.id, checked, created.properties, secretInputKeys));
    }
    run.steps.push(step);
    return { id: created.id, state: created.properties };
  }

  private record(
    urn: string,
    args: pulumi.runtime.MockResourceArgs,
    id: string,
    inputs: PropertyMap,
    outputs: PropertyMap,
    secretInputKeys: string[],
  ): ResourceState {
    return {
      urn,
      name: args.name,
      type: args.type,
      id,
      inputs: clone(inputs),
      outputs: clone(outputs),
      secretInputKeys: [...secretInputKeys],
    };
  }

  /** A create/update failed: keep a partially created resource (ErrorResourceInitFailed), fail the run. */
  private failedWrite(
    run: Run,
    err: unknown,
    urn: string,
    args: pulumi.runtime.MockResourceArgs,
    inputs: PropertyMap,
    secretInputKeys: string[],
    op: "create" | "update" | "replace",
    step: StepRecord | undefined,
  ): void {
    const label = `${args.name} [${args.type}]`;
    if (err instanceof ResourceInitError && err.id) {
      const prior = this.state.get(urn);
      const outputs = Object.keys(err.properties).length > 0 ? err.properties : (prior?.outputs ?? inputs);
      this.state.set(urn, this.record(urn, args, err.id, inputs, outputs, secretInputKeys));
      run.steps.push(step ?? { urn, name: args.name, op });
      const reasons = err.reasons.length > 0 ? ` (${err.reasons.join("; ")})` : "";
      run.errors.push(
        `${label}: ${op} left the resource partially initialized with id ${err.id}: ${err.message}${reasons}`,
      );
      return;
    }
    run.errors.push(`${label}: ${op} failed: ${errorMessage(err)}`);
  }
}

function describe(r: ResourceState): string {
  return `${r.name} [${r.type}] (id ${r.id})`;
}

function formatFailures(failures: CheckFailure[]): string {
  return failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
}

/** Waits until the program has no registration pending (including ones started by later applies). */
async function settle(run: Run): Promise<void> {
  const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  let lastStarted = -1;
  for (;;) {
    if (waitForRPCs) await waitForRPCs();
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (run.pending === 0 && run.started === lastStarted) return;
    if (run.pending > 0) await new Promise<void>((resolve) => setTimeout(resolve, 5));
    lastStarted = run.started;
  }
}
