/**
 * The bad-input corpus (issue 9, fault suite): invalid declarations of both resources on all three clouds,
 * each stopped at check with the field named, and valid edge cases accepted. Every cloud endpoint points at a
 * local server that counts connections: check must make none.
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";
import * as application from "../../provider/resources/application";
import * as letter from "../../provider/resources/letter";
import type { CheckFailure } from "../../provider/resources/backend";
import { redactFailures, validateLetterInputs } from "../../provider/resources/schema";
import { legacyOwnerKey } from "../../provider/resources/normalize";
import { UNKNOWN } from "../../provider/resources/types";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type Decl = Record<string, unknown>;
interface Case {
  name: string;
  resource: "CertificateApplication" | "ConfirmLetter";
  cloud: "tencent" | "edgecast" | "huawei";
  inputs: Decl;
  /** The property a failure must name. */
  field: string;
}

/** A value in personal-data fields that must never appear in a message. */
const SECRET = "Qx9PrivateMarker";

const ADMIN = { firstName: "Emily", lastName: "Chen", email: "emily@example.com", phone: "13212345678", title: "IT" };
const BASES: Record<Case["cloud"], Decl> = {
  tencent: { cloud: "tencent", certificateId: "J2lX2maH", commonName: "www.example.com", tencent: { managerId: "12345" } },
  edgecast: { cloud: "edgecast", commonName: "www.example.com" },
  huawei: { cloud: "huawei", certificateId: "scs1554192131150", commonName: "www.example.com", admin: ADMIN },
};

let rsa1024 = "";
let sha1Csr = "";
let otherCn = "";
let ecCsr = "";
let tamperedCsr = "";
let otherKeyCsr = "";

/** The PEM of `der`. */
const pem = (der: Buffer) => `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64").replace(/.{64}/g, "$&\n")}\n-----END CERTIFICATE REQUEST-----\n`;

async function makeCsr(cn: string, sans: string[], algorithm: Parameters<typeof webcrypto.subtle.generateKey>[0] & { hash: string }): Promise<string> {
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${cn}`,
    keys: keys as unknown as Parameters<typeof x509.Pkcs10CertificateRequestGenerator.create>[0]["keys"],
    signingAlgorithm: algorithm,
    extensions: sans.length ? [new x509.SubjectAlternativeNameExtension(sans.map((value) => ({ type: "dns" as const, value })))] : [],
  });
  return csr.toString("pem");
}

const names = (n: number, suffix = "example.com") => Array.from({ length: n }, (_, i) => `h${i}.${suffix}`);
const email = (len: number) => `${"a".repeat(len - "@example.com".length)}@example.com`;

/** Invalid declarations that apply to every cloud, each with the field its failure must name. */
function common(cloud: Case["cloud"]): [string, (b: Decl) => Decl, string][] {
  const other = cloud === "tencent" ? "huawei" : "tencent";
  return [
    ["no commonName", ({ commonName: _c, ...b }) => b, "commonName"],
    ["commonName with a space", (b) => ({ ...b, commonName: "not a domain" }), "commonName"],
    ["commonName a number", (b) => ({ ...b, commonName: 42 }), "commonName"],
    ["commonName with an underscore", (b) => ({ ...b, commonName: "exa_mple.com" }), "commonName"],
    ["commonName double wildcard", (b) => ({ ...b, commonName: "*.*.example.com" }), "commonName"],
    ["commonName label of 64 characters", (b) => ({ ...b, commonName: `${"a".repeat(64)}.example.com` }), "commonName"],
    ["commonName without a TLD", (b) => ({ ...b, commonName: "localhost" }), "commonName"],
    ["dnsNames a string", (b) => ({ ...b, dnsNames: "a.example.com" }), "dnsNames"],
    ["dnsNames with a number", (b) => ({ ...b, dnsNames: ["a.example.com", 7] }), "dnsNames[1]"],
    ["dnsNames with null", (b) => ({ ...b, dnsNames: [null] }), "dnsNames[0]"],
    ["dnsNames with a bad name", (b) => ({ ...b, dnsNames: ["bad name"] }), "dnsNames[0]"],
    ["dnsNames over 250", (b) => ({ ...b, dnsNames: names(251) }), "dnsNames"],
    ["autoResubmit not in the set", (b) => ({ ...b, autoResubmit: "sometimes" }), "autoResubmit"],
    ["onDelete not in the set", (b) => ({ ...b, onDelete: "destroy" }), "onDelete"],
    ["waitFor not in the set", (b) => ({ ...b, waitFor: "forever" }), "waitFor"],
    ["waitTimeoutSeconds negative", (b) => ({ ...b, waitTimeoutSeconds: -1 }), "waitTimeoutSeconds"],
    ["waitTimeoutSeconds over an hour", (b) => ({ ...b, waitTimeoutSeconds: 3601 }), "waitTimeoutSeconds"],
    ["waitTimeoutSeconds fractional", (b) => ({ ...b, waitTimeoutSeconds: 1.5 }), "waitTimeoutSeconds"],
    ["waitTimeoutSeconds a string", (b) => ({ ...b, waitTimeoutSeconds: "600" }), "waitTimeoutSeconds"],
    ["resubmitTrigger a number", (b) => ({ ...b, resubmitTrigger: 5 }), "resubmitTrigger"],
    ["unknown top-level key", (b) => ({ ...b, commonNmae: "www.example.com" }), "commonNmae"],
    ["admin.email not an address", (b) => ({ ...b, admin: { ...ADMIN, email: `${SECRET}-at-example.com` } }), "admin.email"],
    ["admin.email over 254 characters", (b) => ({ ...b, admin: { ...ADMIN, email: email(255) } }), "admin.email"],
    ["admin.phone not a number", (b) => ({ ...b, admin: { ...ADMIN, phone: SECRET } }), "admin.phone"],
    ["admin with an unknown key", (b) => ({ ...b, admin: { ...ADMIN, emial: SECRET } }), "admin.emial"],
    ["admin a string", (b) => ({ ...b, admin: SECRET }), "admin"],
    ["tech.email not an address", (b) => ({ ...b, tech: { email: SECRET } }), "tech.email"],
    ["organization.country not ISO", (b) => ({ ...b, organization: { country: SECRET } }), "organization.country"],
    ["organization.phoneAreaCode with +", (b) => ({ ...b, organization: { phoneAreaCode: "+86" } }), "organization.phoneAreaCode"],
    ["organization.name over 1024 characters", (b) => ({ ...b, organization: { name: SECRET.repeat(80) } }), "organization.name"],
    ["csr not PEM", (b) => ({ ...b, csr: "garbage" }), "csr"],
    ["csr a number", (b) => ({ ...b, csr: 12 }), "csr"],
    ["csr with an RSA key of 1024 bits", (b) => ({ ...b, csr: rsa1024 }), "csr"],
    ["csr signed with SHA-1", (b) => ({ ...b, csr: sha1Csr }), "csr"],
    ["csr for another name", (b) => ({ ...b, csr: otherCn }), "csr"],
    ["csr whose signature does not verify", (b) => ({ ...b, csr: tamperedCsr }), "csr"],
    ["csr signed with a key other than its own", (b) => ({ ...b, csr: otherKeyCsr }), "csr"],
    ["two concatenated CSRs", (b) => ({ ...b, csr: ecCsr + ecCsr }), "csr"],
    ["wildcard on a public suffix", (b) => ({ ...b, commonName: "*.co.uk" }), "commonName"],
    ["wildcard on a top-level domain in dnsNames", (b) => ({ ...b, dnsNames: ["*.com"] }), "dnsNames[0]"],
    ["validationMethod unknown", (b) => ({ ...b, validationMethod: "HTTP" }), "validationMethod"],
    ["validationMethod a number", (b) => ({ ...b, validationMethod: 3 }), "validationMethod"],
    ["another cloud's block", (b) => ({ ...b, [other]: other === "huawei" ? { autoDnsAuth: true } : { autoRenew: true } }), other],
    ["ownerKey not from certapply", (b) => ({ ...b, ownerKey: "me" }), "ownerKey"],
  ];
}

function cloudSpecific(): [Case["cloud"], string, (b: Decl) => Decl, string][] {
  return [
    ["tencent", "no certificateId", ({ certificateId: _i, ...b }) => b, "certificateId"],
    ["tencent", "certificateId too short", (b) => ({ ...b, certificateId: "J2lX2m" }), "certificateId"],
    ["tencent", "certificateId a number", (b) => ({ ...b, certificateId: 12345678 }), "certificateId"],
    ["tencent", "companyType 3", (b) => ({ ...b, tencent: { managerId: "1", companyType: 3 } }), "tencent.companyType"],
    ["tencent", "signAlgo (undocumented)", (b) => ({ ...b, tencent: { managerId: "1", signAlgo: "SHA256WithRSA" } }), "tencent.signAlgo"],
    ["tencent", "type (undocumented)", (b) => ({ ...b, tencent: { managerId: "1", type: 2 } }), "tencent.type"],
    ["tencent", "csrKeyParameter 1024", (b) => ({ ...b, tencent: { managerId: "1", csrKeyParameter: "1024" } }), "tencent.csrKeyParameter"],
    ["tencent", "csrEncryptAlgo DSA", (b) => ({ ...b, tencent: { managerId: "1", csrEncryptAlgo: "DSA" } }), "tencent.csrEncryptAlgo"],
    ["tencent", "ECC with an RSA key parameter", (b) => ({ ...b, tencent: { managerId: "1", csrEncryptAlgo: "ECC", csrKeyParameter: "2048" } }), "tencent.csrKeyParameter"],
    ["tencent", "caType globalsign", (b) => ({ ...b, tencent: { managerId: "1", caType: "globalsign" } }), "tencent.caType"],
    ["tencent", "orgIdType unknown", (b) => ({ ...b, tencent: { managerId: "1", orgIdType: "PASSPORT" } }), "tencent.orgIdType"],
    ["tencent", "adminIdType unknown", (b) => ({ ...b, tencent: { managerId: "1", adminIdType: "ID" } }), "tencent.adminIdType"],
    ["tencent", "techIdType unknown", (b) => ({ ...b, tencent: { managerId: "1", techIdType: "ID" } }), "tencent.techIdType"],
    ["tencent", "contactEmail not an address", (b) => ({ ...b, tencent: { managerId: "1", contactEmail: SECRET } }), "tencent.contactEmail"],
    ["tencent", "keyPass a number", (b) => ({ ...b, tencent: { managerId: "1", keyPass: 1234 } }), "tencent.keyPass"],
    ["tencent", "autoRenew a string", (b) => ({ ...b, tencent: { managerId: "1", autoRenew: "yes" } }), "tencent.autoRenew"],
    ["tencent", "individual without contactEmail", (b) => ({ ...b, tencent: { companyType: 1 } }), "tencent.contactEmail"],
    ["tencent", "company without organization or manager", (b) => ({ ...b, tencent: {} }), "organization.name"],
    ["tencent", "company without admin or manager", (b) => ({ ...b, tencent: { companyId: "9" } }), "admin.email"],
    ["tencent", "unknown tencent key", (b) => ({ ...b, tencent: { managerId: "1", managerID: "2" } }), "tencent.managerID"],
    ["tencent", "keyPass of 10 KB", (b) => ({ ...b, tencent: { managerId: "1", keyPass: "p".repeat(10 * 1024) } }), "tencent.keyPass"],
    ["tencent", "wildcard with FILE validation", (b) => ({ ...b, commonName: "*.example.com", validationMethod: "FILE" }), "validationMethod"],
    ["tencent", "wildcard SAN with FILE validation", (b) => ({ ...b, dnsNames: ["*.example.com"], validationMethod: "FILE" }), "validationMethod"],
    ["tencent", "IP address (no Tencent IP certificates)", (b) => ({ ...b, commonName: "203.0.113.10" }), "commonName"],
    ["tencent", "key parameter with a CSR", (b) => ({ ...b, csr: ecCsr, tencent: { managerId: "1", csrKeyParameter: "2048" } }), "tencent.csrKeyParameter"],
    ["edgecast", "certificateId given", (b) => ({ ...b, certificateId: "12345" }), "certificateId"],
    ["edgecast", "validationType XV", (b) => ({ ...b, edgecast: { validationType: "XV" } }), "edgecast.validationType"],
    ["edgecast", "certificateAuthority unknown", (b) => ({ ...b, edgecast: { certificateAuthority: "Foo" } }), "edgecast.certificateAuthority"],
    ["edgecast", "certificateLabel with a space", (b) => ({ ...b, edgecast: { certificateLabel: "has space" } }), "edgecast.certificateLabel"],
    ["edgecast", "certificateLabel over 100 characters", (b) => ({ ...b, edgecast: { certificateLabel: "a".repeat(101) } }), "edgecast.certificateLabel"],
    ["edgecast", "notification type unknown", (b) => ({ ...b, edgecast: { notifications: [{ notificationType: "Daily", enabled: false, emails: [] }] } }), "edgecast.notifications[0].notificationType"],
    ["edgecast", "notification enabled without e-mails", (b) => ({ ...b, edgecast: { notifications: [{ notificationType: "CertificateExpiring", enabled: true, emails: [] }] } }), "edgecast.notifications[0].emails"],
    ["edgecast", "notification e-mail not an address", (b) => ({ ...b, edgecast: { notifications: [{ notificationType: "CertificateExpiring", enabled: true, emails: [SECRET] }] } }), "edgecast.notifications[0].emails[0]"],
    ["edgecast", "notification e-mail over 254 characters", (b) => ({ ...b, edgecast: { notifications: [{ notificationType: "CertificateExpiring", enabled: true, emails: [email(300)] }] } }), "edgecast.notifications[0].emails[0]"],
    ["edgecast", "notifications not a list", (b) => ({ ...b, edgecast: { notifications: { notificationType: "CertificateExpiring" } } }), "edgecast.notifications"],
    ["edgecast", "notification without enabled", (b) => ({ ...b, edgecast: { notifications: [{ notificationType: "CertificateExpiring", emails: ["a@example.com"] }] } }), "edgecast.notifications[0].enabled"],
    ["edgecast", "notification type twice", (b) => ({ ...b, edgecast: { notifications: [{ notificationType: "CertificateExpiring", enabled: false, emails: [] }, { notificationType: "CertificateExpiring", enabled: false, emails: [] }] } }), "edgecast.notifications[1].notificationType"],
    ["edgecast", "OV without organization", (b) => ({ ...b, edgecast: { validationType: "OV" } }), "organization"],
    ["edgecast", "EV without tech", (b) => ({ ...b, edgecast: { validationType: "EV" }, organization: { name: "Ex", address: "1 Road", city: "Paris", country: "FR" }, admin: ADMIN }), "tech"],
    ["edgecast", "DV with an organization", (b) => ({ ...b, organization: { name: "Ex" } }), "organization"],
    ["edgecast", "deleteIssuedCertificate a string", (b) => ({ ...b, edgecast: { deleteIssuedCertificate: "yes" } }), "edgecast.deleteIssuedCertificate"],
    ["edgecast", "unknown edgecast key", (b) => ({ ...b, edgecast: { lable: "x" } }), "edgecast.lable"],
    ["edgecast", "IP address (no Edgecast IP certificates)", (b) => ({ ...b, dnsNames: ["203.0.113.10"] }), "dnsNames[0]"],
    ["edgecast", "two common names", (b) => ({ ...b, commonName: "a.example.com,b.example.com" }), "commonName"],
    ["huawei", "no certificateId", ({ certificateId: _i, ...b }) => b, "certificateId"],
    ["huawei", "certificateId of 15 characters", (b) => ({ ...b, certificateId: "scs155419213115" }), "certificateId"],
    ["huawei", "certificateId with a dash", (b) => ({ ...b, certificateId: "scs-554192131150" }), "certificateId"],
    ["huawei", "keyAlgorithm RSA_1024", (b) => ({ ...b, huawei: { keyAlgorithm: "RSA_1024" } }), "huawei.keyAlgorithm"],
    ["huawei", "caHashAlgorithm MD5", (b) => ({ ...b, huawei: { caHashAlgorithm: "MD5" } }), "huawei.caHashAlgorithm"],
    ["huawei", "autoDnsAuth a string", (b) => ({ ...b, huawei: { autoDnsAuth: "true" } }), "huawei.autoDnsAuth"],
    ["huawei", "no applicant", ({ admin: _a, ...b }) => b, "admin"],
    ["huawei", "applicant without e-mail", (b) => ({ ...b, admin: { ...ADMIN, email: undefined } }), "admin.email"],
    ["huawei", "applicant without phone", (b) => ({ ...b, admin: { ...ADMIN, phone: undefined } }), "admin.phone"],
    ["huawei", "applicant without a name", (b) => ({ ...b, admin: { ...ADMIN, firstName: undefined, lastName: undefined } }), "admin.firstName"],
    ["huawei", "applicant name over 100 bytes", (b) => ({ ...b, admin: { ...ADMIN, firstName: SECRET.repeat(4), lastName: SECRET.repeat(4) } }), "admin.lastName"],
    ["huawei", "unknown huawei key", (b) => ({ ...b, huawei: { autoDNSAuth: true } }), "huawei.autoDNSAuth"],
    ["huawei", "over 100 extra names", (b) => ({ ...b, dnsNames: names(101) }), "dnsNames"],
    ["huawei", "IP address among domain names", (b) => ({ ...b, dnsNames: ["203.0.113.10"] }), "dnsNames[0]"],
    ["huawei", "pure-IP certificate validated by DNS", (b) => ({ ...b, commonName: "203.0.113.10", validationMethod: "DNS" }), "validationMethod"],
    ["huawei", "OV organization without city", (b) => ({ ...b, organization: { name: "Ex", region: "GD", country: "CN" } }), "organization.city"],
  ];
}

let letterDir = "";
const pdf = (bytes: number) => Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(bytes - 9, 0x20)]);

function letterCases(): [string, Decl, string][] {
  const content = pdf(2048).toString("base64");
  return [
    ["no certificateId", { content }, "certificateId"],
    ["certificateId of 7 characters", { certificateId: "J2lX2ma", content }, "certificateId"],
    ["certificateId of a Huawei certificate", { certificateId: "scs1554192131150", content }, "certificateId"],
    ["certificateId a number", { certificateId: 12345678, content }, "certificateId"],
    ["typo fiel", { certificateId: "J2lX2maH", fiel: "/tmp/letter.pdf" }, "fiel"],
    ["typo contnet", { certificateId: "J2lX2maH", contnet: content }, "contnet"],
    ["both file and content", { certificateId: "J2lX2maH", file: join(letterDir, "ok.pdf"), content }, "content"],
    ["neither file nor content", { certificateId: "J2lX2maH" }, "file"],
    ["content not base64", { certificateId: "J2lX2maH", content: `${SECRET}!!` }, "content"],
    ["content a number", { certificateId: "J2lX2maH", content: 5 }, "content"],
    ["content under 1 KB", { certificateId: "J2lX2maH", content: pdf(100).toString("base64") }, "content"],
    ["content over 1.4 MB", { certificateId: "J2lX2maH", content: pdf(1.5 * 1024 * 1024).toString("base64") }, "content"],
    ["content not a PDF, JPG or PNG", { certificateId: "J2lX2maH", content: Buffer.alloc(2048, 0x41).toString("base64") }, "content"],
    ["file that does not exist", { certificateId: "J2lX2maH", file: join(letterDir, "missing.pdf") }, "file"],
    ["file a directory", { certificateId: "J2lX2maH", file: letterDir }, "file"],
    ["file a text file", { certificateId: "J2lX2maH", file: join(letterDir, "note.txt") }, "file"],
    ["waitTimeoutSeconds over an hour", { certificateId: "J2lX2maH", content, waitTimeoutSeconds: 4000 }, "waitTimeoutSeconds"],
    ["waitTimeoutSeconds a string", { certificateId: "J2lX2maH", content, waitTimeoutSeconds: "60" }, "waitTimeoutSeconds"],
  ];
}

/** ConfirmLetter's check: the resource's own (bytes, size, format) and the spec's (keys, id format, base64). */
async function checkLetter(news: Decl): Promise<CheckFailure[]> {
  const own = (await letter.check({}, news)).failures ?? [];
  const spec = validateLetterInputs(news);
  const seen = new Set(own.map((f) => `${f.property}\n${f.reason}`));
  return [...own, ...spec.filter((f) => !seen.has(`${f.property}\n${f.reason}`))];
}

async function checkApplication(news: Decl): Promise<CheckFailure[]> {
  return (await application.check({}, news)).failures ?? [];
}

let server: Server;
let connections = 0;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  const rsa = (bits: number, hash: string) => ({ name: "RSASSA-PKCS1-v1_5", hash, publicExponent: new Uint8Array([1, 0, 1]), modulusLength: bits });
  const ec = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  [rsa1024, sha1Csr, otherCn, ecCsr] = await Promise.all([
    makeCsr("www.example.com", [], rsa(1024, "SHA-256")),
    makeCsr("www.example.com", [], { ...ec, hash: "SHA-1" }),
    makeCsr("other.example.com", [], ec),
    makeCsr("www.example.com", [], ec),
  ]);
  const rsaCsr = Buffer.from(new x509.Pkcs10CertificateRequest(await makeCsr("www.example.com", [], rsa(2048, "SHA-256"))).rawData);
  rsaCsr[rsaCsr.length - 1] ^= 0x01; // the signature's last byte: the CSR still parses, its signature no longer verifies
  tamperedCsr = pem(rsaCsr);
  const [own, signer] = await Promise.all([webcrypto.subtle.generateKey(ec, true, ["sign", "verify"]), webcrypto.subtle.generateKey(ec, true, ["sign", "verify"])]);
  otherKeyCsr = (
    await x509.Pkcs10CertificateRequestGenerator.create({
      name: "CN=www.example.com",
      keys: { publicKey: own.publicKey, privateKey: signer.privateKey } as unknown as Parameters<typeof x509.Pkcs10CertificateRequestGenerator.create>[0]["keys"],
      signingAlgorithm: ec,
    })
  ).toString("pem");
  letterDir = mkdtempSync(join(tmpdir(), "certapply-letter-"));
  writeFileSync(join(letterDir, "ok.pdf"), pdf(2048));
  writeFileSync(join(letterDir, "note.txt"), "x".repeat(2048));
  server = createServer((_req, res) => res.end("{}"));
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env: Record<string, string> = {
    CERTAPPLY_TENCENT_ENDPOINT: url,
    CERTAPPLY_EDGECAST_API_URL: url,
    CERTAPPLY_EDGECAST_IDS_URL: url,
    CERTAPPLY_HUAWEI_ENDPOINT: url,
    CERTAPPLY_HUAWEI_IAM_ENDPOINT: url,
    TENCENTCLOUD_SECRET_ID: "AKIDcorpus",
    TENCENTCLOUD_SECRET_KEY: "corpus",
    EDGECAST_CLIENT_ID: "corpus",
    EDGECAST_CLIENT_SECRET: "corpus",
    HW_ACCESS_KEY: "corpus",
    HW_SECRET_KEY: "corpus",
  };
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await new Promise((resolve) => server.close(resolve));
});

function invalidCases(): Case[] {
  const cases: Case[] = [];
  for (const cloud of ["tencent", "edgecast", "huawei"] as const) {
    for (const [name, mutate, field] of common(cloud)) cases.push({ name, resource: "CertificateApplication", cloud, inputs: mutate(BASES[cloud]), field });
  }
  for (const [cloud, name, mutate, field] of cloudSpecific()) cases.push({ name, resource: "CertificateApplication", cloud, inputs: mutate(BASES[cloud]), field });
  cases.push({ name: "cloud not supported", resource: "CertificateApplication", cloud: "tencent", inputs: { ...BASES.tencent, cloud: "azure" }, field: "cloud" });
  cases.push({ name: "cloud missing", resource: "CertificateApplication", cloud: "edgecast", inputs: { commonName: "www.example.com" }, field: "cloud" });
  for (const [name, inputs, field] of letterCases()) cases.push({ name, resource: "ConfirmLetter", cloud: "tencent", inputs, field });
  return cases;
}

function validCases(): [string, Case["resource"], Decl][] {
  const out: [string, Case["resource"], Decl][] = [];
  for (const cloud of ["tencent", "edgecast", "huawei"] as const) {
    const b = BASES[cloud];
    out.push([`${cloud}: minimal fields`, "CertificateApplication", b]);
    out.push([`${cloud}: IDN in punycode`, "CertificateApplication", { ...b, commonName: "xn--fiqs8s.xn--fiqs8s", dnsNames: ["www.xn--80ak6aa92e.com"] }]);
    out.push([`${cloud}: wildcard`, "CertificateApplication", { ...b, commonName: "*.example.com", dnsNames: ["example.com"] }]);
    out.push([`${cloud}: maximum SAN count`, "CertificateApplication", { ...b, dnsNames: names(cloud === "huawei" ? 100 : 250, "example.org") }]);
    out.push([`${cloud}: names normalised (case, trailing dot, duplicates)`, "CertificateApplication", { ...b, commonName: "WWW.Example.COM.", dnsNames: ["www.example.com", "A.example.com", "a.example.com."] }]);
    out.push([`${cloud}: longest e-mail address (254)`, "CertificateApplication", { ...b, ...(cloud === "edgecast" ? { edgecast: { notifications: [{ notificationType: "CertificateExpiring", enabled: true, emails: [email(254)] }] } } : { admin: { ...ADMIN, email: email(254) } }) }]);
    out.push([`${cloud}: wait bounds and policies`, "CertificateApplication", { ...b, waitTimeoutSeconds: 0, waitFor: "issued", autoResubmit: "never", onDelete: "retain", resubmitTrigger: "1" }]);
    out.push([`${cloud}: preview unknowns`, "CertificateApplication", { ...b, commonName: UNKNOWN, dnsNames: [UNKNOWN], waitTimeoutSeconds: UNKNOWN }]);
    out.push([`${cloud}: owner key kept from 0.1 state`, "CertificateApplication", { ...b, ownerKey: legacyOwnerKey("proj", "dev", "www") }]);
  }
  out.push(["tencent: own EC CSR", "CertificateApplication", { ...BASES.tencent, csr: ecCsr }]);
  out.push(["tencent: ECC key generated by Tencent", "CertificateApplication", { ...BASES.tencent, tencent: { managerId: "1", csrEncryptAlgo: "ECC", csrKeyParameter: "prime256v1" } }]);
  out.push(["tencent: individual DV", "CertificateApplication", { ...BASES.tencent, tencent: { companyType: 1, contactEmail: "me@example.com" } }]);
  out.push(["huawei: pure-IP certificate (IPv4) validated by FILE", "CertificateApplication", { ...BASES.huawei, commonName: "203.0.113.10", dnsNames: ["203.0.113.11"], validationMethod: "FILE" }]);
  out.push(["huawei: pure-IP certificate (IPv6) validated by FILE", "CertificateApplication", { ...BASES.huawei, commonName: "2001:db8::10", validationMethod: "file" }]);
  out.push(["tencent: wildcard under a public suffix's registrable domain", "CertificateApplication", { ...BASES.tencent, commonName: "*.example.co.uk", validationMethod: "DNS" }]);
  out.push(["tencent: longest keyPass", "CertificateApplication", { ...BASES.tencent, tencent: { managerId: "1", keyPass: "p".repeat(128) } }]);
  out.push(["huawei: validation method in lower case", "CertificateApplication", { ...BASES.huawei, validationMethod: "dns" }]);
  out.push(["huawei: hash and key algorithm from the model", "CertificateApplication", { ...BASES.huawei, huawei: { keyAlgorithm: "RSA_2048", caHashAlgorithm: "SHA-256", autoDnsAuth: true } }]);
  out.push([
    "edgecast: OV with organisation and contact",
    "CertificateApplication",
    { ...BASES.edgecast, edgecast: { validationType: "OV", certificateLabel: "www_example-com" }, organization: { name: "Ex", address: "1 Road", city: "Paris", country: "FR" }, admin: ADMIN },
  ]);
  out.push(["letter: content", "ConfirmLetter", { certificateId: "J2lX2maH", content: pdf(2048).toString("base64") }]);
  out.push(["letter: file", "ConfirmLetter", { certificateId: "J2lX2maH", file: "" }]);
  return out;
}

describe("bad-input corpus", () => {
  const failuresOf: Record<string, CheckFailure[]> = {};

  test("every invalid declaration is stopped at check with its field named, no secret value in any message, and no HTTP call", async () => {
    const cases = invalidCases();
    const missed: string[] = [];
    const leaked: string[] = [];
    const perCloud: Record<string, number> = {};
    for (const c of cases) {
      const failures = c.resource === "ConfirmLetter" ? await checkLetter(c.inputs) : await checkApplication(c.inputs);
      failuresOf[`${c.resource} ${c.cloud} ${c.name}`] = failures;
      if (!failures.some((f) => f.property === c.field)) missed.push(`${c.resource}/${c.cloud}: ${c.name}: wanted ${c.field}, got ${JSON.stringify(failures)}`);
      if (failures.some((f) => f.reason.includes(SECRET))) leaked.push(`${c.resource}/${c.cloud}: ${c.name}`);
      perCloud[`${c.resource}/${c.cloud}`] = (perCloud[`${c.resource}/${c.cloud}`] ?? 0) + 1;
    }
    expect(missed).toEqual([]);
    expect(leaked).toEqual([]);
    expect(connections).toBe(0);
    expect(cases.length).toBeGreaterThanOrEqual(120);
    console.log(`bad-input corpus: ${cases.length} invalid declarations stopped at check (${JSON.stringify(perCloud)}), 0 HTTP connections`);
  });

  test("valid edge cases are accepted, with no HTTP call", async () => {
    writeFileSync(join(letterDir, "edge.pdf"), pdf(4096));
    const cases = validCases().map(([n, r, d]): [string, Case["resource"], Decl] => [n, r, n === "letter: file" ? { ...d, file: join(letterDir, "edge.pdf") } : d]);
    const refused: string[] = [];
    for (const [name, resource, inputs] of cases) {
      const failures = resource === "ConfirmLetter" ? await checkLetter(inputs) : await checkApplication(inputs);
      if (failures.length) refused.push(`${name}: ${JSON.stringify(failures)}`);
    }
    expect(refused).toEqual([]);
    expect(connections).toBe(0);
    expect(cases.length).toBeGreaterThanOrEqual(20);
    console.log(`bad-input corpus: ${cases.length} valid edge cases accepted`);
  });

  test("no check message echoes a secret: the Huawei applicant name", async () => {
    const failures = await checkApplication({ ...BASES.huawei, admin: { ...ADMIN, firstName: SECRET.repeat(4), lastName: SECRET.repeat(4) } });
    expect(failures.map((f) => f.property)).toContain("admin.lastName");
    for (const f of failures) expect(f.reason).not.toContain(SECRET);
  });

  test("redactFailures removes every secret input's value from messages, blocks included", () => {
    const inputs = { ...BASES.huawei, admin: { ...ADMIN, firstName: SECRET }, edgecast: { notifications: [{ notificationType: "CertificateExpiring", enabled: true, emails: ["ops@example.com"] }] } };
    const out = redactFailures("CertificateApplication", inputs, [
      { property: "admin.lastName", reason: `applicant_name "${SECRET} Chen" is too long` },
      { property: "edgecast", reason: "ops@example.com is not a user" },
      { property: "commonName", reason: "www.example.com is fine to name" },
    ]);
    expect(out).toEqual([
      { property: "admin.lastName", reason: 'applicant_name "[secret] [secret]" is too long' },
      { property: "edgecast", reason: "[secret] is not a user" },
      { property: "commonName", reason: "www.example.com is fine to name" },
    ]);
    const letterOut = redactFailures("ConfirmLetter", { certificateId: "J2lX2maH", content: "QUJDREVG" }, [{ property: "content", reason: "QUJDREVG is bad" }]);
    expect(letterOut).toEqual([{ property: "content", reason: "[secret] is bad" }]);
  });

  test("the field counts: each cloud and both resources are covered", () => {
    const keys = Object.keys(failuresOf);
    for (const p of ["CertificateApplication tencent", "CertificateApplication edgecast", "CertificateApplication huawei", "ConfirmLetter tencent"]) {
      expect(keys.filter((k) => k.startsWith(p)).length).toBeGreaterThanOrEqual(15);
    }
  });
});
