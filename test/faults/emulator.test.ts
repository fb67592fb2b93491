/**
 * The emulator's fault kinds through real HTTP: commit-then-drop (the write is applied, the connection closes
 * before the reply), garbled-reply (an HTTP 200 of the wrong shape), the seeded share of faults over a cloud's
 * requests, the control API that takes them, the clock rate, and the config lines it prints.
 * Tencent calls go through the official SDK client (through a recording proxy, to see the raw reply).
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { officialTencentClient } from "../tencent/helpers";
import { Emulator, FAULT_KINDS, GARBLED_SHAPES, SECRET_CONFIG_KEYS, type FaultKind, type GarbledShape } from "../../emulator";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await new Emulator().start();
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(() => emulator.reset());

interface RawReply {
  status: number;
  contentType: string;
  text: string;
}

/** One HTTP request to the emulator; rejects when the connection closes without a reply. */
function request(method: string, p: string, headers: Record<string, string> = {}, body?: string, port?: number): Promise<RawReply> {
  const url = new URL(emulator.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: port ?? Number(url.port), method, path: p, headers: { ...headers, Connection: "close" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? ""), text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

// ------------------------------------------------------------------------------------------------ clients

async function edgecastToken(): Promise<string> {
  const c = emulator.credentials.edgecast;
  const form = new URLSearchParams({ grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret, scope: "sec.cps.certificates" });
  const r = await request("POST", "/connect/token", { "Content-Type": "application/x-www-form-urlencoded" }, form.toString());
  return (JSON.parse(r.text) as { access_token: string }).access_token;
}

function edgecastCreateBody(label: string): string {
  return JSON.stringify({
    certificate_label: label,
    description: "faults",
    auto_renew: true,
    certificate_authority: "DigiCert",
    validation_type: "DV",
    dcv_method: "DnsTxtToken",
    domains: [{ name: `${label}.example.com`, is_common_name: true }],
  });
}

async function edgecastCreate(token: string, label: string): Promise<string> {
  const r = await request("POST", "/sec/cps/v2.0/certificates/cdnprovided", { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, edgecastCreateBody(label));
  expect(r.status).toBe(201);
  return String((JSON.parse(r.text) as { id: number }).id);
}

async function huaweiToken(): Promise<string> {
  const c = emulator.credentials.huawei;
  const body = JSON.stringify({
    auth: { identity: { methods: ["password"], password: { user: { name: c.userName, password: c.password, domain: { name: c.domainName } } } }, scope: { project: { name: "ap-southeast-1" } } },
  });
  const url = new URL(emulator.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: Number(url.port), method: "POST", path: "/v3/auth/tokens", headers: { "Content-Type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(String(res.headers["x-subject-token"])));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function huaweiSeed(): Promise<string> {
  const r = await emulator.huawei.control("seed", {});
  return String((r.body as { certificateId: string }).certificateId);
}

const HUAWEI_APPLY = JSON.stringify({
  domain: "hw.example.com",
  applicant_name: "Emily_Chen",
  applicant_phone: "13212345678",
  applicant_email: "admin@example.com",
  domain_method: "DNS",
  agree_privacy_protection: true,
});

type TencentSdk = Record<string, (req: object) => Promise<Record<string, unknown>>>;

/** A loopback proxy between the Tencent SDK and the emulator that keeps the raw replies. */
let proxy: http.Server;
const proxied: RawReply[] = [];
beforeAll(async () => {
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      request(req.method ?? "POST", req.url ?? "/", headers, Buffer.concat(chunks).toString("utf8")).then(
        (r) => {
          proxied.push(r);
          res.writeHead(r.status, r.contentType ? { "content-type": r.contentType } : {});
          res.end(r.text);
        },
        () => res.socket?.destroy(),
      );
    });
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", () => r()));
});
afterAll(() => new Promise<void>((r) => proxy.close(() => r())));

function tencent(): TencentSdk {
  return officialTencentClient((proxy.address() as AddressInfo).port, emulator.credentials.tencent, 5) as unknown as TencentSdk;
}

const TENCENT_SUBMIT = {
  GenCsrType: "online",
  CertCommonName: "tc.example.com",
  CompanyType: 1,
  CompanyId: "0",
  ContactEmail: "me@example.com",
  CsrKeyParameter: "2048",
  CsrEncryptAlgo: "RSA",
};

// ------------------------------------------------------------------------------------------------ commit-then-drop

describe("commit-then-drop", () => {
  test("Edgecast: the create is applied and the connection closes before the reply", async () => {
    const token = await edgecastToken();
    emulator.injectFault({ cloud: "edgecast", action: "POST /v2.0/certificates/cdnprovided", kind: "commit-then-drop", count: 1 });
    const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    await expect(request("POST", "/sec/cps/v2.0/certificates/cdnprovided", headers, edgecastCreateBody("dropped"))).rejects.toThrow();
    const entry = emulator.log.find((e) => e.action === "POST /v2.0/certificates/cdnprovided")!;
    expect(entry).toMatchObject({ cloud: "edgecast", status: 201, fault: "commit-then-drop", target: "dropped" });
    expect(entry.created).toMatch(/^\d+$/);
    const state = await emulator.edgecast.control("state", { id: Number(entry.created) });
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({ label: "dropped", status: "Processing" });
    // The next request is served normally.
    expect(await edgecastCreate(token, "second")).toMatch(/^\d+$/);
  });

  test("Tencent: the official SDK sees a network error, yet the information was submitted", async () => {
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    emulator.injectFault({ cloud: "tencent", action: "CertificateInfoSubmit", kind: "commit-then-drop", count: 1 });
    const sdk = tencent();
    await expect(sdk.CertificateInfoSubmit({ CertId: id, ...TENCENT_SUBMIT })).rejects.toThrow();
    const entry = emulator.log.find((e) => e.action === "CertificateInfoSubmit")!;
    expect(entry).toMatchObject({ status: 200, fault: "commit-then-drop", target: id });
    expect(entry.code).toBeUndefined();
    const detail = await sdk.DescribeCertificateDetail({ CertificateId: id });
    expect(detail.Domain).toBe("tc.example.com");
  });

  test("Huawei: the apply is applied and its reply never arrives", async () => {
    const id = await huaweiSeed();
    const token = await huaweiToken();
    emulator.injectFault({ cloud: "huawei", action: "ApplyCertificate", kind: "commit-then-drop", count: 1 });
    await expect(request("POST", `/v3/scm/certificates/${id}/apply`, { "X-Auth-Token": token, "Content-Type": "application/json" }, HUAWEI_APPLY)).rejects.toThrow();
    expect(emulator.log.find((e) => e.action === "ApplyCertificate")).toMatchObject({ status: 200, fault: "commit-then-drop", target: id });
    expect(emulator.huawei.get(id)).toMatchObject({ status: "CHECKING", domain: "hw.example.com" });
  });

  test("reset, by contrast, closes the connection without applying anything", async () => {
    const id = await huaweiSeed();
    const token = await huaweiToken();
    emulator.injectFault({ cloud: "huawei", action: "ApplyCertificate", kind: "reset", count: 1 });
    await expect(request("POST", `/v3/scm/certificates/${id}/apply`, { "X-Auth-Token": token, "Content-Type": "application/json" }, HUAWEI_APPLY)).rejects.toThrow();
    expect(emulator.log.find((e) => e.action === "ApplyCertificate")).toMatchObject({ status: -1, fault: "reset" });
    expect(emulator.huawei.get(id)?.status).toBe("PAID");
  });
});

// ------------------------------------------------------------------------------------------------ garbled-reply

function expectShape(cloud: string, shape: GarbledShape, r: RawReply): unknown {
  expect(r.status).toBe(200);
  if (shape === "empty") {
    expect(r.text).toBe("");
    return undefined;
  }
  if (shape === "html") {
    expect(r.contentType).toMatch(/^text\/html/);
    expect(r.text).toMatch(/^<!DOCTYPE html>/);
    return undefined;
  }
  expect(r.contentType).toMatch(/^application\/json/);
  const body: unknown = JSON.parse(r.text);
  if (shape === "null") expect(body).toBeNull();
  if (shape === "error-body") {
    if (cloud === "tencent") {
      expect(Object.keys((body as { Response: object }).Response)).toEqual(["RequestId"]);
    } else if (cloud === "huawei") expect(body).toMatchObject({ error_code: expect.any(String), error_msg: expect.any(String) });
    else expect(body).toMatchObject({ "@type": "Error", code: expect.any(String) });
  }
  return body;
}

describe("garbled-reply", () => {
  test.each(GARBLED_SHAPES.map((s) => [s]))("Edgecast read garbled as %s", async (shape) => {
    const token = await edgecastToken();
    const id = await edgecastCreate(token, `garbled-${shape}`);
    emulator.injectFault({ cloud: "edgecast", action: "GET /v2.0/certificates/{id}", kind: "garbled-reply", count: 1, garbled: shape });
    const r = await request("GET", `/sec/cps/v2.0/certificates/${id}`, { Authorization: `Bearer ${token}` });
    const body = expectShape("edgecast", shape, r);
    if (shape === "wrong-types") {
      expect(body).toMatchObject({ id: `${id}x`, certificate_label: 404, auto_renew: "yes", domains: { items: 1 } });
    }
    expect(emulator.log.at(-1)).toMatchObject({ action: "GET /v2.0/certificates/{id}", status: 200, fault: "garbled-reply", garbled: shape, target: id });
    // The garbling is one reply only.
    const next = await request("GET", `/sec/cps/v2.0/certificates/${id}`, { Authorization: `Bearer ${token}` });
    expect((JSON.parse(next.text) as { id: number }).id).toBe(Number(id));
  });

  test.each(GARBLED_SHAPES.map((s) => [s]))("Huawei read garbled as %s", async (shape) => {
    const id = await huaweiSeed();
    const token = await huaweiToken();
    emulator.injectFault({ cloud: "huawei", action: "ShowCertificate", kind: "garbled-reply", count: 1, garbled: shape });
    const r = await request("GET", `/v3/scm/certificates/${id}`, { "X-Auth-Token": token });
    const body = expectShape("huawei", shape, r);
    if (shape === "wrong-types") expect(body).toMatchObject({ id: 404, status: 404, domain_count: expect.stringMatching(/x$/), authentification: { items: 0 } });
  });

  test.each(GARBLED_SHAPES.map((s) => [s]))("Tencent DescribeCertificateDetail garbled as %s (the envelope without its fields, wrong types...)", async (shape) => {
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    emulator.injectFault({ cloud: "tencent", action: "DescribeCertificateDetail", kind: "garbled-reply", count: 1, garbled: shape });
    proxied.length = 0;
    await tencent()
      .DescribeCertificateDetail({ CertificateId: id })
      .catch(() => undefined);
    const body = expectShape("tencent", shape, proxied[0]) as { Response: Record<string, unknown> } | undefined;
    if (shape === "wrong-types") {
      expect(typeof body!.Response.RequestId).toBe("string");
      expect(body!.Response.Status).toBe("5x");
      expect(body!.Response.CertificateId).toBe(404);
    }
  });

  test("a garbled write was applied all the same (Huawei apply answered with HTML)", async () => {
    const id = await huaweiSeed();
    const token = await huaweiToken();
    emulator.injectFault({ cloud: "huawei", action: "ApplyCertificate", kind: "garbled-reply", count: 1, garbled: "html" });
    const r = await request("POST", `/v3/scm/certificates/${id}/apply`, { "X-Auth-Token": token, "Content-Type": "application/json" }, HUAWEI_APPLY);
    expectShape("huawei", "html", r);
    expect(emulator.huawei.get(id)?.status).toBe("CHECKING");
  });

  test("a fault without a shape garbles into the cloud's error body", async () => {
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    emulator.injectFault({ cloud: "tencent", action: "CertificateInfoSubmit", kind: "garbled-reply", count: 1 });
    proxied.length = 0;
    await tencent()
      .CertificateInfoSubmit({ CertId: id, ...TENCENT_SUBMIT })
      .catch(() => undefined);
    expectShape("tencent", "error-body", proxied[0]);
    expect(emulator.log.find((e) => e.action === "CertificateInfoSubmit")).toMatchObject({ fault: "garbled-reply", garbled: "error-body", status: 200 });
  });
});

// ------------------------------------------------------------------------------------------------ seeded share

describe("a seeded share of faults", () => {
  /** Reads `ids` round-robin `rounds` times in the given order; returns the fault each request got, per id. */
  async function readAll(token: string, ids: string[], rounds: number): Promise<Record<string, (string | undefined)[]>> {
    emulator.clearLog();
    for (let i = 0; i < rounds; i++) {
      for (const id of ids) {
        await request("GET", `/sec/cps/v2.0/certificates/${id}/status`, { Authorization: `Bearer ${token}` }).catch(() => undefined);
      }
    }
    const out: Record<string, (string | undefined)[]> = {};
    for (const e of emulator.log) if (e.target) (out[e.target] ??= []).push(e.fault);
    return out;
  }

  test("draws the same faults for the same requests with the same seed, whatever the order across applications", async () => {
    const token = await edgecastToken();
    const ids = [await edgecastCreate(token, "s1"), await edgecastCreate(token, "s2"), await edgecastCreate(token, "s3")];
    const share = { cloud: "edgecast", rate: 0.4, seed: 42, actions: ["GET /v2.0/certificates/{id}/status"], maxDelayMs: 5 };
    emulator.setFaultShare(share);
    const first = await readAll(token, ids, 12);
    emulator.setFaultShare(share);
    const again = await readAll(token, [...ids].reverse(), 12);
    expect(again).toEqual(first);
    const all = Object.values(first).flat();
    expect(all).toHaveLength(36);
    const faulted = all.filter((f) => f !== undefined).length;
    expect(faulted).toBeGreaterThan(4);
    expect(faulted).toBeLessThan(26);

    emulator.setFaultShare({ ...share, seed: 43 });
    expect(await readAll(token, ids, 12)).not.toEqual(first);

    // Actions outside the share are untouched; a rate of 0 removes the share.
    emulator.setFaultShare({ ...share, rate: 0 });
    expect(Object.values(await readAll(token, ids, 4)).flat().every((f) => f === undefined)).toBe(true);
  });

  test("draws every kind and garbled shape at rate 1, and only the kinds asked for when restricted", async () => {
    const token = await edgecastToken();
    const id = await edgecastCreate(token, "kinds");
    emulator.setFaultShare({ cloud: "edgecast", rate: 1, seed: 1, actions: ["GET /v2.0/certificates/{id}/status"], maxDelayMs: 2 });
    const got = (await readAll(token, [id], 120))[id];
    expect(got.every((f) => f !== undefined)).toBe(true);
    expect(new Set(got)).toEqual(new Set(FAULT_KINDS));
    expect(new Set(emulator.log.filter((e) => e.fault === "garbled-reply").map((e) => e.garbled))).toEqual(new Set(GARBLED_SHAPES));

    const kinds: FaultKind[] = ["commit-then-drop", "garbled-reply"];
    emulator.setFaultShare({ cloud: "edgecast", rate: 1, seed: 1, kinds, garbled: ["null"] });
    const restricted = (await readAll(token, [id], 20))[id];
    expect(new Set(restricted)).toEqual(new Set(kinds));
    expect(new Set(emulator.log.filter((e) => e.fault === "garbled-reply").map((e) => e.garbled))).toEqual(new Set(["null"]));
  });

  test("a queued fault takes precedence over the share; clearFaults removes both", async () => {
    const token = await edgecastToken();
    const id = await edgecastCreate(token, "queued");
    emulator.setFaultShare({ cloud: "edgecast", rate: 1, seed: 5, kinds: ["garbled-reply"] });
    emulator.injectFault({ cloud: "edgecast", action: "*", kind: "throttle", count: 1 });
    expect((await readAll(token, [id], 2))[id]).toEqual(["throttle", "garbled-reply"]);
    emulator.clearFaults();
    expect((await readAll(token, [id], 2))[id]).toEqual([undefined, undefined]);
  });

  /** Moves the emulator's clock to the start of a second, so a burst sent now falls in one rate window. */
  const toStartOfSecond = () => emulator.advanceClock((1000 - (emulator.now() % 1000)) / 1000);

  test("a request the cloud throttles by its own rate limit does not count: the draws stay the same", async () => {
    const id = await huaweiSeed();
    const token = await huaweiToken();
    const share = { cloud: "huawei", rate: 0.3, seed: 11, kinds: ["garbled-reply" as const], actions: ["ShowCertificate"] };
    const get = () => request("GET", `/v3/scm/certificates/${id}`, { "X-Auth-Token": token }).catch(() => undefined);
    // 70 at once: the gateway (50 a second per credential) throttles some of them; then 20 more a second later.
    emulator.setFaultShare(share);
    emulator.clearLog();
    toStartOfSecond();
    await Promise.all(Array.from({ length: 70 }, get));
    emulator.advanceClock(1);
    for (let k = 0; k < 20; k++) await get();
    const throttled = emulator.log.filter((e) => e.code === "APIG.0308").length;
    expect(throttled).toBeGreaterThan(0);
    const servedDraws = emulator.log.filter((e) => e.code !== "APIG.0308").map((e) => e.fault ?? "-");
    // The same number of requests, none throttled: the same draws in the same order.
    emulator.setFaultShare(share);
    emulator.clearLog();
    for (let k = 0; k < servedDraws.length; k++) {
      if (k % 40 === 0) emulator.advanceClock(1);
      await get();
    }
    expect(emulator.log.some((e) => e.code === "APIG.0308")).toBe(false);
    expect(emulator.log.map((e) => e.fault ?? "-")).toEqual(servedDraws);
    expect(servedDraws.filter((f) => f !== "-").length).toBeGreaterThan(3);
  });

  test("a drawn drop or garble is left for the retry when the cloud throttles the request itself", async () => {
    const id = await huaweiSeed();
    const token = await huaweiToken();
    emulator.setFaultShare({ cloud: "huawei", rate: 1, seed: 2, kinds: ["commit-then-drop"], actions: ["ShowCertificate"] });
    emulator.clearLog();
    toStartOfSecond();
    const replies = await Promise.all(
      Array.from({ length: 60 }, () => request("GET", `/v3/scm/certificates/${id}`, { "X-Auth-Token": token }).then((r) => r.status, () => "dropped")),
    );
    const throttled = emulator.log.filter((e) => e.code === "APIG.0308");
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((e) => e.fault === undefined)).toBe(true);
    expect(replies.filter((r) => r === 429)).toHaveLength(throttled.length);
    expect(replies.filter((r) => r === "dropped")).toHaveLength(60 - throttled.length);
  });

  test("an application a create made draws by the create's target, not by the order ids were given out", async () => {
    const pass = async (labels: string[]) => {
      emulator.reset();
      const token = await edgecastToken();
      const idOf: Record<string, string> = {};
      for (const l of labels) idOf[l] = await edgecastCreate(token, l);
      emulator.setFaultShare({ cloud: "edgecast", rate: 0.5, seed: 3, actions: ["GET /v2.0/certificates/{id}/status"], kinds: ["garbled-reply"] });
      const byLabel: Record<string, (string | undefined)[]> = {};
      for (const l of ["alpha", "beta"]) {
        emulator.clearLog();
        for (let k = 0; k < 12; k++) await request("GET", `/sec/cps/v2.0/certificates/${idOf[l]}/status`, { Authorization: `Bearer ${token}` });
        byLabel[l] = emulator.log.map((e) => e.fault);
      }
      return { idOf, byLabel };
    };
    const first = await pass(["alpha", "beta"]);
    const second = await pass(["beta", "alpha"]);
    expect(second.idOf.alpha).toBe(first.idOf.beta);
    expect(second.byLabel).toEqual(first.byLabel);
    expect(first.byLabel.alpha).not.toEqual(first.byLabel.beta);
  });

  test("the share stays on its cloud", async () => {
    const id = await huaweiSeed();
    const token = await huaweiToken();
    emulator.setFaultShare({ cloud: "edgecast", rate: 1, seed: 5 });
    const r = await request("GET", `/v3/scm/certificates/${id}`, { "X-Auth-Token": token });
    expect(r.status).toBe(200);
    expect(emulator.log.at(-1)?.fault).toBeUndefined();
  });
});

// ------------------------------------------------------------------------------------------------ control API

describe("control API", () => {
  const post = (p: string, body: object) => request("POST", p, { "Content-Type": "application/json" }, JSON.stringify(body));

  test("takes the new kinds and a seeded share, and refuses bad ones with the field named", async () => {
    expect((await post("/_control/faults", { cloud: "edgecast", action: "POST /connect/token", kind: "garbled-reply", garbled: "html", count: 1 })).status).toBe(200);
    const token = await request("POST", "/connect/token", { "Content-Type": "application/x-www-form-urlencoded" }, "grant_type=client_credentials");
    expect(token.contentType).toMatch(/text\/html/);

    expect((await post("/_control/fault-share", { cloud: "edgecast", rate: 1, seed: 9, kinds: ["commit-then-drop"], actions: ["POST /connect/token"] })).status).toBe(200);
    await expect(edgecastToken()).rejects.toThrow();
    expect(emulator.log.at(-1)).toMatchObject({ fault: "commit-then-drop", status: 200 });
    expect((await post("/_control/faults", { clear: true })).status).toBe(200);
    expect(await edgecastToken()).toEqual(expect.any(String));

    const bad: [string, object, RegExp][] = [
      ["/_control/faults", { cloud: "edgecast", action: "*", kind: "explode", count: 1 }, /fault kind must be one of .*commit-then-drop/],
      ["/_control/faults", { cloud: "edgecast", action: "*", kind: "delay", count: 0 }, /fault count/],
      ["/_control/faults", { cloud: "aws", action: "*", kind: "reset", count: 1 }, /fault cloud/],
      ["/_control/faults", { cloud: "huawei", action: "*", kind: "garbled-reply", garbled: "xml", count: 1 }, /fault garbled must be one of/],
      ["/_control/fault-share", { cloud: "huawei", rate: 1.5, seed: 1 }, /rate must be a number from 0 to 1/],
      ["/_control/fault-share", { cloud: "huawei", rate: 0.5 }, /seed must be a number/],
      ["/_control/fault-share", { cloud: "huawei", rate: 0.5, seed: 1, kinds: ["reset", "nope"] }, /kinds\[1\]/],
    ];
    for (const [p, body, message] of bad) {
      const r = await post(p, body);
      expect([p, r.status]).toEqual([p, 400]);
      expect((JSON.parse(r.text) as { error: string }).error).toMatch(message);
    }
    expect(() => emulator.injectFault({ cloud: "tencent", action: "x", kind: "nope" as FaultKind, count: 1 })).toThrow(/fault kind/);
  });

  test("the clock runs at the rate asked for", async () => {
    const before = emulator.now();
    const r = await post("/_control/clock", { rate: 50 });
    expect(JSON.parse(r.text)).toMatchObject({ rate: 50 });
    await new Promise((res) => setTimeout(res, 100));
    const ran = emulator.now() - before;
    expect(ran).toBeGreaterThanOrEqual(4000);
    expect(ran).toBeLessThan(60_000);
    expect((await post("/_control/clock", { rate: 0 })).status).toBe(400);
    emulator.reset();
    const t = emulator.now();
    await new Promise((res) => setTimeout(res, 50));
    expect(emulator.now() - t).toBeLessThan(1000);
  });
});

// ------------------------------------------------------------------------------------------------ config lines

describe("the config lines the emulator prints", () => {
  test("mark exactly the credentials --secret, from the emulator's own list", () => {
    const lines = emulator.configLines();
    const c = emulator.credentials;
    const secrets = [c.tencent.secretKey, c.edgecast.clientSecret, c.huawei.secretKey];
    expect(SECRET_CONFIG_KEYS).toEqual(["certapply:tencentSecretKey", "certapply:edgecastClientSecret", "certapply:huaweiSecretKey"]);
    for (const line of lines) {
      const m = /^pulumi config set (--secret )?(certapply:\w+) (\S+)$/.exec(line);
      expect(m).not.toBeNull();
      const secret = m![1] !== undefined;
      expect([m![2], secret]).toEqual([m![2], secrets.includes(m![3])]);
      expect([m![2], secret]).toEqual([m![2], SECRET_CONFIG_KEYS.includes(m![2])]);
      expect(emulator.stackConfig()[m![2]]).toBe(m![3]);
    }
    expect(lines).toHaveLength(Object.keys(emulator.stackConfig()).length);
  });

  test("server, types and index import nothing from provider/", () => {
    for (const f of ["server.ts", "types.ts", "index.ts"]) {
      const text = readFileSync(path.join(__dirname, "..", "..", "emulator", f), "utf8");
      expect([f, /from\s+["'][^"']*provider\//.test(text)]).toEqual([f, false]);
    }
  });
});
