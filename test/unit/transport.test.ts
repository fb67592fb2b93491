import http from "node:http";
import { CloudApiError } from "../../provider/http/errors";
import { useLoopbackServer } from "../support";
import { parseRateOverrides, limitFor, setRateOverrides } from "../../provider/http/ratelimit";
import { MAX_REPLY_BYTES, MAX_REQUEST_BYTES, backoffDelayMs, parseJson, send, type HttpReply } from "../../provider/http/transport";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let handler: Handler = (_q, s) => s.end("{}");
const hits: { time: number; url: string; auth?: string }[] = [];
const server = useLoopbackServer((req, res) => {
  hits.push({ time: Date.now(), url: req.url ?? "", auth: req.headers.authorization });
  handler(req, res);
});
beforeEach(() => {
  hits.length = 0;
  setRateOverrides({});
});

const opts = { timeoutMs: 2000, maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20 };

/** A tiny cloud: `{"error": {"code", "message"}}` bodies; `Busy` and 5xx are transient. */
function spec(action: string, counter?: { builds: number }) {
  return {
    cloud: "tencent" as const,
    action,
    build: () => {
      if (counter) counter.builds += 1;
      return { method: "POST" as const, url: `${server.url()}/${action}`, headers: { Authorization: `sig-${counter?.builds ?? 0}` }, body: "{}" };
    },
    parse: (reply: HttpReply) => {
      const body = parseJson({ cloud: "tencent", action }, reply) as { error?: { code: string; message: string }; ok?: boolean };
      if (reply.status >= 500 || body?.error) {
        const code = body?.error?.code ?? `HTTP ${reply.status}`;
        throw new CloudApiError({
          cloud: "tencent",
          action,
          code,
          message: body?.error?.message ?? "server error",
          httpStatus: reply.status,
          transient: reply.status >= 500 || code === "Busy",
        });
      }
      return body;
    },
  };
}

test("retries 5xx and transient codes, re-building (re-signing) the request each attempt", async () => {
  let n = 0;
  handler = (_q, s) => {
    n += 1;
    if (n === 1) {
      s.statusCode = 503;
      return s.end("{}");
    }
    if (n === 2) return s.end(JSON.stringify({ error: { code: "Busy", message: "try later" } }));
    s.end(JSON.stringify({ ok: true }));
  };
  const counter = { builds: 0 };
  const retried: string[] = [];
  await expect(send(spec("RetryMe", counter), { ...opts, onRetry: (e) => retried.push(e.code) })).resolves.toEqual({ ok: true });
  expect(hits.map((h) => h.auth)).toEqual(["sig-1", "sig-2", "sig-3"]);
  expect(retried).toEqual(["HTTP 503", "Busy"]);
});

test("never retries an error that is not transient (auth, parameters)", async () => {
  handler = (_q, s) => s.end(JSON.stringify({ error: { code: "AuthFailure.SignatureFailure", message: "bad signature" } }));
  const err = await send(spec("NoRetry"), opts).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CloudApiError);
  expect((err as CloudApiError).code).toBe("AuthFailure.SignatureFailure");
  expect((err as CloudApiError).message).toBe("tencent NoRetry failed: AuthFailure.SignatureFailure: bad signature");
  expect(hits).toHaveLength(1);
});

test("gives up after maxRetries and reports the last error", async () => {
  handler = (_q, s) => {
    s.statusCode = 502;
    s.end("bad gateway");
  };
  const err = (await send(spec("Always502"), { ...opts, maxRetries: 2 }).catch((e: unknown) => e)) as CloudApiError;
  expect(err.code).toBe("HTTP 502");
  expect(err.transient).toBe(true);
  expect(hits).toHaveLength(3);
});

test("backoffDelayMs: full jitter under base·2^attempt, capped at maxDelayMs (30 s by default)", () => {
  const spy = jest.spyOn(Math, "random");
  try {
    spy.mockReturnValue(0.999999);
    expect(backoffDelayMs({ baseDelayMs: 100 }, 0)).toBeCloseTo(100, 2);
    expect(backoffDelayMs({ baseDelayMs: 100 }, 3)).toBeCloseTo(800, 2);
    expect(backoffDelayMs({ baseDelayMs: 100, maxDelayMs: 250 }, 3)).toBeCloseTo(250, 2);
    expect(backoffDelayMs({ baseDelayMs: 1000 }, 10)).toBeCloseTo(30_000, 0);
    spy.mockReturnValue(0);
    expect(backoffDelayMs({ baseDelayMs: 100 }, 3)).toBe(0);
  } finally {
    spy.mockRestore();
  }
});

test("a connection reset is a transient network error and is retried", async () => {
  let n = 0;
  handler = (q, s) => {
    n += 1;
    if (n === 1) return q.socket.destroy();
    s.end(JSON.stringify({ ok: true }));
  };
  await expect(send(spec("Reset"), opts)).resolves.toEqual({ ok: true });
  expect(hits).toHaveLength(2);
});

test("a reply slower than the request timeout is a RequestTimeout", async () => {
  handler = (_q, s) => setTimeout(() => s.end("{}"), 500);
  const err = (await send(spec("Slow"), { ...opts, timeoutMs: 100, maxRetries: 0 }).catch((e: unknown) => e)) as CloudApiError;
  expect(err.code).toBe("RequestTimeout");
  expect(err.transient).toBe(true);
});

test("the per-action limiter spreads a burst over seconds, shared by every caller in the process", async () => {
  handler = (_q, s) => s.end("{}");
  setRateOverrides({ "tencent:Limited": 4 });
  expect(limitFor("tencent:Limited")).toBe(4);
  await Promise.all(Array.from({ length: 10 }, () => send(spec("Limited"), opts)));
  const times = hits.map((h) => h.time).sort((a, b) => a - b);
  // No window of one second (less a small clock tolerance) may hold more than 4 requests.
  for (let i = 0; i + 4 < times.length; i++) expect(times[i + 4] - times[i]).toBeGreaterThanOrEqual(950);
});

test("documented limits apply by default and rateLimits overrides parse with clear errors", () => {
  // Tencent documents 10/s for every action (older copies said 20/s for two writes). Undocumented limits start at a stated rate.
  expect(limitFor("tencent:ModifyCertificateResubmit")).toBe(10);
  expect(limitFor("tencent:DescribeCertificateDetail")).toBe(10);
  expect(limitFor("huawei:ApplyCertificate")).toBe(10);
  expect(limitFor("edgecast:POST /v2.0/certificates")).toBe(10);
  expect(parseRateOverrides('{"huawei:*": 3}')).toEqual({ "huawei:*": 3 });
  setRateOverrides({ "huawei:*": 3 });
  expect(limitFor("huawei:GET /v3/scm/certificates/{id}")).toBe(3);
  expect(() => parseRateOverrides("nope")).toThrow(/certapply:rateLimits must be a JSON object/);
  expect(() => parseRateOverrides('{"a": -1}')).toThrow(/"a" must be a positive number/);
});

test("non-JSON replies become errors that carry the HTTP status", async () => {
  handler = (_q, s) => {
    s.statusCode = 404;
    s.end("<html>not found</html>");
  };
  const err = (await send(spec("Html"), opts).catch((e: unknown) => e)) as CloudApiError;
  expect(err.code).toBe("HTTP 404");
  expect(err.transient).toBe(false);
  expect(err.message).toContain("reply is not JSON");
});

describe("size caps", () => {
  test("an over-size reply sent in chunks is an error naming cloud and action, not retried, and is never read whole", async () => {
    const total = 150 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let written = 0;
    let closed!: Promise<void>;
    handler = (_q, s) => {
      closed = new Promise((resolve) => s.on("close", () => resolve()));
      s.writeHead(200, { "Content-Type": "application/json" });
      // No Content-Length: the client only learns the size by reading. Write with back-pressure until the client hangs up.
      const pump = (): void => {
        while (written < total && !s.destroyed) {
          written += chunk.length;
          if (!s.write(chunk)) return void s.once("drain", pump);
        }
        if (!s.destroyed) s.end();
      };
      pump();
    };
    global.gc?.();
    const before = process.memoryUsage();
    const err = (await send(spec("Huge"), opts).catch((e: unknown) => e)) as CloudApiError;
    const after = process.memoryUsage();
    await closed;
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err.code).toBe("ReplyTooLarge");
    expect(err.transient).toBe(false);
    expect(err.message).toMatch(/^tencent Huge failed: ReplyTooLarge: the reply is larger than 4194304 bytes/);
    expect(hits).toHaveLength(1);
    // The server could hand over the cap plus what socket buffers hold, nowhere near the 150 MB it had to send.
    expect(written).toBeLessThan(MAX_REPLY_BYTES + 16 * 1024 * 1024);
    const grown = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
    expect(grown).toBeLessThan(64 * 1024 * 1024);
  });

  test("a declared Content-Length over the cap is refused before reading", async () => {
    handler = (_q, s) => {
      s.writeHead(200, { "Content-Length": String(MAX_REPLY_BYTES + 1) });
      s.write("{");
    };
    const err = (await send(spec("Declared"), opts).catch((e: unknown) => e)) as CloudApiError;
    expect(err.code).toBe("ReplyTooLarge");
    expect(hits).toHaveLength(1);
  });

  test("a reply at the cap is read; compressed replies are decompressed and capped after decompression", async () => {
    const { gzipSync } = await import("node:zlib");
    const exact = JSON.stringify({ ok: true, pad: "x".repeat(MAX_REPLY_BYTES - 20) });
    expect(Buffer.byteLength(exact)).toBe(MAX_REPLY_BYTES);
    handler = (_q, s) => s.end(exact);
    await expect(send(spec("AtCap"), opts)).resolves.toMatchObject({ ok: true });
    const bomb = gzipSync(Buffer.alloc(MAX_REPLY_BYTES + 1, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    handler = (_q, s) => {
      s.writeHead(200, { "Content-Encoding": "gzip" });
      s.end(bomb);
    };
    const err = (await send(spec("Bomb"), opts).catch((e: unknown) => e)) as CloudApiError;
    expect(err.code).toBe("ReplyTooLarge");
    handler = (_q, s) => {
      s.writeHead(200, { "Content-Encoding": "gzip" });
      s.end(gzipSync(JSON.stringify({ ok: "zipped" })));
    };
    await expect(send(spec("Zipped"), opts)).resolves.toEqual({ ok: "zipped" });
  });

  test("an over-size request body is refused before anything is sent", async () => {
    const big = { ...spec("BigBody"), build: () => ({ method: "POST" as const, url: `${server.url()}/BigBody`, headers: {}, body: Buffer.alloc(MAX_REQUEST_BYTES + 1) }) };
    const err = (await send(big, opts).catch((e: unknown) => e)) as CloudApiError;
    expect(err.code).toBe("RequestTooLarge");
    expect(err.transient).toBe(false);
    expect(err.message).toContain("tencent BigBody failed: RequestTooLarge");
    expect(hits).toHaveLength(0);
    // A body at the cap (e.g. the largest confirm letter, base64) goes through.
    handler = (q, s) => {
      let n = 0;
      q.on("data", (c: Buffer) => (n += c.length));
      q.on("end", () => s.end(JSON.stringify({ received: n })));
    };
    const atCap = { ...spec("CapBody"), build: () => ({ method: "POST" as const, url: `${server.url()}/CapBody`, headers: {}, body: Buffer.alloc(MAX_REQUEST_BYTES, 0x20) }) };
    await expect(send(atCap, opts)).resolves.toEqual({ received: MAX_REQUEST_BYTES });
  });
});
