/**
 * Client-side pacing per key (`cloud:Action`), shared by every resource in the provider process: the host
 * runs resources concurrently, and the clouds throttle per account and action.
 *
 * - In step with the clouds, which count requests per calendar second: at a limit of L per second, at most L
 *   requests in any window of 1 s + `GUARD_MS`. Whatever the clocks' offset, no calendar second at the
 *   server then sees more than L unless a request is delayed in transit by more than the guard relative to
 *   one sent L requests earlier. Requests wait in arrival order.
 * - Adaptive: a throttle reply lowers the rate (× `BETA`) and CUBIC brings it back once throttles stop, as
 *   the AWS SDKs' adaptive retry mode does; below the ceiling, requests are spread evenly at that rate.
 *   Pipelines that share one account converge on a share of its limit without knowing each other. The rate
 *   never rises above its ceiling: the documented limit, the stated start rate where none is documented,
 *   or the user's `rateLimits` value (each less the guard).
 */

/** Documented limits in requests per second, per account and action (`cloud:*` covers a cloud's actions). */
export const DOCUMENTED_LIMITS: Readonly<Record<string, number>> = {
  // Tencent's SSL API list gives 10/s for every action (older copies said 20/s for two writes; 10 is safe for both).
  "tencent:*": 10,
};
/** Start (and highest) rate where no limit is documented: Huawei SCM, Edgecast CPS, Huawei IAM. */
export const UNDOCUMENTED_START_RATE = 10;
/** Added to every one-second window: the transit jitter tolerated without a throttle. */
export const GUARD_MS = 50;
/** The clouds' counting window. */
const WINDOW_MS = 1000;

/** Multiplicative decrease on a throttle and the CUBIC scale, as in the AWS SDKs' adaptive mode. */
const BETA = 0.7;
const CUBIC_C = 0.4;
/** The rate never falls below this (requests per second). */
const MIN_RATE = 0.5;

/** One key's pacing: a FIFO of waiting requests, released while the window and the adaptive rate allow. */
class Pacer {
  /** Throttle replies received for this key in this process. */
  throttles = 0;
  /** Highest sustained rate, requests per second. */
  readonly ceiling: number;
  private readonly burst: number;
  private readonly windowMs: number;
  private readonly recent: number[] = [];
  private readonly waiting: ((releasedAt: number) => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastMax: number;
  private cutAt = Number.NEGATIVE_INFINITY;
  private k = 0;

  /** `limit` requests per second: at most floor(limit) (≥ 1) in any window of their share of a second plus the guard. */
  constructor(limit: number) {
    this.burst = Math.max(1, Math.floor(limit));
    this.windowMs = (WINDOW_MS * this.burst) / limit + GUARD_MS;
    this.ceiling = (1000 * this.burst) / this.windowMs;
    this.lastMax = this.ceiling;
  }

  /** Requests per second in force at `now`. */
  rate(now: number): number {
    if (this.cutAt === Number.NEGATIVE_INFINITY) return this.ceiling;
    const t = (now - this.cutAt) / 1000 - this.k;
    return Math.min(this.ceiling, Math.max(MIN_RATE, CUBIC_C * t * t * t + this.lastMax));
  }

  /** The rate the last throttle set, before any climb back; `undefined` when never throttled. */
  loweredTo(): number | undefined {
    return this.cutAt === Number.NEGATIVE_INFINITY ? undefined : this.rate(this.cutAt);
  }

  /** Resolves with the release time once this request may go. */
  acquire(): Promise<number> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
  }

  /**
   * A request released at `releasedAt` was throttled. One decrease per congestion event: a request sent
   * before the last decrease says nothing new, nor does the resend of a request already throttled (`again`).
   */
  throttled(releasedAt: number, now: number, again: boolean): void {
    this.throttles += 1;
    if (again || releasedAt <= this.cutAt) return;
    const current = this.rate(now);
    this.lastMax = current;
    this.cutAt = now;
    this.k = Math.cbrt((current * (1 - BETA)) / CUBIC_C);
  }

  /** The earliest time the next request may go. */
  private nextAt(now: number): number {
    const n = this.recent.length;
    let at = n >= this.burst ? this.recent[n - this.burst] + this.windowMs : now;
    const rate = this.rate(now);
    if (rate < this.ceiling && n > 0) at = Math.max(at, this.recent[n - 1] + 1000 / rate);
    return at;
  }

  private pump(): void {
    while (this.timer === undefined && this.waiting.length > 0) {
      const now = Date.now();
      const at = this.nextAt(now);
      if (at > now) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, at - now);
        return;
      }
      this.recent.push(now);
      if (this.recent.length > this.burst) this.recent.shift();
      this.waiting.shift()!(now);
    }
  }
}

const pacers = new Map<string, Pacer>();
let overrides: Record<string, number> = {};

/** Sets per-action overrides (`cloud:Action` or `cloud:*` → requests per second). Pacing starts afresh. */
export function setRateOverrides(next: Record<string, number>): void {
  overrides = { ...next };
  pacers.clear();
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

/** The limit (requests per second) the pacing keeps under for a key: override, documented limit, or the start rate. */
export function limitFor(key: string): number {
  const wildcard = `${key.split(":")[0]}:*`;
  return overrides[key] ?? overrides[wildcard] ?? DOCUMENTED_LIMITS[key] ?? DOCUMENTED_LIMITS[wildcard] ?? UNDOCUMENTED_START_RATE;
}

function pacer(key: string): Pacer {
  let p = pacers.get(key);
  if (!p) {
    p = new Pacer(limitFor(key));
    pacers.set(key, p);
  }
  return p;
}

/** Waits for the key's next slot; resolves with the release time, which `throttled` takes back. */
export function acquire(key: string): Promise<number> {
  return pacer(key).acquire();
}

/**
 * Reports a throttle reply to a request released at `releasedAt`: the key's rate drops, then recovers.
 * `again` marks the resend of a request that was throttled before.
 */
export function throttled(key: string, releasedAt: number, again = false): void {
  pacer(key).throttled(releasedAt, Date.now(), again);
}

/** The key's current rate and the throttles it has seen in this process (progress lines, tests, bench). */
export function pacing(key: string): { rate: number; ceiling: number; throttles: number; loweredTo?: number } {
  const p = pacer(key);
  return { rate: p.rate(Date.now()), ceiling: p.ceiling, throttles: p.throttles, loweredTo: p.loweredTo() };
}
