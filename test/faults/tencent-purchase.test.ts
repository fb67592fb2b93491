/**
 * The seeded fault run on Tencent with `purchase`: every resource buys its certificate at create
 * (CreateCertificate, tagged), then update, resubmit and delete as in the Tencent run, at the same fault rate over
 * every fault kind (a lost or garbled purchase reply included); the counts are printed and must all be 0: no
 * resource bought twice, none lost, none orphaned.
 *
 * Then the renewal writes under the same faults: issued certificates aged into their window are renewed by one
 * `pulumi up` (re-run as a user would: faulted, faulted, quiet), half paying with CreateCertificate, half with
 * CreateCertificateByPackage (OldCertificateId); a run that fails after the renewal's purchase (a lost reply, a
 * reset) is the crash case. Counted: renewals bought per expiry beyond one, resources whose state does not follow
 * their renewal, old certificates cancelled or revoked, renewals left pending in no state after the delete.
 */
import type { CertificateApplicationArgs } from "certapply";
import type { Emulator } from "../../emulator";
import { tencentPurchasePlan } from "./clouds";
import { SOUND, countsLine, runRenewalFaults } from "./renewal";
import { expectSound, report, runFaultSuite } from "./suite";
import { SUITE } from "./settings";

test("tencent purchase: never two purchases for one resource, nothing lost, orphaned, stuck or leaked under faults", async () => {
  const opts = SUITE.options("tencent");
  const result = await runFaultSuite(tencentPurchasePlan(), opts);
  console.log(report(result));
  expectSound(result, opts);
}, 300_000);

test("tencent renewal: one renewal per expiry, the old certificate never cancelled, nothing lost or orphaned under faults", async () => {
  const opts = SUITE.options("tencent");
  const plan = tencentPurchasePlan();
  const RENEWAL_WRITES = ["CreateCertificate", "CreateCertificateByPackage", "CertificateInfoSubmit", "CertificateOrderSubmit"];
  let renewalsOf: (old: string) => ReturnType<Emulator["tencent"]["all"]> = () => [];
  let bought = 0;
  const result = await runRenewalFaults({
    cloud: "tencent",
    count: Math.min(opts.count, 20),
    seed: opts.seed,
    rate: opts.rate,
    // The emulator's own pace (10/s per action): this run does not speed its clock as the fault suite does.
    config: { "certapply:retryBaseDelayMs": "5", "certapply:maxRetries": "6" },
    seeds: { renewal: 70, delete: 80 },
    args: (i: number, renewBeforeDays?: number): CertificateApplicationArgs => ({
      ...plan.args(i, 1, "t0"),
      // Half pay their renewal with CreateCertificateByPackage (OldCertificateId), half with a new CreateCertificate.
      ...(i % 2 === 1 ? { purchase: { productId: 1013949, domainCount: 1, years: 1, packageIds: ["pkg-faults"] } } : {}),
      ...(renewBeforeDays === undefined ? {} : { renewBeforeDays }),
    }),
    async prepare(emulator) {
      emulator.tencent.addPackage({ packageId: "pkg-faults", points: 1_000_000 });
      renewalsOf = (old) => emulator.tencent.all().filter((r) => r.purchased && r.tags.some((t) => t.TagKey === "certapply-renewal" && t.TagValue.startsWith(`${old}.`)));
    },
    async issueAndAge(emulator, id) {
      emulator.tencent.issue(id);
      await emulator.tencent.certificate(id);
      await emulator.tencent.age(id, 20);
    },
    // The crash case: six resources' runs stop right after the renewal's purchase (their materials answered by a
    // hard error), so only the next run, with nothing of the renewal in its state, can finish them.
    aim: { actions: RENEWAL_WRITES, inject: { action: "CertificateInfoSubmit", kind: "not-found", count: 6 } },
    paidWrite: (e) => /^CreateCertificate/.test(e.action),
    async judgeRenewals({ emulator, engine, names, ids, counts, traces }) {
      bought = emulator.tencent.all().filter((r) => r.purchased).length - names.length;
      names.forEach((name, i) => {
        const renewals = renewalsOf(ids[i]);
        if (renewals.length > 1) {
          counts.duplicateRenewals += renewals.length - 1;
          traces.push(`${name}: ${renewals.length} renewals of ${ids[i]}: ${renewals.map((r) => r.certificateId).join(", ")}`);
        }
        if (renewals.length === 0) {
          counts.missingRenewals += 1;
          traces.push(`${name}: no renewal of ${ids[i]}`);
          return;
        }
        const outs = engine.resource(name)?.outputs ?? {};
        const r = renewals[0];
        if (outs.currentCertificateId !== r.certificateId || outs.renewedFrom !== ids[i] || ![0, 4, 8].includes(r.status) || r.orderCount !== 1) {
          counts.notFollowed += 1;
          traces.push(`${name}: state current ${String(outs.currentCertificateId)} renewedFrom ${String(outs.renewedFrom)}; renewal ${r.certificateId} in ${r.status}, ${r.orderCount} order(s)`);
        }
      });
    },
    // Delete during the renewal: only the never-issued renewals are cancelled.
    async judgeDelete({ emulator, ids, counts, traces }) {
      for (const old of ids) {
        const s = emulator.tencent.state(old);
        if (s?.status !== 1 || emulator.log.some((e) => e.target === old && /^(Cancel|Revoke)/.test(e.action))) {
          counts.oldTouched += 1;
          traces.push(`old certificate ${old} is in ${s?.status}`);
        }
        for (const r of renewalsOf(old)) {
          if ([0, 4, 5, 8, 13].includes(r.status)) {
            counts.renewalsLeftPending += 1;
            const log = emulator.log.filter((e) => e.target === r.certificateId).map((e) => `${e.action} ${e.status}${e.code ? ` ${e.code}` : ""}${e.fault ? ` (${e.fault})` : ""}`);
            traces.push(`renewal ${r.certificateId} of ${old} left in ${r.status} after the delete: ${log.join(", ")}`);
          }
        }
      }
    },
  });
  console.log(
    `tencent renewal under faults: ${Math.min(opts.count, 20)} resources, ${result.faulted} faulted requests, ${result.paidLost} renewal purchases applied with their reply lost, ` +
      `${result.failedRuns} failed renewal run(s), ${bought} renewals bought; ${countsLine(result)}`,
  );
  expect(result.paidLost).toBeGreaterThan(0);
  expect(result.failedRuns).toBeGreaterThan(0);
  expect(result.counts).toEqual(SOUND);
}, 300_000);
