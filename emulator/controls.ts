/**
 * The control API's routes, each with its body and what it does: the one list `certapply-emulator --help`
 * prints (emulator/cli.ts) and test/emulator/cli.test.ts holds against the commands each cloud's `control`
 * handles, so the two cannot drift apart.
 */
import { FAULT_KINDS, GARBLED_SHAPES } from "./types";

/** One control route: `POST /_control/<path>`. */
export interface ControlRoute {
  /** `log`, `faults`, `tencent/seed`, … */
  path: string;
  /** The JSON body it takes, as an example; absent: none. */
  body?: string;
  /** What it does and what it answers. */
  says: string;
}

/** Routes that are not a cloud's. */
export const GENERAL_CONTROLS: readonly ControlRoute[] = [
  { path: "log", says: "every API request served so far, oldest first" },
  { path: "reset", says: "forget all certificates, faults, the log and the clock offset" },
  { path: "clock", body: `{"advanceSeconds": N, "rate": R}`, says: 'move the emulator clock forward (DCV timeouts, token expiry); "rate": emulator seconds per real second from now on' },
  {
    path: "faults",
    body: `{"cloud": "tencent", "action": "DescribeCertificateDetail", "kind": "throttle", "count": 1, "skip": 0}`,
    says:
      `fail the next "count" requests of an action ("*": any action) after letting "skip" through; kind: ${FAULT_KINDS.join(", ")} ` +
      `(delay takes "delayMs", late-reply replies that long after serving; garbled-reply takes "garbled": ${GARBLED_SHAPES.join(", ")}); {"clear": true} forgets them all`,
  },
  {
    path: "fault-share",
    body: `{"cloud": "huawei", "rate": 0.25, "seed": 1, "kinds": [...], "actions": [...], "maxDelayMs": N, "lateReplyMs": N, "garbled": [...]}`,
    says: "fault a seeded share of a cloud's requests, the same ones on every run",
  },
  { path: "seed", body: `{"seed": N}`, says: "vary replies by this seed from now on (null: stop varying)" },
];

/** Each cloud's routes, by cloud; the id field the cloud's routes take is in the heading. */
export const CLOUD_CONTROLS: Readonly<Record<"tencent" | "edgecast" | "huawei", { id: string; routes: readonly ControlRoute[] }>> = {
  tencent: {
    id: `"certificateId": the 8-character id`,
    routes: [
      { path: "seed", body: `{"productType": "dv"|"ov"|"ev", "domainCount": N, "requiresLetter": true, "packageType": "...", "certificateId": "..."}`, says: 'a purchased certificate awaiting submission (status 5); replies {"certificateId"}' },
      { path: "submit", body: `{"certificateId", "materials": {...}}`, says: "an application submitted outside certapply (console, another tool): materials saved and the order sent" },
      { path: "dcv", body: `{"certificateId"}`, says: "publish the domain-validation records (status 0 or 4)" },
      { path: "issue", body: `{"certificateId"}`, says: "the CA issues it (status 1)" },
      { path: "reject", body: `{"certificateId", "reason": "..."}`, says: "the CA rejects it (status 2)" },
      { path: "timeout", body: `{"certificateId"}`, says: "domain validation times out (status 2, the official timeout message)" },
      { path: "age", body: `{"certificateId", "daysLeft": N}`, says: "the CA signs the issued certificate again so that it expires N days from now (renewal windows)" },
      { path: "package", body: `{"packageId": "...", "points": N, "type": "ssl_100", "expiresInDays": N}`, says: "a benefit package (DescribePackages; CreateCertificateByPackage spends its points)" },
      { path: "list", says: "every stored certificate, purchases included" },
      { path: "state", body: `{"certificateId"}`, says: "the stored record" },
      {
        path: "settings",
        body: `{"cancelSettleMs": N, "orderProcessingMs": N, "letterUploadSupported": false, "tagIndexLagReads": N}`,
        says:
          "how long a cancelled review takes to settle, and an order to be processed; letterUploadSupported false: UploadConfirmLetter answers UploadConfirmCertificateNotSupport; " +
          "tagIndexLagReads N: a certificate bought from now on is missed by its first N DescribeCertificates reads with a Tags filter (a lagging tag index)",
      },
    ],
  },
  edgecast: {
    id: `"id": the integer request id the API assigned`,
    routes: [
      { path: "advance", body: `{"id"}`, says: "the next step of the request's workflow" },
      { path: "timeout", body: `{"id", "domain": "..."}`, says: 'domain validation times out (all pending domains without "domain")' },
      { path: "issue", body: `{"id"}`, says: "the CA issues and deploys it" },
      { path: "reject", body: `{"id", "domain": "...", "secret": true, "in": "status"}`, says: 'the CA rejects a domain (all pending without "domain"): Rejected, or SecretRejected with "secret"; "in": "status" shows the rejection only in /status' },
      { path: "order", body: `{"id", "status": "RenewalRejected"}`, says: "set the order status to a value of the SDK's enum, as the CA would" },
      { path: "cancel", body: `{"id"}`, says: "the order is cancelled on the CA side" },
      { path: "autorenew", body: `{"id"}`, says: "the CA starts its own renewal of a request with auto_renew on (order AwaitingRenewal)" },
      { path: "renewed", body: `{"id"}`, says: "the CA issues the renewal in progress (a new certificate; order Renewed)" },
      { path: "age", body: `{"id", "daysLeft": N}`, says: "the CA signs the issued certificate again so that it expires N days from now (renewal windows)" },
      { path: "state", body: `{"id"}`, says: "the stored request" },
      { path: "users", body: `{"emails": ["..."]}`, says: "the account's users (notification e-mails must be one); null: any" },
      { path: "tokens", says: "how many OAuth tokens were issued" },
      { path: "settings", body: `{"searchLagReads": N}`, says: "a request created from now on is missed by the next N searches (GET /v2.0/certificates with query: a lagging search index)" },
    ],
  },
  huawei: {
    id: `"id": the 16-character certificate id`,
    routes: [
      {
        path: "seed",
        body: `{"type": "DV_SSL_CERT", "domainType": "MULTI_DOMAIN", "domainCount": N, "wildcardCount": N, "brand": "...", "name": "...", "certificateId": "...", "manualWithdrawal": true, "autoSettleReads": N}`,
        says: 'a purchased certificate (status PAID); replies {"id", ...}',
      },
      { path: "apply", body: `{"id", "body": {...}}`, says: "an application submitted outside certapply (console, another tool), under the apply call's rules" },
      { path: "advance", body: `{"id"}`, says: "the next status of the review (CHECKING → ... → ISSUED)" },
      { path: "checking", body: `{"id", "reads": N}`, says: "CHECKING shows on N more reads, then CHECKING_DOMAIN (as a seed draws it)" },
      { path: "issue", body: `{"id"}`, says: "the CA issues it (ISSUED)" },
      { path: "reject", body: `{"id", "reason": "..."}`, says: "the CA rejects it (UNPASSED)" },
      { path: "settle", body: `{"id"}`, says: "a withdrawal under review settles (CANCELCHECKING → PAID)" },
      { path: "status", body: `{"id", "status": "..."}`, says: "set any raw status (e.g. one the docs do not list)" },
      {
        path: "age",
        body: `{"id", "daysLeft": N}`,
        says: "the CA signs the issued certificate again so that it expires N days from now (renewal windows); a multi-year purchase then gets its next certificate",
      },
      { path: "state", body: `{"id"}`, says: "the stored certificate" },
      { path: "tokens", says: "how many IAM tokens are held" },
      { path: "deny", body: `{"actions": ["ExportCertificate"]}`, says: "refuse these actions as an IAM policy would (SCM.4002)" },
      { path: "settings", body: `{"tagIndexLagReads": N}`, says: "a certificate bought from now on is missed by the next N ListCertificatesByTag calls (a lagging tag index)" },
    ],
  },
};

/** Every route as `<path>` relative to `/_control/`. */
export function controlPaths(): string[] {
  return [...GENERAL_CONTROLS.map((r) => r.path), ...Object.entries(CLOUD_CONTROLS).flatMap(([cloud, c]) => c.routes.map((r) => `${cloud}/${r.path}`))];
}

function line(path: string, r: ControlRoute): string {
  const head = `  /_control/${path}${r.body ? ` ${r.body}` : ""}`;
  return `${head}\n      ${r.says}`;
}

/** The control API section of `--help`, from the lists above. */
export function controlHelp(): string {
  const out = [
    "Control API: POST with a JSON object body (or none); replies are JSON. A certificate id that",
    "does not exist answers 404, a move its state does not allow answers 409 with the current state.",
    ...GENERAL_CONTROLS.map((r) => line(r.path, r)),
  ];
  for (const [cloud, c] of Object.entries(CLOUD_CONTROLS)) {
    out.push(`${cloud[0].toUpperCase()}${cloud.slice(1)} (${c.id}):`);
    out.push(...c.routes.map((r) => line(`${cloud}/${r.path}`, r)));
  }
  return out.join("\n") + "\n";
}
