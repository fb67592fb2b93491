import type { ApplicationBackend, LiveApplication } from "../../provider/resources/backend";
import { normalizeInputs } from "../../provider/resources/normalize";
import { storedOutputs } from "../support";
import { backoffMs, decide } from "../../provider/resources/plan";
import type { ApplicationInputs, ApplicationOutputs, ApplicationStatus } from "../../provider/resources/types";
import { UNKNOWN } from "../../provider/resources/types";

/** A backend reduced to the two decisions `decide` asks of it; no calls are made by `decide`. */
const backend = {
  cloud: "huawei",
  replaceFields: ["huawei.keyAlgorithm"],
  planContentChange: (_changed: string[], live: LiveApplication) =>
    live.status === "cancelling" ? { kind: "refuse" as const, reason: "a withdrawal is in progress" } : { kind: "update" as const, description: "withdraw, then apply again" },
} as unknown as ApplicationBackend;

const inputs: ApplicationInputs = normalizeInputs({ cloud: "huawei", certificateId: "scs1234567890123", commonName: "www.example.com" });
function stored(extra: Partial<ApplicationOutputs> = {}): ApplicationOutputs {
  return storedOutputs(inputs, "scs1234567890123", { rawStatus: "CHECKING", ...extra });
}
const live = (status: ApplicationStatus, statusMessage = ""): { live: LiveApplication } => ({
  live: { status, rawStatus: status.toUpperCase(), statusMessage, validationRecords: [] },
});
const NOW = Date.parse("2026-11-23T12:00:00Z");

test("nothing changed and the CA is reviewing: no change", () => {
  expect(decide(backend, stored({ rawStatus: "UNDER-REVIEW" }), inputs, live("under-review"), NOW)).toEqual({ kind: "none" });
});

test("certificateId or a cloud-specific replace field forces a delete-before-replace, with the reason", () => {
  const p = decide(backend, stored(), { ...inputs, certificateId: "scs9999999999999" }, live("under-review"), NOW);
  expect(p).toMatchObject({ kind: "replace", fields: ["certificateId"] });
  expect(p.reason).toMatch(/withdrawn first.*never two paid orders/);
  const q = decide(backend, stored(), normalizeInputs({ ...inputs, huawei: { keyAlgorithm: "EC_P256" } }), live("under-review"), NOW);
  expect(q).toMatchObject({ kind: "replace", fields: ["huawei.keyAlgorithm"] });
});

test("content change: update with the backend's description; refused while the backend says so; refused once issued", () => {
  const news = normalizeInputs({ ...inputs, dnsNames: ["api.example.com"] });
  expect(decide(backend, stored(), news, live("under-review"), NOW)).toMatchObject({ kind: "content", changed: ["dnsNames"], reason: expect.stringMatching(/dnsNames changed while under-review: withdraw, then apply again/) });
  expect(() => decide(backend, stored(), news, live("cancelling"), NOW)).toThrow(/a withdrawal is in progress/);
  expect(() => decide(backend, stored(), news, live("issued"), NOW)).toThrow(/is issued, so dnsNames cannot change\. Revert the change, or apply for a new certificate by changing certificateId/);
});

test("timed out: resubmits once at once, then backs off 1 h doubling to 32 h", () => {
  expect(decide(backend, stored(), inputs, live("timed-out"), NOW)).toMatchObject({ kind: "resubmit", automatic: true });
  const after1 = stored({ status: "timed-out", rawStatus: "TIMED-OUT", autoResubmitAttempts: 1, lastResubmitAt: new Date(NOW - 30 * 60_000).toISOString() });
  const waiting = decide(backend, after1, inputs, live("timed-out"), NOW);
  expect(waiting.kind).toBe("none");
  expect(waiting.reason).toMatch(/next automatic apply again is due after 2026-11-23T12:30:00.000Z.*change resubmitTrigger/);
  const due = stored({ autoResubmitAttempts: 1, lastResubmitAt: new Date(NOW - 61 * 60_000).toISOString() });
  expect(decide(backend, due, inputs, live("timed-out"), NOW)).toMatchObject({ kind: "resubmit", automatic: true });
  expect([1, 2, 3, 6, 7, 10].map((n) => backoffMs(n) / 3_600_000)).toEqual([1, 2, 4, 32, 32, 32]);
});

test("autoResubmit decides which outcomes are answered", () => {
  const failed = { status: "failed" as const, rawStatus: "FAILED" };
  expect(decide(backend, stored(failed), { ...inputs, autoResubmit: "timeout" }, live("failed"), NOW).kind).toBe("none");
  expect(decide(backend, stored({ autoResubmit: "failure" }), { ...inputs, autoResubmit: "failure" }, live("failed"), NOW).kind).toBe("resubmit");
  expect(decide(backend, stored({ autoResubmit: "never", status: "timed-out", rawStatus: "TIMED-OUT" }), { ...inputs, autoResubmit: "never" }, live("timed-out"), NOW).kind).toBe("none");
});

test("a resubmitTrigger change resubmits whatever the status; an unknown trigger decides nothing yet", () => {
  expect(decide(backend, stored(), { ...inputs, resubmitTrigger: "2026-11-23" }, live("under-review"), NOW)).toMatchObject({ kind: "resubmit", automatic: false });
  expect(decide(backend, stored({ rawStatus: "UNDER-REVIEW" }), { ...inputs, resubmitTrigger: UNKNOWN }, live("under-review"), NOW).kind).toBe("none");
});

test("policy-only changes are updates with no API call", () => {
  expect(decide(backend, stored(), { ...inputs, onDelete: "retain" }, live("under-review"), NOW)).toMatchObject({ kind: "policy", changed: ["onDelete"] });
});

test("a failed live read falls back to the stored status and says so", () => {
  const p = decide(backend, stored({ status: "timed-out" }), inputs, { live: { status: "timed-out", rawStatus: "", statusMessage: "", validationRecords: [] }, fallback: "huawei GET failed: HTTP 503" }, NOW);
  expect(p).toMatchObject({ kind: "resubmit" });
  expect(p.reason).toMatch(/live status read failed: huawei GET failed: HTTP 503; using the stored status timed-out/);
});

test("an application that vanished at the cloud is submitted again", () => {
  expect(decide(backend, stored(), inputs, { live: undefined }, NOW)).toMatchObject({ kind: "replace", fields: ["applicationId"] });
});

describe("a no-change run never leaves the state stale (issue 17, item 8)", () => {
  test("a CA rejection autoResubmit does not answer is said at preview, and the stale stored status is updated", () => {
    const plan = decide(backend, stored({ rawStatus: "CHECKING" }), { ...inputs, autoResubmit: "timeout" }, live("failed", "DNS record not found"), NOW);
    expect(plan.kind).toBe("status");
    expect(plan.reason).toMatch(/the status moved to failed \(FAILED\) since it was stored \(under-review\)/);
    expect(plan.reason).toMatch(/the CA outcome is failed \(DNS record not found\) and autoResubmit is timeout, so there is no automatic apply again: fix the cause, then change resubmitTrigger \(or set autoResubmit to "failure"\)/);
    // Once stored, the next preview still says it, with no change planned.
    const again = decide(backend, stored({ status: "failed", rawStatus: "FAILED" }), { ...inputs, autoResubmit: "timeout" }, live("failed", "DNS record not found"), NOW);
    expect(again).toMatchObject({ kind: "none", reason: expect.stringMatching(/no automatic apply again/) });
  });

  test("a wait that ran out before waitFor continues on the next run; a failed read plans nothing", () => {
    const waiting = decide(backend, stored({ rawStatus: "UNDER-REVIEW", waitFor: "issued" }), { ...inputs, waitFor: "issued" }, live("under-review"), NOW);
    expect(waiting).toMatchObject({ kind: "status", reason: expect.stringMatching(/waitFor is issued and the application is under-review: the wait continues/) });
    expect(decide(backend, stored({ rawStatus: "UNDER-REVIEW", waitFor: "issued" }), { ...inputs, waitFor: "issued" }, { ...live("under-review"), fallback: "HTTP 500" }, NOW).kind).toBe("none");
    expect(decide(backend, stored({ status: "issued", rawStatus: "ISSUED", waitFor: "issued" }), { ...inputs, waitFor: "issued" }, live("issued"), NOW).kind).toBe("none");
  });

  test("records the cloud published since they were stored: the reason says so, not that the status moved", () => {
    const rec = { domain: "www.example.com", type: "TXT" as const, name: "_dnsauth.www", value: "1" };
    const plan = decide(backend, stored({ rawStatus: "UNDER-REVIEW" }), inputs, { live: { ...live("under-review").live, validationRecords: [rec] } }, NOW);
    expect(plan).toMatchObject({ kind: "status", reason: expect.stringMatching(/the validation records changed since they were stored \(1 now\)/) });
    expect(plan.reason).not.toMatch(/status moved/);
  });

  test("validation records in another order are no change", () => {
    const a = { domain: "a.example.com", type: "TXT" as const, name: "_a", value: "1" };
    const b = { domain: "b.example.com", type: "TXT" as const, name: "_b", value: "2" };
    const l = { live: { status: "awaiting-validation" as const, rawStatus: "AWAITING-VALIDATION", statusMessage: "", validationRecords: [b, a] } };
    expect(decide(backend, stored({ status: "awaiting-validation", rawStatus: "AWAITING-VALIDATION", validationRecords: [a, b] }), inputs, l, NOW).kind).toBe("none");
  });
});
