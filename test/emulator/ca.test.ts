import { execFileSync } from "node:child_process";
import { X509Certificate, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmulatorCa } from "../../emulator/ca";

describe("emulator CA", () => {
  test("issues a real certificate for the names, with a generated key when no CSR is given", async () => {
    const ca = new EmulatorCa();
    const notBefore = new Date(Date.UTC(2026, 10, 1));
    const issued = await ca.issue({ commonName: "www.example.com", dnsNames: ["example.com"], notBefore, validityDays: 90 });
    const cert = new X509Certificate(issued.certificatePem);
    expect(cert.subjectAltName).toBe("DNS:www.example.com, DNS:example.com");
    expect(new Date(cert.validFrom).toISOString()).toBe(notBefore.toISOString());
    expect(new Date(cert.validTo).getTime()).toBe(notBefore.getTime() + 90 * 86_400_000);
    expect(cert.fingerprint256.replace(/:/g, "").toLowerCase()).toBe(issued.sha256Fingerprint);
    expect(cert.serialNumber.toLowerCase()).toBe(issued.serialNumber);
    expect(cert.verify(new X509Certificate(issued.chainPem).publicKey)).toBe(true);
    expect(issued.privateKeyPem).toMatch(/BEGIN PRIVATE KEY/);
    const text = execFileSync("openssl", ["x509", "-noout", "-subject", "-ext", "subjectAltName"], { input: issued.certificatePem }).toString();
    expect(text).toMatch(/CN ?= ?www\.example\.com/);
  });

  test("certifies the CSR's own key and generates none", async () => {
    const ca = new EmulatorCa();
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const keyFile = join(mkdtempSync(join(tmpdir(), "ca-test-")), "key.pem");
    writeFileSync(keyFile, privateKey.export({ type: "pkcs8", format: "pem" }));
    const csrPem = execFileSync("openssl", ["req", "-new", "-key", keyFile, "-subj", "/CN=api.example.com", "-addext", "subjectAltName=DNS:api.example.com"]).toString();
    const issued = await ca.issue({ commonName: "api.example.com", csrPem, notBefore: new Date() });
    expect(issued.privateKeyPem).toBeUndefined();
    const cert = new X509Certificate(issued.certificatePem);
    expect(cert.checkPrivateKey(privateKey)).toBe(true);
  });
});
