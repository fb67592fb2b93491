/**
 * Issue 19 part 1: the emulator's RULES.md files cite their evidence by repo-relative path or by the official
 * repository and file, never by an absolute path of the machine they were written on.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const emulatorDir = join(__dirname, "..", "..", "emulator");
const rules = readdirSync(emulatorDir)
  .map((d) => join(emulatorDir, d, "RULES.md"))
  .filter((f) => statSync(join(f, ".."), { throwIfNoEntry: false })?.isDirectory() && statSync(f, { throwIfNoEntry: false })?.isFile());

/** A path rooted in a machine's file system: /work/…, /home/…, /Users/…, /tmp/…, C:\…, file://… */
const ABSOLUTE = /(?<=^|[\s(`'"[|])(?:\/(?:work|home|Users|tmp|root|opt|var|mnt|srv|private)\/[^\s)`'"|]*|[A-Za-z]:\\[^\s)`'"|]*|file:\/\/[^\s)`'"|]*)/g;

test("there is a RULES.md per cloud", () => {
  expect(rules.map((f) => f.split(/[\\/]/).slice(-2)[0]).sort()).toEqual(["edgecast", "huawei", "tencent"]);
});

test.each(rules.map((f) => [f.split(/[\\/]/).slice(-2).join("/"), f]))("%s cites no absolute path of a machine", (_name, file) => {
  const hits = readFileSync(file, "utf8")
    .split("\n")
    .flatMap((line, i) => [...line.matchAll(ABSOLUTE)].map((m) => `line ${i + 1}: ${m[0].trim()}`));
  expect(hits).toEqual([]);
});

test("the check finds the paths it is meant to find", () => {
  const found = (s: string) => [...s.matchAll(ABSOLUTE)].map((m) => m[0].trim());
  expect(found("| rule | /work/shared/reference/tencent-ssl.md §2 |")).toEqual(["/work/shared/reference/tencent-ssl.md"]);
  expect(found("see (/home/dev/huaweicloud-sdk-go-v3/services/scm/v3/model/x.go)")).toEqual(["/home/dev/huaweicloud-sdk-go-v3/services/scm/v3/model/x.go"]);
  expect(found("C:\\src\\notes.md and `file:///tmp/x`")).toEqual(["C:\\src\\notes.md", "file:///tmp/x"]);
  expect(found("ec-sdk-go `edgecast/cps/models/actor.go`, note §2.7, reference/edgecast-cps.md, GET /v2.0/certificates/{id}")).toEqual([]);
});
