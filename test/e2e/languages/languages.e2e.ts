/**
 * Programs in other languages, through the real CLI and the plugin directory (plugin/) the engine starts:
 * - `pulumi package gen-sdk <certapply>/plugin` generates the Go and Python SDKs from the schema the plugin
 *   serves (Pulumi's code generators of pkg/v3, behind the stand-in language hosts of test/languages/codegen:
 *   the Go module proxy serves neither of Pulumi's own Go and Python hosts);
 * - the Go SDK builds and vets in test/languages/go's module (committed go.mod/go.sum, sdk/v3 v3.276.0);
 *   the Python SDK installs into a virtual environment beside `pulumi` from PyPI (test/languages/python/requirements.txt);
 * - the YAML program (test/languages/yaml/Pulumi.yaml, run by Pulumi's YAML language host), the Python program
 *   and the Go program (Automation API inline programs, for want of their language hosts) each create, update
 *   (`resubmitTrigger` → one resubmit) and destroy (the application withdrawn) a Tencent application on the emulator.
 * Needs `npm run setup:pulumi`, Go and Python 3: a missing one fails this file, it never skips.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Emulator, SECRET_CONFIG_KEYS } from "../../../emulator/server";
import { repoRoot } from "../../harness/engine";
import { pulumiDir, run, Workspace, type CliResult } from "../cli";

const LANGUAGES = path.join(repoRoot(), "test", "languages");

/** The path of `tool` on PATH, or a loud failure naming what to install. */
function tool(name: string, why: string): string {
  try {
    return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(`${name} is not on PATH: ${why}`);
  }
}

let emulator: Emulator;
let ws: Workspace;
let go: string;
let python: string;
/** The stand-in Go and Python language hosts (SDK generation only), built for this run. */
let codegenBin: string;
/** Where gen-sdk wrote the SDKs (`go/certapply`, `python`). */
let sdks: string;

/** The CLI environment plus the code generators, first on PATH. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = ws.env(extra);
  return { ...base, PATH: `${codegenBin}${path.delimiter}${base.PATH ?? ""}` };
}

/** Stack config pointing at the emulator, for `certificateId`; `--secret` for the credentials. */
function stackConfig(certificateId: string, extra: Record<string, string> = {}): Record<string, { value: string; secret: boolean }> {
  const values: Record<string, string> = { ...emulator.stackConfig(), "certapply:pollIntervalMs": "50", certificateId, ...extra };
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v, secret: SECRET_CONFIG_KEYS.includes(k) }]));
}

/** A project directory with `Pulumi.yaml` and node_modules/certapply (this checkout), as `npm install certapply` leaves it. */
function projectDir(name: string, pulumiYaml: string): string {
  const dir = path.join(ws.base, name);
  fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  fs.symlinkSync(repoRoot(), path.join(dir, "node_modules", "certapply"), "dir");
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), pulumiYaml);
  return dir;
}

/** The last stdout line of an inline-program driver: its outputs and resource changes. */
function driverResult(res: CliResult): { outputs: Record<string, unknown>; changes: Record<string, number> } {
  const last = res.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(last) as { outputs: Record<string, unknown>; changes: Record<string, number> };
}

/** The emulator's record of a Tencent certificate: status 7 is cancelled. */
function tencentState(id: string) {
  const s = emulator.tencent.state(id);
  if (!s) throw new Error(`the emulator has no certificate ${id}`);
  return s;
}

beforeAll(async () => {
  go = tool("go", "the Go SDK is built and vetted, and the stand-in code generators are built, with Go 1.26 or later");
  python = tool("python3", "the Python SDK is installed into a virtual environment with Python 3.9 or later");
  emulator = await new Emulator().start();
  ws = new Workspace("certapply-languages-");
  if (!fs.existsSync(path.join(pulumiDir(), "pulumi"))) throw new Error(`the Pulumi CLI is missing in ${pulumiDir()}: run npm run setup:pulumi first`);
  // A run leaves schema-certapply.json beside plugin/ (Pulumi's schema loader caches a plugin's schema there):
  // never let a cache of an earlier build stand in for the schema under test.
  for (const f of fs.readdirSync(repoRoot()).filter((f) => /^schema-certapply.*\.json$/.test(f))) fs.rmSync(path.join(repoRoot(), f));
  codegenBin = path.join(ws.base, "codegen-bin");
  await run(go, ["build", "-o", `${codegenBin}${path.sep}`, "./cmd/..."], {
    cwd: path.join(LANGUAGES, "codegen"),
    env: { ...process.env, GOFLAGS: "-mod=readonly" },
  });
  sdks = path.join(ws.base, "sdks");
  // The plugin's schema, as a user reaches it: node_modules/certapply/plugin.
  const dir = projectDir("gen", "name: gen\nruntime: yaml\n");
  for (const language of ["go", "python"]) {
    await run(path.join(pulumiDir(), "pulumi"), ["package", "gen-sdk", "./node_modules/certapply/plugin", "--language", language, "--out", sdks], {
      cwd: dir,
      env: env(),
    });
  }
}, 900_000);

afterAll(async () => {
  await emulator?.stop();
  ws?.dispose();
});

describe("generated SDKs", () => {
  test("gen-sdk writes Go and Python SDKs from the plugin's schema, with its descriptions and Go-safe names", () => {
    const goSdk = path.join(sdks, "go", "certapply");
    const goText = fs.readdirSync(goSdk).filter((f) => f.endsWith(".go")).map((f) => fs.readFileSync(path.join(goSdk, f), "utf8")).join("\n");
    const pyText = ["certificate_application.py", "_inputs.py", "outputs.py", "_enums.py", "provider.py"]
      .map((f) => fs.readFileSync(path.join(sdks, "python", "pulumi_certapply", f), "utf8"))
      .join("\n");
    for (const text of [goText, pyText]) {
      // Resource, property, nested type, enum value and config descriptions reach the docs.
      expect(text).toContain("A paid SSL certificate application on Tencent Cloud SSL, Edgecast CPS or Huawei Cloud SCM.");
      expect(text).toContain("Upper bound of that wait, in seconds (default 600, at most 3600).");
      expect(text).toContain("CNAME target for the CDN, once the certificate is deployed.");
      expect(text).toContain("Until the validation records are known.");
      expect(text).toContain("Per-request timeout in milliseconds.");
      expect(text).not.toMatch(/privateKeyPem|private_key_pem/);
    }
    expect(goText).toContain("type EdgecastRequestOutput struct");
    expect(goText).not.toContain("OutputOutput");
    expect(goText).toContain('WaitForValidationRecords = WaitFor("validation-records")');
    expect(goText).toContain("RequestTimeoutMs pulumi.IntPtrInput");
    expect(goText).toMatch(/func GetCertificateApplication\(ctx \*pulumi.Context,\s+name string, id pulumi.IDInput, state \*CertificateApplicationState/);
    expect(pyText).toContain('EDGECAST_EMAIL = "Email"');
    expect(pyText).toContain("request_timeout_ms: pulumi.Input[Optional[_builtins.int]]");
  });

  test("the Go SDK builds and vets with the program, in a module at sdk/v3 v3.276.0 (committed go.mod/go.sum)", async () => {
    const mod = path.join(ws.base, "gomod");
    fs.cpSync(path.join(LANGUAGES, "go"), mod, { recursive: true });
    fs.cpSync(path.join(sdks, "go", "certapply"), path.join(mod, "certapply"), { recursive: true });
    const goEnv = { ...process.env, GOFLAGS: "-mod=readonly" };
    expect(fs.readFileSync(path.join(mod, "go.mod"), "utf8")).toMatch(/github.com\/pulumi\/pulumi\/sdk\/v3 v3\.276\.0/);
    await run(go, ["build", "./..."], { cwd: mod, env: goEnv });
    await run(go, ["vet", "./..."], { cwd: mod, env: goEnv });
    await run(go, ["build", "-o", path.join(ws.base, "go-program"), "./program"], { cwd: mod, env: goEnv });
  }, 900_000);

  test("the Python SDK installs into a virtual environment beside pulumi from PyPI", async () => {
    const venv = path.join(ws.base, "venv");
    await run(python, ["-m", "venv", venv], { env: process.env });
    const pip = path.join(venv, "bin", "pip");
    await run(pip, ["install", "--quiet", "--disable-pip-version-check", "-r", path.join(LANGUAGES, "python", "requirements.txt")], { env: process.env });
    await run(pip, ["install", "--quiet", "--disable-pip-version-check", path.join(sdks, "python")], { env: process.env });
    const res = await run(path.join(venv, "bin", "python"), ["-c", "import pulumi, pulumi_certapply as c; print(pulumi.__version__ if hasattr(pulumi, '__version__') else ''); print(c.WaitFor.VALIDATION_RECORDS.value)"], {
      env: process.env,
    });
    expect(res.stdout).toContain("validation-records");
    const shown = await run(pip, ["show", "pulumi"], { env: process.env });
    const pinned = /pulumi==(\S+)/.exec(fs.readFileSync(path.join(LANGUAGES, "python", "requirements.txt"), "utf8"))?.[1];
    expect(shown.stdout).toContain(`Version: ${pinned}`);
  }, 900_000);
});

describe("programs create, update and destroy an application on the emulator", () => {
  test("YAML (Pulumi's YAML language host; plugin from Pulumi.yaml packages)", async () => {
    const { certificateId: id } = emulator.tencent.seed();
    const program = fs.readFileSync(path.join(LANGUAGES, "yaml", "Pulumi.yaml"), "utf8");
    const dir = projectDir("yaml", program);
    // As the README says: with pulumi-yaml 1.25.0's host, `pulumi package add` stops at Link, Pulumi.yaml unchanged.
    const add = await ws.pulumi(["package", "add", "./node_modules/certapply/plugin"], { cwd: dir, allowFailure: true });
    expect(add.code).not.toBe(0);
    expect(add.stdout + add.stderr).toContain("linking package: method Link not implemented");
    expect(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")).toBe(program);
    const pulumi = (args: string[]) => ws.pulumi([...args, "--stack", "dev"], { cwd: dir });
    await ws.pulumi(["stack", "init", "dev", "--non-interactive"], { cwd: dir });
    for (const [k, v] of Object.entries(stackConfig(id))) await pulumi(["config", "set", ...(v.secret ? ["--secret"] : ["--plaintext"]), k, v.value]);
    const outputs = async () => JSON.parse((await pulumi(["stack", "output", "--json"])).stdout) as Record<string, unknown>;

    await pulumi(["up", "--yes", "--non-interactive", "--skip-preview"]);
    expect(await outputs()).toEqual({ applicationId: id, status: "under-review", resubmitCount: 0 });
    expect(tencentState(id)).toMatchObject({ submitCount: 1, orderCount: 1, resubmitCount: 0 });

    await pulumi(["config", "set", "resubmitTrigger", "again"]);
    const up = await pulumi(["up", "--yes", "--non-interactive", "--skip-preview"]);
    expect(up.stdout).toMatch(/1 updated/);
    expect(await outputs()).toEqual({ applicationId: id, status: "under-review", resubmitCount: 1 });
    expect(tencentState(id)).toMatchObject({ resubmitCount: 1 });

    await pulumi(["destroy", "--yes", "--non-interactive", "--skip-preview"]);
    expect(tencentState(id).status).toBe(7);
  }, 600_000);

  test("Python (pulumi_certapply, Automation API inline program)", async () => {
    const { certificateId: id } = emulator.tencent.seed();
    const dir = projectDir("python", "name: certapply-python\nruntime: python\npackages:\n  certapply: ./node_modules/certapply/plugin\n");
    const driver = async (op: string, config: Record<string, string> = {}) =>
      driverResult(
        await run(path.join(ws.base, "venv", "bin", "python"), [path.join(LANGUAGES, "python", "run.py"), dir, "dev", op], {
          cwd: dir,
          env: env({ CERTAPPLY_STACK_CONFIG: JSON.stringify(stackConfig(id, config)) }),
        }),
      );
    expect(fs.existsSync(path.join(ws.base, "venv", "bin", "python"))).toBe(true);

    const created = await driver("up");
    expect(created.outputs).toEqual({ applicationId: id, status: "under-review", resubmitCount: 0 });
    expect(created.changes).toMatchObject({ create: 2 });
    expect(tencentState(id)).toMatchObject({ submitCount: 1, orderCount: 1, resubmitCount: 0 });

    const updated = await driver("up", { resubmitTrigger: "again" });
    expect(updated.changes).toMatchObject({ update: 1 });
    expect(updated.outputs).toMatchObject({ resubmitCount: 1 });
    expect(tencentState(id)).toMatchObject({ resubmitCount: 1 });

    const destroyed = await driver("destroy");
    expect(destroyed.changes).toMatchObject({ delete: 2 });
    expect(tencentState(id).status).toBe(7);
  }, 600_000);

  test("Go (the generated SDK, Automation API inline program)", async () => {
    const { certificateId: id } = emulator.tencent.seed();
    const dir = projectDir("go", "name: certapply-go\nruntime: go\npackages:\n  certapply: ./node_modules/certapply/plugin\n");
    const driver = async (op: string, config: Record<string, string> = {}, stack = "dev", program = "declare") =>
      driverResult(
        await run(path.join(ws.base, "go-program"), [dir, stack, op, program], {
          cwd: dir,
          env: env({ CERTAPPLY_STACK_CONFIG: JSON.stringify(stackConfig(id, config)) }),
        }),
      );
    expect(fs.existsSync(path.join(ws.base, "go-program"))).toBe(true);

    const created = await driver("up");
    expect(created.outputs).toEqual({ applicationId: id, status: "under-review", resubmitCount: 0 });
    expect(created.changes).toMatchObject({ create: 2 });
    expect(tencentState(id)).toMatchObject({ submitCount: 1, orderCount: 1, resubmitCount: 0 });

    const updated = await driver("up", { resubmitTrigger: "again" });
    expect(updated.changes).toMatchObject({ update: 1 });
    expect(updated.outputs).toMatchObject({ resubmitCount: 1 });
    expect(tencentState(id)).toMatchObject({ resubmitCount: 1 });

    // The typed get (stateInputs) reads it from another stack, through a provider with typed settings (integers, a
    // map of numbers, as the generated SDK sends them); destroying that stack leaves the application.
    const read = await driver("up", {}, "reader", "read");
    expect(read.outputs).toEqual({ applicationId: id, status: "under-review", commonName: "www.example.com" });
    expect(read.changes).toEqual({ create: 2 }); // the stack and the explicit provider: a read creates nothing
    await driver("destroy", {}, "reader", "read");
    expect(tencentState(id)).toMatchObject({ status: 0, resubmitCount: 1 });

    const destroyed = await driver("destroy");
    expect(destroyed.changes).toMatchObject({ delete: 2 });
    expect(tencentState(id).status).toBe(7);
  }, 600_000);
});
