import { readFileSync, statSync } from "node:fs";
import { backendFor } from "../clouds";
import { CloudApiError } from "../http/errors";
import type { CheckFailure, CloudContext, LiveApplication } from "./backend";
import { makeContext, type OperationOptions } from "./context";
import { isUnknown, sha256Hex } from "./normalize";
import { isBase64, redactFailures, validateLetterInputs } from "./schema";
import type { ApplicationStatus, LetterInputs, LetterOutputs } from "./types";
import { pollUntil, waitSeconds } from "./wait";

/** Limits of `UploadConfirmLetter`: 1 KB to 1.4 MB. */
export const LETTER_MIN_BYTES = 1024;
export const LETTER_MAX_BYTES = Math.floor(1.4 * 1024 * 1024);

/** Inputs after check: the letter's hash, size and format are added so a new file content shows as a change. */
export interface CheckedLetterInputs extends LetterInputs {
  sha256: string;
  sizeBytes: number;
  format: LetterOutputs["format"];
  /** Seconds create waits for the certificate to await its letter. Default 600. */
  waitTimeoutSeconds?: number;
}

/** The format of a letter from its first bytes (the API takes JPG/JPEG, PNG and PDF). */
export function sniffFormat(bytes: Buffer): LetterOutputs["format"] | undefined {
  if (bytes.subarray(0, 5).toString("latin1") === "%PDF-") return "pdf";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpg";
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "png";
  return undefined;
}

/**
 * Statuses a certificate reaches only after its letter was taken: a create that finds one of these
 * records the letter as accepted (its upload's reply was lost) instead of waiting for status 8 forever.
 */
const PAST_LETTER: readonly ApplicationStatus[] = ["under-review", "awaiting-validation", "issued"];

/** Reads the letter's bytes from `file` or `content`; a problem is a check failure on that field. */
function letterBytes(inputs: LetterInputs): { bytes?: Buffer; failure?: CheckFailure } {
  const hasFile = typeof inputs.file === "string" && inputs.file !== "";
  const hasContent = typeof inputs.content === "string" && inputs.content !== "";
  if (hasFile === hasContent) {
    return { failure: { property: hasFile ? "content" : "file", reason: "set exactly one of file (a path) or content (base64)" } };
  }
  if (hasFile) {
    const file = inputs.file as string;
    try {
      const st = statSync(file);
      if (!st.isFile()) return { failure: { property: "file", reason: `${file} is not a regular file` } };
      if (st.size > LETTER_MAX_BYTES) return { failure: { property: "file", reason: tooLarge(st.size) } };
      return { bytes: readFileSync(file) };
    } catch (err) {
      return { failure: { property: "file", reason: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` } };
    }
  }
  const content = inputs.content as string;
  if (!isBase64(content)) return { failure: { property: "content", reason: "must be base64 (the letter file's bytes encoded)" } };
  return { bytes: Buffer.from(content, "base64") };
}

function tooLarge(size: number): string {
  return `the letter is ${size} bytes; the API takes at most 1.4 MB (${LETTER_MAX_BYTES} bytes): compress or rescan it`;
}

/** check: known keys, a certificate id, and a letter that is readable, 1 KB to 1.4 MB, and really a JPG, PNG or PDF. */
export async function check(_olds: unknown, news: Record<string, unknown>): Promise<{ inputs?: CheckedLetterInputs; failures?: CheckFailure[] }> {
  const raw = { ...news } as unknown as CheckedLetterInputs;
  delete (raw as unknown as Record<string, unknown>).__provider;
  const failures: CheckFailure[] = validateLetterInputs(news);
  const redacted = (list: CheckFailure[]) => redactFailures("ConfirmLetter", news, list);
  if (isUnknown(raw.file) || isUnknown(raw.content) || failures.some((f) => f.property === "file" || f.property === "content")) {
    return { inputs: raw, failures: redacted(failures) };
  }
  const { bytes, failure } = letterBytes(raw);
  if (failure) return { inputs: raw, failures: redacted([...failures, failure]) };
  const field = raw.file ? "file" : "content";
  const b = bytes as Buffer;
  if (b.length < LETTER_MIN_BYTES) failures.push({ property: field, reason: `the letter is ${b.length} bytes; the API takes at least 1 KB (1024 bytes)` });
  else if (b.length > LETTER_MAX_BYTES) failures.push({ property: field, reason: tooLarge(b.length) });
  const format = sniffFormat(b);
  if (!format) failures.push({ property: field, reason: "is not a JPG, PNG or PDF file (checked by its first bytes); scan or export the signed letter to one of those" });
  const inputs: CheckedLetterInputs = { ...raw, sha256: sha256Hex(b), sizeBytes: b.length, format: format ?? "pdf" };
  return { inputs, failures: redacted(failures) };
}

/** diff: a new certificate means a new letter resource; new bytes mean a re-upload. */
export async function diff(_id: string, olds: LetterOutputs, news: CheckedLetterInputs): Promise<{ changes: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }> {
  // In a preview the application's id is unknown while it is being updated: decided again at apply time.
  if (isUnknown(news.certificateId)) return { changes: true, replaces: [] };
  if (olds.certificateId !== news.certificateId) return { changes: true, replaces: ["certificateId"], deleteBeforeReplace: true };
  if (olds.sha256 !== news.sha256) return { changes: true, replaces: [] };
  const oldWait = (olds as unknown as CheckedLetterInputs).waitTimeoutSeconds;
  if ((olds.file ?? "") !== (news.file ?? "") || oldWait !== news.waitTimeoutSeconds) return { changes: true, replaces: [] };
  const ctx = makeContext(who(news.certificateId));
  let live: LiveApplication | undefined;
  try {
    live = await backendFor("tencent").read(ctx, news.certificateId);
  } catch (err) {
    ctx.log(`could not read the certificate status (${(err as Error).message}); planning no change`);
    return { changes: false };
  }
  if (live?.status === "awaiting-confirm-letter") {
    ctx.log("plan: update: the certificate awaits a confirmation letter again (after a resubmit): the letter is uploaded again");
    return { changes: true, replaces: [] };
  }
  return { changes: false };
}

function who(certificateId: string): string {
  return `confirmation letter for tencent certificate ${certificateId}`;
}

/** The letter's bytes, checked against the hash the preview saw. */
function bytesOf(inputs: CheckedLetterInputs): Buffer {
  const { bytes, failure } = letterBytes(inputs);
  if (failure) throw new Error(`${who(inputs.certificateId)}: ${failure.property} ${failure.reason}`);
  const b = bytes as Buffer;
  if (sha256Hex(b) !== inputs.sha256) throw new Error(`${who(inputs.certificateId)}: ${inputs.file} changed since the preview; run pulumi up again`);
  return b;
}

function outputsOf(inputs: CheckedLetterInputs): LetterOutputs {
  const outs: LetterOutputs & { waitTimeoutSeconds?: number } = {
    certificateId: inputs.certificateId,
    sha256: inputs.sha256,
    sizeBytes: inputs.sizeBytes,
    format: inputs.format,
    uploadedAt: new Date().toISOString(),
  };
  if (inputs.file) outs.file = inputs.file;
  if (inputs.waitTimeoutSeconds !== undefined) outs.waitTimeoutSeconds = inputs.waitTimeoutSeconds;
  return outs;
}

/**
 * Waits (bounded) until the certificate awaits its letter (status 8), then uploads it. A certificate
 * already past the letter step (under review, awaiting validation, issued) took the letter before, e.g.
 * when the reply to an upload was lost: the letter is recorded as accepted without uploading again.
 */
async function upload(inputs: CheckedLetterInputs, op: OperationOptions): Promise<LetterOutputs> {
  const name = who(inputs.certificateId);
  const ctx = makeContext(name, op);
  const b = bytesOf(inputs);
  const backend = backendFor("tencent");
  if (!backend.uploadConfirmLetter) throw new Error(`${name}: this cloud takes no confirmation letters`);
  await refuseWithoutLetterStep(ctx, name, inputs.certificateId);
  let status = "unknown";
  let live: LiveApplication | undefined;
  const seconds = waitSeconds(ctx, inputs.waitTimeoutSeconds);
  const ready = await pollUntil(
    ctx,
    seconds * 1000,
    async () => {
      live = await backend.read(ctx, inputs.certificateId);
      if (!live) throw new Error(`${name}: certificate ${inputs.certificateId} does not exist`);
      status = `${live.status} (${live.rawStatus})`;
      return live.status === "awaiting-confirm-letter" || PAST_LETTER.includes(live.status);
    },
    { what: "the certificate to await its confirmation letter (status 8)", status: () => status },
  );
  if (!ready) {
    throw new Error(
      `${name}: the certificate is ${status}, not awaiting a confirmation letter (status 8), after ${seconds}s; ` +
        `a letter can be uploaded only once the application was submitted and the CA asks for it`,
    );
  }
  if (live && PAST_LETTER.includes(live.status)) {
    ctx.log(
      `the certificate is already ${status}, past the letter step: certapply did not upload this letter (Tencent takes one only in status 8). ` +
        `It is recorded as accepted with no upload time, as a letter uploaded before (a lost reply, the console) leaves the same state; ` +
        `a different letter reaches the CA only after the application is resubmitted (resubmitTrigger)`,
    );
    return { ...outputsOf(inputs), uploadedAt: "" };
  }
  await send(ctx, name, inputs, b);
  return outputsOf(inputs);
}

/**
 * A DV certificate has no letter step: UploadConfirmLetter answers `UploadConfirmCertificateNotSupportDV`
 * (tencent-ssl.md §2.4), so waiting for status 8 would wait forever and recording the letter would invent an
 * upload. One read of the certificate (`IsDv`, `CertType`) says so before the wait.
 */
async function refuseWithoutLetterStep(ctx: CloudContext, name: string, certificateId: string): Promise<void> {
  const { TencentClient } = require("../clouds/tencent/client") as typeof import("../clouds/tencent/client");
  let detail;
  try {
    detail = await new TencentClient(ctx).describeCertificateDetail(certificateId);
  } catch (err) {
    if (err instanceof CloudApiError) throw err.forResource(name);
    throw err;
  }
  if (detail.IsDv === true || String(detail.CertType ?? "").toUpperCase() === "DV") {
    throw new Error(
      `${name}: certificate ${certificateId} is a DV certificate, and Tencent takes no confirmation letter for DV (UploadConfirmLetter answers ` +
        "UploadConfirmCertificateNotSupportDV): nothing was uploaded; remove this ConfirmLetter",
    );
  }
}

async function send(ctx: CloudContext, name: string, inputs: CheckedLetterInputs, b: Buffer): Promise<void> {
  const backend = backendFor("tencent");
  try {
    await backend.uploadConfirmLetter?.call(backend, ctx, inputs.certificateId, b.toString("base64"));
  } catch (err) {
    if (err instanceof CloudApiError) throw err.forResource(name);
    throw err;
  }
  ctx.log(`uploaded ${inputs.format} letter (${inputs.sizeBytes} bytes, sha256 ${inputs.sha256.slice(0, 12)}…)`);
}

/** create: wait (bounded) until the certificate awaits its letter (status 8), then upload. */
export async function create(inputs: CheckedLetterInputs, op: OperationOptions = {}): Promise<{ id: string; outs: LetterOutputs }> {
  const outs = await upload(inputs, op);
  return { id: `${inputs.certificateId}:${inputs.sha256.slice(0, 16)}`, outs };
}

/**
 * update: a new letter is uploaded again; so is the same letter when the certificate awaits a letter again
 * (a resubmit brought it back to status 8). Other changes are stored only.
 */
export async function update(_id: string, olds: LetterOutputs, news: CheckedLetterInputs, op: OperationOptions = {}): Promise<{ outs: LetterOutputs }> {
  if (olds.sha256 !== news.sha256) return { outs: await upload(news, op) };
  const name = who(news.certificateId);
  const ctx = makeContext(name, op);
  const live = await backendFor("tencent").read(ctx, news.certificateId);
  if (live?.status === "awaiting-confirm-letter") {
    await send(ctx, name, news, bytesOf(news));
    return { outs: outputsOf(news) };
  }
  const outs: LetterOutputs & { waitTimeoutSeconds?: number } = { ...olds, file: news.file, waitTimeoutSeconds: news.waitTimeoutSeconds };
  if (!news.file) delete outs.file;
  if (news.waitTimeoutSeconds === undefined) delete outs.waitTimeoutSeconds;
  return { outs };
}

/** read: the API has no way to read a letter back; the stored state stands. */
export async function read(id: string, props: LetterOutputs): Promise<{ id: string; props: LetterOutputs }> {
  return { id, props };
}

/** delete: removes the letter from the stack only; the API cannot withdraw an uploaded letter. */
export async function remove(id: string, props: LetterOutputs): Promise<void> {
  makeContext(`confirmation letter ${id}`).log(
    `removed from the stack only: Tencent Cloud has no API to withdraw an uploaded confirmation letter (certificate ${props.certificateId})`,
  );
}
