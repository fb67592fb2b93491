/**
 * The renewal writes of Huawei under the seeded faults: certificates bought with `purchase`, issued and aged into
 * their window, are renewed by one `pulumi up` (re-run as a user would: faulted, faulted, quiet). SCM has no renew
 * call, so a renewal is a new purchase (`POST /v3/scm/certificates/buy`, which takes no tag), the purchase tag and the
 * renewal tag written right after, then the apply on the new certificate; those writes get the faults (a lost,
 * garbled or late purchase reply included). A run that stops right after the renewal's purchase (its apply answered
 * by a hard error) is the crash case. Counted: renewals bought per expiry beyond one (a purchase sent again after a
 * lost reply without a lookup first, or one no resource claims while every resource has its renewal), resources whose
 * state does not follow their renewal, old certificates cancelled, deleted or unsubscribed, renewals left pending or
 * held after the delete. Under load a lost purchase reply whose lookup fails too leaves a purchase no resource can
 * claim (SCM's purchase takes no tag): by design every later purchase of the product then stops and names it; the run
 * accepts that only when the final run's error names each such purchase.
 */
import { CertificateApplication, type CertificateApplicationArgs } from "certapply";
import { Emulator } from "../../emulator";
import { PURCHASE_TAG_KEY, purchaseTagValue } from "../../provider/clouds/huawei/purchase";
import { backendIdentity, ownerKeyOf } from "../../provider/resources/normalize";
import { Engine, EngineError } from "../harness/engine";
import { huaweiPurchasePlan } from "./clouds";
import { LATE_REPLY_MS, REQUEST_TIMEOUT_MS } from "./suite";
import { SUITE } from "./settings";

const UNDER_REVIEW = ["CHECKING", "CHECKING_DOMAIN", "CHECKING_ORG", "SUPPLEMENTCHECKING", "ISSUING"];

test("huawei renewal: one renewal per expiry, the old certificate never cancelled, nothing lost or orphaned under faults", async () => {
  const opts = SUITE.options("huawei");
  const count = Math.min(opts.count, 20);
  const plan = huaweiPurchasePlan();
  const purchase = { brand: "GEOTRUST", type: "DV_SSL_CERT", domainType: "SINGLE_DOMAIN", domainCount: 1, years: 1 } as const;
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
  /** Renewal purchases whose run stopped right after them (their apply answered by a hard error): the crash case. */
  let crashed = 0;
  /** Renewal purchases no resource claims while some resource has no renewal (see below). */
  const stranded: string[] = [];
  /** The final renewal run's errors. */
  let finalErrors: string[] = [];
  /** Renewal purchases refunded by the delete. */
  let refunded = 0;
  try {
    engine = await Engine.start({
      config: {
        ...emulator.stackConfig(),
        "certapply:pollIntervalMs": "20",
        "certapply:requestTimeoutMs": String(REQUEST_TIMEOUT_MS),
        // The suite's tuning (a 50 ms retry base): 20 resources applying at once meet the gateway's 50/s throttle.
        ...opts.config,
      },
      parallel: count,
      continueOnError: true,
    });
    const names = Array.from({ length: count }, (_, i) => `renew${i}`);
    const args = (i: number, renewBeforeDays?: number): CertificateApplicationArgs => ({
      ...plan.args(i, 1, "t0"),
      purchase,
      ...(renewBeforeDays === undefined ? {} : { renewBeforeDays }),
    });
    const program = (renewBeforeDays?: number) => () => {
      for (let i = 0; i < count; i++) new CertificateApplication(names[i], args(i, renewBeforeDays));
    };
    const ownerKey = (name: string) => ownerKeyOf({ organization: "organization", backend: backendIdentity(), project: "certapply-test", stack: "dev", name });
    const purchased = () => emulator.huawei.all().filter((c) => c.internal.purchased);

    // Bought and applied on a quiet cloud, issued, aged into the window, the issue read back.
    await engine.up(program());
    const olds = names.map((n) => engine!.resource(n)!.id);
    for (const id of olds) {
      for (const command of ["issue", "age"]) {
        const r = await emulator.huawei.control(command, { id, daysLeft: 20 });
        if (r.status !== 200) throw new Error(`${command} ${id}: ${JSON.stringify(r.body)}`);
      }
    }
    await engine.up(program());
    const before = new Set(purchased().map((c) => c.id));
    emulator.clearLog();

    // The renewal, faulted: the first run's faults aimed at the renewal's writes (half of them), the re-run's at every
    // request, then a quiet run.
    const RENEWAL_WRITES = ["SubscribeCertificate", "CreateCertificateTag", "ApplyCertificate"];
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt === 0) {
        emulator.setFaultShare({ cloud: "huawei", rate: 0.5, seed: opts.seed * 100 + 90, actions: RENEWAL_WRITES, maxDelayMs: 100, lateReplyMs: LATE_REPLY_MS });
        // The crash case: six resources' runs stop right after the renewal's purchase (their apply answered by a hard
        // error), so only the next run, with nothing of the renewal in its state, can finish them.
        emulator.injectFault({ cloud: "huawei", action: "ApplyCertificate", kind: "not-found", count: 6 });
      }
      if (attempt === 1) emulator.setFaultShare({ cloud: "huawei", rate: opts.rate, seed: opts.seed * 100 + 91, maxDelayMs: 100, lateReplyMs: LATE_REPLY_MS });
      let failed = false;
      try {
        await engine.up(program(30));
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        failed = true;
        if (attempt === 2) {
          finalErrors = err.errors;
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
    paidLost = emulator.log.filter((e) => e.action === "SubscribeCertificate" && e.fault && ["commit-then-drop", "garbled-reply", "late-reply"].includes(e.fault)).length;
    const renewalPurchases = purchased().filter((c) => !before.has(c.id));
    bought = renewalPurchases.length;
    crashed = emulator.log.filter((e) => e.action === "ApplyCertificate" && e.fault === "not-found" && renewalPurchases.some((c) => c.id === e.target)).length;
    const renewalsOf = new Map<string, typeof renewalPurchases>();
    names.forEach((name, i) => {
      const value = purchaseTagValue(ownerKey(name), purchase, olds[i]);
      renewalsOf.set(olds[i], renewalPurchases.filter((c) => c.tags.get(PURCHASE_TAG_KEY) === value));
    });
    // A purchase no resource claims (SCM's purchase takes no tag): a second purchase when every resource has its
    // renewal; otherwise it may be a renewal whose reply was lost and whose lookup failed too, which certapply, by
    // design, does not guess about: every later purchase of the product stops and names it (the user's step).
    // A purchase sent again blindly: an applied buy whose reply was lost, followed by another buy with no lookup
    // (ListCertificatesByTag) in between. Buys of one product are one at a time, and each starts with its lookups.
    const buys = emulator.log.filter((e) => e.action === "SubscribeCertificate" || e.action === "ListCertificatesByTag");
    buys.forEach((e, k) => {
      if (e.action !== "SubscribeCertificate" || !e.created || !e.fault || !["commit-then-drop", "garbled-reply", "late-reply"].includes(e.fault)) return;
      if (buys[k + 1]?.action === "SubscribeCertificate") {
        counts.duplicateRenewals += 1;
        traces.push(`purchase ${e.created} (reply lost: ${e.fault}) was followed by another purchase with no lookup in between`);
      }
    });
    const unclaimed = renewalPurchases.filter((c) => ![...renewalsOf.values()].some((list) => list.includes(c)));
    const unrenewed = olds.filter((old) => renewalsOf.get(old)!.length === 0).length;
    if (unclaimed.length > 0) {
      counts.duplicateRenewals += Math.max(0, unclaimed.length - unrenewed);
      stranded.push(...unclaimed.slice(0, unrenewed).map((c) => c.id));
      traces.push(`purchases no resource claims: ${unclaimed.map((c) => `${c.id} ${c.status}`).join(", ")}`);
    }
    names.forEach((name, i) => {
      const old = olds[i];
      const renewals = renewalsOf.get(old)!;
      if (renewals.length > 1) {
        counts.duplicateRenewals += renewals.length - 1;
        traces.push(`${name}: ${renewals.length} renewals of ${old}: ${renewals.map((c) => c.id).join(", ")}`);
      }
      if (renewals.length === 0) {
        counts.missingRenewals += 1;
        traces.push(`${name}: no renewal of ${old}`);
        return;
      }
      const outs = engine!.resource(name)?.outputs ?? {};
      const r = renewals[0];
      if (outs.currentCertificateId !== r.id || outs.renewedFrom !== old || !UNDER_REVIEW.includes(r.status) || r.internal.applyCount !== 1) {
        counts.notFollowed += 1;
        traces.push(`${name}: state current ${String(outs.currentCertificateId)} renewedFrom ${String(outs.renewedFrom)}; renewal ${r.id} in ${r.status}, ${r.internal.applyCount} apply(s)`);
      }
    });

    // Delete during the renewal, faulted: the never-issued renewals are withdrawn and refunded.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt < 2) emulator.setFaultShare({ cloud: "huawei", rate: opts.rate, seed: opts.seed * 100 + 95 + attempt, maxDelayMs: 100, lateReplyMs: LATE_REPLY_MS });
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
      const c = emulator.huawei.get(old);
      if (c?.status !== "ISSUED" || emulator.log.some((e) => e.target === old && /^(Cancel|Delete|Unsubscribe)/.test(e.action))) {
        counts.oldTouched += 1;
        traces.push(`old certificate ${old} is in ${c?.status ?? "absent"}`);
      }
    }
    refunded = renewalPurchases.filter((r) => emulator.huawei.unsubscribed.includes(r.id)).length;
    for (const r of renewalPurchases) {
      const now = emulator.huawei.get(r.id);
      if (now && (UNDER_REVIEW.includes(now.status) || now.status === "CANCELCHECKING" || now.status === "PAID")) {
        counts.renewalsLeftPending += 1;
        traces.push(`renewal ${r.id} left in ${now.status} after the delete`);
      }
    }
  } finally {
    await engine?.stop();
    await emulator.stop();
  }
  console.log(`huawei renewal under faults: ${count} resources, ${faulted} faulted requests, ${paidLost} renewal purchases applied with their reply lost, ${failedRuns} failed renewal run(s), ${crashed} run(s) stopped right after a renewal's purchase, ${bought} renewals bought, ${refunded} refunded by the delete, ${stranded.length} stranded (lost reply and failed lookup: named, nothing bought again); ${JSON.stringify(counts)}${traces.length ? `\n  - ${traces.join("\n  - ")}` : ""}`);
  expect(paidLost).toBeGreaterThan(0);
  expect(crashed).toBeGreaterThanOrEqual(6);
  expect(failedRuns).toBeGreaterThan(0);
  if (stranded.length === 0) {
    expect(counts).toEqual({ duplicateRenewals: 0, missingRenewals: 0, notFollowed: 0, oldTouched: 0, renewalsLeftPending: 0, failedFinalRuns: 0 });
  } else {
    // A stranded purchase (a lost reply whose lookup failed as well; seen under load): never a second purchase, and
    // the final run stops naming it, with the fix, instead of buying again.
    expect({ ...counts, missingRenewals: 0, failedFinalRuns: 0, renewalsLeftPending: 0 }).toEqual({ duplicateRenewals: 0, missingRenewals: 0, notFollowed: 0, oldTouched: 0, renewalsLeftPending: 0, failedFinalRuns: 0 });
    for (const id of stranded) expect(finalErrors.join("\n")).toMatch(new RegExp(`${id}.*(certificateId: "${id}"|unsubscribe)`));
    expect(counts.renewalsLeftPending).toBeLessThanOrEqual(stranded.length);
  }
}, 300_000);
