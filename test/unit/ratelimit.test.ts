/**
 * Pacing in step with the clouds: even spacing below the documented limit (no burst straddles a second
 * boundary), and an adaptive rate that drops on throttle replies and climbs back once they stop.
 * The server side counts calendar seconds with the emulator's own RateWindows.
 */
import { RateWindows } from "../../emulator/ratelimit";
import { CloudApiError } from "../../provider/http/errors";
import { useLoopbackServer } from "../support";
import { GUARD_MS, acquire, pacing, setRateOverrides, throttled } from "../../provider/http/ratelimit";
import { MAX_THROTTLE_RETRIES, parseJson, send, type HttpReply } from "../../provider/http/transport";

let limit = 10;
let alwaysThrottle = false;
const windows = new RateWindows();
const served: number[] = [];
let throttles = 0;
const server = useLoopbackServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const now = Date.now();
    if (alwaysThrottle || !windows.allow(req.url ?? "", limit, now)) {
      throttles += 1;
      return res.end(JSON.stringify({ Response: { Error: { Code: "RequestLimitExceeded", Message: "too fast" } } }));
    }
    served.push(now);
    res.end(JSON.stringify({ Response: { ok: true } }));
  });
});
beforeEach(() => {
  setRateOverrides({});
  windows.reset();
  served.length = 0;
  throttles = 0;
  alwaysThrottle = false;
  limit = 10;
});

const opts = { timeoutMs: 5000, maxRetries: 0, baseDelayMs: 5, maxDelayMs: 20 };

function spec(action: string) {
  return {
    cloud: "tencent" as const,
    action,
    build: () => ({ method: "POST" as const, url: `${server.url()}/${action}`, headers: {}, body: "{}" }),
    parse: (reply: HttpReply) => {
      const body = parseJson({ cloud: "tencent", action }, reply) as { Response: { Error?: { Code: string; Message: string }; ok?: boolean } };
      const e = body.Response.Error;
      if (e) throw new CloudApiError({ cloud: "tencent", action, code: e.Code, message: e.Message, transient: e.Code === "RequestLimitExceeded" });
      return body.Response;
    },
  };
}

/** Most requests in any calendar second. */
function perCalendarSecond(times: number[]): number {
  const counts = new Map<number, number>();
  for (const t of times) counts.set(Math.floor(t / 1000), (counts.get(Math.floor(t / 1000)) ?? 0) + 1);
  return Math.max(...counts.values());
}

test("at the documented rate, at most 10 in any 1.05 s: no throttle from a server counting calendar seconds, whatever the phase", async () => {
  // Tencent documents 10/s. 30 requests at once: 10 now, 10 after 1.05 s, 10 after 2.1 s, none refused.
  await Promise.all(Array.from({ length: 30 }, () => send(spec("DescribeCertificateDetail"), opts)));
  expect(throttles).toBe(0);
  expect(served).toHaveLength(30);
  expect(perCalendarSecond(served)).toBeLessThanOrEqual(10);
});

test("the pacer releases at most L in any window of 1 s + the guard (timers never fire early)", async () => {
  setRateOverrides({ "tencent:Window": 10 });
  const released = await Promise.all(Array.from({ length: 30 }, () => acquire("tencent:Window")));
  for (let i = 0; i + 10 < released.length; i++) expect(released[i + 10] - released[i]).toBeGreaterThanOrEqual(1000 + GUARD_MS);
  expect(released[29] - released[0]).toBeLessThan(2 * (1000 + GUARD_MS) + 1000);
});

test("after a throttle, requests are spread evenly at the lowered rate", async () => {
  setRateOverrides({ "tencent:Even": 10 });
  throttled("tencent:Even", await acquire("tencent:Even"));
  const rate = pacing("tencent:Even").rate;
  expect(rate).toBeLessThan(10);
  const released: number[] = [];
  for (let i = 0; i < 5; i++) released.push(await acquire("tencent:Even"));
  const gaps = released.slice(1).map((t, i) => t - released[i]);
  // The rate climbs back from 70 % of 9.52/s: each gap at least 1/9.52 s (no burst), about 1/6.67 s at most (timer slack allowed).
  for (const g of gaps) {
    expect(g).toBeGreaterThanOrEqual(104);
    expect(g).toBeLessThanOrEqual(400);
  }
});

test("separate actions are paced separately", async () => {
  const start = Date.now();
  await Promise.all(["A", "B", "C"].flatMap((a) => Array.from({ length: 10 }, () => send(spec(a), opts))));
  expect(throttles).toBe(0);
  expect(Date.now() - start).toBeLessThan(2000);
});

test("throttles lower the rate, every throttled call is sent again (even with no retries allowed), and none surfaces", async () => {
  limit = 8;
  setRateOverrides({ "tencent:Shared": 20 }); // the client believes in 20/s; the server allows 8/s
  const results = await Promise.all(Array.from({ length: 24 }, () => send(spec("Shared"), opts)));
  expect(results.every((r) => r.ok === true)).toBe(true);
  expect(served).toHaveLength(24);
  expect(throttles).toBeGreaterThan(0);
  const p = pacing("tencent:Shared");
  expect(p.throttles).toBe(throttles);
  expect(p.ceiling).toBeCloseTo(20_000 / (1000 + GUARD_MS), 10);
  // Lowered by the throttles: a cut happened (read at the cut: how far it has climbed back since depends on the
  // machine's speed). Below the ceiling by construction, so only its presence is evidence.
  expect(p.loweredTo).toBeDefined();
  expect(p.loweredTo).toBeLessThan(p.ceiling);
  // Once adapted, most requests go through: far fewer throttles than requests.
  expect(throttles).toBeLessThan(24);
});

test("a call throttled more than maxThrottleRetries times reports the throttle (default MAX_THROTTLE_RETRIES)", async () => {
  alwaysThrottle = true;
  setRateOverrides({ "tencent:Never": 1000 });
  const err = (await send(spec("Never"), opts).catch((e: unknown) => e)) as CloudApiError;
  expect(err).toBeInstanceOf(CloudApiError);
  expect(err.code).toBe("RequestLimitExceeded");
  expect(throttles).toBe(MAX_THROTTLE_RETRIES + 1);
  throttles = 0;
  setRateOverrides({ "tencent:Never": 1000 });
  const again = (await send(spec("Never"), { ...opts, maxRetries: 5, maxThrottleRetries: 2 }).catch((e: unknown) => e)) as CloudApiError;
  expect(again.code).toBe("RequestLimitExceeded");
  expect(throttles).toBe(3);
});

describe("adaptive rate (CUBIC)", () => {
  afterEach(() => jest.useRealTimers());

  test("drops to 70 % on a throttle, once per congestion event, and climbs back to the ceiling when throttles stop", async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    setRateOverrides({ "tencent:Cubic": 10 });
    const sent = await acquire("tencent:Cubic");
    const ceiling = pacing("tencent:Cubic").ceiling;
    expect(ceiling).toBeCloseTo(10_000 / (1000 + GUARD_MS), 10); // 10 per 1.05 s
    expect(pacing("tencent:Cubic").rate).toBe(ceiling);
    throttled("tencent:Cubic", sent);
    expect(pacing("tencent:Cubic").rate).toBeCloseTo(0.7 * ceiling, 5);
    // A second throttle of a request sent before the decrease is the same event: no further drop.
    throttled("tencent:Cubic", sent);
    expect(pacing("tencent:Cubic").rate).toBeCloseTo(0.7 * ceiling, 5);
    expect(pacing("tencent:Cubic").throttles).toBe(2);
    // Back to the old rate after K = cbrt(ceiling × 0.3 / 0.4) ≈ 1.93 s, then up to (never past) the ceiling.
    const k = Math.cbrt((ceiling * 0.3) / 0.4) * 1000;
    jest.setSystemTime(1_000_000 + k / 2);
    const mid = pacing("tencent:Cubic").rate;
    expect(mid).toBeGreaterThan(0.7 * ceiling);
    expect(mid).toBeLessThan(ceiling);
    jest.setSystemTime(1_000_000 + k - 5);
    expect(pacing("tencent:Cubic").rate).toBeCloseTo(ceiling, 1);
    jest.setSystemTime(1_000_000 + 60_000);
    expect(pacing("tencent:Cubic").rate).toBe(ceiling);
  });

  test("the resend of a throttled request does not lower the rate again; throttles of fresh requests do, down to 0.5/s", async () => {
    jest.useFakeTimers({ now: 2_000_000 });
    setRateOverrides({ "tencent:Floor": 10 });
    const ceiling = pacing("tencent:Floor").ceiling;
    throttled("tencent:Floor", Date.now());
    jest.setSystemTime(Date.now() + 1);
    throttled("tencent:Floor", Date.now(), true);
    expect(pacing("tencent:Floor").rate).toBeCloseTo(0.7 * ceiling, 2);
    for (let i = 0; i < 20; i++) {
      jest.setSystemTime(Date.now() + 1);
      throttled("tencent:Floor", Date.now());
    }
    expect(pacing("tencent:Floor").rate).toBeCloseTo(0.5, 2);
  });
});

test("the emulator counts calendar seconds: the limit holds within a second and resets at the boundary", () => {
  const w = new RateWindows();
  for (let i = 0; i < 10; i++) expect(w.allow("k", 10, 5_000 + 99 * i)).toBe(true); // 5.000 … 5.891 s
  expect(w.allow("k", 10, 5_999)).toBe(false);
  expect(w.allow("other", 10, 5_999)).toBe(true);
  // A burst that straddles the boundary: the next second starts afresh, though 11 fell within 1 s.
  for (let i = 0; i < 10; i++) expect(w.allow("k", 10, 6_000 + i)).toBe(true);
  expect(w.allow("k", 10, 6_010)).toBe(false);
});
