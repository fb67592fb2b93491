/**
 * The tarball holds only what a user runs: the built provider, SDK and emulator with their types and
 * self-contained source maps, the plugin directory (plugin/), the README and package.json. Reads the list `npm pack`
 * would pack from the dist/ that `npm test` just built.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../harness/engine";
import { packedFiles, problems } from "./packlist";

const root = repoRoot();
let files: string[];
beforeAll(() => {
  files = packedFiles(root);
});

test("every packed file is one a user runs, loads only packed files and declared dependencies, and every map carries its sources", () => {
  expect(problems(root, files)).toEqual([]);
});

test("the entry points, the plugin, the CLI and the types are packed; tests, examples, bench and the build cache are not", () => {
  for (const f of ["package.json", "README.md", "plugin/PulumiPlugin.yaml", "plugin/package.json", "plugin/index.js", "dist/sdk/index.js", "dist/sdk/index.d.ts", "dist/provider/index.js", "dist/provider/plugin.js", "dist/emulator/index.js", "dist/emulator/cli.js"]) {
    expect(files).toContain(f);
  }
  expect(files.filter((f) => /^dist\/(test|examples)\/|\.test\.|tsbuildinfo|^(provider|sdk|emulator|test|examples)\//.test(f))).toEqual([]);
  const maps = files.filter((f) => f.endsWith(".js.map"));
  expect(maps.length).toBe(files.filter((f) => f.startsWith("dist/") && f.endsWith(".js")).length);
});

describe("the checker itself", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "certapply-packlist-"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "certapply", main: "dist/sdk/index.js", dependencies: { axios: "1" } }));
    fs.mkdirSync(path.join(dir, "dist", "sdk"), { recursive: true });
    fs.mkdirSync(path.join(dir, "sdk"));
    fs.writeFileSync(path.join(dir, "sdk", "index.ts"), "export {};\n");
    fs.writeFileSync(path.join(dir, "dist", "sdk", "index.js"), 'require("axios"); require("./gone"); require("jest");\n');
    fs.writeFileSync(path.join(dir, "dist", "sdk", "index.js.map"), JSON.stringify({ version: 3, sources: ["../../sdk/index.ts"], mappings: "" }));
    fs.writeFileSync(path.join(dir, "dist", "sdk", "old.js"), "");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("names a map without sources, a stale output, an unpacked relative load, an undeclared package and test material", () => {
    const found = problems(dir, ["package.json", "dist/sdk/index.js", "dist/sdk/index.js.map", "dist/sdk/old.js"]);
    expect(found).toEqual(
      expect.arrayContaining([
        "dist/sdk/index.js.map: source map without its sources (set inlineSources)",
        "dist/sdk/old.js: no source sdk/old.ts (stale build output: npm run clean, then build)",
        "dist/sdk/index.js: loads ./gone, which is not packed",
        "dist/sdk/index.js: loads jest, which is neither a dependency nor a peer dependency",
      ]),
    );
    expect(found.join("\n")).not.toMatch(/axios/);
    fs.writeFileSync(path.join(dir, "dist", "sdk", "index.test.js"), "");
    expect(problems(dir, ["package.json", "dist/sdk/index.test.js"])).toContain("dist/sdk/index.test.js: test, bench or example material");
  });
});
