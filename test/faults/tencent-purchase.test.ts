/**
 * The seeded fault run on Tencent with `purchase`: every resource buys its certificate at create
 * (CreateCertificate, tagged), then update, resubmit and delete as in the Tencent run, at the same fault rate over
 * every fault kind (a lost or garbled purchase reply included); the counts are printed and must all be 0: no
 * resource bought twice, none lost, none orphaned.
 */
import { tencentPurchasePlan } from "./clouds";
import { expectSound, report, runFaultSuite } from "./suite";
import { SUITE } from "./settings";

test("tencent purchase: never two purchases for one resource, nothing lost, orphaned, stuck or leaked under faults", async () => {
  const opts = SUITE.options("tencent");
  const result = await runFaultSuite(tencentPurchasePlan(), opts);
  console.log(report(result));
  expectSound(result, opts);
}, 300_000);
