/**
 * The seeded fault run on Huawei: create, update by content, resubmithuawei, delete of many applications through
 * Pulumi's provider host at a 25 % fault rate over every fault kind; the counts are printed and must all be 0.
 */
import { huaweiPlan } from "./clouds";
import { report, runFaultSuite } from "./suite";
import { SUITE } from "./settings";

test("huawei: nothing lost, duplicated, submitted twice, orphaned, stuck or leaked under faults", async () => {
  const result = await runFaultSuite(huaweiPlan(), SUITE.options("huawei"));
  console.log(report(result));
  expect(result.operations).toBeGreaterThanOrEqual(200);
  // Faults were injected: about a quarter of the requests (the seeded share), not none.
  expect(Object.values(result.faulted).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(0.15 * result.requests);
  expect(result.canaries).toBeGreaterThanOrEqual(100);
  expect(result.counts).toEqual({ lost: 0, duplicatePaidOrders: 0, submittedTwice: 0, orphans: 0, unconverged: 0, secretsInOutput: 0 });
}, 300_000);
