import "reflect-metadata";
import * as x509 from "@peculiar/x509";

/** The names of a PKCS#10 request as the emulator reads them (its own parsing, not the provider's). */
export interface RequestedNames {
  commonName: string | undefined;
  dnsNames: string[];
}

/** Reads the subject CN and DNS SANs of a PEM CSR; throws a short reason when it is not one. */
export function readCsr(pemText: string): RequestedNames {
  const text = pemText.trim().replace(/-----(BEGIN|END) NEW CERTIFICATE REQUEST-----/g, "-----$1 CERTIFICATE REQUEST-----");
  if (!text.startsWith("-----BEGIN CERTIFICATE REQUEST-----")) throw new Error("not a PEM certificate request");
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(text);
  } catch {
    throw new Error("the PEM does not hold a PKCS#10 request");
  }
  const cn = csr.subjectName.getField("CN")[0];
  const ext = csr.getExtension("2.5.29.17");
  const names = ext ? new x509.SubjectAlternativeNameExtension(ext.rawData).names.items : [];
  const dnsNames = names.filter((n) => n.type === "dns").map((n) => n.value.toLowerCase());
  return { commonName: cn?.toLowerCase(), dnsNames };
}
