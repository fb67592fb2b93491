/**
 * The seeded fault run on Huawei: create, update by content, resubmit, delete of many applications through
 * Pulumi's provider host at a 25 % fault rate over every fault kind; the counts are printed and must all be 0.
 */
import { huaweiPlan } from "./clouds";
import { expectSound, report, runFaultSuite } from "./suite";
import { SUITE } from "./settings";

test("huawei: nothing lost, duplicated, submitted twice, orphaned, stuck or leaked under faults", async () => {
  const opts = SUITE.options("huawei");
  const result = await runFaultSuite(huaweiPlan(), opts);
  console.log(report(result));
  expectSound(result, opts);
}, 300_000);
