import Bottleneck from "bottleneck";

/**
 * Per-action request limits, shared by every resource in the provider process: the host runs resources
 * concurrently, and the clouds throttle per account and action.
 */

/** Documented limits in requests per second; any action not listed gets `DEFAULT_RATE`. */
export const DOCUMENTED_RATES: Readonly<Record<string, number>> = {
  // The source documents of these two say 20/s; the current API list says 10/s for every SSL action.
  "tencent:ModifyCertificateResubmit": 20,
  "tencent:UploadConfirmLetter": 20,
};
export const DEFAULT_RATE = 10;

const limiters = new Map<string, { rate: number; limiter: Bottleneck }>();
let overrides: Record<string, number> = {};

/** Sets per-action overrides (`cloud:Action` → requests per second). Existing limiters are rebuilt. */
export function setRateOverrides(next: Record<string, number>): void {
  overrides = { ...next };
  limiters.clear();
}

/** Parses the `rateLimits` setting; a bad value is an error naming the setting. */
export function parseRateOverrides(json: string | undefined): Record<string, number> {
  if (!json) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error(`certapply:rateLimits must be a JSON object such as {"tencent:DescribeCertificateDetail": 5}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`certapply:rateLimits must be a JSON object of "cloud:Action" to requests per second`);
  }
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== "number" || !(v > 0)) throw new Error(`certapply:rateLimits: "${k}" must be a positive number`);
    out[k] = v;
  }
  return out;
}

/** The rate in force for an action. */
export function rateFor(key: string): number {
  return overrides[key] ?? overrides[key.split(":")[0] + ":*"] ?? DOCUMENTED_RATES[key] ?? DEFAULT_RATE;
}

/** Runs `fn` once the action's limiter allows another request this second. */
export function schedule<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const rate = rateFor(key);
  let entry = limiters.get(key);
  if (!entry || entry.rate !== rate) {
    const whole = Math.max(1, Math.floor(rate));
    entry = {
      rate,
      limiter: new Bottleneck({
        reservoir: whole,
        reservoirRefreshAmount: whole,
        reservoirRefreshInterval: Math.round((1000 * whole) / rate),
      }),
    };
    limiters.set(key, entry);
  }
  return entry.limiter.schedule(fn);
}
