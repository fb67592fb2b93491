/**
 * The seeded fault run on Huawei with `purchase`: every resource buys its certificate at create (the purchase takes
 * no tag: certapply tags it right after), then update, resubmit and delete (which refunds) as in the Huawei run, at
 * the same fault rate over every fault kind (a lost or garbled purchase reply included); the counts are printed and
 * must all be 0, and every purchase the run made is counted, attributed or not: one per resource.
 */
import { huaweiPurchasePlan } from "./clouds";
import { expectSound, report, runFaultSuite } from "./suite";
import { SUITE } from "./settings";

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
