import { X509Certificate } from "node:crypto";
import type { CloudCertificate } from "./types";

/**
 * The `certificate` output from the PEM a cloud returns: dates, serial number and SHA-256 fingerprint are read
 * from the certificate itself (node's X509Certificate), so they agree with `openssl x509` on the same PEM.
 * Throws when the text is not a certificate.
 */
export function describeCertificate(certificatePem: string, extra: Omit<CloudCertificate, "certificatePem"> = {}): CloudCertificate {
  const cert = new X509Certificate(certificatePem);
  const out: CloudCertificate = {
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    serialNumber: cert.serialNumber.toLowerCase(),
    sha256Fingerprint: cert.fingerprint256.replace(/:/g, "").toLowerCase(),
    certificatePem: certificatePem.trim() + "\n",
  };
  for (const [k, v] of Object.entries(extra) as [keyof CloudCertificate, string | undefined][]) {
    if (v !== undefined && v !== "") out[k] = v;
  }
  return out;
}
