/**
 * One pipeline: a `pulumi up` of N applications in a process of its own, with its own provider host
 * (Pulumi's dynamic-provider host, through test/harness/engine.ts). The bench and the shared-account test
 * start several against one emulator, as several CI pipelines of one account would run.
 *
 * Run as `node dist/test/bench/pipeline.js` with the job in CERTAPPLY_PIPELINE (JSON); it prints one line
 * `PIPELINE_RESULT {...}`. No jest here: the bench runs the compiled file.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CertificateApplicationArgs } from "../../sdk";
import type { CloudName } from "../../provider/resources/types";
import { Engine, repoRoot } from "../harness/engine";
import { installedCopy } from "../package/tools";

/** What a pipeline does. */
export interface PipelineJob {
  cloud: CloudName;
  /** Stack config pointing at the emulator (namespaced keys). */
  config: Record<string, string>;
  /** One entry per application: the seeded certificate id (Tencent, Huawei) or "" (Edgecast creates its own). */
  ids: string[];
  /** Prefix of resource names and common names, unique per pipeline. */
  prefix: string;
  /** Resource operations at once, like `pulumi up --parallel N`; default the CLI's (4 per CPU). */
  parallel?: number;
  /**
   * After the creating `up`, no-op runs in this order, each with a provider host of its own:
   * - "noop": an `up` as the CLI runs it by default (one Diff at a time), the applications in flight;
   *   "noopListOff": the same with the shared list reads taken out of the provider (the code path before them);
   * - "noopParallelDiff": PULUMI_PARALLEL_DIFF=true (`parallel` Diffs at once); "floor": the same through a
   *   provider that only paces at 10 reads/s (Pulumi's host alone);
   * - "noopIssued": the first `up` once every application was issued (through the emulator's control API at
   *   `controlUrl`): each Diff reads its application, whose status moved, and the update records it;
   * - "noopSettled" / "previewSettled": a no-op `up` / `preview` of the stack whose state says issued, as on every
   *   later run (the Diffs share list pages); "settledListOff": that `up` without the shared list reads; "null":
   *   that `up` through a provider that answers every call at once (the program, Pulumi's host and the harness
   *   alone: what no provider can cut).
   */
  noops?: NoopPhase[];
  /** The emulator's base URL, for "noopIssued". */
  controlUrl?: string;
}

export type NoopPhase = "noop" | "noopListOff" | "noopParallelDiff" | "floor" | "noopIssued" | "noopSettled" | "previewSettled" | "settledListOff" | "null";

/** Phases that run against a stand-in package and leave the state as it was. */
const STAND_IN: ReadonlySet<Phase> = new Set<Phase>(["floor", "null"]);
export type Phase = "create" | NoopPhase;

/** One `up`: when it ran (epoch ms, to split the emulator's log) and its provider host's peak RSS (VmHWM). */
export interface PhaseResult {
  start: number;
  end: number;
  hostPeakRssMb?: number;
}

/** What a pipeline reports. */
export interface PipelineResult {
  /** The error a user would see, when the run failed. */
  error?: string;
  created: number;
  phases: Partial<Record<Phase, PhaseResult>>;
  /** Lines the host printed (progress and errors as a user sees them). */
  hostLines: string[];
  /** Largest serialized `__provider` text, bytes. */
  providerBytes: number;
}

const RESULT_TAG = "PIPELINE_RESULT ";

/** Valid arguments of application `i` on a cloud; names are unique so nothing is adopted across resources. */
export function applicationArgs(cloud: CloudName, id: string, name: string): CertificateApplicationArgs {
  const commonName = `${name}.example.com`;
  const person = { firstName: "Ning", lastName: "Huang", email: "admin@example.com", phone: "13112341234", title: "CTO" };
  switch (cloud) {
    case "tencent":
      return {
        cloud,
        certificateId: id,
        commonName,
        dnsNames: [],
        validationMethod: "DNS",
        organization: {
          name: "Example Ltd",
          division: "IT",
          address: "1 Example Road",
          city: "Guangzhou",
          region: "Guangdong",
          country: "CN",
          phoneAreaCode: "020",
          phoneNumber: "12345678",
        },
        admin: person,
        tech: person,
        waitFor: "submitted",
      };
    case "huawei":
      return { cloud, certificateId: id, commonName, dnsNames: [], validationMethod: "DNS", admin: person, tech: person, waitFor: "submitted" };
    case "edgecast":
      return { cloud, commonName, dnsNames: [], validationMethod: "DnsTxtToken", edgecast: { description: name }, waitFor: "submitted" };
  }
}

/** Peak RSS (VmHWM) of the child processes of this process, MB: the provider host. Linux only. */
function childPeakRssMb(): number | undefined {
  let peak: number | undefined;
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== process.pid) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      if (hwm) peak = Math.max(peak ?? 0, Number(hwm[1]) / 1024);
    } catch {
      // the process went away
    }
  }
  return peak;
}

/**
 * The SDK as an npm install lays it out: certapply a directory under node_modules, its dependencies beside it
 * (links to this checkout's). Loaded from there, the shims serialize into state as users get them.
 */
function installedSdk(dir: string): typeof import("../../sdk") {
  return require(installedCopy(repoRoot(), dir, ["dist/sdk", "dist/provider"])) as typeof import("../../sdk");
}

/**
 * An installed certapply whose provider entry is the floor provider (floor-provider.ts), pacing its Diffs at
 * `intervalMs` apart: 100 for the host alone at 10/s, 0 for a provider that costs nothing.
 */
function floorPackage(dir: string, intervalMs: number): string {
  const pkg = installedCopy(repoRoot(), dir, ["dist/sdk"]);
  fs.mkdirSync(path.join(pkg, "dist", "provider"), { recursive: true });
  fs.writeFileSync(
    path.join(pkg, "dist", "provider", "index.js"),
    `module.exports = require(${JSON.stringify(path.join(__dirname, "floor-provider.js"))}).pacedAt(${intervalMs});\n`,
  );
  return pkg;
}

/**
 * An installed certapply without the shared list reads: its status-batch module answers no Diff, so every Diff
 * reads its application directly, as before the list reads existed. The bench's A/B switch, not a setting.
 */
function listOffPackage(dir: string): string {
  const pkg = installedCopy(repoRoot(), dir, ["dist/sdk", "dist/provider"]);
  const batch = path.join(pkg, "dist", "provider", "resources", "status-batch.js");
  fs.renameSync(batch, batch.replace(/\.js$/, ".shared.js"));
  fs.writeFileSync(batch, `module.exports = { ...require("./status-batch.shared.js"), planFromList: async () => undefined };\n`);
  return pkg;
}

/** Issues every created application through the emulator's control API (POST /_control/<cloud>/issue). */
async function issueAll(job: PipelineJob, ids: string[]): Promise<void> {
  if (!job.controlUrl) throw new Error("noopIssued needs controlUrl");
  for (const id of ids) {
    const r = await fetch(`${job.controlUrl}/_control/${job.cloud}/issue`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ id, certificateId: id }),
    });
    if (r.status !== 200) throw new Error(`issuing ${id}: HTTP ${r.status} ${await r.text()}`);
  }
}

/** Runs a job in this process: one `up` that creates, then each of `noops`, each `up` with a host of its own. */
export async function runPipeline(job: PipelineJob): Promise<PipelineResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "certapply-bench-"));
  const result: PipelineResult = { created: 0, phases: {}, hostLines: [], providerBytes: 0 };
  const texts = new Set<string>();
  let state: string | undefined;
  try {
    const sdk = installedSdk(path.join(dir, "sdk"));
    const program = () => job.ids.map((id, i) => new sdk.CertificateApplication(`${job.prefix}${i}`, applicationArgs(job.cloud, id, `${job.prefix}${i}`)));
    let createdIds: string[] = [];
    const packages = new Map<Phase, string>();
    const packageFor = (phase: Phase): string | undefined => {
      if (!packages.has(phase)) {
        if (phase === "floor") packages.set(phase, floorPackage(path.join(dir, phase), 100));
        else if (phase === "null") packages.set(phase, floorPackage(path.join(dir, phase), 0));
        else if (phase === "noopListOff" || phase === "settledListOff") packages.set(phase, listOffPackage(path.join(dir, phase)));
      }
      return packages.get(phase);
    };
    for (const phase of ["create", ...(job.noops ?? [])] as Phase[]) {
      if (phase === "noopIssued") await issueAll(job, createdIds);
      const packageDir = packageFor(phase);
      const engine = await Engine.start({
        config: job.config,
        project: `bench-${job.prefix}`,
        ...(job.parallel ? { parallel: job.parallel } : {}),
        parallelDiff: phase === "noopParallelDiff" || phase === "floor",
        ...(packageDir ? { packageDir } : {}),
        ...(state ? { state } : {}),
      });
      try {
        const start = Date.now();
        try {
          await (phase === "previewSettled" ? engine.preview(program) : engine.up(program));
        } catch (err) {
          result.error = `${phase}: ${(err as Error).message}`;
        }
        result.phases[phase] = { start, end: Date.now(), hostPeakRssMb: childPeakRssMb() };
        if (phase === "create") {
          result.created = engine.state.size;
          createdIds = [...engine.state.values()].map((r) => r.id).filter((id) => id !== "");
        }
        result.hostLines.push(...engine.hostLines());
        for (const t of engine.providerTexts()) texts.add(t);
        if (!STAND_IN.has(phase)) state = engine.exportState();
      } finally {
        await engine.stop();
      }
      if (result.error) break;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  result.providerBytes = Math.max(0, ...[...texts].map((t) => Buffer.byteLength(t)));
  return result;
}

/** Runs a job in a new process (the compiled dist/test/bench/pipeline.js: `npm run build` first). */
export function runPipelineProcess(job: PipelineJob): Promise<PipelineResult> {
  const script = path.join(repoRoot(), "dist", "test", "bench", "pipeline.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, CERTAPPLY_PIPELINE: JSON.stringify(job) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.once("error", reject);
    // "close", not "exit": the pipes may still hold the end of a long result line when the process exits.
    child.once("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith(RESULT_TAG));
      if (!line) return reject(new Error(`pipeline ${job.prefix} exited ${code} without a result: ${err.slice(-2000)}`));
      try {
        resolve(JSON.parse(line.slice(RESULT_TAG.length)) as PipelineResult);
      } catch (e) {
        reject(new Error(`pipeline ${job.prefix} exited ${code} with a result that is not JSON (${(e as Error).message})`));
      }
    });
  });
}

if (require.main === module) {
  const job = JSON.parse(process.env.CERTAPPLY_PIPELINE ?? "null") as PipelineJob | null;
  if (!job) {
    process.stderr.write("CERTAPPLY_PIPELINE (a JSON job) is not set\n");
    process.exit(2);
  }
  runPipeline(job)
    .then((r) => {
      // Exit once the line is written: stdout to a pipe is asynchronous, and a long result would be cut off.
      process.stdout.write(`${RESULT_TAG}${JSON.stringify(r)}\n`, () => process.exit(0));
    })
    .catch((e: unknown) => {
      process.stderr.write(`pipeline failed: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    });
}
