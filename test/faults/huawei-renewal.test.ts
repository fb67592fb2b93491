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
import type { CertificateApplicationArgs } from "certapply";
import type { Emulator } from "../../emulator";
import { PURCHASE_TAG_KEY, purchaseTagValue } from "../../provider/clouds/huawei/purchase";
import { backendIdentity, ownerKeyOf } from "../../provider/resources/normalize";
import { huaweiPurchasePlan } from "./clouds";
import { SOUND, countsLine, runRenewalFaults } from "./renewal";
import { SUITE } from "./settings";

const UNDER_REVIEW = ["CHECKING", "CHECKING_DOMAIN", "CHECKING_ORG", "SUPPLEMENTCHECKING", "ISSUING"];
const LOST = ["commit-then-drop", "garbled-reply", "late-reply"];

test("huawei renewal: one renewal per expiry, the old certificate never cancelled, nothing lost or orphaned under faults", async () => {
  const opts = SUITE.options("huawei");
  const count = Math.min(opts.count, 20);
  const plan = huaweiPurchasePlan();
  const purchase = { brand: "GEOTRUST", type: "DV_SSL_CERT", domainType: "SINGLE_DOMAIN", domainCount: 1, years: 1 } as const;
  const ownerKey = (name: string) => ownerKeyOf({ organization: "organization", backend: backendIdentity(), project: "certapply-test", stack: "dev", name });
  const purchased = (emulator: Emulator) => emulator.huawei.all().filter((c) => c.internal.purchased);
  type Cert = ReturnType<typeof purchased>[number];
  /** Certificates bought before the renewal. */
  let before = new Set<string>();
  let renewalPurchases: Cert[] = [];
  /** Renewal purchases whose run stopped right after them (their apply answered by a hard error): the crash case. */
  let crashed = 0;
  /** Renewal purchases no resource claims while some resource has no renewal (see below). */
  const stranded: string[] = [];
  /** Renewal purchases refunded by the delete. */
  let refunded = 0;
  const result = await runRenewalFaults({
    cloud: "huawei",
    count,
    seed: opts.seed,
    rate: opts.rate,
    // The suite's tuning (a 50 ms retry base): 20 resources applying at once meet the gateway's 50/s throttle.
    config: opts.config,
    seeds: { renewal: 90, delete: 95 },
    args: (i: number, renewBeforeDays?: number): CertificateApplicationArgs => ({
      ...plan.args(i, 1, "t0"),
      purchase,
      ...(renewBeforeDays === undefined ? {} : { renewBeforeDays }),
    }),
    async issueAndAge(emulator, id) {
      for (const command of ["issue", "age"]) {
        const r = await emulator.huawei.control(command, { id, daysLeft: 20 });
        if (r.status !== 200) throw new Error(`${command} ${id}: ${JSON.stringify(r.body)}`);
      }
    },
    async settled({ emulator }) {
      before = new Set(purchased(emulator).map((c) => c.id));
    },
    // The crash case: six resources' runs stop right after the renewal's purchase (their apply answered by a hard
    // error), so only the next run, with nothing of the renewal in its state, can finish them.
    aim: { actions: ["SubscribeCertificate", "CreateCertificateTag", "ApplyCertificate"], inject: { action: "ApplyCertificate", kind: "not-found", count: 6 } },
    paidWrite: (e) => e.action === "SubscribeCertificate",
    async judgeRenewals({ emulator, engine, names, ids, counts, traces }) {
      renewalPurchases = purchased(emulator).filter((c) => !before.has(c.id));
      crashed = emulator.log.filter((e) => e.action === "ApplyCertificate" && e.fault === "not-found" && renewalPurchases.some((c) => c.id === e.target)).length;
      const renewalsOf = new Map<string, Cert[]>();
      names.forEach((name, i) => {
        const value = purchaseTagValue(ownerKey(name), purchase, ids[i]);
        renewalsOf.set(ids[i], renewalPurchases.filter((c) => c.tags.get(PURCHASE_TAG_KEY) === value));
      });
      // A purchase sent again blindly: an applied buy whose reply was lost, followed by another buy with no lookup
      // (ListCertificatesByTag) in between. Buys of one product are one at a time, and each starts with its lookups.
      const buys = emulator.log.filter((e) => e.action === "SubscribeCertificate" || e.action === "ListCertificatesByTag");
      buys.forEach((e, k) => {
        if (e.action !== "SubscribeCertificate" || !e.created || !e.fault || !LOST.includes(e.fault)) return;
        if (buys[k + 1]?.action === "SubscribeCertificate") {
          counts.duplicateRenewals += 1;
          traces.push(`purchase ${e.created} (reply lost: ${e.fault}) was followed by another purchase with no lookup in between`);
        }
      });
      // A purchase no resource claims (SCM's purchase takes no tag): a second purchase when every resource has its
      // renewal; otherwise it may be a renewal whose reply was lost and whose lookup failed too, which certapply, by
      // design, does not guess about: every later purchase of the product stops and names it (the user's step).
      const unclaimed = renewalPurchases.filter((c) => ![...renewalsOf.values()].some((list) => list.includes(c)));
      const unrenewed = ids.filter((old) => renewalsOf.get(old)!.length === 0).length;
      if (unclaimed.length > 0) {
        counts.duplicateRenewals += Math.max(0, unclaimed.length - unrenewed);
        stranded.push(...unclaimed.slice(0, unrenewed).map((c) => c.id));
        traces.push(`purchases no resource claims: ${unclaimed.map((c) => `${c.id} ${c.status}`).join(", ")}`);
      }
      names.forEach((name, i) => {
        const old = ids[i];
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
        const outs = engine.resource(name)?.outputs ?? {};
        const r = renewals[0];
        if (outs.currentCertificateId !== r.id || outs.renewedFrom !== old || !UNDER_REVIEW.includes(r.status) || r.internal.applyCount !== 1) {
          counts.notFollowed += 1;
          traces.push(`${name}: state current ${String(outs.currentCertificateId)} renewedFrom ${String(outs.renewedFrom)}; renewal ${r.id} in ${r.status}, ${r.internal.applyCount} apply(s)`);
        }
      });
    },
    // Delete during the renewal: the never-issued renewals are withdrawn and refunded.
    async judgeDelete({ emulator, ids, counts, traces }) {
      for (const old of ids) {
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
    },
  });
  console.log(
    `huawei renewal under faults: ${count} resources, ${result.faulted} faulted requests, ${result.paidLost} renewal purchases applied with their reply lost, ` +
      `${result.failedRuns} failed renewal run(s), ${crashed} run(s) stopped right after a renewal's purchase, ${renewalPurchases.length} renewals bought, ` +
      `${refunded} refunded by the delete, ${stranded.length} stranded (lost reply and failed lookup: named, nothing bought again); ${countsLine(result)}`,
  );
  expect(result.paidLost).toBeGreaterThan(0);
  expect(crashed).toBeGreaterThanOrEqual(6);
  expect(result.failedRuns).toBeGreaterThan(0);
  if (stranded.length === 0) {
    expect(result.counts).toEqual(SOUND);
  } else {
    // A stranded purchase (a lost reply whose lookup failed as well; seen under load): never a second purchase, and
    // the final run stops naming it, with the fix, instead of buying again.
    expect({ ...result.counts, missingRenewals: 0, failedFinalRuns: 0, renewalsLeftPending: 0 }).toEqual(SOUND);
    for (const id of stranded) expect(result.finalErrors.join("\n")).toMatch(new RegExp(`${id}.*(certificateId: "${id}"|unsubscribe)`));
    expect(result.counts.renewalsLeftPending).toBeLessThanOrEqual(stranded.length);
  }
}, 300_000);
