/**
 * Adaptive sharing of one account's limit (issue 11 part 3): three pipelines, each its own process with its
 * own provider host (Pulumi's dynamic-provider host), create 60 Tencent applications each at once (`--parallel 60`) against ONE
 * emulator. The account's limit is Tencent's documented 10 requests per second per action, counted by the
 * emulator in calendar seconds. No process knows the others: each paces at 9.5/s until throttle replies lower
 * its rate. Zero throttles may surface, and together they must keep the busiest action at ≥ 80 % of 10/s.
 *
 * Loads the compiled dist/ (run `npm run build` first), as the other engine tests do.
 */
import { Emulator } from "../../emulator/server";
import { emulatorSeed } from "../emulator/seed";
import { runPipelineProcess, type PipelineResult } from "../bench/pipeline";

const PIPELINES = 3;
const PER_PIPELINE = 60;
const LIMIT = 10;

let emulator: Emulator;
beforeAll(async () => {
  emulator = await new Emulator({ seed: emulatorSeed() }).start();
});
afterAll(async () => {
  await emulator.stop();
});

const THROTTLE = /RequestLimitExceeded|LimitExceeded\.RateLimitExceeded/;

test("three pipelines sharing one account: no throttle surfaces, and together they use ≥ 80 % of the limit", async () => {
  const ids = Array.from({ length: PIPELINES * PER_PIPELINE }, () => emulator.tencent.seed({ productType: "dv" }).certificateId);
  const config = { ...emulator.stackConfig(), "certapply:pollIntervalMs": "50" };
  emulator.clearLog();
  const results: PipelineResult[] = await Promise.all(
    Array.from({ length: PIPELINES }, (_, p) =>
      runPipelineProcess({ cloud: "tencent", config, ids: ids.slice(p * PER_PIPELINE, (p + 1) * PER_PIPELINE), prefix: `p${p}x`, parallel: PER_PIPELINE }),
    ),
  );

  // Nothing surfaced: every pipeline succeeded, created all 60, and no host line mentions a throttle.
  for (const r of results) {
    expect(r.error).toBeUndefined();
    expect(r.created).toBe(PER_PIPELINE);
    expect(r.hostLines.filter((l) => THROTTLE.test(l))).toEqual([]);
  }

  // The server did throttle (the three together offer ~28/s at first), and retries absorbed every one.
  const log = emulator.log.filter((e) => e.cloud === "tencent");
  const throttled = log.filter((e) => THROTTLE.test(e.code ?? ""));
  const served = log.filter((e) => !THROTTLE.test(e.code ?? ""));
  expect(throttled.length).toBeGreaterThan(0);
  // Adaptation keeps the offered load near the limit: here 0.15–0.25 throttles per request served, where a
  // fixed rate in each process (no adaptation) drew about 1.1.
  expect(throttled.length).toBeLessThanOrEqual(0.5 * served.length);

  // Throughput of the busiest action: requests served ÷ the time from its first to its last request.
  const byAction = new Map<string, number[]>();
  for (const e of served) byAction.set(e.action, [...(byAction.get(e.action) ?? []), Date.parse(e.time)]);
  const [action, times] = [...byAction.entries()].sort((a, b) => b[1].length - a[1].length)[0];
  expect(times.length).toBeGreaterThanOrEqual(PIPELINES * PER_PIPELINE);
  // A request served in the last second counts a whole second, as the server's window does.
  const seconds = (Math.max(...times) - Math.min(...times)) / 1000 + 1 / LIMIT;
  const perSecond = times.length / seconds;
  process.stdout.write(
    `shared account: ${action} ${times.length} served in ${seconds.toFixed(1)} s = ${perSecond.toFixed(2)}/s of ${LIMIT}/s; ` +
      `${throttled.length} throttles received, 0 surfaced; ${served.length} requests served in all\n`,
  );
  expect(perSecond).toBeGreaterThanOrEqual(0.8 * LIMIT);
  // No calendar second served more than the limit for any action. This checks the emulator's own limiter (its log
  // and its window use one instant); the provider's part is above: no throttle surfaced, ≥ 80 % of the limit.
  for (const ts of byAction.values()) {
    const perSec = new Map<number, number>();
    for (const t of ts) perSec.set(Math.floor(t / 1000), (perSec.get(Math.floor(t / 1000)) ?? 0) + 1);
    expect(Math.max(...perSec.values())).toBeLessThanOrEqual(LIMIT);
  }
}, 120_000);
