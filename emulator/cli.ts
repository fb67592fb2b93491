#!/usr/bin/env node
/** `npx certapply-emulator [--port N] [--verbose]`: serves the three APIs on 127.0.0.1 until interrupted. */
import { Emulator } from "./server";

/** What `--help` prints: the options, then every control endpoint with its JSON body. */
const HELP = `usage: certapply-emulator [--port N] [--verbose]

Serves the Tencent Cloud SSL, Edgecast CPS and Huawei Cloud SCM APIs on one port of 127.0.0.1 until
interrupted (Ctrl-C), and prints the \`pulumi config set\` lines that point a stack at it (endpoints and
fixed, fake credentials). Nothing is sent anywhere else; state lives in memory only.

Options:
  -p, --port N     port on 127.0.0.1 (default 0: a free port, printed on start)
  -v, --verbose    print each API request to stderr
  -h, --help       print this help and exit

Control API: POST with a JSON object body (or none); replies are JSON. A certificate id that
does not exist answers 404, a move its state does not allow answers 409 with the current state.
  /_control/log                        every API request served so far, oldest first
  /_control/reset                      forget all certificates, faults, the log and the clock offset
  /_control/clock     {"advanceSeconds": N, "rate": R}
                                       move the emulator clock forward (DCV timeouts, token expiry); "rate":
                                       emulator seconds per real second from now on
  /_control/faults    {"cloud": "tencent", "action": "DescribeCertificateDetail", "kind": "throttle", "count": 1}
                                       fail the next "count" requests of an action ("*": any action) after
                                       letting "skip" through; kind: throttle, internal, http500, reset
                                       (connection dropped), delay ("delayMs"), commit-then-drop (applied,
                                       then the connection dropped), garbled-reply ("garbled": error-body,
                                       empty, null, html, wrong-types), not-found (the cloud's own "not
                                       found", not applied), gateway-not-found (a gateway's 404) or
                                       late-reply (applied, replied after "delayMs"); {"clear": true}
                                       forgets them all
  /_control/fault-share {"cloud": "huawei", "rate": 0.25, "seed": 1, "kinds": [...], "actions": [...],
                         "maxDelayMs": N, "lateReplyMs": N, "garbled": [...]}
                                       fault a seeded share of a cloud's requests, the same ones on every run
Tencent (certificateId: the 8-character id):
  /_control/tencent/seed      {"productType": "dv"|"ov"|"ev", "domainCount": N, "requiresLetter": true, "certificateId": "..."}
                              a purchased certificate awaiting submission (status 5); replies {"certificateId"}
  /_control/tencent/dcv       {"certificateId"}  publish the domain-validation records (status 0 or 4)
  /_control/tencent/issue     {"certificateId"}  the CA issues it (status 1)
  /_control/tencent/reject    {"certificateId", "reason": "..."}  the CA rejects it (status 2)
  /_control/tencent/timeout   {"certificateId"}  domain validation times out (status 2, the official timeout message)
  /_control/tencent/state     {"certificateId"}  the stored record
  /_control/tencent/settings  {"cancelSettleMs": N}  how long a cancelled review takes to settle
Edgecast (id: the integer request id the API assigned):
  /_control/edgecast/advance  {"id"}  the next step of the request's workflow
  /_control/edgecast/timeout  {"id", "domain": "..."}  domain validation times out (all pending domains without "domain")
  /_control/edgecast/issue    {"id"}  the CA issues and deploys it
  /_control/edgecast/cancel   {"id"}  the order is cancelled on the CA side
  /_control/edgecast/state    {"id"}  the stored request
  /_control/edgecast/users    {"emails": ["..."]}  the account's users (notification e-mails must be one); null: any
  /_control/edgecast/tokens   how many OAuth tokens were issued
Huawei (id: the 16-character certificate id):
  /_control/huawei/seed       {"type": "DV_SSL_CERT", "domainType": "MULTI_DOMAIN", "domainCount": N, "wildcardCount": N,
                               "brand": "...", "name": "...", "certificateId": "...", "manualWithdrawal": true}
                              a purchased certificate (status PAID); replies {"certificateId", ...}
  /_control/huawei/advance    {"id"}  the next status of the review (CHECKING → ... → ISSUED)
  /_control/huawei/issue      {"id"}  the CA issues it (ISSUED)
  /_control/huawei/reject     {"id", "reason": "..."}  the CA rejects it (UNPASSED)
  /_control/huawei/settle     {"id"}  a withdrawal under review settles (CANCELCHECKING → PAID)
  /_control/huawei/status     {"id", "status": "..."}  set any raw status (e.g. one the docs do not list)
  /_control/huawei/state      {"id"}  the stored certificate
  /_control/huawei/tokens     how many IAM tokens are held

In code: import { Emulator } from "certapply/emulator" (the same server, with typed methods).
`;

function parseArgs(argv: string[]): { port: number; verbose: boolean } {
  let port = 0;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--port" || a === "-p") port = Number(argv[++i]);
    else if (a.startsWith("--port=")) port = Number(a.slice(7));
    else if (a === "--verbose" || a === "-v") verbose = true;
    else if (a === "--help" || a === "-h") {
      process.stdout.write(HELP);
      process.exit(0);
    } else {
      process.stderr.write(`certapply-emulator: unknown argument ${a} (see --help)\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write("certapply-emulator: --port takes a number from 0 to 65535\n");
    process.exit(2);
  }
  return { port, verbose };
}

async function main(): Promise<void> {
  const { port, verbose } = parseArgs(process.argv.slice(2));
  const emulator = await new Emulator({ port, verbose }).start();
  process.stdout.write(`certapply emulator listening on ${emulator.url}\n`);
  process.stdout.write(`Point a stack at it:\n${emulator.configLines().map((l) => `  ${l}`).join("\n")}\n`);
  process.stdout.write(`Control API: POST ${emulator.url}/_control/<tencent|edgecast|huawei>/<command>; GET ${emulator.url}/_control/log (--help lists them)\n`);
  const stop = () => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
