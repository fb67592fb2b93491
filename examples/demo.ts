/**
 * `npm run demo`: starts the emulator and plays examples/tencent through Pulumi's own dynamic-provider host
 * (no Pulumi CLI needed): up saves the materials and sends the order, the CA rejects, up resubmits (materials
 * and order again), destroy withdraws. Prints each step and the API calls it made.
 */
import path from "node:path";
import { Emulator } from "../emulator/server";
import { Engine, type RunResult } from "../test/harness/engine";

const exampleIndex = path.join(__dirname, "tencent", "index.js");
const program = () => {
  delete require.cache[require.resolve(exampleIndex)];
  return require(exampleIndex);
};

function show(title: string, res: RunResult, emulator: Emulator, engine: Engine, seenLines: number): number {
  process.stdout.write(`\n=== ${title}\n`);
  for (const s of res.steps) process.stdout.write(`  ${s.op.padEnd(8)} ${s.name}\n`);
  const calls = emulator.log.map((e) => `${e.action}${e.code ? ` → ${e.code}` : ""}`);
  process.stdout.write(`  API calls: ${calls.length ? calls.join(", ") : "(none)"}\n`);
  emulator.clearLog();
  const lines = engine.hostLines();
  for (const l of lines.slice(seenLines)) process.stdout.write(`  | ${l}\n`);
  const app = engine.resource("www");
  if (app) {
    const o = app.outputs as Record<string, unknown>;
    const order = o.orderId ? `; CA order ${String(o.orderId)}` : "";
    process.stdout.write(`  status: ${o.status} (raw ${o.rawStatus})${o.statusMessage ? `: ${o.statusMessage}` : ""}; resubmitCount ${o.resubmitCount}${order}\n`);
  }
  return lines.length;
}

async function main(): Promise<void> {
  const emulator = await new Emulator().start();
  const { certificateId } = emulator.tencent.seed({ productType: "ov", domainCount: 2 });
  process.stdout.write(`emulator on ${emulator.url}; purchased OV certificate ${certificateId}\n`);
  const engine = await Engine.start({
    project: "certapply-tencent",
    config: {
      ...emulator.stackConfig(),
      "certapply:pollIntervalMs": "200",
      "certapply-tencent:certificateId": certificateId,
    },
  });
  let seen = 0;
  try {
    seen = show("pulumi up", await engine.up(program), emulator, engine, seen);

    emulator.tencent.reject(certificateId, "organisation could not be verified");
    process.stdout.write(`\n(the CA rejects the application: organisation could not be verified)\n`);
    seen = show("pulumi preview", await engine.preview(program), emulator, engine, seen);
    seen = show("pulumi up", await engine.up(program), emulator, engine, seen);

    show("pulumi destroy", await engine.destroy(), emulator, engine, seen);
    process.stdout.write(`\nfinal emulator status of ${certificateId}: ${emulator.tencent.state(certificateId)?.status}\n`);
  } finally {
    await engine.stop();
    await emulator.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
