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

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

/** One issued certificate, as the clouds' APIs hand it out. */
export interface IssuedCertificate {
  /** PEM of the leaf certificate. */
  certificatePem: string;
  /** PEM of the issuing CA (the chain). */
  chainPem: string;
  /** PEM (PKCS#8) of the key, only when the emulator generated it (no CSR was given). */
  privateKeyPem?: string;
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
    if (req.csrPem) {
      const csr = new x509.Pkcs10CertificateRequest(req.csrPem.replace(/NEW CERTIFICATE REQUEST/g, "CERTIFICATE REQUEST"));
      publicKey = (await csr.publicKey.export(webcrypto as unknown as PeculiarCrypto)) as unknown as CryptoKey;
    } else {
      const leafKeys = (await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
      publicKey = leafKeys.publicKey;
      privateKeyPem = pem("PRIVATE KEY", await webcrypto.subtle.exportKey("pkcs8", leafKeys.privateKey));
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
      serialNumber: serialNumber.toLowerCase(),
      sha256Fingerprint: createHash("sha256").update(der).digest("hex"),
      sha1Thumbprint: createHash("sha1").update(der).digest("hex").toUpperCase(),
      notBefore,
      notAfter,
    };
  }
}
