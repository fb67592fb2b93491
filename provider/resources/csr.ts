import type * as X509 from "@peculiar/x509";

/** What certapply needs from a CSR: its subject CN and DNS SANs (lower-case), and its key and signature. */
export interface CsrNames {
  commonName?: string;
  dnsNames: string[];
  /** `RSA`, `EC` or the algorithm name the CSR gives. */
  keyAlgorithm: string;
  /** RSA modulus length in bits (RSA keys only). */
  rsaBits?: number;
  /** Hash of the CSR's signature, e.g. `SHA-256`; `unknown` when the library does not know the algorithm. */
  signatureHash: string;
}

const SUBJECT_ALT_NAME = "2.5.29.17";
/** RSA keys below this size are refused (CA/Browser Forum Baseline Requirements §6.1.5). */
export const MIN_RSA_BITS = 2048;
/** Signature hashes refused in a CSR: SHA-1 and weaker (Baseline Requirements §7.1.3.2). */
export const WEAK_HASHES: readonly string[] = ["SHA-1", "MD5", "MD4", "MD2", "unknown"];

let lib: typeof X509 | undefined;

/** @peculiar/x509 (and reflect-metadata, which it needs) load on the first CSR parsed, not at start-up. */
function x509(): typeof X509 {
  if (!lib) {
    require("reflect-metadata");
    lib = require("@peculiar/x509") as typeof X509;
  }
  return lib;
}

/** Parses a PEM CSR; throws with a short reason when it is not one. */
export function parseCsr(pem: string): CsrNames {
  const text = pem.trim();
  if (!text.includes("-----BEGIN CERTIFICATE REQUEST-----") && !text.includes("-----BEGIN NEW CERTIFICATE REQUEST-----")) {
    throw new Error("not a PEM certificate request (expected -----BEGIN CERTIFICATE REQUEST-----)");
  }
  const x = x509();
  let csr: X509.Pkcs10CertificateRequest;
  try {
    csr = new x.Pkcs10CertificateRequest(text.replace(/NEW CERTIFICATE REQUEST/g, "CERTIFICATE REQUEST"));
  } catch (err) {
    throw new Error(`the certificate request cannot be parsed: ${(err as Error).message}`);
  }
  const cn = csr.subjectName.getField("CN")[0];
  const dnsNames: string[] = [];
  const ext = csr.getExtension(SUBJECT_ALT_NAME);
  if (ext) {
    const san = new x.SubjectAlternativeNameExtension(ext.rawData);
    for (const name of san.names.items) if (name.type === "dns") dnsNames.push(name.value.toLowerCase());
  }
  const key = csr.publicKey.algorithm as { name: string; modulusLength?: number };
  const keyAlgorithm = key.name.startsWith("RSA") ? "RSA" : key.name === "ECDSA" ? "EC" : key.name;
  let signatureHash = "unknown";
  try {
    const sig = csr.signatureAlgorithm as { hash?: { name?: string } };
    signatureHash = sig.hash?.name?.toUpperCase() ?? "unknown";
  } catch {
    signatureHash = "unknown";
  }
  const out: CsrNames = { commonName: cn?.toLowerCase(), dnsNames, keyAlgorithm, signatureHash };
  if (keyAlgorithm === "RSA" && typeof key.modulusLength === "number") out.rsaBits = key.modulusLength;
  return out;
}
