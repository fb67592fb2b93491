/**
 * Pipelines behind a proxy (issue 17 item 11): the transport honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY at call
 * time, tunnels https through the proxy with CONNECT (the proxy sees neither path nor signature) and forwards http.
 * A real proxy on loopback (below) serves both; it only ever connects to 127.0.0.1.
 */
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { EmulatorCa } from "../../emulator/ca";
import { Emulator } from "../../emulator/server";
import { TencentClient } from "../../provider/clouds/tencent/client";
import { CloudApiError } from "../../provider/http/errors";
import { proxyFor, send, type HttpReply } from "../../provider/http/transport";
import { makeCtx } from "../support";

/** What the proxy saw: CONNECT targets, forwarded absolute URLs, and the Proxy-Authorization of each. */
interface Seen {
  kind: "CONNECT" | "forward";
  target: string;
  auth?: string;
}

/** A forward proxy with CONNECT, as corporate proxies are; `refuse` answers CONNECT with 403, `stall` never answers. */
function startProxy(): Promise<{ url: string; seen: Seen[]; mode: { refuse: boolean; stall: boolean }; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const mode = { refuse: false, stall: false };
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    // Forwarded http: the request line carries the absolute URL. Only loopback is ever dialled.
    seen.push({ kind: "forward", target: req.url ?? "", auth: req.headers["proxy-authorization"] });
    const target = new URL(req.url ?? "");
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    const upstream = http.request({ host: "127.0.0.1", port: Number(target.port) || 80, method: req.method, path: target.pathname + target.search, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push({ kind: "CONNECT", target: req.url ?? "", auth: req.headers["proxy-authorization"] });
    if (mode.stall) return;
    if (mode.refuse) return void client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
    const port = Number((req.url ?? "").split(":").pop());
    const upstream = net.connect(port, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen,
        mode,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    ),
  );
}

const PROXY_VARS = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"];
const saved: Record<string, string | undefined> = {};
function setEnv(vars: Record<string, string>): void {
  for (const v of PROXY_VARS) delete process.env[v];
  Object.assign(process.env, vars);
}
beforeAll(() => PROXY_VARS.forEach((v) => (saved[v] = process.env[v])));
afterEach(() => {
  for (const v of PROXY_VARS) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
});

describe("proxyFor: which proxy the environment names for a URL", () => {
  const via = (url: string, env: Record<string, string>) => {
    setEnv(env);
    return proxyFor(url)?.href;
  };
  test("HTTPS_PROXY for https, HTTP_PROXY for http, ALL_PROXY for both; lower-case names too; none: direct", () => {
    expect(via("https://ssl.tencentcloudapi.com/", {})).toBeUndefined();
    expect(via("https://ssl.tencentcloudapi.com/", { HTTPS_PROXY: "http://proxy.corp:3128" })).toBe("http://proxy.corp:3128/");
    expect(via("http://ssl.tencentcloudapi.com/", { HTTPS_PROXY: "http://proxy.corp:3128" })).toBeUndefined();
    expect(via("http://ssl.tencentcloudapi.com/", { HTTP_PROXY: "http://plain.corp:80" })).toBe("http://plain.corp/");
    expect(via("https://api.vdms.io/", { https_proxy: "http://lower.corp:8080" })).toBe("http://lower.corp:8080/");
    expect(via("https://api.vdms.io/", { ALL_PROXY: "http://all.corp:1" })).toBe("http://all.corp:1/");
  });
  test("NO_PROXY: *, exact host names, .suffix and *.suffix, host:port, lists with commas or spaces", () => {
    const P = { HTTPS_PROXY: "http://proxy.corp:3128" };
    const direct = (url: string, no: string) => via(url, { ...P, NO_PROXY: no }) === undefined;
    expect(direct("https://scm.ap-southeast-1.myhuaweicloud.com/", "*")).toBe(true);
    expect(direct("https://api.vdms.io/", "api.vdms.io")).toBe(true);
    expect(direct("https://id.vdms.io/", "api.vdms.io")).toBe(false);
    expect(direct("https://scm.ap-southeast-1.myhuaweicloud.com/", ".myhuaweicloud.com")).toBe(true);
    expect(direct("https://iam.myhuaweicloud.com/", "*.myhuaweicloud.com")).toBe(true);
    expect(direct("https://myhuaweicloud.com.evil.example/", ".myhuaweicloud.com")).toBe(false);
    expect(direct("https://ssl.tencentcloudapi.com/", "ssl.tencentcloudapi.com:443")).toBe(true);
    expect(direct("https://ssl.tencentcloudapi.com:8443/", "ssl.tencentcloudapi.com:443")).toBe(false);
    expect(direct("https://ssl.tencentcloudapi.com/", "intranet.corp, .vdms.io ssl.tencentcloudapi.com")).toBe(true);
    expect(via("https://api.vdms.io/", { ...P, no_proxy: ".vdms.io" })).toBeUndefined();
  });
  test("a proxy setting that is not a URL is a clear, final error that does not show the password", async () => {
    setEnv({ HTTPS_PROXY: "http://user:s3cret@[bad" });
    const err = (await send(
      { cloud: "tencent", action: "Probe", build: () => ({ method: "GET", url: "https://ssl.tencentcloudapi.com/", headers: {} }), parse: () => undefined },
      { timeoutMs: 2000, maxRetries: 3, baseDelayMs: 1 },
    ).catch((e: unknown) => e)) as CloudApiError;
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err.code).toBe("NetworkError.BadProxy");
    expect(err.transient).toBe(false);
    expect(err.message).toMatch(/proxy setting for https .* is not an http:\/\/ or https:\/\/ URL/);
    expect(err.message).not.toContain("s3cret");
    setEnv({ HTTPS_PROXY: "socks5://127.0.0.1:1080" });
    expect(() => proxyFor("https://ssl.tencentcloudapi.com/")).toThrow(/is not an http:\/\/ or https:\/\/ URL/);
  });
});

describe("through a real proxy on loopback", () => {
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let tls: https.Server;
  let tlsPort: number;
  const tlsSeen: { host?: string; path?: string; auth?: string; proxyAuth?: string }[] = [];
  const emulator = new Emulator();

  beforeAll(async () => {
    proxy = await startProxy();
    await emulator.start();
    // A cloud over https under a name no resolver knows: only the proxy's CONNECT can reach it.
    const issued = await new EmulatorCa().issue({ commonName: "api.certapply.test", dnsNames: ["api.certapply.test"], notBefore: new Date(Date.now() - 60_000) });
    https.globalAgent.options.ca = issued.chainPem;
    tls = https.createServer({ key: issued.privateKeyPem, cert: issued.certificatePem }, (req, res) => {
      tlsSeen.push({ host: req.headers.host, path: req.url, auth: req.headers.authorization, proxyAuth: req.headers["proxy-authorization"] });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
    });
    await new Promise<void>((r) => tls.listen(0, "127.0.0.1", () => r()));
    tlsPort = (tls.address() as AddressInfo).port;
  });
  afterAll(async () => {
    https.globalAgent.options.ca = undefined;
    tls.closeAllConnections();
    await new Promise<void>((r) => tls.close(() => r()));
    await proxy.close();
    await emulator.stop();
  });
  beforeEach(() => {
    proxy.seen.length = 0;
    tlsSeen.length = 0;
    proxy.mode.refuse = false;
    proxy.mode.stall = false;
  });

  const probe = (url: string, timeoutMs = 5000) =>
    send(
      {
        cloud: "tencent",
        action: "Probe",
        build: () => ({ method: "POST", url, headers: { Authorization: "TC3-HMAC-SHA256 signature-xyz", "Content-Type": "application/json" }, body: "{}" }),
        parse: (r: HttpReply) => JSON.parse(r.body) as unknown,
        maxRetries: 0,
      },
      { timeoutMs, maxRetries: 0, baseDelayMs: 1 },
    );

  test("https is tunnelled with CONNECT: the proxy sees host and port only, TLS is verified end to end", async () => {
    setEnv({ HTTPS_PROXY: proxy.url });
    await expect(probe(`https://api.certapply.test:${tlsPort}/secret/path`)).resolves.toEqual({ ok: true });
    expect(proxy.seen).toEqual([{ kind: "CONNECT", target: `api.certapply.test:${tlsPort}`, auth: undefined }]);
    expect(tlsSeen).toEqual([{ host: `api.certapply.test:${tlsPort}`, path: "/secret/path", auth: "TC3-HMAC-SHA256 signature-xyz", proxyAuth: undefined }]);
  });

  test("proxy credentials from the URL go on the CONNECT only, never to the cloud", async () => {
    setEnv({ HTTPS_PROXY: proxy.url.replace("http://", "http://pipeline:p%40ss@") });
    await expect(probe(`https://api.certapply.test:${tlsPort}/`)).resolves.toEqual({ ok: true });
    expect(proxy.seen.map((s) => s.auth)).toEqual([`Basic ${Buffer.from("pipeline:p@ss").toString("base64")}`]);
    expect(tlsSeen[0].proxyAuth).toBeUndefined();
  });

  test("the server's certificate is still verified through the tunnel", async () => {
    setEnv({ HTTPS_PROXY: proxy.url });
    const ca = https.globalAgent.options.ca;
    https.globalAgent.options.ca = undefined;
    try {
      const err = (await probe(`https://api.certapply.test:${tlsPort}/`).catch((e: unknown) => e)) as CloudApiError;
      expect(err).toBeInstanceOf(CloudApiError);
      expect(err.transient).toBe(false);
      expect(err.code).toMatch(/^NetworkError\.(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/);
      expect(tlsSeen).toEqual([]);
    } finally {
      https.globalAgent.options.ca = ca;
    }
  });

  test("a signed Tencent call through an http forward proxy: the signature holds, the emulator answers", async () => {
    setEnv({ HTTP_PROXY: proxy.url });
    const { certificateId } = emulator.tencent.seed({ productType: "dv" });
    const detail = await new TencentClient(makeCtx(emulator.stackConfig())).describeCertificateDetail(certificateId);
    expect(detail.CertificateId).toBe(certificateId);
    expect(proxy.seen).toEqual([{ kind: "forward", target: `${emulator.url}/`, auth: undefined }]);
  });

  test("NO_PROXY: the listed host and port, or *, go direct; another port goes through the proxy", async () => {
    const { certificateId } = emulator.tencent.seed({ productType: "dv" });
    const read = () => new TencentClient(makeCtx(emulator.stackConfig())).describeCertificateDetail(certificateId);
    const emuHost = new URL(emulator.url).host;
    for (const [noProxy, proxied] of [
      [emuHost, 0],
      ["*", 0],
      ["127.0.0.1", 0],
      [`127.0.0.1:${Number(new URL(emulator.url).port) + 1}`, 1],
      [".certapply.test", 1],
    ] as const) {
      proxy.seen.length = 0;
      setEnv({ HTTP_PROXY: proxy.url, NO_PROXY: noProxy });
      await expect(read()).resolves.toMatchObject({ CertificateId: certificateId });
      expect([noProxy, proxy.seen.length]).toEqual([noProxy, proxied]);
    }
  });

  test("the request deadline covers a proxy that never answers CONNECT (transient); a refused tunnel is ProxyRefused, not a cloud reply", async () => {
    setEnv({ HTTPS_PROXY: proxy.url });
    proxy.mode.stall = true;
    const started = Date.now();
    const slow = (await probe(`https://api.certapply.test:${tlsPort}/`, 300).catch((e: unknown) => e)) as CloudApiError;
    expect(slow.code).toBe("RequestTimeout");
    expect(slow.transient).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
    proxy.mode.stall = false;
    proxy.mode.refuse = true;
    const refused = (await probe(`https://api.certapply.test:${tlsPort}/`).catch((e: unknown) => e)) as CloudApiError;
    // The proxy's 403 is not taken for the cloud's reply (a cloud's 403 or 404 means something else).
    expect(refused).toBeInstanceOf(CloudApiError);
    expect(refused.code).toBe("ProxyRefused");
    expect(refused.transient).toBe(false);
    expect(refused.message).toContain(`the proxy 127.0.0.1:${new URL(proxy.url).port} refused to open a tunnel to api.certapply.test:${tlsPort} (HTTP 403)`);
    expect(tlsSeen).toEqual([]);
  });
});
