#!/usr/bin/env node
/** `npx certapply-emulator [--port N] [--seed N] [--verbose]`: serves the three APIs on 127.0.0.1 until interrupted. */
import { controlHelp } from "./controls";
import { Emulator } from "./server";

/** What `--help` prints: the options, then every control route with its JSON body (from emulator/controls.ts). */
const HELP = `usage: certapply-emulator [--port N] [--seed N] [--verbose]

Serves the Tencent Cloud SSL, Edgecast CPS and Huawei Cloud SCM APIs on one port of 127.0.0.1 until
interrupted (Ctrl-C), and prints the \`pulumi config set\` lines that point a stack at it (endpoints and
fixed, fake credentials). Nothing is sent anywhere else; state lives in memory only.

Options:
  -p, --port N     port on 127.0.0.1 (default 0: a free port, printed on start)
  -s, --seed N     vary, by this seed, what the official models leave open: optional reply fields absent, null
                   or empty, list order, extra fields of a newer API version, intermediate statuses, review
                   times, the language of status messages (default: no variation)
  -v, --verbose    print each API request to stderr
  -h, --help       print this help and exit

${controlHelp()}
In code: import { Emulator } from "certapply/emulator" (the same server, with typed methods).
`;

function parseArgs(argv: string[]): { port: number; verbose: boolean; seed?: number } {
  let port = 0;
  let verbose = false;
  let seed: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--port" || a === "-p") port = Number(argv[++i]);
    else if (a.startsWith("--port=")) port = Number(a.slice(7));
    else if (a === "--seed" || a === "-s") seed = Number(argv[++i]);
    else if (a.startsWith("--seed=")) seed = Number(a.slice(7));
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
  if (seed !== undefined && !Number.isSafeInteger(seed)) {
    process.stderr.write("certapply-emulator: --seed takes a whole number\n");
    process.exit(2);
  }
  return { port, verbose, seed };
}

async function main(): Promise<void> {
  const { port, verbose, seed } = parseArgs(process.argv.slice(2));
  const emulator = await new Emulator({ port, verbose, seed }).start();
  process.stdout.write(`certapply emulator listening on ${emulator.url}${seed === undefined ? "" : ` (seed ${seed})`}\n`);
  process.stdout.write(`Point a stack at it:\n${emulator.configLines().map((l) => `  ${l}`).join("\n")}\n`);
  process.stdout.write(`Control API: POST ${emulator.url}/_control/<tencent|edgecast|huawei>/<command>; GET ${emulator.url}/_control/log (--help lists them)\n`);
  const stop = () => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
