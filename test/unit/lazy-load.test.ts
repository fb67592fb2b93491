/**
 * Heavy modules load only when used (issue 11 part 4): requiring the provider entry loads neither
 * @peculiar/x509 nor reflect-metadata; parsing a CSR does. Run in a child process on the compiled provider
 * (npm test builds dist/ first) so the count is not disturbed by this test runner's own module cache.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "../..");

function loaded(script: string): { heavy: string[]; files: number } {
  const run = spawnSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8", timeout: 30000 });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout) as { heavy: string[]; files: number };
}

const REPORT = `
  const keys = Object.keys(require.cache);
  const heavy = keys.filter((k) => /[\\\\/]node_modules[\\\\/](@peculiar[\\\\/]x509|reflect-metadata|axios|proxy-from-env|follow-redirects)[\\\\/]/.test(k)).map((k) => k.replace(/.*node_modules[\\\\/]/, "").split(/[\\\\/]/).slice(0, 2).join("/"));
  process.stdout.write(JSON.stringify({ heavy: [...new Set(heavy)].sort(), files: keys.length }));
`;

test("require('certapply/provider') without a CSR loads neither @peculiar/x509 nor reflect-metadata, and no HTTP library before the first call", () => {
  const entry = join(root, "dist/provider/index.js");
  expect(existsSync(entry)).toBe(true);
  const before = loaded(`require(${JSON.stringify(entry)}); ${REPORT}`);
  expect(before.heavy).toEqual([]);
  const csrModule = join(root, "dist/provider/resources/csr.js");
  const after = loaded(`require(${JSON.stringify(entry)}); try { require(${JSON.stringify(csrModule)}).parseCsr("-----BEGIN CERTIFICATE REQUEST-----\\nAAAA\\n-----END CERTIFICATE REQUEST-----"); } catch {} ${REPORT}`);
  expect(after.heavy).toContain("@peculiar/x509");
  expect(after.heavy.some((h) => h.startsWith("reflect-metadata"))).toBe(true);
  expect(after.files).toBeGreaterThan(before.files + 50);
  console.log(`provider entry: ${before.files} files loaded; after the first CSR parse: ${after.files}`);
});
