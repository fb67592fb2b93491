/**
 * The renewal write of Edgecast under the seeded faults: requests declared with `autoRenew: false`, issued and aged
 * into their window, are renewed by one `pulumi up` (re-run as a user would: faulted, faulted, quiet). The renewal is
 * `PUT /v2.0/certificates/{id}/renew` on the same request (a paid order); the first run's faults are aimed at it and
 * at the status read that confirms it, so a renewal applied with its reply lost, and a run that stops right after the
 * applied renewal (its confirming read failing: the crash case), both happen. Counted: renewals per expiry beyond one
 * (the cloud's `renewCount`, and every `PUT …/renew` the cloud accepted), resources whose state does not follow their
 * renewal, old certificates withdrawn or replaced before the renewal is issued, renewals left pending after the delete (a request the delete should remove still there, or one it should keep withdrawn).
 */
import { CertificateApplication, type CertificateApplicationArgs } from "certapply";
import { Emulator } from "../../emulator";
import { Engine, EngineError } from "../harness/engine";
import { edgecastPlan } from "./clouds";
import { LATE_REPLY_MS, REQUEST_TIMEOUT_MS } from "./suite";
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
  const emulator = await new Emulator().start();
  let engine: Engine | undefined;
  const counts = { duplicateRenewals: 0, missingRenewals: 0, notFollowed: 0, oldTouched: 0, renewalsLeftPending: 0, failedFinalRuns: 0 };
  const traces: string[] = [];
  let faulted = 0;
  /** Renewals applied whose reply the client never got (lost, garbled, late). */
  let paidLost = 0;
  /** Resources whose renewal was applied in a run that failed for them before the state recorded it (the crash case). */
  let crashed = 0;
  /** Renewal runs that failed (and were run again). */
  let failedRuns = 0;
  try {
    await plan.prepare(emulator, count);
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
    const args = (i: number, renewBeforeDays?: number): CertificateApplicationArgs => {
      const base = plan.args(i, 1, "t0");
      // Odd ones let the delete remove the issued request (with its renewal); even ones keep it in service.
      const deleteIssuedCertificate = i % 2 === 1 ? { deleteIssuedCertificate: true } : {};
      return { ...base, edgecast: { ...base.edgecast, autoRenew: false, ...deleteIssuedCertificate }, ...(renewBeforeDays === undefined ? {} : { renewBeforeDays }) };
    };
    const program = (renewBeforeDays?: number) => () => {
      for (let i = 0; i < count; i++) new CertificateApplication(names[i], args(i, renewBeforeDays));
    };
    const state = async (id: string): Promise<RequestView | undefined> => {
      const r = await emulator.edgecast.control("state", { id: Number(id) });
      return r.status === 200 ? (r.body as RequestView) : undefined;
    };
    const renewing = (o: string | null | undefined) => o === "PendingRenewal" || o === "AwaitingRenewal";

    // Created on a quiet cloud, issued, aged into the window, the issue read back.
    await engine.up(program());
    const ids = names.map((n) => engine!.resource(n)!.id);
    for (const id of ids) {
      for (const command of ["issue", "age"]) {
        const r = await emulator.edgecast.control(command, { id: Number(id), daysLeft: 20 });
        if (r.status !== 200) throw new Error(`${command} ${id}: ${JSON.stringify(r.body)}`);
      }
    }
    await engine.up(program());
    const thumbprints = new Map<string, string | null>();
    for (const id of ids) thumbprints.set(id, (await state(id))?.thumbprint ?? null);
    emulator.clearLog();

    // The renewal, faulted: the first run's faults aimed at the renewal and its confirming read (half of them), the
    // re-run's at every request, then a quiet run.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt === 0) {
        emulator.setFaultShare({ cloud: "edgecast", rate: 0.5, seed: opts.seed * 100 + 60, actions: [RENEW, STATUS], maxDelayMs: 100, lateReplyMs: LATE_REPLY_MS });
        // Besides the share's: the first four renewals are applied and their replies dropped.
        emulator.injectFault({ cloud: "edgecast", action: RENEW, kind: "commit-then-drop", count: 4 });
      }
      if (attempt === 1) emulator.setFaultShare({ cloud: "edgecast", rate: opts.rate, seed: opts.seed * 100 + 61, maxDelayMs: 100, lateReplyMs: LATE_REPLY_MS });
      const seen = emulator.log.length;
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
      if (failed) {
        failedRuns += 1;
        // The crash case: the renewal was applied in this run, yet the state kept by the run does not show it.
        for (const [i, id] of ids.entries()) {
          const applied = emulator.log.slice(seen).some((e) => e.action === RENEW && e.target === id && e.status === 204);
          const stored = (engine.resource(names[i])?.outputs.edgecast as { orderStatus?: string } | undefined)?.orderStatus;
          if (applied && !renewing(stored)) crashed += 1;
        }
      }
      if (!failed) break;
    }
    faulted = emulator.log.filter((e) => e.fault).length;
    paidLost = emulator.log.filter((e) => e.action === RENEW && e.status === 204 && e.fault && ["commit-then-drop", "garbled-reply", "late-reply"].includes(e.fault)).length;
    for (const [i, id] of ids.entries()) {
      const s = await state(id);
      const accepted = emulator.log.filter((e) => e.action === RENEW && e.target === id && e.status === 204).length;
      const renewals = Math.max(s?.renewCount ?? 0, accepted);
      if (renewals > 1) {
        counts.duplicateRenewals += renewals - 1;
        traces.push(`${names[i]}: request ${id} renewed ${s?.renewCount ?? 0} time(s), ${accepted} PUT …/renew accepted`);
      }
      if (renewals === 0) {
        counts.missingRenewals += 1;
        traces.push(`${names[i]}: request ${id} not renewed: ${emulator.log.filter((e) => e.target === id).map((e) => `${e.action} ${e.status}${e.fault ? ` (${e.fault})` : ""}`).join(", ")}`);
        continue;
      }
      const outs = engine.resource(names[i])?.outputs ?? {};
      const stored = (outs.edgecast as { orderStatus?: string } | undefined)?.orderStatus;
      if (outs.currentCertificateId !== id || !renewing(stored) || !renewing(s?.orderStatus)) {
        counts.notFollowed += 1;
        traces.push(`${names[i]}: state current ${String(outs.currentCertificateId)} order ${String(stored)}; request ${id} order ${String(s?.orderStatus)}: ${emulator.log.filter((e) => e.target === id).map((e) => `${e.action} ${e.status}${e.fault ? ` (${e.fault})` : ""}`).join(", ")}`);
      }
      // The deployed certificate stays in service until the renewal is issued: nothing withdrew or replaced it.
      const withdrawn = emulator.log.some((e) => e.target === id && /^(DELETE|PUT \/v2\.0\/certificates\/\{id\}\/cancel)/.test(e.action));
      if (withdrawn || s?.status !== "Active" || s.thumbprint !== thumbprints.get(id)) {
        counts.oldTouched += 1;
        traces.push(`${names[i]}: request ${id} in ${String(s?.status)}${withdrawn ? ", withdrawn" : ""}${s?.thumbprint !== thumbprints.get(id) ? ", certificate replaced" : ""}`);
      }
    }

    // Delete during the renewal, faulted. An issued request cannot be cancelled, nor its renewal alone (cancel is for a
    // request never issued): with deleteIssuedCertificate the delete removes the request and its renewal with it;
    // without it the request is left in service, its renewal going on, and nothing of it may be withdrawn.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt < 2) emulator.setFaultShare({ cloud: "edgecast", rate: opts.rate, seed: opts.seed * 100 + 65 + attempt, maxDelayMs: 100, lateReplyMs: LATE_REPLY_MS });
      try {
        await engine.destroy();
        break;
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
      } finally {
        emulator.clearFaults();
      }
    }
    for (const [i, id] of ids.entries()) {
      const s = await state(id);
      if (i % 2 === 1 && s && s.status !== "Deleted") {
        counts.renewalsLeftPending += 1;
        traces.push(`request ${id}: left in ${s.status}, order ${String(s.orderStatus)} after the delete (deleteIssuedCertificate is true)`);
      }
      if (i % 2 === 0 && (s?.status !== "Active" || s.orderStatus === "Canceled" || s.thumbprint !== thumbprints.get(id))) {
        counts.oldTouched += 1;
        traces.push(`request ${id}: in ${String(s?.status)}, order ${String(s?.orderStatus)} after the delete that should leave it in service`);
      }
    }
  } finally {
    await engine?.stop();
    await emulator.stop();
  }
  console.log(`edgecast renewal under faults: ${count} resources, ${faulted} faulted requests, ${paidLost} renewals applied with their reply lost, ${crashed} run(s) stopped right after an applied renewal, ${failedRuns} failed renewal run(s); ${JSON.stringify(counts)}${traces.length ? `\n  - ${traces.join("\n  - ")}` : ""}`);
  expect(paidLost).toBeGreaterThan(0);
  expect(crashed).toBeGreaterThan(0);
  expect(failedRuns).toBeGreaterThan(0);
  expect(counts).toEqual({ duplicateRenewals: 0, missingRenewals: 0, notFollowed: 0, oldTouched: 0, renewalsLeftPending: 0, failedFinalRuns: 0 });
}, 300_000);
