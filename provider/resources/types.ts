/**
 * Plain data types shared by the provider, the SDK classes and the emulator tests.
 * No Pulumi types here: these are the values the dynamic-provider host hands to the provider.
 */

/** The three certificate APIs certapply drives. */
export type CloudName = "tencent" | "edgecast" | "huawei";
export const CLOUDS: readonly CloudName[] = ["tencent", "edgecast", "huawei"];

/** Which CA outcomes `pulumi up` answers by itself with a resubmit or retrigger. */
export type AutoResubmit = "timeout" | "failure" | "never";
/** What `pulumi destroy` does to a pending application. */
export type OnDelete = "cancel" | "retain";
/** How long create and update wait before returning. */
export type WaitFor = "submitted" | "validation-records" | "issued";

/** Normalised application status, the same vocabulary on every cloud. */
export type ApplicationStatus =
  | "pending-submission"
  | "under-review"
  | "awaiting-validation"
  | "awaiting-confirm-letter"
  | "issued"
  | "failed"
  | "timed-out"
  | "cancelling"
  | "cancelled"
  | "expired"
  | "revoked"
  | "unknown";

/** Organisation that applies for an OV/EV certificate. */
export interface Organization {
  name?: string;
  division?: string;
  address?: string;
  city?: string;
  /** Province or state. */
  region?: string;
  /** ISO 3166-1 alpha-2 country code, e.g. `CN`. */
  country?: string;
  postalCode?: string;
  phoneAreaCode?: string;
  phoneNumber?: string;
}

/** A person: the administrator (applicant) or the technical contact. */
export interface Contact {
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  title?: string;
}

/** Tencent-only knobs of `CertificateInfoSubmit`. */
export interface TencentOptions {
  /** 1 = individual (DV only), 2 = company. Default 2. */
  companyType?: number;
  /** Company id from the console or `DescribeCompanies`; `"0"` (default) when none. */
  companyId?: string;
  /** Manager id from `DescribeManagers`; `"0"` (default) when none. */
  managerId?: string;
  /** RSA `2048`/`4096` or ECC `prime256v1`; used when Tencent generates the key. Default `2048`. */
  csrKeyParameter?: string;
  /** `RSA` (default) or `ECC`; used when Tencent generates the key. */
  csrEncryptAlgo?: string;
  /** Private-key password for JKS/PFX downloads. Secret. */
  keyPass?: string;
  autoRenew?: boolean;
  /** DNSPod products only: `sectigo` or `digicert`. */
  caType?: string;
  /** Not accepted: Tencent documents no values (see provider/resources/spec.ts). */
  signAlgo?: string;
  useCrossSignRoot?: boolean;
  /** Certificate type. Not accepted: Tencent documents no values (see provider/resources/spec.ts). */
  type?: number;
  /** CFCA only: `TYDMZ` or `OTHERS`. */
  orgIdType?: string;
  orgIdNumber?: string;
  /** CFCA only: `SFZ` or `HZ`. */
  adminIdType?: string;
  adminIdNumber?: string;
  techIdType?: string;
  techIdNumber?: string;
  /** Required when `companyType` is 1. */
  contactEmail?: string;
}

/** Edgecast-only settings of a certificate request. */
export interface EdgecastOptions {
  /** Unique label of the request; labels stay reserved after deletion. Default: derived from the resource name. */
  certificateLabel?: string;
  description?: string;
  autoRenew?: boolean;
  /** `DigiCert` (the only CA the API offers). */
  certificateAuthority?: string;
  /** `DV`, `OV` or `EV`. */
  validationType?: string;
  /** E-mail notifications for the request. */
  notifications?: EdgecastNotification[];
  /** Let `pulumi destroy` DELETE an issued certificate (its CDN CNAME target goes too). Default false. */
  deleteIssuedCertificate?: boolean;
}

/** One notification setting of an Edgecast certificate request. */
export interface EdgecastNotification {
  /** `CertificateRenewal`, `CertificateExpiring` or `PendingValidations`. */
  notificationType: string;
  enabled: boolean;
  emails: string[];
}

/**
 * What to buy when the resource buys its certificate (`purchase`, instead of `certificateId`). Tencent: a
 * `CreateCertificate` of `productId` for `domainCount` domains and `years` years.
 */
export interface PurchaseOptions {
  /** Tencent `ProductId`: the certificate product (ssl_models.d.ts CreateCertificateRequest). */
  productId?: number;
  /** Tencent `DomainNum`: domains the certificate covers (the common name plus `dnsNames`). */
  domainCount?: number;
  /** Tencent `TimeSpan`: years. */
  years?: number;
}

/** Huawei-only settings of `POST /v3/scm/certificates/{id}/apply`. */
export interface HuaweiOptions {
  /** Let SCM add the DNS validation record itself (domain hosted on Huawei DNS). */
  autoDnsAuth?: boolean;
  /** `RSA_2048` (the only value the official model documents; the default). */
  keyAlgorithm?: string;
  /** `DEFAULT` or `SHA-256` (required for GeoTrust OV). */
  caHashAlgorithm?: string;
}

/** Inputs of a `CertificateApplication`, as the provider sees them after the engine strips secrets. */
export interface ApplicationInputs {
  cloud: CloudName;
  certificateId?: string;
  commonName: string;
  dnsNames?: string[];
  csr?: string;
  validationMethod?: string;
  organization?: Organization;
  admin?: Contact;
  tech?: Contact;
  tencent?: TencentOptions;
  edgecast?: EdgecastOptions;
  huawei?: HuaweiOptions;
  /** Buy the certificate at create instead of naming one (`certificateId`); a change replaces the application. */
  purchase?: PurchaseOptions;
  /** Renew once the issued certificate is this many days from its notAfter (off unless set). */
  renewBeforeDays?: number;
  autoResubmit?: AutoResubmit;
  resubmitTrigger?: string;
  onDelete?: OnDelete;
  waitFor?: WaitFor;
  waitTimeoutSeconds?: number;
  /**
   * Set by certapply, not by users: a stable key of the declaring resource (derived from organisation, state
   * backend, project, stack and resource name by the SDK, from the URN by the plugin; kept in state once set).
   * create adopts only an application carrying it.
   */
  ownerKey?: string;
  /**
   * Set by the Node.js SDK, not by users: the resource's `customTimeouts` option in seconds, as JSON
   * `{"create":N,"update":N,"delete":N}` (a dynamic provider is handed no timeout by the engine).
   */
  customTimeouts?: string;
  /** Set by the Node.js SDK, not by users: the resource's URN, for the engine's log (a dynamic provider is handed none). */
  resourceUrn?: string;
}

/** The issued certificate, as the cloud reports it once issued. */
export interface IssuedCertificate {
  /** ISO timestamp the certificate is valid from. */
  notBefore?: string;
  /** ISO timestamp the certificate expires at. */
  notAfter?: string;
  /** Serial number, lower-case hex without separators. */
  serialNumber?: string;
  /** SHA-256 fingerprint of the DER certificate, lower-case hex without separators. */
  sha256Fingerprint?: string;
  /** The cloud's own thumbprint where it reports one (Edgecast), as it gives it. */
  thumbprint?: string;
  /** PEM of the leaf certificate, where the cloud returns it. */
  certificatePem?: string;
  /** PEM of the intermediate chain, where the cloud returns it. */
  chainPem?: string;
}

/** The certificate as a backend reads it: plus the private key where the cloud generated it (outputs carry it as the secret `privateKey`). */
export interface CloudCertificate extends IssuedCertificate {
  /** PEM private key, only where the cloud generated the key (Tencent online CSR). Always secret. */
  privateKeyPem?: string;
}

/** One record the user must publish for domain validation. */
export interface ValidationRecord {
  domain: string;
  type: "TXT" | "CNAME" | "FILE" | "EMAIL";
  /** DNS record name, file path or mailbox. */
  name: string;
  /** DNS record value or file content; for EMAIL the candidate address. */
  value: string;
}

/** Outputs of a `CertificateApplication`: every input (normalised) plus the live fields. */
export interface ApplicationOutputs extends ApplicationInputs {
  applicationId: string;
  status: ApplicationStatus;
  rawStatus: string;
  statusMessage: string;
  validationRecords: ValidationRecord[];
  resubmitCount: number;
  /** ISO timestamp of the last resubmit or retrigger, `""` if none. */
  lastResubmitAt: string;
  /** Failed automatic resubmits in a row, for the backoff; reset by a content change. */
  autoResubmitAttempts: number;
  /** HMAC-SHA256 (keyed with `hashSalt`; plain sha256 in older state) of the normalised content fields at the last submission. */
  contentHash: string;
  /** Random per-resource key of the hashes in the outputs, created at the first create and kept through updates. */
  hashSalt?: string;
  /** Edgecast: the echoed settings plus what the API reports about the request. */
  edgecast?: EdgecastOutputBlock;
  /** Tencent: the CA's order id from `CertificateOrderSubmit`; `""` until the order is sent. */
  orderId?: string;
  /** The issued certificate; absent until issued. Its private key, if any, is the secret `privateKey`. */
  certificate?: IssuedCertificate;
  /** PEM private key where the cloud generated it (Tencent online CSR); a top-level output so it can be secret. */
  privateKey?: string;
  /**
   * The certificate (Tencent, Huawei) or request (Edgecast) the resource manages now: `applicationId` until a renewal
   * gives a new certificate id, then the renewal's. Every call after a renewal goes to it.
   */
  currentCertificateId?: string;
  /** The certificate the current one renewed; absent before the first renewal that made a new certificate. */
  renewedFrom?: string;
}

/**
 * The `edgecast` output block: the input settings echoed (notification e-mails replaced by keyed hashes,
 * so no address lands in plain state) plus live fields of the request.
 */
export interface EdgecastOutputBlock extends EdgecastOptions {
  /** Integer id of the certificate request (the same as `applicationId`). */
  requestId?: number;
  /** CNAME target for the CDN, once the certificate is deployed. */
  cnameTarget?: string;
  /** `Processing`, `DomainControlValidation`, `OtherValidation`, `Deployment`, `Active`, ... */
  certificateStatus?: string;
  orderStatus?: string;
  /** ISO timestamp; empty until issued. */
  expirationDate?: string;
}

/** Inputs of a `ConfirmLetter`. */
export interface LetterInputs {
  certificateId: string;
  /** Path of a JPG, PNG or PDF file. */
  file?: string;
  /** Base64 of a JPG, PNG or PDF file. Secret. */
  content?: string;
}

/** Outputs of a `ConfirmLetter`: the hash, never the letter. */
export interface LetterOutputs {
  certificateId: string;
  file?: string;
  sha256: string;
  sizeBytes: number;
  format: "pdf" | "jpg" | "png";
  uploadedAt: string;
}

/** Value Pulumi sends during preview for inputs that are not known yet. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
