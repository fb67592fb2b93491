import * as pulumi from "@pulumi/pulumi";
import type {
  ApplicationStatus,
  AutoResubmit,
  CloudName,
  Contact,
  EdgecastOptions,
  EdgecastOutputBlock,
  HuaweiOptions,
  OnDelete,
  Organization,
  TencentOptions,
  ValidationRecord,
  WaitFor,
} from "../provider/resources/types";
import { applicationProvider, letterProvider } from "./shims";

export type * from "../provider/resources/types";

/** Each field of `T` may be a plain value or a Pulumi input. */
export type InputFields<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Arguments of a {@link CertificateApplication}. */
export interface CertificateApplicationArgs {
  /** The certificate API: `"tencent"`, `"edgecast"` or `"huawei"`. A change replaces the application (withdrawn first). */
  cloud: pulumi.Input<CloudName>;
  /**
   * The purchased certificate to apply with: Tencent 8 characters, Huawei 16 characters. Omit for Edgecast
   * (the API assigns the request id). A change replaces the application (withdrawn first).
   */
  certificateId?: pulumi.Input<string>;
  /** The certificate's common name, e.g. `www.example.com` or `*.example.com`. */
  commonName: pulumi.Input<string>;
  /** Extra subject alternative names; normalised (lower-case, sorted, de-duplicated). */
  dnsNames?: pulumi.Input<pulumi.Input<string>[]>;
  /** A PEM CSR to use; its CN and SANs must match `commonName` and `dnsNames`. Absent: the cloud generates the key. */
  csr?: pulumi.Input<string>;
  /**
   * Domain validation method. Tencent `DNS_AUTO` | `DNS` | `FILE`; Huawei `DNS` | `FILE` | `EMAIL`;
   * Edgecast `DnsTxtToken` | `DnsCnameToken` | `Email`.
   */
  validationMethod?: pulumi.Input<string>;
  /** The applying organisation (OV/EV). Kept secret in state. */
  organization?: pulumi.Input<InputFields<Organization>>;
  /** Administrator: Tencent `Admin*`, Huawei `applicant_*`, Edgecast organization contact. Kept secret in state. */
  admin?: pulumi.Input<InputFields<Contact>>;
  /** Technical contact: Tencent `Tech*`, Huawei `contact_*`, Edgecast technical contact. Kept secret in state. */
  tech?: pulumi.Input<InputFields<Contact>>;
  /** Tencent-only settings of `CertificateInfoSubmit`. Kept secret in state (key password, ID numbers). */
  tencent?: pulumi.Input<InputFields<TencentOptions>>;
  /** Edgecast-only settings; notification e-mails are kept secret in state. */
  edgecast?: pulumi.Input<InputFields<EdgecastOptions>>;
  /** Huawei-only settings of the apply call. */
  huawei?: pulumi.Input<InputFields<HuaweiOptions>>;
  /**
   * Which CA outcomes `pulumi up` answers by itself with a resubmit or retrigger: `"timeout"` (default),
   * `"failure"` (timeouts and rejections) or `"never"`. Automatic resubmits back off from 1 h, doubling to 32 h.
   */
  autoResubmit?: pulumi.Input<AutoResubmit>;
  /** Any string; changing it forces one resubmit / retrigger on the next `pulumi up`. */
  resubmitTrigger?: pulumi.Input<string>;
  /** `"cancel"` (default) withdraws a pending application on destroy; `"retain"` leaves it. */
  onDelete?: pulumi.Input<OnDelete>;
  /** How long create and update wait: `"submitted"` (default), `"validation-records"` or `"issued"`. */
  waitFor?: pulumi.Input<WaitFor>;
  /** Upper bound of that wait, in seconds (default 600, at most 3600). Running out is not an error. */
  waitTimeoutSeconds?: pulumi.Input<number>;
}

/** Inputs kept secret in state: personal data, key password, ID numbers. */
export const APPLICATION_SECRET_OUTPUTS = ["organization", "admin", "tech", "tencent"] as const;
/** Inputs of ConfirmLetter kept secret in state. */
export const LETTER_SECRET_OUTPUTS = ["content"] as const;

function secretIfSet<T>(v: pulumi.Input<T> | undefined): pulumi.Output<pulumi.Unwrap<T>> | undefined {
  return v === undefined ? undefined : pulumi.secret(v);
}

/**
 * A paid SSL certificate application on Tencent Cloud SSL, Edgecast CPS or Huawei Cloud SCM.
 *
 * `pulumi up` submits it; later runs resubmit or retrigger it when the CA timed out or rejected it (per
 * `autoResubmit`) or when `resubmitTrigger` changes, and apply content changes the cloud allows.
 * `pulumi destroy` withdraws a pending application (`onDelete: "cancel"`). The preview says why it plans
 * an update or a replace.
 */
export class CertificateApplication extends pulumi.dynamic.Resource {
  /** The application id: the certificate id (Tencent, Huawei) or the request id (Edgecast). Also the resource id. */
  declare public readonly applicationId: pulumi.Output<string>;
  /** Normalised status, the same vocabulary on every cloud. */
  declare public readonly status: pulumi.Output<ApplicationStatus>;
  /** The cloud's own status code or name. */
  declare public readonly rawStatus: pulumi.Output<string>;
  /** The cloud's message about the status (e.g. the CA's rejection reason). */
  declare public readonly statusMessage: pulumi.Output<string>;
  /** What to publish for domain validation, ready to feed DNS resources. */
  declare public readonly validationRecords: pulumi.Output<ValidationRecord[]>;
  /** How many times the application was resubmitted or retriggered. */
  declare public readonly resubmitCount: pulumi.Output<number>;
  /** ISO time of the last resubmit or retrigger, `""` if none. */
  declare public readonly lastResubmitAt: pulumi.Output<string>;
  declare public readonly cloud: pulumi.Output<CloudName>;
  declare public readonly certificateId: pulumi.Output<string | undefined>;
  declare public readonly commonName: pulumi.Output<string>;
  declare public readonly dnsNames: pulumi.Output<string[]>;
  declare public readonly validationMethod: pulumi.Output<string | undefined>;
  /** Edgecast: the settings echoed (e-mails hashed) plus the request's live fields, e.g. `cnameTarget`. */
  declare public readonly edgecast: pulumi.Output<EdgecastOutputBlock | undefined>;

  constructor(name: string, args: CertificateApplicationArgs, opts?: pulumi.CustomResourceOptions) {
    const edgecast = args.edgecast
      ? pulumi.output(args.edgecast).apply((e) =>
          e.notifications === undefined ? e : { ...e, notifications: pulumi.secret(e.notifications) },
        )
      : undefined;
    const props: Record<string, unknown> = {
      ...args,
      organization: secretIfSet(args.organization),
      admin: secretIfSet(args.admin),
      tech: secretIfSet(args.tech),
      tencent: secretIfSet(args.tencent),
      edgecast,
      applicationId: undefined,
      status: undefined,
      rawStatus: undefined,
      statusMessage: undefined,
      validationRecords: undefined,
      resubmitCount: undefined,
      lastResubmitAt: undefined,
    };
    super(applicationProvider, name, props, withSecretOutputs(opts, APPLICATION_SECRET_OUTPUTS), "certapply", "CertificateApplication");
  }
}

/** Arguments of a {@link ConfirmLetter}. Set exactly one of `file` and `content`. */
export interface ConfirmLetterArgs {
  /** The Tencent certificate (`CertificateApplication.applicationId`). A change replaces the letter resource. */
  certificateId: pulumi.Input<string>;
  /** Path of the signed letter: JPG, PNG or PDF, 1 KB to 1.4 MB. Its hash, not its bytes, is kept in state. */
  file?: pulumi.Input<string>;
  /** The letter as base64 (kept secret in state). */
  content?: pulumi.Input<string>;
  /** Seconds create waits for the certificate to await its letter (status 8). Default 600. */
  waitTimeoutSeconds?: pulumi.Input<number>;
}

/**
 * A confirmation letter uploaded for a Tencent Cloud OV/EV application (`UploadConfirmLetter`) once the
 * certificate awaits it. A new file or content is uploaded again. Destroy removes it from the stack only:
 * the API cannot withdraw a letter.
 */
export class ConfirmLetter extends pulumi.dynamic.Resource {
  declare public readonly certificateId: pulumi.Output<string>;
  /** sha256 of the uploaded letter. */
  declare public readonly sha256: pulumi.Output<string>;
  declare public readonly sizeBytes: pulumi.Output<number>;
  /** `pdf`, `jpg` or `png`. */
  declare public readonly format: pulumi.Output<"pdf" | "jpg" | "png">;
  /** ISO time of the upload. */
  declare public readonly uploadedAt: pulumi.Output<string>;

  constructor(name: string, args: ConfirmLetterArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, unknown> = {
      ...args,
      content: secretIfSet(args.content),
      sha256: undefined,
      sizeBytes: undefined,
      format: undefined,
      uploadedAt: undefined,
    };
    super(letterProvider, name, props, withSecretOutputs(opts, LETTER_SECRET_OUTPUTS), "certapply", "ConfirmLetter");
  }
}

function withSecretOutputs(opts: pulumi.CustomResourceOptions | undefined, keys: readonly string[]): pulumi.CustomResourceOptions {
  return { ...opts, additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...keys])] };
}
