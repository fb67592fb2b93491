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
  /** Also run a second, no-op `up` (with a provider host of its own) and time it. */
  noop?: boolean;
}

/** What a pipeline reports. */
export interface PipelineResult {
  /** The error a user would see, when the run failed. */
  error?: string;
  created: number;
  createMs: number;
  noopMs?: number;
  /** Epoch ms at which each `up` started and ended, to split the emulator's log. */
  phases: { createStart: number; createEnd: number; noopStart?: number; noopEnd?: number };
  /** Peak resident memory (VmHWM), MB, of the creating `up`'s provider host. */
  hostPeakRssCreateMb?: number;
  /** The same of the no-op `up`'s host: each `pulumi up` starts its own, as the CLI does. */
  hostPeakRssNoopMb?: number;
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
function installedSdk(): { sdk: typeof import("../../sdk"); dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "certapply-bench-"));
  const pkg = installedCopy(repoRoot(), dir, ["dist/sdk", "dist/provider"]);
  return { sdk: require(pkg) as typeof import("../../sdk"), dir };
}

/** Runs a job in this process: one `up` that creates, then (`noop`) a second `up` with a host of its own. */
export async function runPipeline(job: PipelineJob): Promise<PipelineResult> {
  const { sdk, dir } = installedSdk();
  const result: PipelineResult = { created: 0, createMs: 0, phases: { createStart: 0, createEnd: 0 }, hostLines: [], providerBytes: 0 };
  const program = () => job.ids.map((id, i) => new sdk.CertificateApplication(`${job.prefix}${i}`, applicationArgs(job.cloud, id, `${job.prefix}${i}`)));
  const texts = new Set<string>();
  let state: string | undefined;
  try {
    for (const phase of job.noop ? (["create", "noop"] as const) : (["create"] as const)) {
      const engine = await Engine.start({ config: job.config, project: `bench-${job.prefix}`, ...(state ? { state } : {}) });
      try {
        const start = Date.now();
        try {
          await engine.up(program);
        } catch (err) {
          result.error = (err as Error).message;
        }
        const end = Date.now();
        if (phase === "create") {
          Object.assign(result.phases, { createStart: start, createEnd: end });
          result.createMs = end - start;
          result.created = engine.state.size;
          result.hostPeakRssCreateMb = childPeakRssMb();
        } else {
          Object.assign(result.phases, { noopStart: start, noopEnd: end });
          result.noopMs = end - start;
          result.hostPeakRssNoopMb = childPeakRssMb();
        }
        result.hostLines.push(...engine.hostLines());
        for (const t of engine.providerTexts()) texts.add(t);
        state = engine.exportState();
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
    child.once("exit", (code) => {
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
