/**
 * Run by the pack check from inside a fresh project that installed the packed tarball: `node run-example.js
 * <compiled example> <harness dir>`. Starts the installed package's emulator, plays the example program
 * (examples/tencent, compiled in that project) through Pulumi's dynamic-provider host (up, then destroy) with
 * the test harness, and starts the installed plugin directory's entry (plugin/package.json `main`). Everything it loads resolves
 * from that project: `certapply`, `certapply/emulator`, `@pulumi/pulumi`. No jest here.
 */
import fs from "node:fs";
import path from "node:path";
import { Emulator } from "certapply/emulator";
import type * as EngineModule from "../harness/engine";
import type * as HostModule from "../harness/host";

function fail(message: string): never {
  throw new Error(`run-example: ${message}`);
}

async function main(): Promise<void> {
  const [exampleJs, harnessDir] = process.argv.slice(2).map((p) => path.resolve(p));
  if (!exampleJs || !harnessDir) fail("usage: node run-example.js <compiled example> <harness dir>");
  const { Engine } = require(path.join(harnessDir, "engine")) as typeof EngineModule;
  const { ProviderHost } = require(path.join(harnessDir, "host")) as typeof HostModule;
  const installed = path.dirname(require.resolve("certapply/package.json"));
  const version = (JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")) as { version: string }).version;
  process.stdout.write(`run-example: certapply ${version} from ${installed}; @pulumi/pulumi ${(require("@pulumi/pulumi/package.json") as { version: string }).version}\n`);

  const emulator = await new Emulator().start();
  const { certificateId } = emulator.tencent.seed({ productType: "ov", domainCount: 2 });
  const engine = await Engine.start({
    project: "certapply-tencent",
    config: { ...emulator.stackConfig(), "certapply:pollIntervalMs": "100", "certapply-tencent:certificateId": certificateId },
  });
  try {
    const linked = fs.realpathSync(path.join(engine.projectDir, "node_modules", "certapply"));
    if (linked !== fs.realpathSync(installed)) fail(`the host's certapply is ${linked}, not the installed ${installed}`);
    process.stdout.write(`run-example: the dynamic-provider host runs @pulumi/pulumi ${await engine.host.getPluginInfo()} with certapply from ${linked}\n`);
    const program = () => require(exampleJs) as unknown;
    const up = await engine.up(program);
    const www = engine.resource("www");
    if (!up.steps.some((s) => s.name === "www" && s.op === "create") || !www) fail(`up did not create www: ${JSON.stringify(up.steps)}`);
    if (www.outputs.applicationId !== certificateId) fail(`www.applicationId is ${String(www.outputs.applicationId)}, not ${certificateId}`);
    if (!emulator.actions("tencent").includes("CertificateInfoSubmit")) fail(`no CertificateInfoSubmit in ${emulator.actions("tencent").join(", ")}`);
    process.stdout.write(`run-example: pulumi up: created www (${String(www.outputs.status)}); API calls ${emulator.actions("tencent").join(", ")}\n`);
    // Installed under node_modules, the shim is written as one require of its module, not as its methods' source.
    const texts = engine.providerTexts();
    const long = texts.filter((t) => Buffer.byteLength(t) >= 512 || !t.includes('require("certapply/dist/sdk/'));
    if (texts.length === 0 || long.length > 0) fail(`__provider in state is not the short form of an npm install: ${long.map((t) => `${Buffer.byteLength(t)} bytes`).join(", ") || "none seen"}`);
    process.stdout.write(`run-example: __provider in state: ${texts.map((t) => Buffer.byteLength(t)).join(", ")} bytes\n`);
    emulator.clearLog();
    const down = await engine.destroy();
    if (!down.steps.some((s) => s.name === "www" && s.op === "delete") || engine.state.size !== 0) fail(`destroy left ${engine.state.size} resources`);
    process.stdout.write(`run-example: pulumi destroy: deleted www; API calls ${emulator.actions("tencent").join(", ")}\n`);
  } finally {
    await engine.stop();
    await emulator.stop();
  }

  // The file Pulumi runs for the plugin directory: plugin/package.json's `main`.
  const manifest = path.join(installed, "plugin", "package.json");
  if (!fs.existsSync(manifest)) fail("the installed package has no plugin/package.json");
  const main = path.join("plugin", (JSON.parse(fs.readFileSync(manifest, "utf8")) as { main?: string }).main ?? "index.js");
  const plugin = await ProviderHost.start({ cwd: process.cwd(), project: "other-lang", script: path.join(installed, main) });
  try {
    const pluginVersion = await plugin.getPluginInfo();
    if (pluginVersion !== version) fail(`the plugin reports version ${pluginVersion}, the package is ${version}`);
    process.stdout.write(`run-example: the plugin (${main}) answers GetPluginInfo ${pluginVersion}\n`);
  } finally {
    await plugin.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
