/**
 * The seeded fault run on Edgecast: create, update by content, retrigger, delete of many applications through
 * Pulumi's provider host at a 25 % fault rate over every fault kind; the counts are printed and must all be 0.
 */
import { edgecastPlan } from "./clouds";
import { expectSound, report, runFaultSuite } from "./suite";
import { SUITE } from "./settings";


test("edgecast: nothing lost, duplicated, submitted twice, orphaned, stuck or leaked under faults", async () => {
  const opts = SUITE.options("edgecast");
  const result = await runFaultSuite(edgecastPlan(SUITE.seed), opts);
  console.log(report(result));
  expectSound(result, opts);
}, 300_000);
