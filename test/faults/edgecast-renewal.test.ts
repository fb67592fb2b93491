/**
 * The renewal write of Edgecast under the seeded faults: requests declared with `autoRenew: false`, issued and aged
 * into their window, are renewed by one `pulumi up` (re-run as a user would: faulted, faulted, quiet). The renewal is
 * `PUT /v2.0/certificates/{id}/renew` on the same request (a paid order); the first run's faults are aimed at it and
 * at the status read that confirms it, so a renewal applied with its reply lost, and a run that stops right after the
 * applied renewal (its confirming read failing: the crash case), both happen. Counted: renewals per expiry beyond one
 * (the cloud's `renewCount`, and every `PUT …/renew` the cloud accepted), resources whose state does not follow their
 * renewal, old certificates withdrawn or replaced before the renewal is issued, renewals left pending after the delete (a request the delete should remove still there, or one it should keep withdrawn).
 */
import type { CertificateApplicationArgs } from "certapply";
import type { Emulator } from "../../emulator";
import { edgecastPlan } from "./clouds";
import { SOUND, countsLine, runRenewalFaults } from "./renewal";
import { SUITE } from "./settings";

const RENEW = "PUT /v2.0/certificates/{id}/renew";
const STATUS = "GET /v2.0/certificates/{id}/status";

interface RequestView {
  status: string;
  orderStatus: string | null;
  renewCount: number;
  thumbprint: string | null;
}

test("edgecast renewal: one renewal per expiry, the old certificate never withdrawn, nothing lost or left pending under faults", async () => {
  const opts = SUITE.options("edgecast");
  const count = Math.min(opts.count, 20);
  const plan = edgecastPlan(opts.seed);
  const state = async (emulator: Emulator, id: string): Promise<RequestView | undefined> => {
    const r = await emulator.edgecast.control("state", { id: Number(id) });
    return r.status === 200 ? (r.body as RequestView) : undefined;
  };
  const renewing = (o: string | null | undefined) => o === "PendingRenewal" || o === "AwaitingRenewal";
  const orderOf = (outs: Record<string, unknown>) => (outs.edgecast as { orderStatus?: string } | undefined)?.orderStatus;
  const thumbprints = new Map<string, string | null>();
  /** Resources whose renewal was applied in a run that failed for them before the state recorded it (the crash case). */
  let crashed = 0;
  const result = await runRenewalFaults({
    cloud: "edgecast",
    count,
    seed: opts.seed,
    rate: opts.rate,
    config: { ...opts.config, "certapply:retryBaseDelayMs": "5" },
    seeds: { renewal: 60, delete: 65 },
    args: (i: number, renewBeforeDays?: number): CertificateApplicationArgs => {
      const base = plan.args(i, 1, "t0");
      // Odd ones let the delete remove the issued request (with its renewal); even ones keep it in service.
      const deleteIssuedCertificate = i % 2 === 1 ? { deleteIssuedCertificate: true } : {};
      return { ...base, edgecast: { ...base.edgecast, autoRenew: false, ...deleteIssuedCertificate }, ...(renewBeforeDays === undefined ? {} : { renewBeforeDays }) };
    },
    prepare: (emulator) => plan.prepare(emulator, count),
    async issueAndAge(emulator, id) {
      for (const command of ["issue", "age"]) {
        const r = await emulator.edgecast.control(command, { id: Number(id), daysLeft: 20 });
        if (r.status !== 200) throw new Error(`${command} ${id}: ${JSON.stringify(r.body)}`);
      }
    },
    async settled({ emulator, ids }) {
      for (const id of ids) thumbprints.set(id, (await state(emulator, id))?.thumbprint ?? null);
    },
    // The renewal and the status read that confirms it get half the faults, and the first four renewals are applied
    // with their replies dropped besides.
    aim: { actions: [RENEW, STATUS], inject: { action: RENEW, kind: "commit-then-drop", count: 4 } },
    paidWrite: (e) => e.action === RENEW && e.status === 204,
    // The crash case: the renewal was applied in the failed run, yet the state kept by the run does not show it.
    async afterFailedRun({ emulator, engine, names, ids }, from) {
      for (const [i, id] of ids.entries()) {
        const applied = emulator.log.slice(from).some((e) => e.action === RENEW && e.target === id && e.status === 204);
        if (applied && !renewing(orderOf(engine.resource(names[i])?.outputs ?? {}))) crashed += 1;
      }
    },
    async judgeRenewals({ emulator, engine, names, ids, counts, traces }) {
      const history = (id: string) => emulator.log.filter((e) => e.target === id).map((e) => `${e.action} ${e.status}${e.fault ? ` (${e.fault})` : ""}`).join(", ");
      for (const [i, id] of ids.entries()) {
        const s = await state(emulator, id);
        const accepted = emulator.log.filter((e) => e.action === RENEW && e.target === id && e.status === 204).length;
        const renewals = Math.max(s?.renewCount ?? 0, accepted);
        if (renewals > 1) {
          counts.duplicateRenewals += renewals - 1;
          traces.push(`${names[i]}: request ${id} renewed ${s?.renewCount ?? 0} time(s), ${accepted} PUT …/renew accepted`);
        }
        if (renewals === 0) {
          counts.missingRenewals += 1;
          traces.push(`${names[i]}: request ${id} not renewed: ${history(id)}`);
          continue;
        }
        const outs = engine.resource(names[i])?.outputs ?? {};
        if (outs.currentCertificateId !== id || !renewing(orderOf(outs)) || !renewing(s?.orderStatus)) {
          counts.notFollowed += 1;
          traces.push(`${names[i]}: state current ${String(outs.currentCertificateId)} order ${String(orderOf(outs))}; request ${id} order ${String(s?.orderStatus)}: ${history(id)}`);
        }
        // The deployed certificate stays in service until the renewal is issued: nothing withdrew or replaced it.
        const withdrawn = emulator.log.some((e) => e.target === id && /^(DELETE|PUT \/v2\.0\/certificates\/\{id\}\/cancel)/.test(e.action));
        if (withdrawn || s?.status !== "Active" || s.thumbprint !== thumbprints.get(id)) {
          counts.oldTouched += 1;
          traces.push(`${names[i]}: request ${id} in ${String(s?.status)}${withdrawn ? ", withdrawn" : ""}${s?.thumbprint !== thumbprints.get(id) ? ", certificate replaced" : ""}`);
        }
      }
    },
    // An issued request cannot be cancelled, nor its renewal alone (cancel is for a request never issued): with
    // deleteIssuedCertificate the delete removes the request and its renewal with it; without it the request is left
    // in service, its renewal going on, and nothing of it may be withdrawn.
    async judgeDelete({ emulator, ids, counts, traces }) {
      for (const [i, id] of ids.entries()) {
        const s = await state(emulator, id);
        if (i % 2 === 1 && s && s.status !== "Deleted") {
          counts.renewalsLeftPending += 1;
          traces.push(`request ${id}: left in ${s.status}, order ${String(s.orderStatus)} after the delete (deleteIssuedCertificate is true)`);
        }
        if (i % 2 === 0 && (s?.status !== "Active" || s.orderStatus === "Canceled" || s.thumbprint !== thumbprints.get(id))) {
          counts.oldTouched += 1;
          traces.push(`request ${id}: in ${String(s?.status)}, order ${String(s?.orderStatus)} after the delete that should leave it in service`);
        }
      }
    },
  });
  console.log(
    `edgecast renewal under faults: ${count} resources, ${result.faulted} faulted requests, ${result.paidLost} renewals applied with their reply lost, ` +
      `${crashed} run(s) stopped right after an applied renewal, ${result.failedRuns} failed renewal run(s); ${countsLine(result)}`,
  );
  expect(result.paidLost).toBeGreaterThan(0);
  expect(crashed).toBeGreaterThan(0);
  expect(result.failedRuns).toBeGreaterThan(0);
  expect(result.counts).toEqual(SOUND);
}, 300_000);
