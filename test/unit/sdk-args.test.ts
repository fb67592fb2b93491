/** sdk/args.ts is generated from provider/resources/spec.ts: the committed file must be what the generator gives. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as spec from "../../provider/resources/spec";

const { render } = require("../../scripts/gen-sdk.js") as { render: (s: typeof spec) => string };

test("the committed sdk/args.ts is exactly what `npm run gen` produces from the spec", () => {
  const committed = readFileSync(join(__dirname, "../../sdk/args.ts"), "utf8");
  expect(committed).toBe(render(spec));
});

test("the generator follows the spec (a changed description changes the output)", () => {
  const changed = { ...spec, LETTER: { ...spec.LETTER, properties: { ...spec.LETTER.properties, file: { ...spec.LETTER.properties.file, description: "Changed." } } } };
  expect(render(changed)).toContain("/** Changed. */\n  file?: pulumi.Input<string>;");
  expect(render(changed)).not.toBe(render(spec));
});
