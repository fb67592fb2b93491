/**
 * `npm run bench`: figures of the machine at hand, each as min / median / max of several runs (3 unless
 * `--runs N`); micro benchmarks are warmed up first. Figures, not assertions: the tests assert behaviour.
 *
 * - micro: signatures and check() per second, a signed round trip to the emulator;
 * - the provider entry (`certapply/provider`, what the serialized shims load): module load time, files loaded;
 * - per cloud and N (50, 200; 800 with `--n800`): N applications created by one `pulumi up --parallel N` in a
 *   process of its own through Pulumi's provider host, against the emulator with its rate limits on, then the no-op
 *   runs of pipeline.ts `noops` (in flight with the shared list reads on and off, parallel diffs, the floor provider,
 *   the first `up` once all are issued, then the settled `up` on and off, `preview`, and a provider that costs
 *   nothing), each as wall time, from its first request, and requests per resource. Wall time against the floor N / 10 s (Tencent documents 10 requests/s
 *   per action; Huawei and Edgecast document none and the provider starts there); reads and writes per create
 *   and per no-op `up`; throttles the server sent and throttles a user saw; the peak RSS of each `up`'s
 *   provider host (each `up` starts its own, as the Pulumi CLI does), and its growth per 100 resources. The
 *   SDK is loaded as an npm install lays it out, so `__provider` in state is what users get;
 * - the shared account: three such pipelines of 60 Tencent applications each against one emulator;
 * - the size of the serialized `__provider` text per resource;
 * - through Pulumi's own CLI (test/bench/real-engine.ts; skipped with a note unless `npm run setup:pulumi` built
 *   it): Tencent N creates by one real `pulumi up`, `--parallel N` and the CLI's default, through the plugin and
 *   the Node.js SDK, wall / floor and the provider host's peak RSS, beside the figures above.
 *
 * - `--only noop`: the no-op runs alone; `--only real-noop`: the no-op `preview` and `up` of settled Tencent and
 *   Huawei stacks through Pulumi's own CLI alone (N up to 200, `--real-n800` for 800), wall / floor and requests.
 *
 * `--clouds tencent,huawei`, `--sizes 20,50` and `--runs 1` narrow a run for a quick look; `--sequential` runs the
 * clouds one after another instead of side by side (each has its own emulator and limits either way).
 */
import { execFileSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { signRequest } from "../../provider/clouds/huawei/signer";
import { TencentClient } from "../../provider/clouds/tencent/client";
import { signTc3 } from "../../provider/clouds/tencent/signer";
import { ProviderConfig } from "../../provider/config";
import type { CloudContext } from "../../provider/resources/backend";
import { check } from "../../provider/resources/application";
import type { CloudName } from "../../provider/resources/types";
import { Emulator } from "../../emulator/server";
import type { EmulatorLogEntry } from "../../emulator/types";
import { repoRoot } from "../harness/engine";
import { runPipelineProcess, type NoopPhase, type Phase, type PhaseResult, type PipelineResult } from "./pipeline";
import { realEngineRuns, realNoopRuns } from "./real-engine";

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(`--${name}`);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const RUNS = Number(option("runs") ?? 3);
const SIZES = option("sizes")?.split(",").map(Number) ?? (flag("n800") ? [50, 200, 800] : [50, 200]);
const CLOUDS = (option("clouds")?.split(",") ?? ["tencent", "huawei", "edgecast"]) as CloudName[];
/** The floor's rate: Tencent's documented 10/s per action; the start rate where none is documented. */
const FLOOR_RATE = 10;
/** `--only noop`: the no-op figures alone (no micro benchmarks, RSS-only phases or shared-account runs). */
const NOOP_ONLY = option("only") === "noop";
/** `--only real-noop`: the no-op preview and up through Pulumi's own CLI alone. */
const REAL_NOOP_ONLY = option("only") === "real-noop";
const PHASES: Phase[] = NOOP_ONLY
  ? ["create", "noop", "noopListOff", "noopIssued", "noopSettled", "settledListOff", "previewSettled", "null"]
  : ["create", "noop", "noopListOff", "noopParallelDiff", "floor", "noopIssued", "noopSettled", "settledListOff", "previewSettled", "null"];
/**
 * The no-op phases of run `run`, each A/B pair (shared list reads on / off) in the opposite order every other run, so
 * neither side always comes first.
 */
function noopOrder(run: number): NoopPhase[] {
  const pair = (a: NoopPhase, b: NoopPhase): NoopPhase[] => (run % 2 === 0 ? [a, b] : [b, a]);
  const rest = PHASES.filter((p): p is NoopPhase => !["create", "noop", "noopListOff", "noopSettled", "settledListOff"].includes(p));
  const at = (p: NoopPhase) => rest.indexOf(p);
  return [
    ...pair("noop", "noopListOff"),
    ...rest.slice(0, at("noopIssued") + 1),
    ...pair("noopSettled", "settledListOff"),
    ...rest.slice(at("noopIssued") + 1),
  ];
}
/** Column labels of each `up`'s host peak RSS (see PipelineJob.noops). */
const PHASE_LABEL: Record<Phase, string> = {
  create: "creating up",
  noop: "no-op up",
  noopParallelDiff: "no-op up, parallel diff",
  floor: "same, host alone",
  noopListOff: "no-op up, list reads off",
  noopIssued: "no-op up, all issued",
  noopSettled: "no-op up, settled",
  settledListOff: "the same, list reads off",
  previewSettled: "no-op preview, settled",
  null: "no-op up, provider that costs nothing",
};
const THROTTLE = /RequestLimitExceeded|LimitExceeded\.RateLimitExceeded|APIGW?\.0308|TooManyRequests|HTTP 429/;

/** min / median / max of a series. */
function mmm(values: number[], digits = 2): string {
  const s = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (!s.length) return "–";
  const f = (v: number) => v.toFixed(digits);
  return `${f(s[0])} / ${f(s[Math.floor(s.length / 2)])} / ${f(s[s.length - 1])}`;
}

function timeSync(n: number, fn: (i: number) => void): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function micro(rows: string[][]): Promise<void> {
  const body = JSON.stringify({ CertId: "J2lX2maH", GenCsrType: "online", CertCommonName: "www.example.com", CompanyType: 2 });
  const tc3 = (i: number) =>
    signTc3({ method: "POST", host: "ssl.tencentcloudapi.com", contentType: "application/json", body, timestamp: 1_700_000_000 + i, service: "ssl", secretId: "AKIDEXAMPLE", secretKey: "SECRET" });
  const hw = (i: number) =>
    signRequest({ method: "POST", url: "https://scm.ap-southeast-1.myhuaweicloud.com/v3/scm/certificates/scs1234567890123/apply", headers: { "Content-Type": "application/json" }, body }, { accessKey: "AK", secretKey: "SK" }, 1_700_000_000_000 + i);
  const n = 20_000;
  for (const [label, fn] of [["TC3-HMAC-SHA256 signatures per second", tc3], ["SDK-HMAC-SHA256 signatures per second", hw]] as const) {
    timeSync(n, fn); // warm-up
    rows.push([label, mmm(Array.from({ length: RUNS }, () => (n * 1000) / timeSync(n, fn)), 0)]);
  }

  const inputs = {
    cloud: "tencent",
    certificateId: "J2lX2maH",
    commonName: "WWW.example.com",
    dnsNames: ["b.example.com", "a.example.com", "a.example.com"],
    organization: { name: "Example", division: "IT", address: "1 Road", city: "Guangzhou", region: "Guangdong", country: "CN", phoneAreaCode: "020", phoneNumber: "12345678" },
    admin: { firstName: "A", lastName: "B", email: "a@example.com", phone: "13112341234", title: "CTO" },
    tech: { firstName: "A", lastName: "B", email: "t@example.com", phone: "13112341234", title: "SRE" },
  };
  const checks = async (count: number): Promise<number> => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await check({}, inputs);
    return (count * 1e9) / Number(process.hrtime.bigint() - t0);
  };
  await checks(1000);
  const checkRates: number[] = [];
  for (let r = 0; r < RUNS; r++) checkRates.push(await checks(3000));
  rows.push(["check() of a full Tencent application per second", mmm(checkRates, 0)]);

  const emulator = await new Emulator().start();
  try {
    const { certificateId } = emulator.tencent.seed({ productType: "dv" });
    const values: Record<string, string> = emulator.stackConfig();
    // test/support is jest's; the bench runs without it.
    const ctx: CloudContext = {
      config: new ProviderConfig({ get: (k) => values[k] }),
      transport: { timeoutMs: 5000, maxRetries: 0, baseDelayMs: 10 },
      log: () => undefined,
      pollIntervalMs: 10,
    };
    const client = new TencentClient(ctx);
    const p50s: number[] = [];
    for (let r = 0; r <= RUNS; r++) {
      const lat: number[] = [];
      for (let i = 0; i < 20; i++) {
        const s = process.hrtime.bigint();
        await client.describeCertificateDetail(certificateId); // paced by the provider at 9.5/s
        lat.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
      lat.sort((a, b) => a - b);
      if (r > 0) p50s.push(lat[10]); // run 0 warms up
    }
    rows.push(["signed DescribeCertificateDetail round trip, p50 ms (pacing wait included)", mmm(p50s)]);
  } finally {
    await emulator.stop();
  }
}

/** Module load time and file count of the provider entry, each in a fresh node process. */
function entryLoad(rows: string[][]): void {
  const entry = path.join(repoRoot(), "dist", "provider", "index.js");
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(entry)});const ms=Number(process.hrtime.bigint()-t)/1e6;` +
    `process.stdout.write(JSON.stringify({ms,files:Object.keys(require.cache).length}))`;
  const measure = () => JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })) as { ms: number; files: number };
  measure(); // warm the file cache
  const runs = Array.from({ length: RUNS }, measure);
  rows.push(["provider entry (certapply/provider): module load, ms", mmm(runs.map((r) => r.ms), 1)]);
  rows.push(["provider entry: files loaded", mmm(runs.map((r) => r.files), 0)]);
}

type Kind = "read" | "write" | "auth";
/** Tokens and account lookups are neither: they happen once per process, not per resource. */
function kind(e: EmulatorLogEntry): Kind {
  if (/token|\/auth\/|domains/i.test(e.action)) return "auth";
  return /^(GET |Describe|Show|List)/.test(e.action) ? "read" : "write";
}

function between(log: EmulatorLogEntry[], phase: PhaseResult): EmulatorLogEntry[] {
  return log.filter((e) => {
    const t = Date.parse(e.time);
    return t >= phase.start - 5 && t <= phase.end + 5;
  });
}

interface CloudRun {
  ratio: number;
  /** From the start of `up` to the first request the emulator saw: program, host and provider start-up. */
  firstRequestS: number;
  /** Wall time from the first request to the end of `up`, against the floor: the pacing alone. */
  pacedRatio: number;
  readsPerCreate: number;
  writesPerCreate: number;
  readsPerNoop: number;
  writesPerNoop: number;
  /** Each no-op phase: wall time against the floor, from its first request against the floor, requests per resource. */
  noops: Partial<Record<Phase, NoopFigures>>;
  throttlesReceived: number;
  throttlesSurfaced: number;
  /** Peak RSS of each `up`'s provider host (each `up` has its own, as with the Pulumi CLI). */
  rss: Record<Phase, number>;
  providerBytes: number;
}

interface NoopFigures {
  ratio: number;
  /** From the first request the phase made to its end, against the floor (the program's and host's start-up left out). */
  pacedRatio: number;
  /** Requests to the cloud per resource (list pages, direct reads and their exports; tokens left out). */
  requests: number;
  /** Seconds from the start of the run to its first request. */
  firstRequestS: number;
}

async function seed(emulator: Emulator, cloud: CloudName, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    if (cloud === "tencent") ids.push(emulator.tencent.seed({ productType: "dv" }).certificateId);
    else if (cloud === "huawei") ids.push(String(((await emulator.huawei.control("seed", {})).body as { certificateId: string }).certificateId));
    else ids.push("");
  }
  return ids;
}

function surfaced(r: PipelineResult): number {
  const lines = [...r.hostLines, ...(r.error ? r.error.split("; ") : [])];
  return lines.filter((l) => THROTTLE.test(l)).length;
}

/** A cloud's run; `started` settles once its first request reached the emulator (or the run ended). */
function cloudRun(cloud: CloudName, n: number, run: number): { started: Promise<void>; done: Promise<CloudRun> } {
  let started: () => void = () => undefined;
  const startedP = new Promise<void>((resolve) => (started = resolve));
  const done = cloudRunInner(cloud, n, run, () => started()).finally(() => started());
  return { started: startedP, done };
}

async function cloudRunInner(cloud: CloudName, n: number, run: number, onFirstRequest: () => void): Promise<CloudRun> {
  const emulator = await new Emulator().start();
  const watch = setInterval(() => {
    if (emulator.log.length > 0) onFirstRequest();
  }, 50);
  try {
    const ids = await seed(emulator, cloud, n);
    emulator.clearLog();
    const r = await runPipelineProcess({
      cloud,
      config: { ...emulator.stackConfig(), "certapply:pollIntervalMs": "50" },
      ids,
      prefix: `b${run}x`,
      parallel: n,
      noops: noopOrder(run),
      controlUrl: emulator.url,
    });
    clearInterval(watch);
    if (r.error) throw new Error(`${cloud} N=${n}: ${r.error.slice(0, 2000)}`);
    const phase = (p: Phase): PhaseResult => {
      const found = r.phases[p];
      if (!found) throw new Error(`${cloud} N=${n}: the ${p} up did not run`);
      return found;
    };
    const log = emulator.log.filter((e) => e.cloud === cloud);
    // Each no-op up's host starts (hundreds of ms) after the previous up ended, so the windows never overlap.
    const create = between(log, phase("create"));
    const noop = between(log, phase("noop"));
    const count = (entries: EmulatorLogEntry[], k: Kind) => entries.filter((e) => kind(e) === k && !THROTTLE.test(e.code ?? "")).length;
    const firstRequest = Math.min(...create.map((e) => Date.parse(e.time)));
    const floorMs = (n / FLOOR_RATE) * 1000;
    return {
      ratio: (phase("create").end - phase("create").start) / floorMs,
      firstRequestS: (firstRequest - phase("create").start) / 1000,
      pacedRatio: (phase("create").end - firstRequest) / floorMs,
      readsPerCreate: count(create, "read") / n,
      writesPerCreate: count(create, "write") / n,
      readsPerNoop: count(noop, "read") / n,
      writesPerNoop: count(noop, "write") / n,
      noops: Object.fromEntries(
        PHASES.filter((p) => p !== "create").map((p): [Phase, NoopFigures] => {
          const ph = phase(p);
          const entries = between(log, ph).filter((e) => kind(e) !== "auth");
          const first = entries.length ? Math.min(...entries.map((e) => Date.parse(e.time))) : Number.NaN;
          return [p, { ratio: (ph.end - ph.start) / floorMs, pacedRatio: (ph.end - first) / floorMs, requests: entries.length / n, firstRequestS: (first - ph.start) / 1000 }];
        }),
      ),
      throttlesReceived: log.filter((e) => THROTTLE.test(e.code ?? "")).length,
      throttlesSurfaced: surfaced(r),
      rss: Object.fromEntries(PHASES.map((p) => [p, phase(p).hostPeakRssMb ?? Number.NaN])) as Record<Phase, number>,
      providerBytes: r.providerBytes,
    };
  } finally {
    clearInterval(watch);
    await emulator.stop();
  }
}

/**
 * The clouds of one round. Side by side, each starts once the previous one's first request went out, so the
 * start-ups (CPU-bound: the program registering N resources) do not compete; the paced phases overlap.
 */
async function round(n: number, run: number): Promise<CloudRun[]> {
  const done: Promise<CloudRun>[] = [];
  for (const c of CLOUDS) {
    const r = cloudRun(c, n, run);
    done.push(r.done);
    await (flag("sequential") ? r.done : r.started);
  }
  return Promise.all(done);
}

interface SharedRun {
  perSecond: number;
  throttlesReceived: number;
  throttlesSurfaced: number;
  wallS: number;
}

/** Three pipelines of 60 Tencent applications each against one emulator (Tencent: 10/s per action). */
async function sharedRun(run: number): Promise<SharedRun> {
  const emulator = await new Emulator().start();
  try {
    const ids = await seed(emulator, "tencent", 180);
    const config = { ...emulator.stackConfig(), "certapply:pollIntervalMs": "50" };
    emulator.clearLog();
    const t = Date.now();
    const results = await Promise.all(
      [0, 1, 2].map((p) => runPipelineProcess({ cloud: "tencent", config, ids: ids.slice(p * 60, (p + 1) * 60), prefix: `s${run}p${p}x`, parallel: 60 })),
    );
    const wallS = (Date.now() - t) / 1000;
    const failed = results.find((r) => r.error);
    if (failed) throw new Error(`shared account: ${failed.error}`);
    const served = emulator.log.filter((e) => e.cloud === "tencent" && !THROTTLE.test(e.code ?? ""));
    const byAction = new Map<string, number[]>();
    for (const e of served) byAction.set(e.action, [...(byAction.get(e.action) ?? []), Date.parse(e.time)]);
    const busiest = [...byAction.values()].sort((a, b) => b.length - a.length)[0];
    const seconds = (Math.max(...busiest) - Math.min(...busiest)) / 1000 + 1 / FLOOR_RATE;
    return {
      perSecond: busiest.length / seconds,
      throttlesReceived: emulator.log.filter((e) => THROTTLE.test(e.code ?? "")).length,
      throttlesSurfaced: results.reduce((sum, r) => sum + surfaced(r), 0),
      wallS,
    };
  } finally {
    await emulator.stop();
  }
}

function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()}\n`;
  process.stdout.write(`\n${title}\n`);
  process.stdout.write(line(header));
  process.stdout.write(line(widths.map((w) => "-".repeat(w))));
  for (const r of rows) process.stdout.write(line(r));
}

/** The no-op `pulumi preview` and `pulumi up` of settled Tencent and Huawei stacks through Pulumi's own CLI. */
async function realNoop(): Promise<void> {
  const clouds = CLOUDS.filter((c): c is "tencent" | "huawei" => c === "tencent" || c === "huawei");
  const sizes = SIZES.filter((n) => n <= 200 || flag("real-n800"));
  const real = flag("no-real") ? { skipped: "--no-real" } : await realNoopRuns(clouds, sizes, RUNS, FLOOR_RATE);
  if ("skipped" in real) {
    process.stdout.write(`\nno-op runs through Pulumi's own CLI: skipped (${real.skipped})\n`);
    return;
  }
  const rows: string[][] = [];
  for (const n of sizes) {
    for (const c of clouds) {
      for (const kind of ["plugin", "node"] as const) {
        for (const op of ["preview", "up"] as const) {
          const rs = real.runs.filter((r) => r.n === n && r.cloud === c && r.path === kind && r.op === op);
          if (!rs.length) continue;
          rows.push([c, String(n), kind === "plugin" ? "plugin (YAML program)" : "Node.js SDK (Automation API)", `pulumi ${op}`, mmm(rs.map((r) => r.ratio)), mmm(rs.map((r) => r.wallS), 1), mmm(rs.map((r) => r.requests), 3)]);
        }
      }
    }
  }
  printTable(
    `no-op runs through Pulumi's own CLI, every application issued and recorded so in state (floor = N / ${FLOOR_RATE} s; the CLI's default parallelism)`,
    ["cloud", "N", "path", "run", "wall / floor", "wall s", "requests per resource"],
    rows,
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  process.stdout.write(
    `certapply bench: node ${process.version}, ${os.cpus().length} cores, ${RUNS} runs per figure (min / median / max)\n`,
  );
  if (REAL_NOOP_ONLY) {
    await realNoop();
    process.stdout.write(`\nbench took ${Math.round((Date.now() - started) / 1000)} s\n`);
    return;
  }
  if (!NOOP_ONLY) {
    const general: string[][] = [];
    await micro(general);
    entryLoad(general);
    printTable("micro benchmarks (warmed up) and start-up", ["figure", "min / median / max"], general);
  }

  const results = new Map<string, CloudRun[]>();
  for (const n of SIZES) {
    for (let run = 0; run < RUNS; run++) {
      const runs = await round(n, run);
      CLOUDS.forEach((c, i) => results.set(`${c}:${n}`, [...(results.get(`${c}:${n}`) ?? []), runs[i]]));
      process.stderr.write(`  [bench] N=${n} run ${run + 1}/${RUNS} done at ${Math.round((Date.now() - started) / 1000)} s\n`);
    }
  }
  const perCloud: string[][] = [];
  for (const c of CLOUDS) {
    for (const n of SIZES) {
      const rs = results.get(`${c}:${n}`)!;
      const col = (f: (r: CloudRun) => number, d = 2) => mmm(rs.map(f), d);
      perCloud.push([
        c,
        String(n),
        col((r) => r.ratio),
        col((r) => r.firstRequestS, 1),
        col((r) => r.pacedRatio),
        col((r) => r.readsPerCreate),
        col((r) => r.writesPerCreate),
        col((r) => r.readsPerNoop),
        col((r) => r.writesPerNoop),
        col((r) => r.throttlesReceived, 0),
        col((r) => r.throttlesSurfaced, 0),
        ...PHASES.map((p) => col((r) => r.rss[p], 0)),
      ]);
    }
  }
  printTable(
    `through Pulumi's provider host: N concurrent creates (up --parallel N), then no-op ups (floor = N / ${FLOOR_RATE} s; clouds ${flag("sequential") ? "one after another" : "side by side, start-ups staggered"})`,
    [
      "cloud",
      "N",
      "wall / floor",
      "first request after s",
      "from first request / floor",
      "reads/create",
      "writes/create",
      "reads/no-op",
      "writes/no-op",
      "throttles received",
      "throttles surfaced",
      ...PHASES.map((p) => `RSS MB, ${PHASE_LABEL[p]}`),
    ],
    perCloud,
  );

  process.stdout.write(
    "  RSS: peak of each up's provider host. no-op up: one Diff at a time, as the CLI runs it by default; parallel diff:\n" +
      "  PULUMI_PARALLEL_DIFF=true and --parallel N, so all N Diffs are in flight; host alone: the same through a provider\n" +
      "  that only paces at 10/s, i.e. what Pulumi's host itself needs.\n",
  );

  const noopRows: string[][] = [];
  for (const c of CLOUDS) {
    for (const n of SIZES) {
      const rs = results.get(`${c}:${n}`)!;
      for (const p of PHASES.filter((ph) => ph !== "create" && ph !== "floor" && ph !== "noopParallelDiff")) {
        const col = (f: (x: NoopFigures) => number, d = 2) => mmm(rs.map((r) => f(r.noops[p]!)), d);
        noopRows.push([c, String(n), PHASE_LABEL[p], col((x) => x.ratio), col((x) => x.pacedRatio), col((x) => x.firstRequestS, 1), col((x) => x.requests, 3)]);
      }
    }
  }
  printTable(
    `no-op runs through Pulumi's provider host, one Diff at a time (floor = N / ${FLOOR_RATE} s; A/B pairs alternate their order between runs)`,
    ["cloud", "N", "run", "wall / floor", "from first request / floor", "first request after s", "requests per resource"],
    noopRows,
  );
  process.stdout.write(
    "  in flight: every application under review (no-op up, and the same with the list reads taken out of the provider);\n" +
      "  all issued: the first up after the emulator issued every one (its Diffs read each, the update records the status);\n" +
      "  settled: the stack's state says issued, as on every later run: up, the same with list reads off, and preview; a\n" +
      "  provider that costs nothing: the settled up through a provider that answers at once, i.e. the program, Pulumi's\n" +
      "  host and the harness alone. requests: list pages, direct reads and their exports per resource (tokens left out).\n",
  );

  const growth: string[][] = [];
  // Each step between sizes, so a growth that is not linear shows.
  for (const c of CLOUDS) {
    for (let s = 1; s < SIZES.length; s++) {
      const lo = results.get(`${c}:${SIZES[s - 1]}`)!;
      const hi = results.get(`${c}:${SIZES[s]}`)!;
      const perHundred = (peak: (r: CloudRun) => number) => mmm(lo.map((r, i) => ((peak(hi[i]) - peak(r)) * 100) / (SIZES[s] - SIZES[s - 1])), 1);
      growth.push([c, `N=${SIZES[s - 1]} → ${SIZES[s]}`, ...PHASES.map((p) => perHundred((r) => r.rss[p]))]);
    }
  }
  printTable("host peak RSS growth", ["cloud", "between", ...PHASES.map((p) => `MB per 100, ${PHASE_LABEL[p]}`)], growth);

  const shared: SharedRun[] = [];
  for (let run = 0; run < (NOOP_ONLY ? 0 : RUNS); run++) shared.push(await sharedRun(run));
  if (shared.length) printTable(
    "shared account: 3 pipelines × 60 Tencent creates, one emulator (10 requests/s per action)",
    ["figure", "min / median / max"],
    [
      ["busiest action served per second (limit 10)", mmm(shared.map((s) => s.perSecond))],
      ["share of the limit", mmm(shared.map((s) => (100 * s.perSecond) / FLOOR_RATE), 0) + " %"],
      ["throttles received from the server", mmm(shared.map((s) => s.throttlesReceived), 0)],
      ["throttles surfaced to the user", mmm(shared.map((s) => s.throttlesSurfaced), 0)],
      ["wall time, s", mmm(shared.map((s) => s.wallS), 1)],
    ],
  );

  const sizes = [...results.values()].flat().map((r) => r.providerBytes);
  printTable("state", ["figure", "min / median / max"], [["serialized __provider per resource, bytes", mmm(sizes, 0)]]);

  await realNoop();
  const real = flag("no-real") || NOOP_ONLY ? { skipped: flag("no-real") ? "--no-real" : "--only noop" } : await realEngineRuns(SIZES.filter((n) => n <= 200), RUNS, FLOOR_RATE);
  if ("skipped" in real) {
    process.stdout.write(`\nthrough Pulumi's own CLI: skipped (${real.skipped})\n`);
  } else {
    const rows: string[][] = [];
    for (const n of [...new Set(real.runs.map((r) => r.n))]) {
      for (const kind of ["plugin", "node"] as const) {
        for (const parallel of ["N", "default"] as const) {
          const rs = real.runs.filter((r) => r.n === n && r.path === kind && r.parallel === parallel);
          const harness = kind === "node" && parallel === "N" ? results.get(`tencent:${n}`) : undefined;
          rows.push([
            kind === "plugin" ? "plugin (YAML program)" : "Node.js SDK (Automation API)",
            String(n),
            parallel === "N" ? `--parallel ${n}` : "CLI default",
            mmm(rs.map((r) => r.ratio)),
            mmm(rs.map((r) => r.wallS), 1),
            mmm(rs.map((r) => r.rssMb), 0),
            harness ? `${mmm(harness.map((r) => r.ratio))} / ${mmm(harness.map((r) => r.rss.create), 0)} MB` : "",
          ]);
        }
      }
    }
    printTable(
      `through Pulumi's own CLI: Tencent N creates by one pulumi up (floor = N / ${FLOOR_RATE} s)`,
      ["path", "N", "parallelism", "wall / floor", "wall s", "provider host peak RSS MB", "harness: wall / floor, RSS (same run)"],
      rows,
    );
  }
  process.stdout.write(`\nbench took ${Math.round((Date.now() - started) / 1000)} s\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
