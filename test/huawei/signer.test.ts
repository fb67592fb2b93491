import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import type { ICredential } from "@huaweicloud/huaweicloud-sdk-core/auth/ICredential";
import type { IHttpRequest } from "@huaweicloud/huaweicloud-sdk-core/http/IHttpRequest";
import { canonicalQuery, canonicalRequest, canonicalUri, encodeRfc3986, sdkDate, signRequest } from "../../provider/clouds/huawei/signer";
import { prng } from "../support";

// Official sample of the API Request Signing Guide (reference note §1.3).
const GOLDEN = {
  ak: "QTWAOYTTINDUT2QVKYUC",
  sk: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
  url: "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
  canonical: [
    "GET",
    "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/",
    "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
    "content-type:application/json",
    "host:service.region.example.com",
    "x-sdk-date:20191115T033655Z",
    "",
    "content-type;host;x-sdk-date",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  ].join("\n"),
  signature: "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
};

describe("huawei SDK-HMAC-SHA256 signer: published vector", () => {
  it("reproduces the canonical request and signature of the signing guide", () => {
    const headers = { "Content-Type": "application/json", "X-Sdk-Date": "20191115T033655Z" };
    const signed = signRequest({ method: "GET", url: GOLDEN.url, headers }, { accessKey: GOLDEN.ak, secretKey: GOLDEN.sk });
    expect(canonicalRequest({ method: "GET", url: GOLDEN.url, headers: { ...headers, host: "service.region.example.com" } }).text).toBe(GOLDEN.canonical);
    expect(signed.Authorization).toBe(
      `SDK-HMAC-SHA256 Access=${GOLDEN.ak}, SignedHeaders=content-type;host;x-sdk-date, Signature=${GOLDEN.signature}`,
    );
    expect(signed.host).toBe("service.region.example.com");
  });

  it("builds canonical parts per the guide", () => {
    expect(canonicalUri("/v3/scm/certificates")).toBe("/v3/scm/certificates/");
    expect(canonicalUri("/")).toBe("/");
    expect(canonicalUri("/a%20b/c d/é")).toBe("/a%20b/c%20d/%C3%A9/");
    expect(canonicalQuery("b=2&a=x y&a=1&c=")).toBe("a=1&a=x%20y&b=2&c=");
    expect(encodeRfc3986("a-_.~!*'()")).toBe("a-_.~%21%2A%27%28%29");
    expect(sdkDate(Date.UTC(2019, 10, 15, 3, 36, 55))).toBe("20191115T033655Z");
  });

  it("signs the host with its port, the date it generates, and UNSIGNED-PAYLOAD when asked", () => {
    const s = signRequest({ method: "POST", url: "http://127.0.0.1:8443/v3/x", headers: { "X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD" }, body: "abc" }, { accessKey: "AK", secretKey: "SK" }, Date.UTC(2020, 0, 2, 3, 4, 5));
    expect(s.host).toBe("127.0.0.1:8443");
    expect(s["X-Sdk-Date"]).toBe("20200102T030405Z");
    const c = canonicalRequest({ method: "POST", url: "http://127.0.0.1:8443/v3/x", headers: { ...s, Authorization: undefined as unknown as string }, body: "abc" });
    expect(c.text.endsWith("\nUNSIGNED-PAYLOAD")).toBe(true);
    expect(s.Authorization).not.toContain("SK");
  });
});

describe("huawei signer agrees with @huaweicloud/huaweicloud-sdk-core AKSKSigner", () => {
  const rnd = prng(0x5c3a11);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const word = (chars: string, min: number, max: number): string => {
    const n = min + int(max - min + 1);
    let s = "";
    for (let i = 0; i < n; i++) s += chars[int(chars.length)];
    return s;
  };
  const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  // Path characters both URL parsers keep literal; the SDK encodes the raw path, certapply decodes then encodes.
  const PATH = ALNUM + "-_.~!$&()*+,;=:@";
  const QUERY = ALNUM + "-_.~ !$'()*+,;:@/?中é";
  const HEADER_NAME = "abcdefghijklmnopqrstuvwxyz0123456789";
  const HEADER_VALUE = ALNUM + "-_.:;/=+ ";
  const N = 250;
  const cases = Array.from({ length: N }, (_, i) => i);
  let agreed = 0;

  afterAll(() => {
    // The closing note quotes this count.
    expect(agreed).toBe(N);
  });

  it.each(cases)("random request %i", () => {
    const method = pick(["GET", "POST", "PUT", "DELETE", "PATCH"] as const);
    const host = `${word("abcdefghijklmnopqrstuvwxyz", 3, 10)}.example.com${rnd() < 0.4 ? `:${1024 + int(60000)}` : ""}`;
    const segments = Array.from({ length: 1 + int(5) }, () => word(rnd() < 0.8 ? ALNUM : PATH, 1, 12));
    const path = "/" + segments.join("/") + (rnd() < 0.2 ? "/" : "");
    const query: Record<string, string | string[]> = {};
    for (let k = int(5); k > 0; k--) {
      const key = word(rnd() < 0.7 ? ALNUM : QUERY, 1, 8);
      query[key] = rnd() < 0.2 ? [word(QUERY, 0, 6), word(QUERY, 0, 6)] : word(QUERY, 0, 10);
    }
    const qs = Object.entries(query)
      .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeRfc3986(k)}=${encodeRfc3986(x)}`))
      .join("&");
    const date = sdkDate(Date.UTC(2000 + int(40), int(12), 1 + int(28), int(24), int(60), int(60)));
    const headers: Record<string, string> = { "X-Sdk-Date": date };
    if (rnd() < 0.7) headers["Content-Type"] = "application/json";
    if (rnd() < 0.5) headers["X-Domain-Id"] = word("0123456789abcdef", 32, 32);
    if (rnd() < 0.3) headers["X-Security-Token"] = word(ALNUM, 20, 60);
    for (let h = int(3); h > 0; h--) headers[`x-${word(HEADER_NAME, 1, 10)}`] = word(HEADER_VALUE, 0, 20).trim() || "v";
    if (rnd() < 0.1) headers["X-Sdk-Content-Sha256"] = "UNSIGNED-PAYLOAD";
    const data = method === "GET" || method === "DELETE" || rnd() < 0.2 ? undefined : { n: int(1000), s: word(QUERY, 0, 30), list: [rnd() < 0.5, null] };
    const url = `http://${host}${path}${qs ? `?${qs}` : ""}`;
    const ak = word(ALNUM, 20, 20);
    const sk = word(ALNUM, 40, 40);

    const ours = signRequest({ method, url, headers, body: data === undefined ? undefined : JSON.stringify(data) }, { accessKey: ak, secretKey: sk });
    const credential = { getAk: () => ak, getSk: () => sk } as unknown as ICredential;
    const request = { method, endpoint: `http://${host}${path}`, headers: { ...headers }, queryParams: query, data } as unknown as IHttpRequest;
    const theirs = AKSKSigner.sign(request, credential) as Record<string, string>;
    expect(ours.Authorization).toBe(theirs.Authorization);
    agreed += 1;
  });
});
