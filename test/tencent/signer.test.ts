import { createHash } from "node:crypto";
import { parseTc3Authorization, signTc3, tc3Date, verifyTc3 } from "../../provider/clouds/tencent/signer";
import { prng } from "./helpers";

const Sign = require("tencentcloud-sdk-nodejs/tencentcloud/common/sign").default as {
  sign3(p: {
    method: string;
    url: string;
    payload: Buffer | undefined;
    timestamp: number;
    service: string;
    secretId: string;
    secretKey: string;
    multipart: boolean;
    boundary: string;
    headers: Record<string, string>;
  }): string;
};

const BODY_A = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

describe("TC3 published vectors", () => {
  test("vector A (CVM DescribeInstances, older doc revision)", () => {
    expect(sha(BODY_A)).toBe("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    const s = signTc3({
      method: "POST",
      host: "cvm.tencentcloudapi.com",
      contentType: "application/json; charset=utf-8",
      body: BODY_A,
      timestamp: 1551113065,
      service: "cvm",
      secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******",
      secretKey: "Gu5t9xGARNpq86cd98joQYCN3*******",
    });
    expect(s.canonicalRequest).toBe(
      "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
    );
    expect(sha(s.canonicalRequest)).toBe("5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
    expect(s.stringToSign).toBe(
      "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
    );
    expect(s.signature).toBe("2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c");
    expect(s.authorization).toBe(
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c",
    );
  });

  test("vector B (signs x-tc-action)", () => {
    const s = signTc3({
      method: "POST",
      host: "cvm.tencentcloudapi.com",
      contentType: "application/json; charset=utf-8",
      body: BODY_A,
      timestamp: 1551113065,
      service: "cvm",
      secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******",
      secretKey: "*".repeat(32),
      extraSignedHeaders: { "x-tc-action": "describeinstances" },
    });
    expect(s.signedHeaders).toBe("content-type;host;x-tc-action");
    expect(s.canonicalRequest).toContain("\nx-tc-action:describeinstances\n");
    expect(sha(s.canonicalRequest)).toBe("7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84");
    expect(s.signature).toBe("10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f");
  });

  test("vector C (current EN page)", () => {
    const s = signTc3({
      method: "POST",
      host: "cvm.tencentcloudapi.com",
      contentType: "application/json; charset=utf-8",
      body: BODY_A,
      timestamp: 1551113065,
      service: "cvm",
      secretId: "AKID**********************0123456789EXAMPLE",
      secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    });
    expect(sha(s.canonicalRequest)).toBe("5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
    expect(s.signature).toBe("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
  });

  test("SSL cross-check", () => {
    const s = signTc3({
      method: "POST",
      host: "ssl.tencentcloudapi.com",
      contentType: "application/json",
      body: '{"CertificateId":"abc"}',
      timestamp: 1700000000,
      service: "ssl",
      secretId: "AKIDEXAMPLE",
      secretKey: "SECRET",
    });
    expect(s.authorization).toBe(
      "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2023-11-14/ssl/tc3_request, SignedHeaders=content-type;host, Signature=d5cd28916a10ace6ccd6adf792ba7d3a73ddea5183fcfaff12affb7bd9aba5c0",
    );
  });

  test("date is the UTC date of the timestamp", () => {
    expect(tc3Date(1551113065)).toBe("2019-02-25");
    expect(tc3Date(1700006399)).toBe("2023-11-14"); // 23:59:59 UTC
    expect(tc3Date(1700006400)).toBe("2023-11-15");
  });
});

describe("agreement with the official SDK signer", () => {
  const ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const UNI = ["未命名", "证书", "é", "ß", "😀", "\u0000", "\\u672a", "\n", "\"", "ü", "Ω"];
  const rand = prng(20260922);
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(rand() * a.length)];
  const word = (n: number) => Array.from({ length: n }, () => pick(ALPHA.split(""))).join("");
  const randomBody = (): string => {
    const obj: Record<string, unknown> = {};
    const n = Math.floor(rand() * 6);
    for (let i = 0; i < n; i++) {
      const k = word(1 + Math.floor(rand() * 10));
      const r = rand();
      obj[k] = r < 0.3 ? word(Math.floor(rand() * 20)) + pick(UNI) : r < 0.5 ? Math.floor(rand() * 1e9) : r < 0.7 ? [pick(UNI), word(3)] : r < 0.85 ? rand() < 0.5 : { n: pick(UNI) };
    }
    // Sometimes non-canonical spacing, so the bytes matter, not the JSON value.
    return rand() < 0.3 ? JSON.stringify(obj, null, 1) : JSON.stringify(obj);
  };
  const N = 240;

  test(`${N} randomized requests sign identically`, () => {
    let agreed = 0;
    for (let i = 0; i < N; i++) {
      const get = rand() < 0.2;
      const service = pick(["ssl", "cvm", "cdn", "ssl"]);
      const host = `${service}.${pick(["tencentcloudapi.com", "intl.tencentcloudapi.com", "ap-guangzhou.tencentcloudapi.com"])}`;
      const contentType = get ? "application/x-www-form-urlencoded" : pick(["application/json", "application/json; charset=utf-8", "application/JSON"]);
      const body = get ? "" : randomBody();
      const query = get ? `CertificateId=${word(8)}&Limit=${Math.floor(rand() * 100)}` : "";
      const timestamp = Math.floor(1_000_000_000 + rand() * 1_000_000_000);
      const secretId = "AKID" + word(32);
      const secretKey = word(8 + Math.floor(rand() * 40)) + (rand() < 0.2 ? "*/+=" : "");
      const sdk = Sign.sign3({
        method: get ? "GET" : "POST",
        url: `https://${host}/${query ? `?${query}` : ""}`,
        payload: get ? undefined : Buffer.from(body, "utf8"),
        timestamp,
        service,
        secretId,
        secretKey,
        multipart: false,
        boundary: "",
        headers: { "Content-Type": contentType },
      });
      const mine = signTc3({ method: get ? "GET" : "POST", host, contentType, body, timestamp, service, secretId, secretKey, query });
      expect(mine.authorization).toBe(sdk);
      agreed++;
    }
    expect(agreed).toBe(N);
  });
});

describe("verifier", () => {
  const secretKeyFor = (id: string) => (id === "AKIDtest" ? "key" : undefined);
  const base = (over: Partial<{ body: Buffer; host: string; signHost: string; ts: number; now: number; extra: Record<string, string> }> = {}) => {
    const ts = over.ts ?? 1700000000;
    const body = over.body ?? Buffer.from('{"CertificateId":"abcdEFGH"}');
    const s = signTc3({
      method: "POST",
      host: over.signHost ?? "ssl.tencentcloudapi.com",
      contentType: "application/json",
      body,
      timestamp: ts,
      service: "ssl",
      secretId: "AKIDtest",
      secretKey: "key",
      extraSignedHeaders: over.extra,
    });
    return {
      method: "POST",
      path: "/",
      query: "",
      headers: {
        authorization: s.authorization,
        "content-type": "application/json",
        host: over.host ?? "ssl.tencentcloudapi.com",
        "x-tc-timestamp": String(ts),
        "x-tc-action": "DescribeCertificate",
      },
      body,
      nowMs: (over.now ?? ts) * 1000,
      service: "ssl",
      secretKeyFor,
    };
  };

  test("accepts a good signature, with the host's port signed or not", () => {
    expect(verifyTc3(base()).ok).toBe(true);
    expect(verifyTc3(base({ host: "ssl.tencentcloudapi.com:8443" })).ok).toBe(true);
    expect(verifyTc3(base({ host: "127.0.0.1:8443", signHost: "127.0.0.1:8443" })).ok).toBe(true);
    expect(verifyTc3(base({ extra: { "x-tc-action": "describecertificate" } })).ok).toBe(true);
  });

  test("refuses a tampered body, an unknown id, an expired timestamp, a malformed header", () => {
    const t = base();
    expect(verifyTc3({ ...t, body: Buffer.from('{"CertificateId":"abcdEFGX"}') })).toMatchObject({ ok: false, code: "AuthFailure.SignatureFailure" });
    expect(verifyTc3({ ...t, secretKeyFor: () => undefined })).toMatchObject({ ok: false, code: "AuthFailure.SecretIdNotFound" });
    expect(verifyTc3(base({ now: 1700000000 + 301 }))).toMatchObject({ ok: false, code: "AuthFailure.SignatureExpire" });
    expect(verifyTc3(base({ now: 1700000000 - 301 }))).toMatchObject({ ok: false, code: "AuthFailure.SignatureExpire" });
    expect(verifyTc3(base({ now: 1700000000 + 299 })).ok).toBe(true);
    expect(verifyTc3({ ...t, headers: { ...t.headers, authorization: "Bearer x" } })).toMatchObject({ ok: false, code: "AuthFailure.InvalidAuthorization" });
    expect(verifyTc3({ ...t, service: "cvm" })).toMatchObject({ ok: false, code: "AuthFailure.InvalidAuthorization" });
    expect(verifyTc3({ ...t, headers: { ...t.headers, host: "other.example.com" } })).toMatchObject({ ok: false, code: "AuthFailure.SignatureFailure" });
  });

  test("SignedHeaders must include content-type and host", () => {
    const t = base();
    const auth = t.headers.authorization.replace("SignedHeaders=content-type;host", "SignedHeaders=host");
    expect(verifyTc3({ ...t, headers: { ...t.headers, authorization: auth } })).toMatchObject({ ok: false, code: "AuthFailure.InvalidAuthorization" });
  });

  test("parses the Authorization header", () => {
    expect(parseTc3Authorization(base().headers.authorization)).toMatchObject({ secretId: "AKIDtest", date: "2023-11-14", service: "ssl", signedHeaders: ["content-type", "host"] });
    expect(parseTc3Authorization("TC3-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host, Signature=zz")).toBeUndefined();
  });
});
