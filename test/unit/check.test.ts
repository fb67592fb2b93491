import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { check } from "../../provider/resources/application";
import { parseCsr } from "../../provider/resources/csr";
import { changedPaths, contentHash, echoInputs, normalizeInputs } from "../../provider/resources/normalize";
import { validateCommon, isDomainName } from "../../provider/resources/schema";
import type { ApplicationInputs, ApplicationOutputs } from "../../provider/resources/types";
import { UNKNOWN } from "../../provider/resources/types";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

async function makeCsr(cn: string, sans: string[], alg: "RSA" | "EC" = "EC"): Promise<string> {
  const algorithm =
    alg === "EC"
      ? { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" }
      : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${cn}, O=Example`,
    keys: keys as unknown as Parameters<typeof x509.Pkcs10CertificateRequestGenerator.create>[0]["keys"],
    signingAlgorithm: algorithm,
    extensions: sans.length ? [new x509.SubjectAlternativeNameExtension(sans.map((value) => ({ type: "dns" as const, value })))] : [],
  });
  return csr.toString("pem");
}

const base: ApplicationInputs = { cloud: "edgecast", commonName: "www.example.com" };

function props(failures: { property: string }[] | undefined): string[] {
  return (failures ?? []).map((f) => f.property);
}

describe("normalisation", () => {
  test("names are lower-cased, SANs sorted and de-duplicated without the common name, defaults filled", () => {
    const n = normalizeInputs({ ...base, commonName: " WWW.Example.com. ", dnsNames: ["b.example.com", "A.example.com", "b.example.com", "www.example.com"] });
    expect(n.commonName).toBe("www.example.com");
    expect(n.dnsNames).toEqual(["a.example.com", "b.example.com"]);
    expect(n).toMatchObject({ autoResubmit: "timeout", onDelete: "cancel", waitFor: "submitted", waitTimeoutSeconds: 600 });
  });

  test("equivalent declarations have the same content hash; a real change does not", () => {
    const a = normalizeInputs({ ...base, dnsNames: ["x.example.com", "Y.example.com"] });
    const b = normalizeInputs({ ...base, dnsNames: ["y.example.com", "x.example.com", "x.example.com"] });
    const c = normalizeInputs({ ...base, dnsNames: ["z.example.com"] });
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash(a)).not.toBe(contentHash(c));
  });

  test("changed paths name the nested field, and notification e-mails compare by hash", () => {
    const olds = {
      ...echoInputs(normalizeInputs({ ...base, admin: { email: "a@example.com", phone: "123456" }, edgecast: { notifications: [{ notificationType: "CertificateExpiring", enabled: true, emails: ["ops@example.com"] }] } })),
    } as ApplicationOutputs;
    expect(JSON.stringify(olds)).not.toContain("ops@example.com");
    const same = normalizeInputs({ ...base, admin: { email: "a@example.com", phone: "123456" }, edgecast: { notifications: [{ notificationType: "CertificateExpiring", enabled: true, emails: ["ops@example.com"] }] } });
    expect(changedPaths(olds, same, ["admin", "edgecast"])).toEqual([]);
    const edited = normalizeInputs({ ...same, admin: { email: "b@example.com", phone: "123456" } });
    expect(changedPaths(olds, edited, ["admin", "edgecast"])).toEqual(["admin.email"]);
    const mail = normalizeInputs({ ...same, edgecast: { notifications: [{ notificationType: "CertificateExpiring", enabled: true, emails: ["sec@example.com"] }] } });
    expect(changedPaths(olds, mail, ["edgecast"])).toEqual(["edgecast.notifications"]);
  });
});

describe("common validation", () => {
  test("domain names", () => {
    for (const ok of ["example.com", "*.example.com", "a-b.c.example.co", "xn--fiqs8s.xn--fiqs8s"]) expect(isDomainName(ok)).toBe(true);
    for (const bad of ["", "com", "-a.example.com", "a..example.com", "exa mple.com", "*.*.example.com", "example.123", "a_b.example.com"]) {
      expect(isDomainName(bad)).toBe(false);
    }
  });

  test("every bad field is reported with its path and a reason that says how to fix it", () => {
    const failures = validateCommon(
      normalizeInputs({
        cloud: "azure" as never,
        commonName: "not a domain",
        dnsNames: ["ok.example.com", "bad_name"],
        admin: { email: "nope", phone: "x" },
        organization: { country: "China" },
        autoResubmit: "sometimes" as never,
        waitTimeoutSeconds: 99999,
        extra: 1,
      } as unknown as ApplicationInputs),
    );
    const byProp = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
    expect(byProp.cloud).toMatch(/must be one of tencent, edgecast, huawei/);
    expect(byProp.commonName).toMatch(/must be a domain name/);
    expect(byProp["dnsNames[0]"] ?? byProp["dnsNames[1]"]).toMatch(/must be a domain name/);
    expect(byProp["admin.email"]).toMatch(/e-mail address/);
    expect(byProp["admin.phone"]).toMatch(/phone number/);
    expect(byProp["organization.country"]).toMatch(/two-letter ISO 3166-1/);
    expect(byProp.autoResubmit).toMatch(/timeout, failure or never/);
    expect(byProp.waitTimeoutSeconds).toMatch(/at most 3600/);
    expect(failures.some((f) => /unknown field\(s\) extra/.test(f.reason))).toBe(true);
  });

  test("a block of another cloud is refused", () => {
    const failures = validateCommon(normalizeInputs({ ...base, huawei: { autoDnsAuth: true } }));
    expect(failures).toContainEqual({ property: "huawei", reason: 'only applies to cloud "huawei"; remove it or set cloud: "huawei"' });
  });

  test("unknown values from a preview are not validated", () => {
    const failures = validateCommon(normalizeInputs({ ...base, commonName: UNKNOWN, dnsNames: [UNKNOWN], admin: { email: UNKNOWN } }));
    expect(failures).toEqual([]);
  });
});

describe("CSR agreement", () => {
  test("parses CN and SANs of RSA and EC CSRs", async () => {
    expect(parseCsr(await makeCsr("www.example.com", ["www.example.com", "api.example.com"], "RSA"))).toEqual({
      commonName: "www.example.com",
      dnsNames: ["www.example.com", "api.example.com"],
    });
    expect(parseCsr(await makeCsr("EC.example.com", []))).toEqual({ commonName: "ec.example.com", dnsNames: [] });
  });

  test("a matching CSR passes", async () => {
    const csr = await makeCsr("www.example.com", ["www.example.com", "api.example.com"]);
    expect(validateCommon(normalizeInputs({ ...base, csr, dnsNames: ["api.example.com"] }))).toEqual([]);
  });

  test("a CSR for another name, or with other SANs, fails at check with the names", async () => {
    const csr = await makeCsr("other.example.com", ["other.example.com", "extra.example.com"]);
    const failures = validateCommon(normalizeInputs({ ...base, csr, dnsNames: ["api.example.com"] }));
    expect(failures.find((f) => f.property === "csr")?.reason).toMatch(/CSR's common name is other.example.com but commonName is www.example.com/);
    expect(failures.map((f) => f.reason).join("\n")).toMatch(/not in the CSR's subject alternative names: .*api.example.com/);
    expect(failures.map((f) => f.reason).join("\n")).toMatch(/the CSR also names .*extra.example.com/);
  });

  test("garbage is refused with a hint", () => {
    const failures = validateCommon(normalizeInputs({ ...base, csr: "hello" }));
    expect(failures).toHaveLength(1);
    expect(failures[0].property).toBe("csr");
    expect(failures[0].reason).toMatch(/not a PEM certificate request.*omit csr/);
  });
});

describe("check", () => {
  test("returns normalised inputs without __provider, and failures per field", async () => {
    const res = await check({}, { ...base, __provider: "exports.handler = 1", commonName: "WWW.EXAMPLE.COM" } as unknown as Record<string, unknown>);
    expect(res.inputs?.commonName).toBe("www.example.com");
    expect(res.inputs).not.toHaveProperty("__provider");
    const bad = await check({}, { cloud: "tencent", commonName: "bad name" });
    expect(props(bad.failures)).toContain("commonName");
  });
});
