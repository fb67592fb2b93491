import http from "node:http";
import { ssl } from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl";
import { signTc3 } from "../../provider/clouds/tencent/signer";
import { Emulator } from "../../emulator/server";
import type { CloudContext } from "../../provider/resources/backend";
import type { ApplicationInputs } from "../../provider/resources/types";
import { makeCtx } from "../support";

export { makeCtx };
export { prng } from "../support";

/** The stack config that points certapply's Tencent client at `e`. */
export function tencentConfig(e: Emulator): Record<string, string> {
  return {
    "certapply:tencentEndpoint": e.url,
    "certapply:tencentSecretId": e.credentials.tencent.secretId,
    "certapply:tencentSecretKey": e.credentials.tencent.secretKey,
  };
}

/** A complete Tencent OV declaration for certificate `id`, as the backend receives it (fields overridable). */
export const tencentInputs = (id: string, over: Partial<ApplicationInputs> = {}): ApplicationInputs => ({
  cloud: "tencent",
  certificateId: id,
  commonName: "www.example.com",
  dnsNames: [],
  validationMethod: "DNS",
  organization: { name: "Example Ltd", division: "IT", address: "1 Road", city: "Beijing", region: "Beijing", country: "CN", phoneAreaCode: "010", phoneNumber: "12345678" },
  admin: { firstName: "Ning", lastName: "Huang", email: "ssl@example.com", phone: "13112341234", title: "R&D" },
  tech: { firstName: "Ning", lastName: "Huang", email: "tech@example.com", phone: "13112341234", title: "R&D" },
  tencent: {},
  ...over,
});

/** The official Tencent SDK client (a dev-only oracle) on a loopback port: its endpoint host resolves to 127.0.0.1. */
export function officialTencentClient(
  port: number,
  credential: { secretId: string; secretKey: string },
  reqTimeout?: number,
): InstanceType<typeof ssl.v20191205.Client> {
  const loopback = (_host: string, opts: { all?: boolean } | undefined, cb: (...a: unknown[]) => void) => {
    if (opts && opts.all) cb(null, [{ address: "127.0.0.1", family: 4 }]);
    else cb(null, "127.0.0.1", 4);
  };
  return new ssl.v20191205.Client({
    credential,
    region: "",
    profile: {
      httpProfile: {
        endpoint: `ssl.tencentcloudapi.com:${port}`,
        protocol: "http://",
        agent: new http.Agent({ lookup: loopback as never }),
        ...(reqTimeout === undefined ? {} : { reqTimeout }),
      },
    },
  });
}

export interface RawReply {
  status: number;
  json: { Response: { Error?: { Code: string; Message: string }; RequestId?: string; [k: string]: unknown } };
}

/** Sends a hand-signed request to a loopback URL; `tamper` changes the body after signing. */
export async function rawCall(
  baseUrl: string,
  action: string,
  params: unknown,
  opts: {
    secretId: string;
    secretKey: string;
    timestamp?: number;
    version?: string;
    host?: string;
    signHost?: string;
    tamper?: (body: string) => string;
    token?: string;
    service?: string;
    contentType?: string;
    authorization?: string;
    method?: "POST" | "GET";
    query?: string;
    /** Extra headers, not signed (e.g. X-TC-Language). */
    headers?: Record<string, string>;
  },
): Promise<RawReply> {
  const url = new URL(baseUrl);
  const body = opts.method === "GET" ? "" : JSON.stringify(params);
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const contentType = opts.contentType ?? (opts.method === "GET" ? "application/x-www-form-urlencoded" : "application/json");
  const host = opts.host ?? url.host;
  const sig = signTc3({
    method: opts.method ?? "POST",
    host: opts.signHost ?? host,
    contentType,
    body,
    timestamp,
    service: opts.service ?? "ssl",
    secretId: opts.secretId,
    secretKey: opts.secretKey,
    query: opts.query,
  });
  const sent = opts.tamper ? opts.tamper(body) : body;
  const headers: Record<string, string> = {
    Host: host,
    "Content-Type": contentType,
    "X-TC-Action": action,
    "X-TC-Timestamp": String(timestamp),
    Authorization: opts.authorization ?? sig.authorization,
  };
  if (opts.version !== "") headers["X-TC-Version"] = opts.version ?? "2019-12-05";
  if (opts.token) headers["X-TC-Token"] = opts.token;
  Object.assign(headers, opts.headers);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: Number(url.port), method: opts.method ?? "POST", path: opts.query ? `/?${opts.query}` : "/", headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          try {
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) as RawReply["json"] });
          } catch (e) {
            reject(e);
          }
        });
      },
    );
    req.on("error", reject);
    req.end(sent);
  });
}

/**
 * A loopback proxy in front of the emulator that can lose replies: for an action marked with `dropAfterCommit`,
 * the request reaches the emulator (which applies it) and the proxy then closes the client's connection
 * instead of relaying the reply: a write applied whose reply was lost. `garble` replaces a reply body.
 * `sent` records each request's action and parameters; `reset` forgets all of it.
 */
export async function replyLosingProxy(targetUrl: string): Promise<{
  url: string;
  dropAfterCommit: (action: string, count?: number) => void;
  garble: (action: string, body: string, count?: number) => void;
  dropped: string[];
  sent: { action: string; params: Record<string, unknown> }[];
  reset: () => void;
  close: () => Promise<void>;
}> {
  const target = new URL(targetUrl);
  const drops = new Map<string, number>();
  const garbles = new Map<string, { body: string; count: number }>();
  const dropped: string[] = [];
  const sent: { action: string; params: Record<string, unknown> }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const action = String(req.headers["x-tc-action"] ?? "");
      sent.push({ action, params: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown> });
      const up = http.request({ host: "127.0.0.1", port: Number(target.port), method: req.method, path: req.url, headers: req.headers }, (r) => {
        const body: Buffer[] = [];
        r.on("data", (c: Buffer) => body.push(c));
        r.on("end", () => {
          const left = drops.get(action) ?? 0;
          if (left > 0) {
            drops.set(action, left - 1);
            dropped.push(action);
            req.socket.destroy();
            return;
          }
          const g = garbles.get(action);
          if (g && g.count > 0) {
            g.count -= 1;
            res.writeHead(200, { "content-type": "application/json" });
            res.end(g.body);
            return;
          }
          res.writeHead(r.statusCode ?? 502, r.headers);
          res.end(Buffer.concat(body));
        });
      });
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as import("node:net").AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    dropAfterCommit: (action, count = 1) => drops.set(action, count),
    garble: (action, body, count = 1) => garbles.set(action, { body, count }),
    dropped,
    sent,
    reset: () => {
      drops.clear();
      garbles.clear();
      dropped.length = 0;
      sent.length = 0;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A fresh EC P-256 CSR for `cn` with `sans`, and its key (PKCS#8 PEM). */
export async function makeCsr(cn: string, sans: string[]): Promise<{ csrPem: string; keyPem: string }> {
  await import("reflect-metadata");
  const x509 = await import("@peculiar/x509");
  const { webcrypto } = await import("node:crypto");
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"])) as { privateKey: Parameters<typeof webcrypto.subtle.exportKey>[1]; publicKey: Parameters<typeof webcrypto.subtle.exportKey>[1] };
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${cn}`,
    keys,
    signingAlgorithm: alg,
    extensions: [new x509.SubjectAlternativeNameExtension(sans.map((value) => ({ type: "dns" as const, value })))],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
  return { csrPem: csr.toString("pem"), keyPem: `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString("base64")}\n-----END PRIVATE KEY-----\n` };
}

/** What the resource layer reads from the environment, as the dynamic provider does; set by `tencentResourceSuite`. */
const RESOURCE_ENV = ["CERTAPPLY_TENCENT_ENDPOINT", "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "CERTAPPLY_POLL_INTERVAL_MS", "CERTAPPLY_RETRY_BASE_DELAY_MS"];

/**
 * One emulator for a test file that drives the backend (`ctx()`, lines into `logs`) and the resource layer
 * (create / read / remove read their settings from the environment, which this points at the emulator for the
 * file's duration and restores after). The emulator is reset, its faults cleared and `logs` emptied before each test.
 */
export function tencentResourceSuite(): { emulator: Emulator; logs: string[]; ctx: () => CloudContext } {
  const emulator = new Emulator();
  const logs: string[] = [];
  const saved: Record<string, string | undefined> = {};
  let cfg: Record<string, string> = {};
  beforeAll(async () => {
    await emulator.start();
    cfg = tencentConfig(emulator);
    for (const k of RESOURCE_ENV) saved[k] = process.env[k];
    process.env.CERTAPPLY_TENCENT_ENDPOINT = emulator.url;
    process.env.TENCENTCLOUD_SECRET_ID = emulator.credentials.tencent.secretId;
    process.env.TENCENTCLOUD_SECRET_KEY = emulator.credentials.tencent.secretKey;
    process.env.CERTAPPLY_POLL_INTERVAL_MS = "10";
    process.env.CERTAPPLY_RETRY_BASE_DELAY_MS = "5";
  });
  afterAll(async () => {
    for (const k of RESOURCE_ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await emulator.stop();
  });
  beforeEach(() => {
    emulator.reset();
    emulator.clearFaults();
    logs.length = 0;
  });
  return { emulator, logs, ctx: () => makeCtx(cfg, logs) };
}
