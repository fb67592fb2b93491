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
import { CertificateApplication, type CertificateApplicationArgs } from "certapply";
import { Emulator } from "../../emulator";
import { Engine, EngineError } from "../harness/engine";
import { tencentPurchasePlan } from "./clouds";
import { LATE_REPLY_MS, REQUEST_TIMEOUT_MS, expectSound, report, runFaultSuite } from "./suite";
import { SUITE } from "./settings";

test("tencent purchase: never two purchases for one resource, nothing lost, orphaned, stuck or leaked under faults", async () => {
  const opts = SUITE.options("tencent");
  const result = await runFaultSuite(tencentPurchasePlan(), opts);
  console.log(report(result));
  expectSound(result, opts);
}, 300_000);

test("tencent renewal: one renewal per expiry, the old certificate never cancelled, nothing lost or orphaned under faults", async () => {
  const opts = SUITE.options("tencent");
  const count = Math.min(opts.count, 20);
  const plan = tencentPurchasePlan();
  const emulator = await new Emulator().start();
  let engine: Engine | undefined;
  const counts = { duplicateRenewals: 0, missingRenewals: 0, notFollowed: 0, oldTouched: 0, renewalsLeftPending: 0, failedFinalRuns: 0 };
  const traces: string[] = [];
  let faulted = 0;
  /** Renewal purchases applied whose reply the client never got (lost, garbled, late). */
  let paidLost = 0;
  /** Renewal runs that failed (and were run again). */
  let failedRuns = 0;
  /** Renewals bought in all. */
  let bought = 0;
  try {
    emulator.tencent.addPackage({ packageId: "pkg-faults", points: 1_000_000 });
    engine = await Engine.start({
      config: {
        ...emulator.stackConfig(),
        "certapply:pollIntervalMs": "20",
        "certapply:requestTimeoutMs": String(REQUEST_TIMEOUT_MS),
        ...opts.config,
        "certapply:retryBaseDelayMs": "5",
      },
      parallel: count,
      continueOnError: true,
    });
    const names = Array.from({ length: count }, (_, i) => `renew${i}`);
    const args = (i: number, renewBeforeDays?: number): CertificateApplicationArgs => ({
      ...plan.args(i, 1, "t0"),
      ...(i % 2 === 1 ? { purchase: { productId: 1013949, domainCount: 1, years: 1, packageIds: ["pkg-faults"] } } : {}),
      ...(renewBeforeDays === undefined ? {} : { renewBeforeDays }),
    });
    const program = (renewBeforeDays?: number) => () => {
      for (let i = 0; i < count; i++) new CertificateApplication(names[i], args(i, renewBeforeDays));
    };
    // Bought and applied on a quiet cloud, issued, aged into the window, the issue read back.
    await engine.up(program());
    const olds = names.map((n) => engine!.resource(n)!.id);
    for (const id of olds) {
      emulator.tencent.issue(id);
      await emulator.tencent.certificate(id);
      await emulator.tencent.age(id, 20);
    }
    await engine.up(program());
    emulator.clearLog();

    // The renewal, faulted: the first run's faults aimed at the renewal's writes (half of them), the re-run's at every
    // request, then a quiet run.
    const RENEWAL_WRITES = ["CreateCertificate", "CreateCertificateByPackage", "CertificateInfoSubmit", "CertificateOrderSubmit"];
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt === 0) {
        emulator.setFaultShare({ cloud: "tencent", rate: 0.5, seed: opts.seed * 100 + 70, actions: RENEWAL_WRITES, maxDelayMs: 100, lateReplyMs: LATE_REPLY_MS });
        // The crash case: six resources' runs stop right after the renewal's purchase (their materials answered by a
        // hard error), so only the next run, with nothing of the renewal in its state, can finish them.
        emulator.injectFault({ cloud: "tencent", action: "CertificateInfoSubmit", kind: "not-found", count: 6 });
      }
      if (attempt === 1) emulator.setFaultShare({ cloud: "tencent", rate: opts.rate, seed: opts.seed * 100 + 71, maxDelayMs: 100, lateReplyMs: LATE_REPLY_MS });
      let failed = false;
      try {
        await engine.up(program(30));
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        failed = true;
        if (attempt === 2) {
          counts.failedFinalRuns += 1;
          traces.push(`final renewal run failed: ${err.errors.join(" | ")}`);
        }
      } finally {
        emulator.clearFaults();
      }
      if (failed) failedRuns += 1;
      if (!failed) break;
    }
    faulted = emulator.log.filter((e) => e.fault).length;
    paidLost = emulator.log.filter((e) => /^CreateCertificate/.test(e.action) && e.fault && ["commit-then-drop", "garbled-reply", "late-reply"].includes(e.fault)).length;
    bought = emulator.tencent.all().filter((r) => r.purchased).length - count;
    const renewalsOf = (old: string) => emulator.tencent.all().filter((r) => r.purchased && r.tags.some((t) => t.TagKey === "certapply-renewal" && t.TagValue.startsWith(`${old}.`)));
    names.forEach((name, i) => {
      const old = olds[i];
      const renewals = renewalsOf(old);
      if (renewals.length > 1) {
        counts.duplicateRenewals += renewals.length - 1;
        traces.push(`${name}: ${renewals.length} renewals of ${old}: ${renewals.map((r) => r.certificateId).join(", ")}`);
      }
      if (renewals.length === 0) {
        counts.missingRenewals += 1;
        traces.push(`${name}: no renewal of ${old}`);
        return;
      }
      const outs = engine!.resource(name)?.outputs ?? {};
      if (outs.currentCertificateId !== renewals[0].certificateId || outs.renewedFrom !== old || ![0, 4, 8].includes(renewals[0].status) || renewals[0].orderCount !== 1) {
        counts.notFollowed += 1;
        traces.push(`${name}: state current ${String(outs.currentCertificateId)} renewedFrom ${String(outs.renewedFrom)}; renewal ${renewals[0].certificateId} in ${renewals[0].status}, ${renewals[0].orderCount} order(s)`);
      }
    });

    // Delete during the renewal, faulted: only the never-issued renewals are cancelled.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt < 2) emulator.setFaultShare({ cloud: "tencent", rate: opts.rate, seed: opts.seed * 100 + 80 + attempt, maxDelayMs: 100, lateReplyMs: LATE_REPLY_MS });
      try {
        await engine.destroy();
        break;
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
      } finally {
        emulator.clearFaults();
      }
    }
    for (const old of olds) {
      const s = emulator.tencent.state(old);
      if (s?.status !== 1 || emulator.log.some((e) => e.target === old && /^(Cancel|Revoke)/.test(e.action))) {
        counts.oldTouched += 1;
        traces.push(`old certificate ${old} is in ${s?.status}`);
      }
      for (const r of renewalsOf(old)) {
        if ([0, 4, 5, 8, 13].includes(r.status)) {
          counts.renewalsLeftPending += 1;
          traces.push(`renewal ${r.certificateId} of ${old} left in ${r.status} after the delete`);
        }
      }
    }
  } finally {
    await engine?.stop();
    await emulator.stop();
  }
  console.log(`tencent renewal under faults: ${count} resources, ${faulted} faulted requests, ${paidLost} renewal purchases applied with their reply lost, ${failedRuns} failed renewal run(s), ${bought} renewals bought; ${JSON.stringify(counts)}${traces.length ? `\n  - ${traces.join("\n  - ")}` : ""}`);
  expect(paidLost).toBeGreaterThan(0);
  expect(failedRuns).toBeGreaterThan(0);
  expect(counts).toEqual({ duplicateRenewals: 0, missingRenewals: 0, notFollowed: 0, oldTouched: 0, renewalsLeftPending: 0, failedFinalRuns: 0 });
}, 300_000);
