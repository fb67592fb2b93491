/**
 * The seeded fault run on Huawei: create, update by content, resubmit, delete of many applications through
 * Pulumi's provider host at a 25 % fault rate over every fault kind; the counts are printed and must all be 0.
 */
import { huaweiPlan, huaweiPurchasePlan } from "./clouds";
import { expectSound, report, runFaultSuite } from "./suite";
import { SUITE } from "./settings";

test("huawei: nothing lost, duplicated, submitted twice, orphaned, stuck or leaked under faults", async () => {
  const opts = SUITE.options("huawei");
  const result = await runFaultSuite(huaweiPlan(), opts);
  console.log(report(result));
  expectSound(result, opts);
}, 300_000);

test("huawei purchase: never two purchases for one resource (the purchase carries no tag), nothing lost, orphaned, stuck or leaked under faults; destroy refunds every one", async () => {
  const opts = SUITE.options("huawei");
  const plan = huaweiPurchasePlan();
  const result = await runFaultSuite(plan, opts);
  const p = plan.purchases();
  console.log(`${report(result)}\n  purchases: ${p.bought} bought, ${p.refunded} refunded, still held: ${p.held.join(", ") || "none"}`);
  expectSound(result, opts);
  // Every purchase the run made, attributed or not: one per resource, each refunded by the delete phase.
  expect(p).toEqual({ bought: opts.count, refunded: opts.count, held: [] });
}, 300_000);
