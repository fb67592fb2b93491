import { Emulator } from "../../emulator/server";
import { createCertificate, findCertificates, getStatus, retrigger } from "../../provider/clouds/edgecast/api";
import { EdgecastClient, clearTokenCache } from "../../provider/clouds/edgecast/client";
import { CloudApiError, ConfigError } from "../../provider/http/errors";
import { DV_BODY, edgecastConfig, makeCtx } from "./helpers";

const emulator = new Emulator();
const other = new Emulator();
const short = new Emulator({ credentials: { edgecast: { tokenLifetimeSeconds: 2 } } });

beforeAll(async () => {
  await emulator.start();
  await other.start();
  await short.start();
});
afterAll(async () => {
  await emulator.stop();
  await other.stop();
  await short.stop();
});
beforeEach(() => {
  emulator.reset();
  other.reset();
  short.reset();
  clearTokenCache();
});

const clientFor = (e: Emulator, logs: string[] = [], over: Record<string, string> = {}) => {
  const ctx = makeCtx({ ...edgecastConfig(e), ...over }, logs);
  return new EdgecastClient(ctx.config, ctx.transport);
};
const tokenCalls = (e: Emulator) => e.actions("edgecast").filter((a) => a === "POST /connect/token").length;
const unauthorized = (e: Emulator) => e.log.filter((l) => l.cloud === "edgecast" && l.status === 401).length;

describe("token", () => {
  test("one token for many calls; concurrent callers share a single refresh", async () => {
    const c = clientFor(emulator);
    emulator.injectFault({ cloud: "edgecast", action: "POST /connect/token", kind: "delay", count: 1, delayMs: 150 });
    const cert = await Promise.all(Array.from({ length: 12 }, (_, i) => createCertificate(c, { ...DV_BODY, certificate_label: `l${i}` })));
    expect(new Set(cert.map((x) => x.id)).size).toBe(12);
    expect(tokenCalls(emulator)).toBe(1);
    // a second client for the same (ids url, client id) uses the cached token
    await getStatus(clientFor(emulator), String(cert[0].id));
    expect(tokenCalls(emulator)).toBe(1);
  });

  test("the cache is per identity server and client id", async () => {
    await getStatus(clientFor(emulator), "1");
    await getStatus(clientFor(other), "1");
    expect(tokenCalls(emulator)).toBe(1);
    expect(tokenCalls(other)).toBe(1);
  });

  test("refreshed before expires_in runs out, not earlier", async () => {
    // lifetime 2 s: the client refreshes 1 s before expiry (margin = min(30 s, half the lifetime))
    const c = clientFor(short);
    await getStatus(c, "1");
    await getStatus(c, "1");
    expect(tokenCalls(short)).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    await Promise.all([getStatus(c, "1"), getStatus(c, "1"), getStatus(c, "1")]);
    expect(tokenCalls(short)).toBe(2);
    // the old token was still valid at the server: the refresh came first, no call was refused
    expect(unauthorized(short)).toBe(0);
  });

  test("expiry in the middle of a run (emulator clock moved on) is survived: 401, one new token, one retry", async () => {
    const c = clientFor(emulator);
    const cert = await createCertificate(c, DV_BODY);
    emulator.advanceClock(301);
    const st = await getStatus(c, String(cert.id));
    expect(st?.status).toBe("Processing");
    expect(tokenCalls(emulator)).toBe(2);
    expect(unauthorized(emulator)).toBe(1);
    expect(emulator.actions("edgecast")).toEqual([
      "POST /connect/token",
      "POST /v2.0/certificates/cdnprovided",
      "GET /v2.0/certificates/{id}/status",
      "POST /connect/token",
      "GET /v2.0/certificates/{id}/status",
    ]);
  });

  test("bad credentials: a clear, non-retried error naming the settings, without the secret", async () => {
    const c = clientFor(emulator, [], { "certapply:edgecastClientSecret": "not-the-secret-canary" });
    const err = await getStatus(c, "1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudApiError);
    const e = err as CloudApiError;
    expect(e.code).toBe("invalid_client");
    expect(e.transient).toBe(false);
    expect(e.message).toMatch(/certapply:edgecastClientId/);
    expect(e.message).not.toContain("not-the-secret-canary");
    expect(tokenCalls(emulator)).toBe(1);
  });

  test("missing credentials are a ConfigError naming the config key and the env variable", () => {
    const saved = { id: process.env.EDGECAST_CLIENT_ID, secret: process.env.EDGECAST_CLIENT_SECRET };
    delete process.env.EDGECAST_CLIENT_ID;
    delete process.env.EDGECAST_CLIENT_SECRET;
    try {
      expect(() => clientFor(emulator, [], { "certapply:edgecastClientId": "" })).toThrow(ConfigError);
      expect(() => clientFor(emulator, [], { "certapply:edgecastClientId": "" })).toThrow(/certapply:edgecastClientId.*EDGECAST_CLIENT_ID/);
      expect(() => clientFor(emulator, [], { "certapply:edgecastClientSecret": "" })).toThrow(/certapply:edgecastClientSecret.*EDGECAST_CLIENT_SECRET/);
    } finally {
      if (saved.id !== undefined) process.env.EDGECAST_CLIENT_ID = saved.id;
      if (saved.secret !== undefined) process.env.EDGECAST_CLIENT_SECRET = saved.secret;
    }
  });

  test("the token request is a form body with the configured scope", async () => {
    const c = clientFor(emulator, [], { "certapply:edgecastScope": "ec.rules" });
    const err = (await getStatus(c, "1").catch((e: unknown) => e)) as CloudApiError;
    expect(err.code).toBe("invalid_scope");
    expect(err.message).toMatch(/edgecastScope/);
  });
});

describe("error mapping", () => {
  test("the CPS error body becomes code + details; 4xx is not retried", async () => {
    const c = clientFor(emulator);
    const err = (await createCertificate(c, { ...DV_BODY, certificate_label: "bad label", validation_type: "XV" }).catch((e: unknown) => e)) as CloudApiError;
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err).toMatchObject({ cloud: "edgecast", action: "POST /v2.0/certificates/cdnprovided", code: "ValidationFailed", httpStatus: 400, transient: false });
    expect(err.message).toMatch(/certificate_label: certificate_label may contain only letters/);
    expect(err.message).toMatch(/validation_type: validation_type must be one of DV, OV, EV/);
    expect(emulator.actions("edgecast").filter((a) => a.startsWith("POST /v2.0"))).toHaveLength(1);
  });

  test("404 reads as undefined; other calls surface NotFound", async () => {
    const c = clientFor(emulator);
    expect(await getStatus(c, "424242")).toBeUndefined();
    const err = (await retrigger(c, "424242").catch((e: unknown) => e)) as CloudApiError;
    expect(err).toMatchObject({ code: "NotFound", httpStatus: 404, transient: false });
  });

  test.each([
    ["throttle", 429],
    ["internal", 500],
    ["http500", 500],
    ["reset", undefined],
  ] as const)("%s is transient and retried through the shared transport", async (kind, status) => {
    const c = clientFor(emulator);
    const cert = await createCertificate(c, DV_BODY);
    emulator.injectFault({ cloud: "edgecast", action: "GET /v2.0/certificates/{id}/status", kind, count: 2 });
    expect((await getStatus(c, String(cert.id)))?.status).toBe("Processing");
    const statuses = emulator.log.filter((l) => l.action === "GET /v2.0/certificates/{id}/status").map((l) => l.status);
    expect(statuses).toEqual([status ?? -1, status ?? -1, 200]);
  });

  test("a transient error that outlasts the retries surfaces with its code", async () => {
    const ctx = makeCtx(edgecastConfig(emulator), [], { maxRetries: 1, maxThrottleRetries: 1 });
    const c = new EdgecastClient(ctx.config, ctx.transport);
    emulator.injectFault({ cloud: "edgecast", action: "GET /v2.0/certificates", kind: "throttle", count: 5 });
    const err = (await findCertificates(c, "id:1").catch((e: unknown) => e)) as CloudApiError;
    // Final once its resends are spent: no caller's retry loop sends it again (issue 17 item 7).
    expect(err).toMatchObject({ code: "TooManyRequests", httpStatus: 429, transient: false });
    expect(err.message).toMatch(/^edgecast GET \/v2.0\/certificates failed: TooManyRequests: rate limit exceeded/);
  });
});
