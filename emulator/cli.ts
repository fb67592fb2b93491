#!/usr/bin/env node
/** `npx certapply-emulator [--port N] [--verbose]`: serves the three APIs on 127.0.0.1 until interrupted. */
import { Emulator } from "./server";

function parseArgs(argv: string[]): { port: number; verbose: boolean } {
  let port = 0;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--port" || a === "-p") port = Number(argv[++i]);
    else if (a.startsWith("--port=")) port = Number(a.slice(7));
    else if (a === "--verbose" || a === "-v") verbose = true;
    else if (a === "--help" || a === "-h") {
      process.stdout.write("usage: certapply-emulator [--port N] [--verbose]\n");
      process.exit(0);
    } else {
      process.stderr.write(`certapply-emulator: unknown argument ${a}\n`);
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
  process.stdout.write(`Control API: POST ${emulator.url}/_control/<tencent|edgecast|huawei>/<command>; GET ${emulator.url}/_control/log\n`);
  const stop = () => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
