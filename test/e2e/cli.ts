/**
 * The real Pulumi CLI, built by `npm run setup:pulumi`, driven offline: a local backend (`file://`), the
 * passphrase secrets provider, no update check, and nothing but 127.0.0.1. Used by the end-to-end suite
 * (test/e2e), the recorder (test/e2e/record.ts) and the bench. No jest here.
 *
 * Two kinds of project:
 * - the plugin path: a YAML program (Pulumi's YAML language host) whose Pulumi.yaml names the plugin
 *   directory, so the engine starts certapply the way it starts a source plugin for any language;
 * - the Node.js SDK: a program of examples/<cloud> run as an Automation API inline program
 *   (test/e2e/runner.ts): the proxy does not serve Pulumi's Node.js language host, and an inline program
 *   needs none. Its dynamic resources run in `pulumi-resource-pulumi-nodejs` as for any user.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../harness/engine";

/** Where `npm run setup:pulumi` puts the CLI: $CERTAPPLY_PULUMI_DIR, or .pulumi-cli/ in the checkout. */
export function pulumiDir(): string {
  return process.env.CERTAPPLY_PULUMI_DIR ?? path.join(repoRoot(), ".pulumi-cli");
}

/** Why the real CLI cannot run here, or undefined when it can. */
export function missingPulumi(): string | undefined {
  const dir = pulumiDir();
  const need = ["pulumi", "pulumi-language-nodejs", "pulumi-language-yaml", "pulumi-resource-pulumi-nodejs"];
  const absent = need.filter((f) => !fs.existsSync(path.join(dir, f)));
  if (absent.length > 0) return `${absent.join(", ")} missing in ${dir}: run npm run setup:pulumi first (it needs Go and the Go module proxy)`;
  return undefined;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time in ms. */
  ms: number;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Resolve instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
  /** Called with the child's pid once it started (to find and kill its plugins). */
  onStart?: (pid: number) => void;
  /** Called with each chunk of stdout. */
  onStdout?: (text: string) => void;
}

/** Runs a program to completion; stdout and stderr are kept. Never blocks the event loop (the emulator serves in it). */
export function run(cmd: string, args: string[], opts: Omit<RunOptions, "env"> & { env: NodeJS.ProcessEnv }): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    if (child.pid !== undefined) opts.onStart?.(child.pid);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      opts.onStdout?.(d);
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const res = { code: code ?? -1, stdout, stderr, ms: Date.now() - started };
      if (res.code !== 0 && !opts.allowFailure) {
        reject(new Error(`${path.basename(cmd)} ${args.join(" ")} exited ${res.code}\n--- stdout\n${stdout.slice(-6000)}\n--- stderr\n${stderr.slice(-4000)}`));
      } else resolve(res);
    });
  });
}

/** The project kinds a workspace can hold. */
export type ProjectKind = "yaml" | "nodejs";

/**
 * One local backend and one stack per project directory, in a temporary directory; every CLI call gets the
 * same offline environment. `node_modules` of a project links certapply (this checkout, built) and
 * @pulumi/pulumi, as an npm install would provide them.
 */
export class Workspace {
  readonly base: string;
  readonly backend: string;
  readonly home: string;
  readonly passphrase = "e2e-passphrase-not-a-secret";
  private readonly extraEnv: Record<string, string>;

  constructor(prefix = "certapply-e2e-", env: Record<string, string> = {}) {
    this.base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    this.backend = path.join(this.base, "state");
    this.home = path.join(this.base, "pulumi-home");
    fs.mkdirSync(this.backend);
    fs.mkdirSync(this.home);
    this.extraEnv = env;
  }

  /** The environment of every CLI call: offline, local backend, passphrase secrets. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith("PULUMI_") || k.startsWith("CERTAPPLY_")) delete env[k];
    return {
      ...env,
      PATH: `${pulumiDir()}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_HOME: this.home,
      PULUMI_BACKEND_URL: `file://${this.backend}`,
      PULUMI_CONFIG_PASSPHRASE: this.passphrase,
      PULUMI_SKIP_UPDATE_CHECK: "1",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
      NO_COLOR: "1",
      ...this.extraEnv,
      ...extra,
    };
  }

  /** `pulumi <args>` in `cwd`. */
  pulumi(args: string[], opts: RunOptions = {}): Promise<CliResult> {
    return run(path.join(pulumiDir(), "pulumi"), args, { ...opts, env: this.env(opts.env) });
  }

  /**
   * A project directory `name` with Pulumi.yaml (`runtime`), node_modules links, and stack `dev` selected.
   * `body` is appended to Pulumi.yaml (YAML resources, plugins, ...).
   */
  async project(name: string, runtime: ProjectKind, body = ""): Promise<Project> {
    const dir = path.join(this.base, name);
    fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
    fs.symlinkSync(repoRoot(), path.join(dir, "node_modules", "certapply"), "dir");
    fs.symlinkSync(path.join(repoRoot(), "node_modules", "@pulumi", "pulumi"), path.join(dir, "node_modules", "@pulumi", "pulumi"), "dir");
    const project = new Project(this, dir, name, runtime);
    project.writeProgram(body);
    await this.pulumi(["stack", "init", "dev", "--non-interactive"], { cwd: dir });
    return project;
  }

  dispose(): void {
    fs.rmSync(this.base, { recursive: true, force: true });
  }
}

/** A project in a workspace: its Pulumi.yaml, its `dev` stack, the CLI run in its directory. */
export class Project {
  constructor(
    readonly ws: Workspace,
    readonly dir: string,
    readonly name: string,
    readonly runtime: ProjectKind,
  ) {}

  /** Rewrites Pulumi.yaml: the project header, then `body`. */
  writeProgram(body: string): void {
    const header = this.runtime === "yaml" ? `name: ${this.name}\nruntime: yaml\n` : `name: ${this.name}\nruntime: nodejs\n`;
    fs.writeFileSync(path.join(this.dir, "Pulumi.yaml"), header + body);
  }

  pulumi(args: string[], opts: RunOptions = {}): Promise<CliResult> {
    return this.ws.pulumi([...args, "--stack", "dev"], { cwd: this.dir, ...opts });
  }

  /** Sets stack config: plain values, and `secret` ones encrypted with the passphrase. */
  async config(values: Record<string, string>, secret: readonly string[] = []): Promise<void> {
    const plain = Object.entries(values).filter(([k]) => !secret.includes(k));
    if (plain.length > 0) await this.pulumi(["config", "set-all", ...plain.flatMap(([k, v]) => ["--plaintext", `${k}=${v}`])]);
    const hidden = Object.entries(values).filter(([k]) => secret.includes(k));
    if (hidden.length > 0) await this.pulumi(["config", "set-all", ...hidden.flatMap(([k, v]) => ["--secret", `${k}=${v}`])]);
  }

  /**
   * Runs an operation. YAML projects: `pulumi <op> --yes --non-interactive ...flags`. Node.js projects: the
   * Automation API inline runner with `program` (a compiled module whose top level is the program).
   */
  op(op: "up" | "preview" | "refresh" | "destroy", flags: string[] = [], opts: RunOptions & { program?: string } = {}): Promise<CliResult> {
    if (this.runtime === "yaml") {
      const yes = op === "preview" ? [] : ["--yes"];
      return this.pulumi([op, ...yes, "--non-interactive", "--skip-preview", ...flags].filter((f) => !(op === "preview" && f === "--skip-preview")), opts);
    }
    if (!opts.program) throw new Error("a Node.js project runs a program: pass `program`");
    const runner = path.join(repoRoot(), "dist", "test", "e2e", "runner.js");
    const spec = JSON.stringify({ workDir: this.dir, stack: "dev", project: this.name, program: opts.program, op, flags });
    return run(process.execPath, [runner, spec], { ...opts, cwd: this.dir, env: this.ws.env(opts.env) });
  }

  /** `pulumi stack export` as text (secrets stay encrypted). */
  async exportText(): Promise<string> {
    return (await this.pulumi(["stack", "export"])).stdout;
  }

  /** The stack's resources from `pulumi stack export`, by type and name. */
  async resources(): Promise<StateResource[]> {
    const dep = JSON.parse(await this.exportText()) as { deployment: { resources?: StateResource[] } };
    return dep.deployment.resources ?? [];
  }

  /** One resource of the state by its name (the last URN segment), or undefined. */
  async resource(name: string): Promise<StateResource | undefined> {
    return (await this.resources()).find((r) => r.urn.endsWith(`::${name}`) && r.custom && !r.type.startsWith("pulumi:providers:"));
  }

  /** Stack outputs; `--show-secrets` when asked. */
  async outputs(showSecrets = false): Promise<Record<string, unknown>> {
    const res = await this.pulumi(["stack", "output", "--json", ...(showSecrets ? ["--show-secrets"] : [])]);
    return JSON.parse(res.stdout) as Record<string, unknown>;
  }

  /** The URN of a resource named `name` of type `type` in this project's `dev` stack. */
  urn(type: string, name: string): string {
    return `urn:pulumi:dev::${this.name}::${type}::${name}`;
  }
}

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  pendingReplacement?: boolean;
}

/** The pids of every process descended from `pid` (Linux /proc). */
export function descendants(pid: number): { pid: number; cmd: string }[] {
  const children = new Map<number, number[]>();
  const cmds = new Map<number, string>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
      cmds.set(Number(entry), fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" "));
    } catch {
      // the process ended meanwhile
    }
  }
  const out: { pid: number; cmd: string }[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push({ pid: c, cmd: cmds.get(c) ?? "" });
      walk(c);
    }
  };
  walk(pid);
  return out;
}
