import http from "node:http";
import type { AddressInfo } from "node:net";
/** Pieces every cloud's tests share: a seeded PRNG, a backend context, stored outputs, an engine on the emulator. */
import { ProviderConfig } from "../../provider/config";
import type { CloudContext, LiveApplication } from "../../provider/resources/backend";
import { echoInputs } from "../../provider/resources/normalize";
import type { ApplicationInputs, ApplicationOutputs } from "../../provider/resources/types";
import type { Emulator } from "../../emulator/server";
import { Engine } from "../harness/engine";

/** mulberry32: a small seeded PRNG so randomized corpora are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A CloudContext reading the given settings (keys with or without the `certapply:` namespace, no env
 * fallback for those keys); short retries and polls so tests stay fast.
 */
export function makeCtx(values: Record<string, string | undefined>, logs: string[] = [], over: Partial<CloudContext["transport"]> = {}): CloudContext {
  const config = new ProviderConfig({ get: (k: string) => values[k] ?? values[k.replace(/^certapply:/, "")] });
  return {
    config,
    transport: { timeoutMs: 5000, maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20, ...over },
    log: (m) => logs.push(m),
    pollIntervalMs: 10,
  };
}

/** The outputs a create would have stored for `inputs`, with the live fields given (default: under review). */
export function storedOutputs(inputs: ApplicationInputs, applicationId: string, over: Partial<ApplicationOutputs> = {}, live?: LiveApplication): ApplicationOutputs {
  const echo = echoInputs(inputs);
  const outs: ApplicationOutputs = {
    ...echo,
    applicationId,
    status: live?.status ?? "under-review",
    rawStatus: live?.rawStatus ?? "",
    statusMessage: "",
    validationRecords: live?.validationRecords ?? [],
    resubmitCount: 0,
    lastResubmitAt: "",
    autoResubmitAttempts: 0,
    contentHash: "",
    ...over,
  };
  if (echo.edgecast || live?.edgecast) outs.edgecast = { ...(echo.edgecast ?? {}), ...(live?.edgecast ?? {}) };
  return outs;
}

/** An engine (Pulumi's provider host) configured for the emulator, with short polls and backoff. */
export function startEngine(emulator: Emulator, extra: Record<string, string> = {}): Promise<Engine> {
  return Engine.start({
    config: {
      ...emulator.stackConfig(),
      "certapply:pollIntervalMs": "50",
      "certapply:retryBaseDelayMs": "10",
      ...extra,
    },
  });
}

/**
 * A plain HTTP server on 127.0.0.1 for one test file: started before its tests, every connection closed and the
 * server stopped after them. `url()` is its base URL once started.
 */
export function useLoopbackServer(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): { url: () => string } {
  let server: http.Server | undefined;
  let base = "";
  beforeAll(async () => {
    const s = http.createServer(handler);
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
    base = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    server = s;
  });
  afterAll(async () => {
    const s = server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  });
  return { url: () => base };
}
