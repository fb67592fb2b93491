import "reflect-metadata";
import { createHash, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

/**
 * The emulator's certificate authority: real X.509 certificates, signed by a CA of its own, for the names an
 * application asked for, so issued outputs parse with `openssl x509` like the clouds' do.
 */

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;
type PeculiarCrypto = Parameters<typeof x509.cryptoProvider.set>[0];

x509.cryptoProvider.set(webcrypto as unknown as PeculiarCrypto);

/** The CA's own key and signature: RSA 2048 with SHA-256 (what Huawei's `signature_algorithm` SHA256WITHRSA reports). */
const ALG = { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" } as const;

/** The key a cloud generates for an application without a CSR, as the application asked for it. */
export type KeySpec = { type: "RSA"; bits: 2048 | 3072 | 4096 } | { type: "EC"; curve: "P-256" | "P-384" };

/** The key algorithm of an issued certificate, in Huawei's spelling (`RSA_2048`, `EC_P256`, ...). */
export function keyName(k: KeySpec): string {
  return k.type === "RSA" ? `RSA_${k.bits}` : `EC_${k.curve.replace("-", "")}`;
}

function keyParams(k: KeySpec): RsaHashedKeyGenParams | EcKeyGenParams {
  return k.type === "RSA"
    ? { name: "RSASSA-PKCS1-v1_5", modulusLength: k.bits, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }
    : { name: "ECDSA", namedCurve: k.curve };
}

type RsaHashedKeyGenParams = webcrypto.RsaHashedKeyGenParams;
type EcKeyGenParams = webcrypto.EcKeyGenParams;

/** One issued certificate, as the clouds' APIs hand it out. */
export interface IssuedCertificate {
  /** PEM of the leaf certificate. */
  certificatePem: string;
  /** PEM of the issuing CA (the chain). */
  chainPem: string;
  /** PEM (PKCS#8) of the key, only when the emulator generated it (no CSR was given). */
  privateKeyPem?: string;
  /** The certified key: `RSA_2048`, `RSA_3072`, `RSA_4096`, `EC_P256` or `EC_P384` (a CSR's key as the CSR has it). */
  keyAlgorithm: string;
  /** Lower-case hex, no separators. */
  serialNumber: string;
  /** SHA-256 of the DER leaf, lower-case hex. */
  sha256Fingerprint: string;
  /** SHA-1 of the DER leaf, upper-case hex (the usual "thumbprint"). */
  sha1Thumbprint: string;
  notBefore: Date;
  notAfter: Date;
}

/** What to issue: the names, validity, and the CSR whose public key to certify (else a key is generated). */
export interface IssueRequest {
  commonName: string;
  dnsNames?: string[];
  /** IP address SANs (for a loopback TLS server in tests). */
  ipAddresses?: string[];
  csrPem?: string;
  /** The key to generate when there is no CSR (default RSA 2048, the clouds' usual default). */
  key?: KeySpec;
  notBefore: Date;
  validityDays?: number;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** A CA that lives as long as its emulator. */
export class EmulatorCa {
  private root?: Promise<{ keys: CryptoKeyPair; cert: x509.X509Certificate }>;
  private serial = 0;

  private ca(): Promise<{ keys: CryptoKeyPair; cert: x509.X509Certificate }> {
    this.root ??= (async () => {
      const keys = (await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
      const cert = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: "01",
        name: "CN=certapply emulator CA, O=certapply emulator",
        notBefore: new Date(Date.UTC(2020, 0, 1)),
        notAfter: new Date(Date.UTC(2045, 0, 1)),
        keys,
        signingAlgorithm: ALG,
        extensions: [
          new x509.BasicConstraintsExtension(true, 0, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        ],
      });
      return { keys, cert };
    })();
    return this.root;
  }

  /** Issues a leaf certificate for the request's names. */
  async issue(req: IssueRequest): Promise<IssuedCertificate> {
    const { keys: caKeys, cert: caCert } = await this.ca();
    let publicKey: CryptoKey;
    let privateKeyPem: string | undefined;
    let keyAlgorithm: string;
    if (req.csrPem) {
      const csr = new x509.Pkcs10CertificateRequest(req.csrPem.replace(/NEW CERTIFICATE REQUEST/g, "CERTIFICATE REQUEST"));
      publicKey = (await csr.publicKey.export(webcrypto as unknown as PeculiarCrypto)) as unknown as CryptoKey;
      keyAlgorithm = describeKey(publicKey);
    } else {
      const spec = req.key ?? { type: "RSA", bits: 2048 };
      const leafKeys = (await webcrypto.subtle.generateKey(keyParams(spec), true, ["sign", "verify"])) as CryptoKeyPair;
      publicKey = leafKeys.publicKey;
      privateKeyPem = pem("PRIVATE KEY", await webcrypto.subtle.exportKey("pkcs8", leafKeys.privateKey));
      keyAlgorithm = keyName(spec);
    }
    this.serial += 1;
    const serialNumber = (0x1000 + this.serial).toString(16) + createHash("sha256").update(`${req.commonName}:${this.serial}`).digest("hex").slice(0, 12);
    const notBefore = req.notBefore;
    const notAfter = new Date(notBefore.getTime() + (req.validityDays ?? 365) * 86_400_000);
    const names = [...new Set([req.commonName, ...(req.dnsNames ?? [])])];
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber,
      subject: `CN=${req.commonName}`,
      issuer: caCert.subject,
      notBefore,
      notAfter,
      publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.SubjectAlternativeNameExtension([
          ...names.map((n) => ({ type: "dns" as const, value: n })),
          ...(req.ipAddresses ?? []).map((ip) => ({ type: "ip" as const, value: ip })),
        ]),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      ],
    });
    const der = Buffer.from(cert.rawData);
    return {
      certificatePem: cert.toString("pem") + "\n",
      chainPem: caCert.toString("pem") + "\n",
      privateKeyPem,
      keyAlgorithm,
      serialNumber: serialNumber.toLowerCase(),
      sha256Fingerprint: createHash("sha256").update(der).digest("hex"),
      sha1Thumbprint: createHash("sha1").update(der).digest("hex").toUpperCase(),
      notBefore,
      notAfter,
    };
  }
}

/** `RSA_<bits>` or `EC_P<size>` of a public key. */
function describeKey(k: CryptoKey): string {
  const a = k.algorithm as { name: string; modulusLength?: number; namedCurve?: string };
  if (a.modulusLength !== undefined) return `RSA_${a.modulusLength}`;
  return `EC_${(a.namedCurve ?? "P-256").replace("-", "")}`;
}
