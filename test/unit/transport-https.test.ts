import https from "node:https";
import type { AddressInfo } from "node:net";
import { EmulatorCa } from "../../emulator/ca";
import { CloudApiError } from "../../provider/http/errors";
import { send, type HttpReply } from "../../provider/http/transport";

/** The clouds are reached over https: the transport speaks TLS and verifies the server's certificate. */
describe("transport over https", () => {
  let server: https.Server;
  let url: string;
  let chainPem: string;
  let connections = 0;

  beforeAll(async () => {
    const issued = await new EmulatorCa().issue({ commonName: "api.certapply.test", ipAddresses: ["127.0.0.1"], notBefore: new Date(Date.now() - 60_000) });
    chainPem = issued.chainPem;
    server = https.createServer({ key: issued.privateKeyPem, cert: issued.certificatePem }, (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
    });
    server.on("connection", () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    https.globalAgent.options.ca = undefined;
    https.globalAgent.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const call = () =>
    send(
      { cloud: "tencent", action: "Probe", build: () => ({ method: "GET", url, headers: {} }), parse: (r: HttpReply) => JSON.parse(r.body) as unknown, maxRetries: 0 },
      { timeoutMs: 5000, maxRetries: 0, baseDelayMs: 1 },
    );

  test("a certificate from an authority the process does not trust is refused", async () => {
    const err = (await call().catch((e: unknown) => e)) as CloudApiError;
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err.code).toMatch(/^NetworkError\.(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/);
  });

  test("a refused certificate is not transient: even a read with retries left is not sent again", async () => {
    connections = 0;
    const retried: string[] = [];
    const err = (await send(
      { cloud: "tencent", action: "Probe", build: () => ({ method: "GET", url, headers: {} }), parse: (r: HttpReply) => JSON.parse(r.body) as unknown },
      { timeoutMs: 5000, maxRetries: 3, baseDelayMs: 1, onRetry: (e) => retried.push(e.code) },
    ).catch((e: unknown) => e)) as CloudApiError;
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err.transient).toBe(false);
    expect(retried).toEqual([]);
    expect(connections).toBe(1);
  });

  test("with the authority trusted, the reply is read over TLS", async () => {
    https.globalAgent.options.ca = chainPem;
    await expect(call()).resolves.toEqual({ ok: true });
  });
});
