/** Small helpers of the package scripts (pack check, Pulumi versions). No jest here. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** The version package-lock.json pins for a package of the repository at `root`. */
export function lockedVersion(root: string, name: string): string {
  const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`package-lock.json pins no version of ${name}`);
  return version;
}

/** Runs a command; returns its stdout, or throws with the tail of its output. */
export function sh(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; stderr?: boolean }): string {
  const res = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) {
    const tail = `${res.stdout ?? ""}${res.stderr ?? ""}`.trim().split("\n").slice(-40).join("\n");
    throw new Error(`${cmd} ${args.join(" ")} (in ${opts.cwd}) failed with ${res.status ?? res.signal}:\n${tail}`);
  }
  return opts.stderr ? `${res.stdout}${res.stderr}` : res.stdout;
}

/** Runs one named step, printing its outcome and duration. */
export async function step<T>(prefix: string, name: string, fn: () => T | Promise<T>): Promise<T> {
  const started = Date.now();
  process.stdout.write(`${prefix}: ${name} ...\n`);
  const result = await fn();
  process.stdout.write(`${prefix}: ${name}: ok (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return result;
}

/** Fails the step with a message when a condition does not hold. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Entries of a node_modules directory that are not packages. */
const NOT_PACKAGES = new Set([".bin", ".package-lock.json", ".cache"]);

/** Links every package of `from` (scoped ones one by one) into `to`, replacing links already there; `skip` names packages left out. */
export function linkPackages(from: string, to: string, skip: ReadonlySet<string> = new Set()): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from)) {
    if (NOT_PACKAGES.has(entry) || skip.has(entry)) continue;
    if (entry.startsWith("@")) {
      fs.mkdirSync(path.join(to, entry), { recursive: true });
      for (const pkg of fs.readdirSync(path.join(from, entry))) {
        fs.rmSync(path.join(to, entry, pkg), { force: true });
        fs.symlinkSync(path.join(from, entry, pkg), path.join(to, entry, pkg), "dir");
      }
    } else {
      fs.rmSync(path.join(to, entry), { force: true });
      fs.symlinkSync(path.join(from, entry), path.join(to, entry), "dir");
    }
  }
}

/**
 * certapply in `project` as an npm install lays it out: a real directory node_modules/certapply holding
 * package.json and the given files or directories of the checkout at `root` (e.g. "dist/sdk"), every other package
 * linked from the checkout's node_modules. Returns the package directory.
 */
export function installedCopy(root: string, project: string, parts: string[]): string {
  const pkg = path.join(project, "node_modules", "certapply");
  fs.mkdirSync(pkg, { recursive: true });
  for (const part of ["package.json", ...parts]) fs.cpSync(path.join(root, part), path.join(pkg, part), { recursive: true });
  linkPackages(path.join(root, "node_modules"), path.join(project, "node_modules"), new Set(["certapply"]));
  return pkg;
}
