/**
 * The bench through Pulumi's own CLI (built by `npm run setup:pulumi`): N Tencent applications created by one
 * `pulumi up`, with `--parallel N` and with the CLI's default parallelism, on both paths (the plugin through a
 * YAML program, the Node.js SDK through the Automation API), against the emulator with its rate limits on.
 * Wall time against the floor N / 10 s, and the peak RSS of the provider host process(es) the engine started
 * (VmHWM, sampled until they exit). `realNoopRuns`: the no-op `pulumi preview` and `pulumi up` of a stack whose
 * applications are all issued and recorded so in state, wall time against the floor and requests per resource.
 * Skipped with a note when the CLI has not been built. No jest here.
 */
import fs from "node:fs";
import { Emulator } from "../../emulator/server";
import type { EmulatorLogEntry } from "../../emulator/types";
import { descendants, missingPulumi, Workspace } from "../e2e/cli";
import { exampleArgs, type Cloud } from "../e2e/programs";
import { E2eStack, providerConfig, type PathKind } from "../e2e/stack";

export interface RealRun {
  path: PathKind;
  n: number;
  parallel: "N" | "default";
  wallS: number;
  ratio: number;
  rssMb: number;
}

/** Peak RSS in MB (VmHWM) of a process, or 0 once it is gone. */
function peakMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function once(kind: PathKind, n: number, parallel: "N" | "default", floorRate: number): Promise<RealRun> {
  const emulator = await new Emulator().start();
  const ws = new Workspace("certapply-bench-real-");
  try {
    const stack = await E2eStack.create(ws, kind, `bench-${kind}`, providerConfig(emulator));
    const resources = Array.from({ length: n }, (_, i) => {
      const id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
      return { name: `app${i}`, properties: { ...exampleArgs("tencent", id, { commonName: `www${i}.example.com` }), dnsNames: [`app${i}.example.com`] } };
    });
    await stack.declare(resources);
    const peaks = new Map<number, number>();
    let timer: NodeJS.Timeout | undefined;
    const res = await stack.op("up", parallel === "N" ? ["--parallel", String(n)] : [], {
      onStart: (pid) => {
        timer = setInterval(() => {
          for (const p of descendants(pid).filter((d) => /run-plugin|dynamic-provider/.test(d.cmd))) {
            peaks.set(p.pid, Math.max(peaks.get(p.pid) ?? 0, peakMb(p.pid)));
          }
        }, 200);
      },
    });
    clearInterval(timer);
    const wallS = res.ms / 1000;
    return { path: kind, n, parallel, wallS, ratio: wallS / (n / floorRate), rssMb: Math.max(0, ...peaks.values()) };
  } finally {
    await emulator.stop();
    ws.dispose();
  }
}

/**
 * Every combination, `runs` times each; undefined (with the reason) when the CLI is not built. Each `up` has its
 * own emulator and backend, so runs do not share rate windows.
 */
export async function realEngineRuns(sizes: number[], runs: number, floorRate: number): Promise<{ skipped: string } | { runs: RealRun[] }> {
  const missing = missingPulumi();
  if (missing) return { skipped: missing };
  const out: RealRun[] = [];
  for (const n of sizes) {
    for (const kind of ["plugin", "node"] as const) {
      for (const parallel of ["N", "default"] as const) {
        for (let r = 0; r < runs; r++) {
          const res = await once(kind, n, parallel, floorRate);
          out.push(res);
          process.stderr.write(`  [bench] real CLI: ${kind} N=${n} parallel ${parallel} run ${r + 1}/${runs}: ${JSON.stringify(res)}\n`);
        }
      }
    }
  }
  return { runs: out };
}

/** One no-op run of a settled stack through the real CLI. */
export interface RealNoopRun {
  cloud: Cloud;
  path: PathKind;
  n: number;
  op: "preview" | "up";
  wallS: number;
  ratio: number;
  /** Requests to the cloud per resource (list pages, direct reads and their exports; tokens left out). */
  requests: number;
}

/** Seeds a purchased certificate (Tencent, Huawei) and answers its id. */
async function seedCertificate(emulator: Emulator, cloud: Cloud): Promise<string> {
  if (cloud === "tencent") return emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
  const r = await emulator.huawei.control("seed", {});
  if (r.status !== 200) throw new Error(`seeding a Huawei certificate: ${JSON.stringify(r.body)}`);
  return String((r.body as { certificateId: string }).certificateId);
}

async function issue(emulator: Emulator, cloud: Cloud, id: string): Promise<void> {
  const r = cloud === "tencent" ? await emulator.tencent.control("issue", { certificateId: id }) : await emulator.huawei.control("issue", { id, certificateId: id });
  if (r.status !== 200) throw new Error(`issuing ${cloud} ${id}: ${JSON.stringify(r.body)}`);
}

const isToken = (e: EmulatorLogEntry) => /token|\/auth\/|domains/i.test(e.action);

/**
 * A stack of `n` applications on `cloud` created by one `up --parallel n`, issued through the emulator's control
 * API and recorded by one more `up`; then, measured, `preview` and `up` with the CLI's defaults, in turn, `runs`
 * times each. Each stack has its own emulator.
 */
async function noopStack(cloud: Cloud, kind: PathKind, n: number, runs: number, floorRate: number): Promise<RealNoopRun[]> {
  const emulator = await new Emulator().start();
  const ws = new Workspace("certapply-bench-noop-");
  try {
    const stack = await E2eStack.create(ws, kind, `noop-${cloud}-${kind}`, providerConfig(emulator));
    const ids: string[] = [];
    const resources = [];
    for (let i = 0; i < n; i++) {
      const id = await seedCertificate(emulator, cloud);
      ids.push(id);
      resources.push({ name: `app${i}`, properties: { ...exampleArgs(cloud, id, { commonName: `www${i}.example.com` }), dnsNames: [`app${i}.example.com`], waitFor: "submitted" } });
    }
    await stack.declare(resources);
    await stack.op("up", ["--parallel", String(n)]);
    for (const id of ids) await issue(emulator, cloud, id);
    await stack.op("up"); // records "issued" in state (one read each); from here on a run changes nothing
    const out: RealNoopRun[] = [];
    for (let r = 0; r < runs; r++) {
      for (const op of ["preview", "up"] as const) {
        emulator.clearLog();
        const res = await stack.op(op, op === "up" ? ["--expect-no-changes"] : []);
        const requests = emulator.log.filter((e) => e.cloud === cloud && !isToken(e)).length / n;
        const run: RealNoopRun = { cloud, path: kind, n, op, wallS: res.ms / 1000, ratio: res.ms / 1000 / (n / floorRate), requests };
        out.push(run);
        process.stderr.write(`  [bench] real CLI no-op: ${JSON.stringify(run)}\n`);
      }
    }
    return out;
  } finally {
    await emulator.stop();
    ws.dispose();
  }
}

/** The no-op preview and up of settled stacks through the real CLI, per cloud, path and size; skipped without the CLI. */
export async function realNoopRuns(clouds: Cloud[], sizes: number[], runs: number, floorRate: number): Promise<{ skipped: string } | { runs: RealNoopRun[] }> {
  const missing = missingPulumi();
  if (missing) return { skipped: missing };
  const out: RealNoopRun[] = [];
  for (const n of sizes) for (const cloud of clouds) for (const kind of ["plugin", "node"] as const) out.push(...(await noopStack(cloud, kind, n, runs, floorRate)));
  return { runs: out };
}
