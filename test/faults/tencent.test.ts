/**
 * The seeded fault run on Tencent: create, update by content, resubmit, delete of many applications through
 * Pulumi's provider host at a 25 % fault rate over every fault kind; the counts are printed and must all be 0.
 */
import { tencentPlan } from "./clouds";
import { expectSound, report, runFaultSuite } from "./suite";
import { SUITE } from "./settings";

test("tencent: nothing lost, duplicated, submitted twice, orphaned, stuck or leaked under faults", async () => {
  const opts = SUITE.options("tencent");
  const result = await runFaultSuite(tencentPlan(), opts);
  console.log(report(result));
  expectSound(result, opts);
}, 300_000);
