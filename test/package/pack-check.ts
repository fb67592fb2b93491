/**
 * `npm run check:pack [-- --skip-git]`: the package as a user gets it.
 * 1. `npm pack`; the tarball's file list passes the same checks as test/package/tarball.test.ts.
 * 2. A fresh project installs the tarball with the lockfile's @pulumi/pulumi, typescript and @types/node
 *    (from the local npm cache where it has them).
 * 3. It type-checks, strictly, every TypeScript block of the README that imports certapply and each
 *    examples/<cloud>/index.ts, under the Pulumi template's module settings (commonjs, node) and node16.
 * 4. The installed `certapply-emulator --help` runs.
 * 5. examples/tencent, compiled there, runs against the installed emulator through Pulumi's dynamic-provider
 *    host (the test harness, dropped beside the installed dist/ because the tarball does not ship it), and the
 *    installed plugin directory (plugin/) answers over gRPC (test/package/run-example.ts).
 * 6. A `file:` install of a checkout of HEAD runs prepare, which builds dist/; without the checkout's dev
 *    dependencies it fails naming the fix.
 * 7. A git install (git+file URL of that checkout) builds dist/ through prepare and installs the packed result.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../harness/engine";
import { pluginMain, problems } from "./packlist";
import { check, lockedVersion, sh, step } from "./tools";

const PREFIX = "pack-check";
const CLOUDS = ["tencent", "edgecast", "huawei"] as const;
const INSTALL = ["install", "--prefer-offline", "--no-audit", "--no-fund"];

/** The ```ts blocks of the README that import certapply: the README is their one source. */
export function readmeQuickstarts(readme: string): string[] {
  return [...readme.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```/gm)].map((m) => m[1]).filter((code) => /from "certapply"/.test(code));
}

function project(dir: string, name: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true, version: "1.0.0" }, null, 2));
  return dir;
}

/** The tsconfig of a Pulumi TypeScript project (its template's settings), strict. */
function tsconfig(moduleSetting: "commonjs" | "node16", emit: boolean): object {
  return {
    compilerOptions: {
      strict: true,
      target: "es2020",
      module: moduleSetting,
      moduleResolution: moduleSetting === "commonjs" ? "node10" : "node16",
      ignoreDeprecations: "6.0",
      types: ["node"],
      noFallthroughCasesInSwitch: true,
      noImplicitReturns: true,
      forceConsistentCasingInFileNames: true,
      ...(emit ? { outDir: "out", rootDir: "." } : { noEmit: true }),
    },
    include: ["quickstart/*.ts", "examples/*.ts"],
  };
}

async function main(): Promise<void> {
  const root = repoRoot();
  const skipGit = process.argv.includes("--skip-git");
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "certapply-pack-"));
  const pinned = (name: string) => `${name}@${lockedVersion(root, name)}`;
  try {
    const tarball = await step(PREFIX, "npm pack", () => {
      const out = JSON.parse(sh("npm", ["pack", "--json", "--pack-destination", base], { cwd: root })) as { filename: string; files: { path: string }[]; size: number }[];
      const files = out[0].files.map((f) => f.path).sort();
      const found = problems(root, files);
      check(found.length === 0, `the tarball is wrong:\n  ${found.join("\n  ")}`);
      process.stdout.write(`${PREFIX}: ${out[0].filename}: ${files.length} files, ${out[0].size} bytes\n`);
      return path.join(base, path.basename(out[0].filename));
    });

    const user = project(path.join(base, "user"), "certapply-user");
    const installed = path.join(user, "node_modules", "certapply");
    await step(PREFIX, "install the tarball into a fresh project", () => {
      sh("npm", [...INSTALL, tarball, pinned("@pulumi/pulumi"), pinned("typescript"), pinned("@types/node")], { cwd: user });
      check(fs.existsSync(path.join(installed, "dist", "sdk", "index.js")), "the installed package has no dist/sdk/index.js");
      check(!fs.existsSync(path.join(installed, "dist", "test")), "the installed package has dist/test");
    });

    await step(PREFIX, "type-check the README quickstarts and the examples against the installed package", () => {
      const blocks = readmeQuickstarts(fs.readFileSync(path.join(installed, "README.md"), "utf8"));
      check(blocks.length > 0, "the README has no TypeScript block importing certapply");
      fs.mkdirSync(path.join(user, "quickstart"));
      blocks.forEach((code, i) => fs.writeFileSync(path.join(user, "quickstart", `readme-${i + 1}.ts`), code));
      fs.mkdirSync(path.join(user, "examples"));
      for (const cloud of CLOUDS) fs.copyFileSync(path.join(root, "examples", cloud, "index.ts"), path.join(user, "examples", `${cloud}.ts`));
      const inReadme = CLOUDS.filter((c) => blocks.some((b) => b.includes(`cloud: "${c}"`)));
      process.stdout.write(`${PREFIX}: ${blocks.length} README block(s) (clouds: ${inReadme.join(", ") || "none"}), examples: ${CLOUDS.join(", ")}\n`);
      const tsc = path.join(user, "node_modules", "typescript", "bin", "tsc");
      for (const [name, config] of [["tsconfig.json", tsconfig("commonjs", true)], ["tsconfig.node16.json", tsconfig("node16", false)]] as const) {
        fs.writeFileSync(path.join(user, name), JSON.stringify(config, null, 2));
        sh(process.execPath, [tsc, "-p", name], { cwd: user });
      }
    });

    await step(PREFIX, "the installed certapply-emulator --help", () => {
      const help = sh(path.join(user, "node_modules", ".bin", "certapply-emulator"), ["--help"], { cwd: user });
      check(help.includes("/_control/tencent/seed"), "certapply-emulator --help does not describe the control API");
    });

    await step(PREFIX, "examples/tencent through the dynamic-provider host against the installed emulator; the installed plugin", () => {
      const harness = path.join(installed, "dist", "test", "harness");
      fs.mkdirSync(harness, { recursive: true });
      for (const f of ["engine.js", "host.js"]) fs.copyFileSync(path.join(root, "dist", "test", "harness", f), path.join(harness, f));
      fs.copyFileSync(path.join(root, "dist", "test", "package", "run-example.js"), path.join(user, "run-example.js"));
      process.stdout.write(sh(process.execPath, ["run-example.js", path.join("out", "examples", "tencent.js"), harness], { cwd: user }));
    });

    const head = sh("git", ["rev-parse", "HEAD"], { cwd: root }).trim();
    const checkout = path.join(base, "checkout");
    await step(PREFIX, `file: install of a checkout of ${head.slice(0, 12)}`, () => {
      sh("git", ["clone", "--quiet", root, checkout], { cwd: base });
      sh("git", ["checkout", "--quiet", head], { cwd: checkout });
      check(!fs.existsSync(path.join(checkout, "dist")), "a fresh checkout already has dist/");
      const bare = project(path.join(base, "file-bare"), "certapply-file-bare");
      let refused = "";
      try {
        sh("npm", [...INSTALL, checkout], { cwd: bare });
      } catch (err) {
        refused = (err as Error).message;
      }
      check(/building dist\/ needs the dev dependencies.*run npm ci there/.test(refused), `a file: install without dev dependencies did not name the fix: ${refused.slice(-400)}`);
      fs.symlinkSync(path.join(root, "node_modules"), path.join(checkout, "node_modules"), "dir");
      const linked = project(path.join(base, "file-user"), "certapply-file-user");
      sh("npm", [...INSTALL, checkout], { cwd: linked });
      check(fs.existsSync(path.join(checkout, pluginMain(checkout) ?? "missing")), "prepare did not build the plugin entry");
      const exported = sh(process.execPath, ["-p", "typeof require('certapply').CertificateApplication"], { cwd: linked }).trim();
      check(exported === "function", `require("certapply") from the file: install gives CertificateApplication ${exported}`);
      fs.rmSync(path.join(checkout, "node_modules"));
    });

    if (skipGit) {
      process.stdout.write(`${PREFIX}: git install: skipped (--skip-git)\n`);
    } else {
      await step(PREFIX, `git install (git+file) of ${head.slice(0, 12)}`, () => {
        const gitUser = project(path.join(base, "git-user"), "certapply-git-user");
        sh("npm", [...INSTALL, `git+file://${checkout}#${head}`], { cwd: gitUser });
        const got = path.join(gitUser, "node_modules", "certapply");
        check(fs.existsSync(path.join(got, pluginMain(got) ?? "missing")), "the git install has no plugin entry: prepare did not build dist/");
        check(!fs.existsSync(path.join(got, "dist", "test")) && !fs.existsSync(path.join(got, "provider")), "the git install holds more than the tarball's files");
      });
    }
    process.stdout.write(`${PREFIX}: all checks passed\n`);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${PREFIX}: FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
