import { X509Certificate } from "node:crypto";
import { EmulatorCa } from "../../emulator/ca";
import { describeCertificate } from "../../provider/resources/certificate";

test("the certificate output is read from the PEM itself", async () => {
  const issued = await new EmulatorCa().issue({ commonName: "www.example.com", notBefore: new Date(Date.UTC(2026, 0, 2)), validityDays: 30 });
  const out = describeCertificate(issued.certificatePem, { chainPem: issued.chainPem, privateKeyPem: "" });
  expect(out).toEqual({
    notBefore: "2026-01-02T00:00:00.000Z",
    notAfter: "2026-02-01T00:00:00.000Z",
    serialNumber: issued.serialNumber,
    sha256Fingerprint: new X509Certificate(issued.certificatePem).fingerprint256.replace(/:/g, "").toLowerCase(),
    certificatePem: issued.certificatePem,
    chainPem: issued.chainPem,
  });
  expect(() => describeCertificate("not a certificate")).toThrow();
});
