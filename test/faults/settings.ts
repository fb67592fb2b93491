/**
 * Settings of the seeded fault run, shared by the three clouds' test files. `CERTAPPLY_FAULTS_SEED`,
 * `CERTAPPLY_FAULTS_COUNT` and `CERTAPPLY_FAULTS_RATE` override the seed, the applications per cloud and
 * the fault rate for exploring; `npm test` uses the defaults.
 */
import type { SuiteOptions } from "./suite";

function num(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got ${v}`);
  return n;
}

const seed = num("CERTAPPLY_FAULTS_SEED", 20261127);
const count = num("CERTAPPLY_FAULTS_COUNT", 50);
const rate = num("CERTAPPLY_FAULTS_RATE", 0.25);

const limits = (cloud: string, perSecond: number) => JSON.stringify({ [`${cloud}:*`]: perSecond });

/**
 * Per-cloud tuning, so a run stays short: the provider's per-action rate, and the emulator clock during runs
 * (its rate windows pass faster; it is set back to real time between runs, so signatures stay within their
 * skew window). Throttles the server still sends are retried by the provider and do not shift the fault draws.
 */
const TUNING: Record<string, Pick<SuiteOptions, "config" | "clockRate">> = {
  tencent: { config: { "certapply:rateLimits": limits("tencent", 40), "certapply:retryBaseDelayMs": "50", "certapply:maxRetries": "6" }, clockRate: 8 },
  huawei: { config: { "certapply:rateLimits": limits("huawei", 40), "certapply:retryBaseDelayMs": "50", "certapply:maxRetries": "6" }, clockRate: 8 },
  edgecast: { config: { "certapply:rateLimits": limits("edgecast", 100) } },
};

export const SUITE = {
  seed,
  options(cloud: string): SuiteOptions {
    return { count, seed, rate, ...TUNING[cloud] };
  },
};
