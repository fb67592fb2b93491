import type { ProviderConfig } from "../config";
import type { ListReader } from "./status-batch";
import type { TransportOptions } from "../http/transport";
import type {
  ApplicationInputs,
  ApplicationOutputs,
  ApplicationStatus,
  CloudName,
  EdgecastOutputBlock,
  CloudCertificate,
  ValidationRecord,
} from "./types";

/** A per-field problem found by `check`; Pulumi shows it as `property: reason`. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** What a backend needs to make calls: settings, transport knobs and a progress log. */
export interface CloudContext {
  config: ProviderConfig;
  transport: TransportOptions;
  /** Progress messages (shown to the user by the host's stderr). Never pass credentials or PII. */
  log: (message: string) => void;
  /** Milliseconds between polls of a wait. */
  pollIntervalMs: number;
  /**
   * Seconds this operation may take, from the engine's `customTimeouts` (plugin path): when set, it is the
   * deadline of every wait in the operation instead of `waitTimeoutSeconds`.
   */
  timeoutSeconds?: number;
  /** Milliseconds between progress lines of a long wait. Default 30 000. */
  progressIntervalMs?: number;
}

/** The application as the cloud reports it now. */
export interface LiveApplication {
  status: ApplicationStatus;
  /** The cloud's own status code or name. */
  rawStatus: string;
  statusMessage: string;
  validationRecords: ValidationRecord[];
  /** Edgecast only: live fields for the `edgecast` output block. */
  edgecast?: Partial<EdgecastOutputBlock>;
  /** Tencent only: the CA's order id, once the order was sent. */
  orderId?: string;
  /** The issued certificate, once issued (values stable between reads, so nothing diffs). */
  certificate?: CloudCertificate;
  /**
   * The cloud's id of the certificate this view describes, set only when it is not the id the call was made with:
   * a renewal that made a new certificate (Tencent, Huawei) returns the new one's view with its id here.
   */
  certificateId?: string;
  /** The id of the certificate this one renews (a renewal's view, or an import of a renewed certificate). */
  renewedFrom?: string;
}

/** What a read already knows from the last read or the stored outputs. */
export type KnownLive = Pick<LiveApplication, "rawStatus" | "validationRecords" | "edgecast" | "certificate">;

/** How a backend will apply a change of content fields, given the live status. */
export type ContentPlan =
  /**
   * Apply in place with `applyContentChange`; `description` says what the update will call. `resubmits` is
   * false when the change is applied without a new review by the CA (a PATCH of settings); default true.
   */
  | { kind: "update"; description: string; resubmits?: boolean }
  /** The API cannot take this change now; the preview fails with `reason`. */
  | { kind: "refuse"; reason: string };

/** The result of `submit`. */
export interface SubmitResult {
  applicationId: string;
  /** True when an application with the same content was already submitted and was adopted instead. */
  adopted: boolean;
  /**
   * The status the write's reply gives or implies, when it settles the status without another read
   * (create then reads no more unless `waitFor` asks for more than `submitted`).
   */
  live?: LiveApplication;
}

/** What `importApplication` reads from a live application: the inputs it was submitted with, and its status. */
export interface ImportedApplication {
  /** The inputs as far as the cloud reports them (personal data the cloud does not echo stays absent). */
  inputs: ApplicationInputs;
  live: LiveApplication;
}

/**
 * One cloud, as the resource layer sees it. Written once per cloud; the resource layer does the rest
 * (normalisation, common validation, diff policy, waits, counters, errors that name the resource).
 */
export interface ApplicationBackend {
  readonly cloud: CloudName;

  /**
   * Paths of content fields whose change forces a delete-before-replace on this cloud, besides
   * `cloud` and `certificateId` (e.g. `edgecast.validationType`).
   */
  readonly replaceFields: readonly string[];

  /** Cloud-specific validation of normalised inputs; no API call. Skip values equal to `UNKNOWN`. */
  validate(inputs: ApplicationInputs): CheckFailure[];

  /**
   * When true, `planContentChange` is asked for issued applications too (Edgecast changes settings and
   * reissues in place); otherwise the resource layer refuses content changes to an issued application.
   */
  readonly decidesIssuedChanges?: boolean;

  /**
   * Decides how a change of the content fields `changed` (paths like `admin.email`) is applied
   * given the live status.
   */
  planContentChange(changed: string[], live: LiveApplication, olds: ApplicationOutputs, news: ApplicationInputs): ContentPlan;

  /**
   * Submits the application. If the cloud already holds an application with the same content
   * (a re-run after a crash), adopts it instead of submitting twice.
   */
  submit(ctx: CloudContext, inputs: ApplicationInputs): Promise<SubmitResult>;

  /**
   * Reads the application; `undefined` when it no longer exists (deleted or never existed). `known` is what the
   * last read (or the stored state) held: a backend may skip fetching what cannot have changed since, and must
   * then return those parts from `known`.
   */
  read(ctx: CloudContext, applicationId: string, known?: KnownLive): Promise<LiveApplication | undefined>;

  /**
   * `pulumi import` / `.get()`: reads an application this stack has no state for, and reconstructs its inputs
   * from what the cloud reports. `undefined` when it does not exist.
   */
  importApplication(ctx: CloudContext, applicationId: string): Promise<ImportedApplication | undefined>;

  /** Applies a content change in place (per the plan from `planContentChange`). */
  applyContentChange(
    ctx: CloudContext,
    applicationId: string,
    olds: ApplicationOutputs,
    news: ApplicationInputs,
    live: LiveApplication,
  ): Promise<LiveApplication | void>;

  /**
   * Whether a `resubmitTrigger` change can be acted on in the live status; a refusal fails the preview
   * with its reason. Absent: always possible.
   */
  planResubmit?(live: LiveApplication): ContentPlan;

  /**
   * Resubmits or retriggers after a CA timeout or failure, on a `resubmitTrigger` change, or for an application
   * found pending submission (a run that stopped between steps). `olds` tell a re-run what the last run did
   * (e.g. Tencent's `orderId`), so a write whose reply was lost is not repeated. Returns the status
   * the last write's reply gives, when it gives one (then no read follows for `waitFor: "submitted"`).
   */
  resubmit(
    ctx: CloudContext,
    applicationId: string,
    inputs: ApplicationInputs,
    live: LiveApplication,
    olds?: ApplicationOutputs,
  ): Promise<LiveApplication | void>;

  /**
   * Withdraws a pending application (`onDelete: "cancel"`). Leaves it alone, with a `ctx.log` warning,
   * where the cloud cannot or must not withdraw it. An application that is already gone is success.
   */
  cancel(ctx: CloudContext, applicationId: string, olds: ApplicationOutputs, live: LiveApplication | undefined): Promise<void>;

  /**
   * The lookup that confirms "gone", asked only after two reads answered not-found, through another path than
   * `read` (Edgecast and Huawei: by the owner mark; Tencent: another action): true when the cloud still holds the
   * application, false when it agrees it is gone; throws when it cannot tell. Absent: the two reads decide.
   */
  locate?(ctx: CloudContext, applicationId: string, olds: ApplicationOutputs): Promise<boolean>;

  /**
   * Renewal (`renewBeforeDays`), asked once the issued certificate in `live` is inside the window: renew now (what
   * `renew` will call), or wait (a renewal is already under way, or the cloud renews by itself). Absent: this
   * cloud has no renewal in this version (the preview warns).
   */
  planRenewal?(live: LiveApplication, olds: ApplicationOutputs, news: ApplicationInputs): { kind: "renew"; description: string } | { kind: "wait"; reason: string };

  /**
   * Starts the renewal `planRenewal` planned on the current certificate `applicationId`; reads first, so a renewal
   * an earlier run started is not started again. A renewal that makes a new certificate returns that certificate's
   * view with `certificateId` (the new id) and `renewedFrom` (`applicationId`); the resource then follows it.
   */
  renew?(ctx: CloudContext, applicationId: string, live: LiveApplication, olds: ApplicationOutputs, news: ApplicationInputs): Promise<LiveApplication | void>;

  /**
   * The cloud's certificate list, where it carries each certificate's status: Diffs of one account share its
   * pages (resources/status-batch.ts). Absent (Edgecast: its list has no request or order status): each Diff reads.
   */
  readonly listReader?: ListReader;

  /** Tencent only: uploads a confirmation letter (base64). */
  uploadConfirmLetter?(ctx: CloudContext, applicationId: string, base64: string): Promise<void>;
}
