import { HuaweiClient, huaweiError, resolveHuaweiSettings } from "../../provider/clouds/huawei/client";
import { ProviderConfig } from "../../provider/config";
import { CloudApiError, ConfigError } from "../../provider/http/errors";
import { akskSettings, ANY, control, huaweiSuite, makeCtx, passwordSettings, raw, seed } from "./helpers";

const { emu } = huaweiSuite({ credentials: { huawei: { tokenLifetimeSeconds: 1 } } });

function clientOf(values: Record<string, string | undefined>, over: Partial<import("../../provider/http/transport").TransportOptions> = {}): HuaweiClient {
  const ctx = makeCtx(values, [], over);
  return new HuaweiClient(ctx.config, ctx.transport);
}
const show = (c: HuaweiClient, id: string) => c.call({ method: "GET", path: `/v3/scm/certificates/${id}`, action: "ShowCertificate" }, ANY);
const count = (action: string) => emu.log.filter((e) => e.cloud === "huawei" && e.action === action).length;

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a failure");
}

describe("huawei client: settings", () => {
  const cfg = (v: Record<string, string>) => new ProviderConfig({ get: (k: string) => v[k.replace(/^certapply:/, "")] });
  const saved = { ...process.env };
  beforeEach(() => {
    for (const k of Object.keys(process.env)) if (k.startsWith("HW_") || k.startsWith("CERTAPPLY_HUAWEI")) delete process.env[k];
  });
  afterAll(() => {
    process.env = saved;
  });

  it("names every setting and env var when no credentials are configured", () => {
    const e = (() => {
      try {
        resolveHuaweiSettings(cfg({}));
      } catch (err) {
        return err as Error;
      }
      throw new Error("no error");
    })();
    expect(e).toBeInstanceOf(ConfigError);
    for (const s of ["huaweiAccessKey", "huaweiSecretKey", "HW_ACCESS_KEY", "HW_SECRET_KEY", "huaweiAuthToken", "HW_AUTH_TOKEN", "huaweiUserName", "HW_USER_PASSWORD"]) {
      expect(e.message).toContain(s);
    }
  });

  it("names the missing half of an AK/SK pair and the missing IAM fields, never the secret", () => {
    expect(() => resolveHuaweiSettings(cfg({ huaweiSecretKey: "sk-canary-123" }))).toThrow(/huaweiAccessKey \(env HW_ACCESS_KEY\)/);
    expect(() => resolveHuaweiSettings(cfg({ huaweiSecretKey: "sk-canary-123" }))).not.toThrow(/sk-canary-123/);
    expect(() => resolveHuaweiSettings(cfg({ huaweiUserName: "u", huaweiPassword: "pw-canary" }))).toThrow(/huaweiDomainName \(env HW_DOMAIN_NAME\)/);
  });

  it("defaults the endpoint from the region and prefers AK/SK over token settings", () => {
    const s = resolveHuaweiSettings(cfg({ huaweiRegion: "cn-north-4", huaweiAccessKey: "AK", huaweiSecretKey: "SK", huaweiAuthToken: "T".repeat(40) }));
    expect(s.endpoint).toBe("https://scm.cn-north-4.myhuaweicloud.com");
    expect(s.auth.kind).toBe("aksk");
    expect(resolveHuaweiSettings(cfg({ huaweiAuthToken: "T".repeat(40) })).auth.kind).toBe("token");
    expect(() => resolveHuaweiSettings(cfg({ huaweiAuthToken: "t", huaweiEndpoint: "not a url" }))).toThrow(/huaweiEndpoint \(env CERTAPPLY_HUAWEI_ENDPOINT\)/);
  });

  it("reads the environment when config is empty", () => {
    process.env.HW_ACCESS_KEY = "ENVAK";
    process.env.HW_SECRET_KEY = "ENVSK";
    const s = resolveHuaweiSettings(cfg({}));
    expect(s.auth).toMatchObject({ kind: "aksk", accessKey: "ENVAK" });
  });
});

describe("huawei client: error mapping", () => {
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, body: typeof body === "string" ? body : JSON.stringify(body) });

  it("maps SCM, gateway and IAM shapes; throttling and 5xx are transient, auth never", () => {
    const scm = huaweiError("huawei", "ApplyCertificate", reply(400, { error_code: "SCM.0010", error_msg: "status" }, { "x-request-id": "rid-1" }));
    expect([scm.code, scm.transient, scm.requestId, scm.httpStatus]).toEqual(["SCM.0010", false, "rid-1", 400]);
    expect(scm.message).toContain("huawei ApplyCertificate failed: SCM.0010");
    const throttle = huaweiError("huawei", "ShowCertificate", reply(429, { error_code: "APIG.0308", error_msg: "over ratelimit", request_id: "rid-2" }));
    expect([throttle.transient, throttle.requestId]).toEqual([true, "rid-2"]);
    expect(huaweiError("huawei", "x", reply(400, { error_code: "APIGW.0308", error_msg: "" })).transient).toBe(true);
    const auth = huaweiError("huawei", "x", reply(401, { error_code: "APIG.0301", error_msg: "Incorrect IAM authentication information" }));
    expect(auth.transient).toBe(false);
    expect(auth.message).toMatch(/locks an access key for 5 minutes/);
    const skew = huaweiError("huawei", "x", reply(401, { error_code: "APIGW.0303", error_msg: "time" }));
    expect([skew.transient, /15 minutes/.test(skew.message)]).toEqual([false, true]);
    expect(huaweiError("huawei", "x", reply(500, { error_code: "SCM.0016", error_msg: "Failed to order" })).transient).toBe(true);
    expect(huaweiError("huawei", "x", reply(502, "<html>bad gateway</html>")).code).toBe("HTTP 502");
    const iam = huaweiError("iam", "POST /v3/auth/tokens", reply(401, { error: { code: 401, message: "The username or password is wrong." } }));
    expect([iam.code, iam.transient]).toEqual(["401", false]);
    expect(iam.message).toMatch(/huaweiUserName/);
  });
});

describe("huawei client: against the emulator", () => {
  it("signs with AK/SK, sends X-Domain-Id, and reads a certificate", async () => {
    const id = await seed(emu);
    await expect(show(clientOf(akskSettings(emu)), id)).resolves.toMatchObject({ id, status: "PAID" });
    const wrongDomain = await failure(show(clientOf(akskSettings(emu, { huaweiDomainId: "f".repeat(32) })), id));
    expect((wrongDomain as CloudApiError).code).toBe("SCM.0002");
  });

  it("retries throttling (APIG.0308 / 429) and 5xx with backoff, then succeeds", async () => {
    const id = await seed(emu);
    emu.injectFault({ cloud: "huawei", action: "ShowCertificate", kind: "throttle", count: 2 });
    emu.injectFault({ cloud: "huawei", action: "ShowCertificate", kind: "http500", count: 1 });
    await expect(show(clientOf(akskSettings(emu)), id)).resolves.toMatchObject({ id });
    expect(count("ShowCertificate")).toBe(4);
  });

  it("gives up after maxRetries on persistent throttling with the gateway's code", async () => {
    const id = await seed(emu);
    emu.injectFault({ cloud: "huawei", action: "ShowCertificate", kind: "throttle", count: 10 });
    const e = (await failure(show(clientOf(akskSettings(emu), { maxRetries: 2, maxThrottleRetries: 2 }), id))) as CloudApiError;
    expect(e.code).toBe("APIG.0308");
    expect(count("ShowCertificate")).toBe(3);
  });

  it("never retries an auth failure, and does not send the same bad credentials again in a burst", async () => {
    const id = await seed(emu);
    const bad = clientOf(akskSettings(emu, { huaweiSecretKey: "sk-canary-wrong-secret" }));
    const first = (await failure(show(bad, id))) as CloudApiError;
    expect(first.code).toBe("APIG.0301");
    expect(count("ShowCertificate")).toBe(1);
    for (let i = 0; i < 6; i++) expect(((await failure(show(bad, id))) as CloudApiError).code).toBe("APIG.0301");
    expect(count("ShowCertificate")).toBe(1); // nothing more reached the gateway: no lock-out
    expect(JSON.stringify({ m: first.message, s: first.stack })).not.toContain("sk-canary-wrong-secret");
    // the good key is unaffected
    await expect(show(clientOf(akskSettings(emu)), id)).resolves.toMatchObject({ id });
  });

  it("uses a configured X-Auth-Token and maps a rejected one without echoing it", async () => {
    const id = await seed(emu);
    const c = emu.credentials.huawei;
    const r = await raw(emu, "POST", "/v3/auth/tokens", { "Content-Type": "application/json" }, JSON.stringify({
      auth: { identity: { methods: ["password"], password: { user: { name: c.userName, password: c.password, domain: { name: c.domainName } } } } },
    }));
    const token = String(r.headers["x-subject-token"]);
    await expect(show(clientOf({ huaweiEndpoint: emu.url, huaweiAuthToken: token }), id)).resolves.toMatchObject({ id });
    expect(count("CreateToken")).toBe(1);
    const bad = (await failure(show(clientOf({ huaweiEndpoint: emu.url, huaweiAuthToken: "token-canary-" + "x".repeat(32) }), id))) as CloudApiError;
    expect(bad.code).toBe("APIG.0301");
    expect(bad.message).not.toContain("token-canary");
  });

  it("gets an IAM token once for concurrent calls, caches it, and refreshes it before expiry", async () => {
    const id = await seed(emu);
    const c = clientOf(passwordSettings(emu));
    await Promise.all([show(c, id), show(c, id), show(c, id), show(c, id)]);
    expect(count("CreateToken")).toBe(1);
    await show(c, id);
    expect(count("CreateToken")).toBe(1);
    // lifetime 1 s here: refresh margin is a fifth of it, so after 0.9 s a new token is fetched before use
    await new Promise((r) => setTimeout(r, 900));
    await show(c, id);
    expect(count("CreateToken")).toBe(2);
    expect(emu.log.filter((e) => e.action === "ShowCertificate" && e.status !== 200)).toHaveLength(0);
  });

  it("fetches a new token once when the server rejects a cached one", async () => {
    const id = await seed(emu);
    const c = clientOf(passwordSettings(emu));
    await show(c, id);
    emu.advanceClock(10); // the server now considers the token expired; the client's clock does not
    await expect(show(c, id)).resolves.toMatchObject({ id });
    expect(count("CreateToken")).toBe(2);
  });

  it("reports wrong IAM credentials clearly and does not retry them", async () => {
    const id = await seed(emu);
    const e = (await failure(show(clientOf(passwordSettings(emu, { huaweiPassword: "pw-canary-wrong" })), id))) as CloudApiError;
    expect(e.cloud).toBe("iam");
    expect(e.message).toMatch(/huaweiUserName, huaweiPassword and huaweiDomainName/);
    expect(e.message).not.toContain("pw-canary-wrong");
    expect(count("CreateToken")).toBe(1);
  });

  it("control API works for the client tests (sanity)", async () => {
    const id = await seed(emu);
    expect((await control(emu, "state", { id })).json.status).toBe("PAID");
  });
});

describe("huawei client: X-Domain-Id (SCM is a global service)", () => {
  const noDomain = (over: Record<string, string | undefined> = {}) => akskSettings(emu, { huaweiDomainId: undefined, huaweiIamEndpoint: emu.url, ...over });

  it("looks the account id up once per credential with IAM GET /v3/auth/domains, signed with the same AK/SK", async () => {
    const id = await seed(emu);
    const c = clientOf(noDomain());
    await Promise.all([show(c, id), show(c, id), show(c, id)]);
    await show(clientOf(noDomain()), id); // another client, same credential: cached
    expect(emu.actions("huawei")).toEqual(["KeystoneListAuthDomains", "ShowCertificate", "ShowCertificate", "ShowCertificate", "ShowCertificate"]);
    expect(emu.log.every((e) => e.status === 200)).toBe(true);
  });

  it("a configured huaweiDomainId is sent as it is, with no lookup", async () => {
    const id = await seed(emu);
    await show(clientOf(akskSettings(emu, { huaweiIamEndpoint: emu.url })), id);
    expect(emu.actions("huawei")).toEqual(["ShowCertificate"]);
  });

  it("a failed lookup names huaweiDomainId / HW_DOMAIN_ID as the way out, and is tried again on the next call", async () => {
    const id = await seed(emu);
    emu.injectFault({ cloud: "huawei", action: "KeystoneListAuthDomains", kind: "http500", count: 2 });
    const e = (await failure(show(clientOf(noDomain(), { maxRetries: 1 }), id))) as CloudApiError;
    expect(e.cloud).toBe("iam");
    expect(e.message).toMatch(/certapply:huaweiDomainId \(env HW_DOMAIN_ID\)/);
    expect(count("ShowCertificate")).toBe(0);
    await expect(show(clientOf(noDomain()), id)).resolves.toMatchObject({ id });
  });

  it("a lookup refused for a bad signature says so and names the way out", async () => {
    const e = (await failure(show(clientOf(noDomain({ huaweiSecretKey: "sk-canary-lookup" })), "scs0000000000000"))) as CloudApiError;
    expect(e.code).toBe("APIG.0301");
    expect(e.message).toMatch(/huaweiSecretKey/);
    expect(e.message).toMatch(/HW_DOMAIN_ID/);
    expect(e.message).not.toContain("sk-canary-lookup");
  });
});

describe("huawei client: the auth-failure hold (signature failures only)", () => {
  it("a clock-skew refusal (APIGW.0303) is not held: the next call, with the clock fixed, goes through", async () => {
    const id = await seed(emu);
    const c = clientOf(akskSettings(emu));
    emu.advanceClock(20 * 60);
    expect(((await failure(show(c, id))) as CloudApiError).code).toBe("APIGW.0303");
    emu.advanceClock(-20 * 60);
    await expect(show(c, id)).resolves.toMatchObject({ id });
    expect(count("ShowCertificate")).toBe(2);
  });

  it("other 401/403 replies (a wrong X-Domain-Id: 403 SCM.0002) are not held either", async () => {
    const id = await seed(emu);
    const c = clientOf(akskSettings(emu, { huaweiDomainId: "f".repeat(32) }));
    expect(((await failure(show(c, id))) as CloudApiError).code).toBe("SCM.0002");
    expect(((await failure(show(c, id))) as CloudApiError).code).toBe("SCM.0002");
    expect(count("ShowCertificate")).toBe(2);
  });

  it("a held signature failure is cleared when the credentials change, and applies again only to the failed ones", async () => {
    const id = await seed(emu);
    const bad = () => clientOf(akskSettings(emu, { huaweiSecretKey: "sk-canary-wrong-secret" }));
    await failure(show(bad(), id));
    await failure(show(bad(), id));
    expect(count("ShowCertificate")).toBe(1); // held
    await expect(show(clientOf(akskSettings(emu)), id)).resolves.toMatchObject({ id }); // same AK, new secret: cleared
    await failure(show(bad(), id));
    expect(count("ShowCertificate")).toBe(3); // the old hold is gone: the bad secret reached the gateway once more
  });
});

/** A real HTTP server on loopback answering every request with one fixed reply (shapes the emulator does not serve). */
async function fixedServer(status: number, body: string, headers: Record<string, string> = {}): Promise<{ url: string; close: () => Promise<void>; hits: () => number }> {
  const http = await import("node:http");
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits += 1;
    req.resume();
    req.on("end", () => {
      res.writeHead(status, { "Content-Type": "application/json", "X-Request-Id": "rid-fixed-0001", ...headers });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as import("node:net").AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())), hits: () => hits };
}

describe("huawei client: replies are checked against the SDK models before use", () => {
  const garbled: [string, string][] = [
    ["an error body under HTTP 200", JSON.stringify({ error_code: "SCM.0005", error_msg: "Incorrect request parameter" })],
    ["null", "null"],
    ["wrong types", JSON.stringify({ id: "scs1554192131150", status: 5, authentification: "none" })],
    ["no status", JSON.stringify({ id: "scs1554192131150" })],
    ["HTML", "<html><body>maintenance</body></html>"],
    ["an empty body", ""],
  ];
  it.each(garbled)("%s is an InvalidReply naming cloud, action and request id, never a status", async (_what, body) => {
    const srv = await fixedServer(200, body);
    try {
      const { huaweiBackend } = await import("../../provider/clouds/huawei");
      const ctx = makeCtx({ huaweiEndpoint: srv.url, huaweiAccessKey: "AK", huaweiSecretKey: "SK", huaweiDomainId: "d".repeat(32) }, [], { maxRetries: 0 });
      const e = (await failure(huaweiBackend.read(ctx, "scs1554192131150"))) as CloudApiError;
      expect(e).toBeInstanceOf(CloudApiError);
      expect(e.code).toBe("InvalidReply");
      expect(e.message).toMatch(/^huawei ShowCertificate failed: InvalidReply: .*\(request id rid-fixed-0001\)$/);
    } finally {
      await srv.close();
    }
  });

  it("an IAM domain list that does not fit KeystoneListAuthDomainsResponse is an error naming the way out", async () => {
    const srv = await fixedServer(200, JSON.stringify({ domains: [] }));
    try {
      const e = (await failure(show(clientOf({ huaweiEndpoint: srv.url, huaweiIamEndpoint: srv.url, huaweiAccessKey: "AK", huaweiSecretKey: "SK" }, { maxRetries: 0 }), "scs1554192131150"))) as CloudApiError;
      expect(e.code).toBe("NoDomainId");
      expect(e.message).toMatch(/huaweiDomainId \(env HW_DOMAIN_ID\)/);
    } finally {
      await srv.close();
    }
  });

  it("masks personal values and credentials a cloud's error message repeats", async () => {
    const srv = await fixedServer(400, JSON.stringify({ error_code: "SCM.0005", error_msg: "bad applicant emily.canary@example.com / Emily Canary, ak SK-canary-secret" }));
    try {
      const { huaweiBackend } = await import("../../provider/clouds/huawei");
      const ctx = makeCtx({ huaweiEndpoint: srv.url, huaweiAccessKey: "AK", huaweiSecretKey: "SK-canary-secret", huaweiDomainId: "d".repeat(32) }, [], { maxRetries: 0 });
      // submit reads first: the fixed server answers the read with the same 400, so drive the apply through resubmit
      const live = { status: "pending-submission" as const, rawStatus: "PAID", statusMessage: "", validationRecords: [] };
      const inputs = { cloud: "huawei" as const, certificateId: "scs1554192131150", commonName: "www.example.com", admin: { firstName: "Emily", lastName: "Canary", email: "emily.canary@example.com", phone: "13212345678" } };
      const e = (await failure(huaweiBackend.resubmit(ctx, "scs1554192131150", inputs, live))) as CloudApiError;
      expect(e.code).toBe("SCM.0005");
      for (const secret of ["emily.canary@example.com", "Emily Canary", "SK-canary-secret"]) expect(e.message).not.toContain(secret);
      expect(e.message).toContain("bad applicant ***");
    } finally {
      await srv.close();
    }
  });
});
