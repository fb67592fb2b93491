import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import applicationProvider = require("../../sdk/application-provider");
import { installedCopy } from "../package/tools";
import letterProvider = require("../../sdk/letter-provider");

const secrets = ["TENCENTCLOUD_SECRET_KEY", "EDGECAST_CLIENT_SECRET", "HW_SECRET_KEY"];
const repo = path.resolve(__dirname, "..", "..");
const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"];

function loadBack(text: string, cwd?: string): Record<string, unknown> {
  const requireFromString = require("require-from-string") as (code: string, filename?: string) => { handler: () => Record<string, unknown> };
  return requireFromString(text, cwd ? path.join(cwd, "__provider.js") : undefined).handler();
}

describe.each([
  ["CertificateApplication", applicationProvider],
  ["ConfirmLetter", letterProvider],
])("the %s provider shim, serialized from a checkout or linked install (methods written out)", (_name, provider) => {
  let text = "";
  let containsSecrets = true;
  beforeAll(async () => {
    for (const s of secrets) process.env[s] = `canary-${s}-3f9a`;
    const res = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    text = res.text;
    containsSecrets = res.containsSecrets;
  });
  afterAll(() => {
    for (const s of secrets) delete process.env[s];
  });

  test("is small (under 4 KB) and holds no secret", () => {
    expect(Buffer.byteLength(text)).toBeLessThan(4096);
    expect(containsSecrets).toBe(false);
    for (const s of secrets) expect(text).not.toContain(`canary-${s}`);
  });

  test("only requires the installed provider by its bare package name", () => {
    const requires = [...text.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(["certapply/provider"]));
  });

  test("loads back, as the provider host loads it, with every provider method", () => {
    const loaded = loadBack(text);
    for (const m of METHODS) expect(typeof loaded[m]).toBe("function");
  });
});

/*
 * From an npm install (certapply under node_modules), Pulumi writes the shim module as a `require` of its
 * path. Plain node in a child process: Pulumi looks modules up in node's own require cache, which jest replaces.
 */
describe("the provider shims, serialized from an npm install", () => {
  let project = "";
  beforeAll(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "certapply-shim-"));
    // Pulumi and the rest are links, which node follows unless told not to (see `serialize`).
    installedCopy(repo, project, ["dist/sdk/shims.js", "dist/sdk/application-provider.js", "dist/sdk/letter-provider.js"]);
  });
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  /** `preserveSymlinks`: Pulumi resolves the package from the project, and maps the file through its `exports`. */
  function serialize(kind: "application" | "letter", preserveSymlinks: boolean): string {
    const script = `
      const pulumi = require("@pulumi/pulumi");
      const provider = require("certapply/dist/sdk/${kind}-provider.js");
      pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true }).then((r) => process.stdout.write(r.text));`;
    return execFileSync(process.execPath, [...(preserveSymlinks ? ["--preserve-symlinks"] : []), "-e", script], { cwd: project, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  }

  test.each([
    ["application", false],
    ["application", true],
    ["letter", false],
    ["letter", true],
  ] as const)("%s (preserve symlinks: %s): one require of the shim module, under 512 bytes, and it loads back", (kind, preserve) => {
    const text = serialize(kind, preserve);
    expect(Buffer.byteLength(text)).toBeLessThan(512);
    const requires = [...text.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(requires).toEqual([`certapply/dist/sdk/${kind}-provider.js`]);
    const loaded = loadBack(text, project);
    for (const m of METHODS) expect(typeof loaded[m]).toBe("function");
  });
});
