import "reflect-metadata";
import * as x509 from "@peculiar/x509";

/** What certapply needs from a CSR: its subject CN and DNS SANs (lower-case). */
export interface CsrNames {
  commonName?: string;
  dnsNames: string[];
}

const SUBJECT_ALT_NAME = "2.5.29.17";

/** Parses a PEM CSR; throws with a short reason when it is not one. */
export function parseCsr(pem: string): CsrNames {
  const text = pem.trim();
  if (!text.includes("-----BEGIN CERTIFICATE REQUEST-----") && !text.includes("-----BEGIN NEW CERTIFICATE REQUEST-----")) {
    throw new Error("not a PEM certificate request (expected -----BEGIN CERTIFICATE REQUEST-----)");
  }
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(text.replace(/NEW CERTIFICATE REQUEST/g, "CERTIFICATE REQUEST"));
  } catch (err) {
    throw new Error(`the certificate request cannot be parsed: ${(err as Error).message}`);
  }
  const cn = csr.subjectName.getField("CN")[0];
  const dnsNames: string[] = [];
  const ext = csr.getExtension(SUBJECT_ALT_NAME);
  if (ext) {
    const san = new x509.SubjectAlternativeNameExtension(ext.rawData);
    for (const name of san.names.items) if (name.type === "dns") dnsNames.push(name.value.toLowerCase());
  }
  return { commonName: cn?.toLowerCase(), dnsNames };
}
