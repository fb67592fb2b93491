/**
 * The bench through Pulumi's own CLI (built by `npm run setup:pulumi`): N Tencent applications created by one
 * `pulumi up`, with `--parallel N` and with the CLI's default parallelism, on both paths (the plugin through a
 * YAML program, the Node.js SDK through the Automation API), against the emulator with its rate limits on.
 * Wall time against the floor N / 10 s, and the peak RSS of the provider host process(es) the engine started
 * (VmHWM, sampled until they exit). Skipped with a note when the CLI has not been built. No jest here.
 */
import fs from "node:fs";
import { Emulator } from "../../emulator/server";
import { descendants, missingPulumi, Workspace } from "../e2e/cli";
import { exampleArgs } from "../e2e/programs";
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
      const id = emulator.tencent.seed({ productType: "dv", domainCount: 1 }).certificateId;
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
          out.push(await once(kind, n, parallel, floorRate));
          process.stderr.write(`  [bench] real CLI: ${kind} N=${n} parallel ${parallel} run ${r + 1}/${runs} done\n`);
        }
      }
    }
  }
  return { runs: out };
}
