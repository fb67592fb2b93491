import http from "node:http";
import type { AddressInfo } from "node:net";
import { Emulator } from "../../emulator/server";
import { TencentClient, authHint, isTransientTencentCode } from "../../provider/clouds/tencent/client";
import { CloudApiError, ConfigError } from "../../provider/http/errors";
import { makeCtx, officialTencentClient, tencentConfig } from "./helpers";

const emulator = new Emulator();
let cfg: Record<string, string>;

beforeAll(async () => {
  await emulator.start();
  cfg = tencentConfig(emulator);
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

const submit = (id: string) => ({
  CertId: id,
  GenCsrType: "online" as const,
  CertCommonName: "www.example.com",
  CompanyType: 1,
  CompanyId: "0",
  ContactEmail: "me@example.com",
  CsrKeyParameter: "2048",
  CsrEncryptAlgo: "RSA",
  VerifyType: "DNS",
});

const PDF = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(4096, 0x20)]).toString("base64");

describe("TencentClient against the emulator", () => {
  test("every action", async () => {
    const client = new TencentClient(makeCtx(cfg));
    const dv = emulator.tencent.seed({ productType: "dv" }).certificateId;
    expect((await client.describeCertificateDetail(dv)).Status).toBe(5);
    expect((await client.certificateInfoSubmit(submit(dv))).RequestId).toMatch(/-/);
    expect(await client.certificateOrderSubmit({ CertId: dv, VerifyType: "DNS" })).toMatchObject({ OrderId: expect.any(String), Status: 0, IsAudited: true });
    expect((await client.cancelAuditCertificate(dv)).Result).toBe(true);
    expect((await client.modifyCertificateResubmit(dv)).CertificateId).toBe(dv);
    expect((await client.cancelCertificateOrder(dv)).CertificateId).toBe(dv);
    const ov = emulator.tencent.seed({ productType: "ov", requiresLetter: true }).certificateId;
    await client.certificateInfoSubmit({ ...submit(ov), CompanyType: 2, CompanyId: "134", ManagerId: "2345" });
    expect((await client.certificateOrderSubmit({ CertId: ov })).Status).toBe(8);
    expect(await client.uploadConfirmLetter(ov, PDF)).toMatchObject({ CertificateId: ov, IsSuccess: true });
    expect(emulator.actions("tencent")).toEqual([
      "DescribeCertificateDetail",
      "CertificateInfoSubmit",
      "CertificateOrderSubmit",
      "CancelAuditCertificate",
      "ModifyCertificateResubmit",
      "CancelCertificateOrder",
      "CertificateInfoSubmit",
      "CertificateOrderSubmit",
      "UploadConfirmLetter",
    ]);
  });

  test("envelope errors become CloudApiError with code, message, request id, action", async () => {
    const client = new TencentClient(makeCtx(cfg));
    const err = await client.describeCertificateDetail("Nope1234").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudApiError);
    const e = err as CloudApiError;
    expect(e.code).toBe("FailedOperation.CertificateNotFound");
    expect(e.action).toBe("DescribeCertificateDetail");
    expect(e.cloud).toBe("tencent");
    expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.transient).toBe(false);
    expect(e.message).toContain("The certificate does not exist");
    expect(e.message).toContain(e.requestId);
  });

  test("reads are retried on transient codes (throttle, InternalError, 5xx); writes are sent once", async () => {
    const client = new TencentClient(makeCtx(cfg));
    const id = emulator.tencent.seed().certificateId;
    emulator.injectFault({ cloud: "tencent", action: "DescribeCertificateDetail", kind: "throttle", count: 1 });
    emulator.injectFault({ cloud: "tencent", action: "DescribeCertificateDetail", kind: "internal", count: 1 });
    emulator.injectFault({ cloud: "tencent", action: "DescribeCertificateDetail", kind: "http500", count: 1 });
    expect((await client.describeCertificateDetail(id)).Status).toBe(5);
    expect(emulator.log.map((l) => l.code ?? l.status)).toEqual(["LimitExceeded.RateLimitExceeded", "InternalError", 500, 200]);
    emulator.clearLog();
    emulator.injectFault({ cloud: "tencent", action: "ModifyCertificateResubmit", kind: "reset", count: 1 });
    // A write whose reply was lost may have been applied: the client does not resend it (the backend reads first).
    await expect(client.modifyCertificateResubmit(id)).rejects.toMatchObject({ code: expect.stringMatching(/^NetworkError/), transient: true });
    expect(emulator.log).toHaveLength(1);
  });

  test("retries stop at maxRetries", async () => {
    const client = new TencentClient(makeCtx(cfg, [], { maxRetries: 2 }));
    const id = emulator.tencent.seed().certificateId;
    emulator.injectFault({ cloud: "tencent", action: "DescribeCertificateDetail", kind: "internal", count: 10 });
    await expect(client.describeCertificateDetail(id)).rejects.toMatchObject({ code: "InternalError", transient: true });
    expect(emulator.log).toHaveLength(3);
  });

  test("AuthFailure errors name the config keys and environment variables to check", async () => {
    const client = (over: Record<string, string>) => new TencentClient(makeCtx({ ...cfg, ...over }));
    const err = async (over: Record<string, string>) => (await client(over).describeCertificateDetail("Abcd1234").catch((e: unknown) => e)) as CloudApiError;
    const unknownId = await err({ "certapply:tencentSecretId": "AKIDnotKnownHere0000" });
    expect(unknownId.code).toBe("AuthFailure.SecretIdNotFound");
    expect(unknownId.message).toMatch(/check certapply:tencentSecretId \(env TENCENTCLOUD_SECRET_ID\)/);
    const wrongKey = await err({ "certapply:tencentSecretKey": "wrong-key-value" });
    expect(wrongKey.message).toMatch(/check certapply:tencentSecretKey \(env TENCENTCLOUD_SECRET_KEY\).*SecretId in certapply:tencentSecretId/);
    expect(wrongKey.message).not.toContain("wrong-key-value");
    const stray = await err({ "certapply:tencentSessionToken": "stray-token-value" });
    expect(stray.code).toBe("AuthFailure.TokenFailure");
    expect(stray.message).toMatch(/certapply:tencentSessionToken \(env TENCENTCLOUD_SECURITY_TOKEN\)/);
    expect(stray.message).not.toContain("stray-token-value");
    emulator.advanceClock(600);
    try {
      const skew = await err({});
      expect(skew.code).toBe("AuthFailure.SignatureExpire");
      expect(skew.message).toMatch(/clock .* more than 5 minutes off/);
    } finally {
      emulator.advanceClock(-600);
    }
    expect(authHint("AuthFailure.UnauthorizedOperation", "CertificateOrderSubmit")).toMatch(/certapply:tencentSecretId .*not allowed ssl:CertificateOrderSubmit; grant it in CAM/);
    expect(authHint("AuthFailure.MFAFailure", "X")).toMatch(/certapply:tencentSecretId .*certapply:tencentSecretKey .*certapply:tencentSessionToken/);
    expect(authHint("FailedOperation.CertificateNotFound", "X")).toBe("");
  });

  test("AuthFailure is not retried, and no credential appears in the error", async () => {
    const bad = { ...cfg, "certapply:tencentSecretKey": "the-wrong-secret-key-value" };
    const client = new TencentClient(makeCtx(bad));
    const err = (await client.describeCertificateDetail("Abcd1234").catch((e: unknown) => e)) as CloudApiError;
    expect(err.code).toBe("AuthFailure.SignatureFailure");
    expect(emulator.log).toHaveLength(1);
    const text = `${err.message} ${err.stack} ${JSON.stringify(err)}`;
    expect(text).not.toContain("the-wrong-secret-key-value");
    expect(text).not.toContain(emulator.credentials.tencent.secretKey);
    expect(text).not.toMatch(/Signature=[0-9a-f]{64}/);
  });

  test("session token goes in X-TC-Token", async () => {
    const e2 = await new Emulator({ credentials: { tencent: { sessionToken: "sts-token-value" } } }).start();
    try {
      const id = e2.tencent.seed().certificateId;
      const c = { ...cfg, "certapply:tencentEndpoint": e2.url };
      await expect(new TencentClient(makeCtx(c)).describeCertificateDetail(id)).rejects.toMatchObject({ code: "AuthFailure.TokenFailure" });
      const ok = await new TencentClient(makeCtx({ ...c, "certapply:tencentSessionToken": "sts-token-value" })).describeCertificateDetail(id);
      expect(ok.Status).toBe(5);
    } finally {
      await e2.stop();
    }
  });

  test("missing credentials → ConfigError naming the settings, no request sent", async () => {
    const saved = { id: process.env.TENCENTCLOUD_SECRET_ID, key: process.env.TENCENTCLOUD_SECRET_KEY };
    delete process.env.TENCENTCLOUD_SECRET_ID;
    delete process.env.TENCENTCLOUD_SECRET_KEY;
    try {
      const client = new TencentClient(makeCtx({ "certapply:tencentEndpoint": emulator.url }));
      const err = (await client.describeCertificateDetail("Abcd1234").catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.message).toContain("certapply:tencentSecretId");
      expect(err.message).toContain("TENCENTCLOUD_SECRET_ID");
      expect(err.message).toContain("certapply:tencentSecretKey");
      expect(emulator.log).toHaveLength(0);
      // Credentials are read at call time: the env fallback works without a new client.
      process.env.TENCENTCLOUD_SECRET_ID = emulator.credentials.tencent.secretId;
      process.env.TENCENTCLOUD_SECRET_KEY = emulator.credentials.tencent.secretKey;
      const id = emulator.tencent.seed().certificateId;
      expect((await client.describeCertificateDetail(id)).Status).toBe(5);
    } finally {
      if (saved.id === undefined) delete process.env.TENCENTCLOUD_SECRET_ID;
      else process.env.TENCENTCLOUD_SECRET_ID = saved.id;
      if (saved.key === undefined) delete process.env.TENCENTCLOUD_SECRET_KEY;
      else process.env.TENCENTCLOUD_SECRET_KEY = saved.key;
    }
  });

  test("a bad endpoint is a ConfigError", async () => {
    const client = new TencentClient(makeCtx({ ...cfg, "certapply:tencentEndpoint": "not a url" }));
    await expect(client.describeCertificateDetail("Abcd1234")).rejects.toBeInstanceOf(ConfigError);
  });

  test("transient classification", () => {
    for (const c of ["RequestLimitExceeded", "RequestLimitExceeded.UinLimitExceeded", "LimitExceeded.RateLimitExceeded", "InternalError", "InternalError.BackendResponseEmpty", "FailedOperation.NetworkError", "FailedOperation.CannotGetOrder", "FailedOperation.CertificateOrderSubmitProcessing"]) {
      expect([c, isTransientTencentCode(c)]).toEqual([c, true]);
    }
    for (const c of ["AuthFailure.SignatureFailure", "AuthFailure", "InvalidParameter", "InvalidParameter.WithDetailReason", "MissingParameter", "FailedOperation.CertificateNotFound", "LimitExceeded", "UnknownParameter"]) {
      expect([c, isTransientTencentCode(c)]).toEqual([c, false]);
    }
  });
});

describe("replies are checked against the SDK models before use", () => {
  /** A loopback server answering every call with `body` (HTTP 200), as a garbled cloud reply would. */
  async function garbled(body: string): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
  }
  test.each([
    ["an envelope without Status", { Response: { RequestId: "rid-1", CertificateId: "Abcd1234" } }, "Status"],
    ["Status of the wrong type", { Response: { RequestId: "rid-1", Status: "1" } }, "Status"],
    ["DvAuthDetail of the wrong type", { Response: { RequestId: "rid-1", Status: 0, DvAuthDetail: [1] } }, "DvAuthDetail"],
    ["SubmittedData.DomainList of the wrong type", { Response: { RequestId: "rid-1", Status: 0, SubmittedData: { DomainList: "x" } } }, "SubmittedData.DomainList"],
  ])("DescribeCertificateDetail: %s is an InvalidReply naming cloud, action and request id", async (_what, body, where) => {
    const srv = await garbled(JSON.stringify(body));
    try {
      const client = new TencentClient(makeCtx({ ...cfg, "certapply:tencentEndpoint": srv.url }, [], { maxRetries: 0 }));
      const err = (await client.describeCertificateDetail("Abcd1234").catch((e: unknown) => e)) as CloudApiError;
      expect(err).toBeInstanceOf(CloudApiError);
      expect(err).toMatchObject({ cloud: "tencent", action: "DescribeCertificateDetail", code: "InvalidReply", requestId: "rid-1" });
      expect(err.message).toContain(where);
      expect(err.message).toMatch(/^tencent DescribeCertificateDetail failed: InvalidReply: .*\(request id rid-1\)$/);
    } finally {
      await srv.close();
    }
  });

  test.each([
    ["HTML", "<html><body>502 Bad Gateway</body></html>"],
    ["an empty body", ""],
    ["null", "null"],
    ["a null Response", JSON.stringify({ Response: null })],
  ])("a 200 with %s is an InvalidReply, retried for a read", async (_what, body) => {
    const srv = await garbled(body);
    try {
      const client = new TencentClient(makeCtx({ ...cfg, "certapply:tencentEndpoint": srv.url }, [], { maxRetries: 1 }));
      await expect(client.describeCertificateDetail("Abcd1234")).rejects.toMatchObject({ code: "InvalidReply", transient: true, action: "DescribeCertificateDetail" });
    } finally {
      await srv.close();
    }
  });

  test("an order reply without Status, and a reply without RequestId, are InvalidReply too", async () => {
    const noStatus = await garbled(JSON.stringify({ Response: { RequestId: "rid-2", OrderId: "SOabcdef" } }));
    const noRid = await garbled(JSON.stringify({ Response: { Result: true } }));
    try {
      const c1 = new TencentClient(makeCtx({ ...cfg, "certapply:tencentEndpoint": noStatus.url }));
      await expect(c1.certificateOrderSubmit({ CertId: "Abcd1234" })).rejects.toMatchObject({ code: "InvalidReply", action: "CertificateOrderSubmit", requestId: "rid-2" });
      const c2 = new TencentClient(makeCtx({ ...cfg, "certapply:tencentEndpoint": noRid.url }));
      await expect(c2.cancelAuditCertificate("Abcd1234")).rejects.toMatchObject({ code: "InvalidReply", action: "CancelAuditCertificate" });
    } finally {
      await noStatus.close();
      await noRid.close();
    }
  });
});

describe("the official Tencent SDK client against the emulator", () => {
  /** A loopback proxy between the SDK and the emulator that can tamper with the body. */
  let proxy: http.Server;
  let tamper = false;
  beforeAll(async () => {
    const target = new URL(emulator.url);
    proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        let body = Buffer.concat(chunks);
        if (tamper) body = Buffer.from(body.toString("utf8").replace(/"CertificateId":"(\w+)"/, '"CertificateId":"Zzzz9999"'));
        const headers = { ...req.headers, "content-length": String(body.length) };
        const up = http.request({ host: "127.0.0.1", port: Number(target.port), method: req.method, path: req.url, headers }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        up.end(body);
      });
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", () => r()));
  });
  afterAll(() => new Promise<void>((r) => proxy.close(() => r())));

  const sdkClient = (port: number) => officialTencentClient(port, emulator.credentials.tencent);

  test("its signed requests are accepted and a tampered one is refused", async () => {
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    const direct = sdkClient(Number(new URL(emulator.url).port));
    const detail = await direct.DescribeCertificateDetail({ CertificateId: id });
    expect(detail.Status).toBe(5);
    await direct.CertificateInfoSubmit({
      CertId: id,
      GenCsrType: "online",
      CertCommonName: "sdk.example.com",
      CompanyType: 1,
      CompanyId: "0",
      ContactEmail: "me@example.com",
      CsrKeyParameter: "2048",
      CsrEncryptAlgo: "RSA",
    });
    expect(emulator.tencent.state(id)?.domain).toBe("sdk.example.com");

    const viaProxy = sdkClient((proxy.address() as AddressInfo).port);
    tamper = false;
    expect((await viaProxy.DescribeCertificateDetail({ CertificateId: id })).Status).toBe(5);
    tamper = true;
    const err = (await viaProxy.DescribeCertificateDetail({ CertificateId: id }).catch((e: unknown) => e)) as { code?: string };
    expect(err.code).toBe("AuthFailure.SignatureFailure");
  });
});
