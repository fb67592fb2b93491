import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { check } from "../../provider/resources/application";
import { parseCsr } from "../../provider/resources/csr";
import {
  certificateOutputs,
  changedPaths,
  contentHash,
  echoInputs,
  edgecastEcho,
  hashEmail,
  newHashSalt,
  normalizeInputs,
  backendIdentity,
  legacyOwnerKey,
  ownerKeyFor,
  ownerKeyFromUrn,
  ownerKeyOf,
} from "../../provider/resources/normalize";
import { validateCommon, isDomainName } from "../../provider/resources/schema";
import type { ApplicationInputs, ApplicationOutputs } from "../../provider/resources/types";
import { UNKNOWN } from "../../provider/resources/types";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

async function makeCsr(cn: string, sans: string[], alg: "RSA" | "EC" = "EC", bits = 2048, hash = "SHA-256"): Promise<string> {
  const algorithm =
    alg === "EC"
      ? { name: "ECDSA", namedCurve: "P-256", hash }
      : { name: "RSASSA-PKCS1-v1_5", hash, publicExponent: new Uint8Array([1, 0, 1]), modulusLength: bits };
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
    expect(byProp.autoResubmit).toMatch(/must be one of timeout, failure, never/);
    expect(byProp.waitTimeoutSeconds).toMatch(/at most 3600/);
    expect(byProp.extra).toMatch(/is not a CertificateApplication argument/);
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
      ipAddresses: [],
      keyAlgorithm: "RSA",
      rsaBits: 2048,
      signatureHash: "SHA-256",
      signatureValid: true,
    });
    expect(parseCsr(await makeCsr("EC.example.com", []))).toEqual({
      commonName: "ec.example.com",
      dnsNames: [],
      ipAddresses: [],
      keyAlgorithm: "EC",
      signatureHash: "SHA-256",
      signatureValid: true,
    });
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

  test("RSA keys under 2048 bits and SHA-1 signatures are refused (issue 9 #7)", async () => {
    const small = await makeCsr("www.example.com", [], "RSA", 1024);
    expect(validateCommon(normalizeInputs({ ...base, csr: small }))).toEqual([
      { property: "csr", reason: expect.stringMatching(/RSA key has 1024 bits; CAs take at least 2048/) },
    ]);
    const sha1 = await makeCsr("www.example.com", [], "RSA", 2048, "SHA-1");
    expect(validateCommon(normalizeInputs({ ...base, csr: sha1 }))).toEqual([{ property: "csr", reason: expect.stringMatching(/signed with SHA-1; CAs take SHA-256/) }]);
    const ecSha1 = await makeCsr("www.example.com", [], "EC", 0, "SHA-1");
    expect(props(validateCommon(normalizeInputs({ ...base, csr: ecSha1 })))).toEqual(["csr"]);
    const strong = await makeCsr("www.example.com", [], "RSA", 2048, "SHA-384");
    expect(validateCommon(normalizeInputs({ ...base, csr: strong }))).toEqual([]);
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

describe("check gaps and messages (issue 9 #7, #8)", () => {
  test("non-string dnsNames entries fail with the entry named, instead of being dropped", () => {
    const n = normalizeInputs({ ...base, dnsNames: ["a.example.com", 7, null] } as unknown as ApplicationInputs);
    expect(n.dnsNames).toHaveLength(3);
    const failures = validateCommon(n);
    expect(failures).toContainEqual({ property: "dnsNames[1]", reason: "must be a string, not a whole number" });
    expect(failures).toContainEqual({ property: "dnsNames[2]", reason: "must be a string, not null" });
  });

  test("e-mail addresses longer than 254 characters fail; 254 pass", () => {
    const at = (n: number) => `${"a".repeat(n - "@example.com".length)}@example.com`;
    expect(validateCommon(normalizeInputs({ ...base, admin: { email: at(254) } }))).toEqual([]);
    expect(props(validateCommon(normalizeInputs({ ...base, admin: { email: at(255) } })))).toEqual(["admin.email"]);
    const long = validateCommon(normalizeInputs({ ...base, edgecast: { notifications: [{ notificationType: "CertificateExpiring", enabled: true, emails: [at(300)] }] } }));
    expect(props(long)).toEqual(["edgecast.notifications[0].emails[0]"]);
  });

  test("closed sets from the notes: tencent signAlgo/type, huawei keyAlgorithm/caHashAlgorithm", () => {
    const tencent = { ...base, cloud: "tencent" as const };
    expect(props(validateCommon(normalizeInputs({ ...tencent, tencent: { signAlgo: "SHA256WithRSA" } })))).toEqual(["tencent.signAlgo"]);
    expect(props(validateCommon(normalizeInputs({ ...tencent, tencent: { type: 2 } })))).toEqual(["tencent.type"]);
    expect(props(validateCommon(normalizeInputs({ ...tencent, tencent: { csrKeyParameter: "1024" } })))).toEqual(["tencent.csrKeyParameter"]);
    const huawei = { ...base, cloud: "huawei" as const };
    expect(validateCommon(normalizeInputs({ ...huawei, huawei: { keyAlgorithm: "RSA_2048", caHashAlgorithm: "SHA-256" } }))).toEqual([]);
    const bad = validateCommon(normalizeInputs({ ...huawei, huawei: { keyAlgorithm: "RSA_1024", caHashAlgorithm: "MD5" } }));
    expect(bad).toEqual([
      { property: "huawei.keyAlgorithm", reason: "must be one of RSA_2048, RSA_3072, RSA_4096, EC_P256, EC_P384, SM2" },
      { property: "huawei.caHashAlgorithm", reason: "must be one of DEFAULT, SHA-256" },
    ]);
  });

  test("a wrong type says which type was expected, not 'is required'", () => {
    const failures = validateCommon(normalizeInputs({ ...base, waitTimeoutSeconds: "600", dnsNames: "a.example.com", admin: "me" } as unknown as ApplicationInputs));
    const byProp = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
    expect(byProp.waitTimeoutSeconds).toBe("must be a whole number, not a string");
    expect(byProp.dnsNames).toBe("must be a list of strings, not a string");
    expect(byProp.admin).toBe("must be an object (a block of named fields), not a string");
    expect(validateCommon({ cloud: "edgecast" } as ApplicationInputs)).toContainEqual({ property: "commonName", reason: "is required" });
  });

  test("an unknown key is reported under its own name, with a suggestion", () => {
    const failures = validateCommon(normalizeInputs({ ...base, commonNmae: "x", admin: { emial: "a@example.com" } } as unknown as ApplicationInputs));
    expect(failures).toContainEqual({ property: "commonNmae", reason: expect.stringMatching(/^is not a CertificateApplication argument; did you mean commonName\?/) });
    expect(failures).toContainEqual({ property: "admin.emial", reason: expect.stringMatching(/^is not a field of admin; did you mean email\?/) });
  });

  test("no message contains a secret input's value", () => {
    const secret = "Zq7SecretValue";
    const failures = validateCommon(
      normalizeInputs({
        ...base,
        cloud: "tencent",
        admin: { firstName: 5, email: `${secret}@`, phone: secret, title: secret.repeat(100) },
        organization: { country: secret, phoneAreaCode: secret },
        tencent: { keyPass: 7, caType: secret, signAlgo: secret, [secret]: 1 },
      } as unknown as ApplicationInputs),
    );
    expect(failures.length).toBeGreaterThan(6);
    for (const f of failures) expect(f.reason).not.toContain(secret);
  });
});

describe("keyed hashes in outputs (issue 9 #11)", () => {
  const mail = { notifications: [{ notificationType: "CertificateExpiring", enabled: true, emails: ["ops@example.com"] }] };

  test("e-mails and the content hash are HMAC-SHA256 keyed with the resource's salt", () => {
    const inputs = normalizeInputs({ ...base, edgecast: mail });
    const a = newHashSalt();
    const b = newHashSalt();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
    const echoA = echoInputs(inputs, a).edgecast?.notifications?.[0].emails[0];
    expect(echoA).toMatch(/^hmac:[0-9a-f]{64}$/);
    expect(echoA).not.toBe(echoInputs(inputs, b).edgecast?.notifications?.[0].emails[0]);
    expect(echoA).not.toContain(hashEmail("ops@example.com").slice("sha256:".length));
    expect(contentHash(inputs, a)).not.toBe(contentHash(inputs, b));
    expect(contentHash(inputs, a)).not.toBe(contentHash(inputs));
  });

  test("diffs compare under the stored salt; state written before salts still compares", () => {
    const salt = newHashSalt();
    const news = normalizeInputs({ ...base, edgecast: mail });
    const olds = { ...echoInputs(news, salt), hashSalt: salt } as ApplicationOutputs;
    expect(changedPaths(olds, news, ["edgecast"])).toEqual([]);
    const legacy = { ...echoInputs(news) } as ApplicationOutputs;
    expect(changedPaths(legacy, news, ["edgecast"])).toEqual([]);
    const other = normalizeInputs({ ...base, edgecast: { notifications: [{ ...mail.notifications[0], emails: ["sec@example.com"] }] } });
    expect(changedPaths(olds, other, ["edgecast"])).toEqual(["edgecast.notifications"]);
    expect(edgecastEcho(olds.edgecast, olds.hashSalt)).toEqual(edgecastEcho(news.edgecast, olds.hashSalt));
  });
});

describe("owner key and certificate outputs", () => {
  test("owner keys: organisation and backend are part of the key; check keeps the stored one (0.1 state included)", async () => {
    const scope = { organization: "alice", backend: "", project: "web", stack: "dev", name: "www" };
    const alice = ownerKeyOf(scope);
    expect(alice).toMatch(/^[0-9a-f]{16}$/);
    expect(ownerKeyOf({ ...scope })).toBe(alice);
    // alice/web/dev and bob/web/dev; two self-managed backends with the same organisation.
    expect(ownerKeyOf({ ...scope, organization: "bob" })).not.toBe(alice);
    expect(ownerKeyOf({ ...scope, backend: "s3://other" })).not.toBe(alice);
    expect(new Set([alice, ownerKeyOf({ ...scope, stack: "prod" }), ownerKeyOf({ ...scope, name: "api" }), ownerKeyOf({ ...scope, project: "x" })]).size).toBe(4);
    expect(backendIdentity({ PULUMI_BACKEND_URL: " s3://bucket/ " })).toBe("s3://bucket");
    // The plugin: the URN, with PULUMI_ORGANIZATION and PULUMI_BACKEND_URL when the environment has them.
    const urn = "urn:pulumi:dev::web::certapply:index:CertificateApplication::www";
    expect(ownerKeyFromUrn(urn, { PULUMI_ORGANIZATION: "alice" })).toBe(alice);
    expect(ownerKeyFromUrn("urn:pulumi:dev::web::pulumi-nodejs:dynamic/certapply:CertificateApplication::www", { PULUMI_ORGANIZATION: "alice" })).toBe(alice);
    expect(() => ownerKeyFromUrn("www")).toThrow(/not a resource URN/);

    // check keeps the key the old inputs hold: state written by 0.1 (project, stack and name only) keeps matching
    // its applications' cloud marks, so no order changes.
    const args = { cloud: "edgecast", commonName: "www.example.com" };
    const v01 = legacyOwnerKey("web", "dev", "www");
    expect(v01).not.toBe(alice);
    expect((await check({ ...args, ownerKey: v01 }, { ...args, ownerKey: alice })).inputs!.ownerKey).toBe(v01);
    expect((await check({}, { ...args, ownerKey: alice })).inputs!.ownerKey).toBe(alice);
    expect(ownerKeyFor({ ownerKey: "forged" }, { ownerKey: alice })).toBe(alice);
    expect(ownerKeyFor({}, {})).toBeUndefined();
  });

  test("the private key leaves `certificate` for the top-level secret output `privateKey`", () => {
    expect(certificateOutputs(undefined)).toEqual({});
    expect(certificateOutputs({ notAfter: "2027-01-01T00:00:00.000Z", privateKeyPem: "KEY" })).toEqual({
      certificate: { notAfter: "2027-01-01T00:00:00.000Z" },
      privateKey: "KEY",
    });
    expect(certificateOutputs({ serialNumber: "01" })).toEqual({ certificate: { serialNumber: "01" } });
  });
});
