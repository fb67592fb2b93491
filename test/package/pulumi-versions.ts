/**
 * `npm run check:pulumi-versions [-- --results DIR] [-- --versions A,B]`: the engine-level tests (test/engine,
 * test/harness) against the lowest @pulumi/pulumi the peer range allows and the newest 3.x the registry has,
 * beside the pinned version `npm test` uses.
 *
 * Each version is installed into its own directory; a copy of this repository (sources and dist/) gets a
 * node_modules of links: the repository's packages, with that install's packages (@pulumi/pulumi and the
 * packages it brings, such as @grpc/grpc-js) laid over them, as `npm install @pulumi/pulumi@X` would hoist
 * them. Node resolves links to their real paths, so the tests, the dynamic-provider host they spawn and the
 * provider code in it all load that version: test/package/pulumi-version.test.ts asserts it, and this script
 * prints what the host reports. Jest's JSON results go to DIR/jest-pulumi-<version>.json for CI's count.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../harness/engine";
import { check, linkPackages, lockedVersion, sh, step } from "./tools";

const PREFIX = "pulumi-versions";
const SKIP_TOP = new Set(["node_modules", ".git", "coverage"]);

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The lowest version of the peer range (its `>=X.Y.Z`) and the newest the registry has inside it. */
function versionsToTest(root: string): string[] {
  const listed = arg("--versions");
  if (listed) return listed.split(",").filter(Boolean);
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { peerDependencies: Record<string, string> };
  const range = manifest.peerDependencies["@pulumi/pulumi"];
  const lowest = /^>=\s*(\d+\.\d+\.\d+)/.exec(range)?.[1];
  check(lowest !== undefined, `peerDependencies["@pulumi/pulumi"] is "${range}": expected a ">=X.Y.Z <4" range`);
  const found = JSON.parse(sh("npm", ["view", `@pulumi/pulumi@${range}`, "version", "--json"], { cwd: root })) as string | string[];
  const all = Array.isArray(found) ? found : [found];
  const newest = all[all.length - 1];
  const pinned = lockedVersion(root, "@pulumi/pulumi");
  process.stdout.write(`${PREFIX}: peer range ${range}; lowest ${lowest}, pinned ${pinned} (npm test), newest ${newest}\n`);
  return [...new Set([lowest, newest])].filter((v) => v !== pinned);
}

async function runVersion(root: string, version: string, results: string | undefined): Promise<boolean> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), `certapply-pulumi-${version}-`));
  try {
    const install = path.join(base, "pulumi");
    const copy = path.join(base, "repo");
    await step(PREFIX, `install @pulumi/pulumi@${version}`, () => {
      fs.mkdirSync(install);
      fs.writeFileSync(path.join(install, "package.json"), JSON.stringify({ name: "pulumi-under-test", private: true }));
      sh("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", `@pulumi/pulumi@${version}`], { cwd: install });
    });
    await step(PREFIX, `copy of the repository on @pulumi/pulumi@${version}`, () => {
      fs.mkdirSync(copy);
      for (const entry of fs.readdirSync(root)) {
        if (!SKIP_TOP.has(entry)) fs.cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
      }
      fs.mkdirSync(path.join(copy, "node_modules"));
      linkPackages(path.join(root, "node_modules"), path.join(copy, "node_modules"));
      linkPackages(path.join(install, "node_modules"), path.join(copy, "node_modules"));
      fs.symlinkSync(path.join(root, "node_modules", ".bin"), path.join(copy, "node_modules", ".bin"), "dir");
      const script = `const { ProviderHost } = require("./dist/test/harness/host");
        ProviderHost.start({ cwd: process.cwd(), project: "pulumi-version" }).then(async (h) => {
          console.log(await h.getPluginInfo() + " from " + require.resolve("@pulumi/pulumi/cmd/dynamic-provider"));
          await h.stop();
        });`;
      const loaded = sh(process.execPath, ["-e", script], { cwd: copy }).trim();
      process.stdout.write(`${PREFIX}: the dynamic-provider host loaded @pulumi/pulumi ${loaded}\n`);
      check(loaded.startsWith(`${version} `), `the host loaded ${loaded}, not ${version}`);
    });
    const args = [path.join(copy, "node_modules", "jest", "bin", "jest.js"), "test/engine", "test/harness", "test/package/pulumi-version.test.ts"];
    if (results) args.push("--json", `--outputFile=${path.join(results, `jest-pulumi-${version}.json`)}`);
    process.stdout.write(`${PREFIX}: engine-level tests on @pulumi/pulumi@${version} ...\n`);
    const started = Date.now();
    const res = spawnSync(process.execPath, args, {
      cwd: copy,
      stdio: "inherit",
      env: { ...process.env, CERTAPPLY_EXPECT_PULUMI_VERSION: version },
    });
    const ok = res.status === 0;
    process.stdout.write(`${PREFIX}: engine-level tests on @pulumi/pulumi@${version}: ${ok ? "ok" : `failed (${res.status ?? res.signal})`} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    return ok;
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const root = repoRoot();
  const results = arg("--results");
  if (results) fs.mkdirSync(results, { recursive: true });
  let ok = true;
  for (const version of versionsToTest(root)) ok = (await runVersion(root, version, results)) && ok;
  process.exit(ok ? 0 : 1);
}

main().catch((err: unknown) => {
  process.stderr.write(`${PREFIX}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
