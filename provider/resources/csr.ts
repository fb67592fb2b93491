import { constants, createPublicKey, verify, type VerifyKeyObjectInput } from "node:crypto";
import type * as X509 from "@peculiar/x509";

/** What certapply needs from a CSR: its subject CN and SANs (lower-case), and its key and signature. */
export interface CsrNames {
  commonName?: string;
  dnsNames: string[];
  /** IP address SANs, as the CSR gives them (pure-IP certificates). */
  ipAddresses: string[];
  /** `RSA`, `EC` or the algorithm name the CSR gives. */
  keyAlgorithm: string;
  /** RSA modulus length in bits (RSA keys only). */
  rsaBits?: number;
  /** Hash of the CSR's signature, e.g. `SHA-256`; `unknown` when the library does not know the algorithm. */
  signatureHash: string;
  /**
   * The CSR's signature verifies with the public key it carries (PKCS #10 §3: the proof that the requester
   * holds the key). False for a tampered CSR or one signed with another key.
   */
  signatureValid: boolean;
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
  const blocks = text.match(/-----BEGIN /g)?.length ?? 0;
  if (blocks > 1) throw new Error(`the text holds ${blocks} PEM blocks; pass exactly one certificate request`);
  const x = x509();
  let csr: X509.Pkcs10CertificateRequest;
  try {
    csr = new x.Pkcs10CertificateRequest(text.replace(/NEW CERTIFICATE REQUEST/g, "CERTIFICATE REQUEST"));
  } catch (err) {
    throw new Error(`the certificate request cannot be parsed: ${(err as Error).message}`);
  }
  const cn = csr.subjectName.getField("CN")[0];
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  const ext = csr.getExtension(SUBJECT_ALT_NAME);
  if (ext) {
    const san = new x.SubjectAlternativeNameExtension(ext.rawData);
    for (const name of san.names.items) {
      if (name.type === "dns") dnsNames.push(name.value.toLowerCase());
      else if (name.type === "ip") ipAddresses.push(name.value.toLowerCase());
    }
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
  const out: CsrNames = { commonName: cn?.toLowerCase(), dnsNames, ipAddresses, keyAlgorithm, signatureHash, signatureValid: signatureVerifies(csr) };
  if (keyAlgorithm === "RSA" && typeof key.modulusLength === "number") out.rsaBits = key.modulusLength;
  return out;
}

/** The DER bytes of the first element inside the outer SEQUENCE: a CSR's `certificationRequestInfo`, what is signed. */
function signedPart(der: Buffer): Buffer {
  const header = (at: number): { start: number; end: number } => {
    let len = der[at + 1];
    let size = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + der[at + 2 + i];
      size += n;
    }
    return { start: at + size, end: at + size + len };
  };
  const outer = header(0);
  return der.subarray(outer.start, header(outer.start).end);
}

/** Checks the CSR's signature against its own public key with node's crypto; false when it does not verify or cannot be checked. */
function signatureVerifies(csr: X509.Pkcs10CertificateRequest): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: "der", type: "spki" });
    const alg = csr.signatureAlgorithm as { name: string; hash?: { name?: string } };
    const hash = alg.hash?.name ? alg.hash.name.replace("-", "").toLowerCase() : null;
    const input: VerifyKeyObjectInput | typeof key =
      alg.name === "RSA-PSS" ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO } : key;
    return verify(hash, signedPart(Buffer.from(csr.rawData)), input, Buffer.from(csr.signature));
  } catch {
    return false;
  }
}
