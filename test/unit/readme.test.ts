/**
 * The README's tables come from the one definition (provider/resources/spec.ts, provider/config.ts): every output
 * the provider adds and every setting with its environment variable is there, and nothing else is. Its quickstart
 * is run by the pack check (test/package/pack-check.ts); the engineering figures live in docs/.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SETTINGS } from "../../provider/config";
import { APPLICATION, LETTER } from "../../provider/resources/spec";

const root = join(__dirname, "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");

function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** The backquoted names in the first column of a section's table rows. */
function firstColumn(text: string, column = 0): string[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith("|") && !l.startsWith("|---"))
    .flatMap((l) => [...(l.split("|")[column + 1] ?? "").matchAll(/`([A-Za-z_]+)`/g)].map((m) => m[1]));
}

test("the Outputs table names every output CertificateApplication adds, and the ConfirmLetter outputs", () => {
  const added = Object.entries(APPLICATION.properties)
    .filter(([, p]) => p.output && p.input === undefined)
    .map(([k]) => k);
  const table = firstColumn(section("Outputs"));
  expect(added.filter((k) => !table.includes(k))).toEqual([]);
  const edgecast = APPLICATION.properties.edgecast;
  expect(edgecast.output).toBe(true);
  expect(table).toContain("edgecast");
  expect(table).toContain("ownerKey");
  const letterOutputs = Object.entries(LETTER.properties)
    .filter(([, p]) => p.output && p.input === undefined)
    .map(([k]) => k);
  for (const k of letterOutputs) expect(section("Outputs")).toContain(`\`${k}\``);
});

test("the Configuration table names every setting with its environment variable, and no other", () => {
  const text = section("Configuration");
  const keys = firstColumn(text, 1);
  const envs = firstColumn(text, 2);
  expect([...keys].sort()).toEqual(Object.keys(SETTINGS).sort());
  expect([...envs].sort()).toEqual(Object.values(SETTINGS).map((s) => s.env).sort());
});

test("the README speaks to users: the engineering figures are in docs/", () => {
  expect(readme.split("\n").length).toBeLessThan(330);
  for (const f of ["docs/engineering.md", "docs/reference.md"]) expect(existsSync(join(root, f))).toBe(true);
  expect(readme).not.toMatch(/^## (Reliability|Performance|Development|Layout)/m);
  expect(readme).not.toMatch(/\d+ MB|wall time|npm run bench|s of jest|injected faults/);
  expect(readFileSync(join(root, "docs", "engineering.md"), "utf8")).toMatch(/## Reliability[\s\S]*## Performance/);
  expect(readme).not.toMatch(/github:<owner>|<owner>/);
});
