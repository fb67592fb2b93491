/**
 * `npm run test:e2e`: the end-to-end suite through the real Pulumi CLI (test/e2e/*.e2e.ts). It needs what
 * `npm run setup:pulumi` builds; without it this config refuses to load, so the suite can never pass with
 * zero tests.
 */
const fs = require("fs");
const path = require("path");

const dir = process.env.CERTAPPLY_PULUMI_DIR || path.join(__dirname, ".pulumi-cli");
const need = ["pulumi", "pulumi-language-nodejs", "pulumi-language-yaml", "pulumi-resource-pulumi-nodejs"];
const absent = need.filter((f) => !fs.existsSync(path.join(dir, f)));
if (absent.length > 0) {
  throw new Error(
    `test:e2e: ${absent.join(", ")} not found in ${dir}. Run npm run setup:pulumi first: it builds Pulumi's CLI ` +
      "from the Go modules pinned in tools/ and needs Go (1.26 or later) and the Go module proxy.",
  );
}
if (!fs.existsSync(path.join(__dirname, "dist", "test", "e2e", "runner.js"))) {
  throw new Error("test:e2e: dist/test/e2e/runner.js is missing: run npm run build (npm run test:e2e does)");
}

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test/e2e"],
  testMatch: ["**/*.e2e.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  moduleNameMapper: {
    "^certapply$": "<rootDir>/sdk/index.ts",
    "^certapply/provider$": "<rootDir>/provider/index.ts",
    "^certapply/emulator$": "<rootDir>/emulator/index.ts",
  },
  testTimeout: 300000,
  // One file at a time: each runs the CLI, the plugin and the emulator on a machine shared with other work.
  maxWorkers: 1,
};
