/**
 * The resource layer (provider/resources/application.ts, wait.ts) against a fake backend that counts its
 * calls: how many reads each operation makes, what a failed read does to state, import by id, and the
 * progress lines of a long wait. The clouds themselves are exercised against the emulator elsewhere.
 */
import { CloudApiError } from "../../provider/http/errors";
import type { ApplicationBackend, CloudContext, ImportedApplication, LiveApplication, SubmitResult } from "../../provider/resources/backend";
import { configure } from "../../provider/resources/context";
import type { ApplicationInputs, ApplicationOutputs } from "../../provider/resources/types";
import { WaitTimeoutError, pollUntil, waitForApplication } from "../../provider/resources/wait";
import { storedOutputs } from "../support";

/** A backend whose answers the test sets, recording every call. */
class FakeBackend implements ApplicationBackend {
  readonly cloud = "tencent" as const;
  readonly replaceFields: readonly string[] = [];
  calls: string[] = [];
  readIds: string[] = [];
  submitted: SubmitResult = { applicationId: "J2lX2maH", adopted: false };
  live: LiveApplication | undefined = { status: "under-review", rawStatus: "0", statusMessage: "", validationRecords: [] };
  readError: Error | undefined;
  imported: ImportedApplication | undefined;
  cancelledWith: LiveApplication | undefined;

  validate() {
    return [];
  }
  planContentChange() {
    return { kind: "update" as const, description: "resubmit" };
  }
  submitError: Error | undefined;
  async submit(): Promise<SubmitResult> {
    this.calls.push("submit");
    if (this.submitError) throw this.submitError;
    return this.submitted;
  }
  async read(_ctx: CloudContext, id: string): Promise<LiveApplication | undefined> {
    this.calls.push("read");
    this.readIds.push(id);
    if (this.readError) throw this.readError;
    return this.live;
  }
  async importApplication(_ctx: CloudContext, id: string): Promise<ImportedApplication | undefined> {
    this.calls.push(`import ${id}`);
    return this.imported;
  }
  async applyContentChange(): Promise<void> {
    this.calls.push("applyContentChange");
  }
  async resubmit(): Promise<void> {
    this.calls.push("resubmit");
  }
  async cancel(_ctx: CloudContext, id: string, _olds: ApplicationOutputs, live: LiveApplication | undefined): Promise<void> {
    this.calls.push(`cancel ${id}`);
    this.cancelledWith = live;
  }
}

let mockBackend = new FakeBackend();
jest.mock("../../provider/clouds", () => ({
  backendFor: () => mockBackend,
  hasBackend: (cloud: string) => ["tencent", "edgecast", "huawei"].includes(cloud),
}));
// Imported after the mock so the resource layer sees the fake backend.
import { create, diff, read, remove, update } from "../../provider/resources/application";

const logs: string[] = [];
beforeAll(() => configure({ get: (k: string) => ({ "certapply:pollIntervalMs": "1" })[k] }));
afterAll(() => configure(undefined));
beforeEach(() => {
  mockBackend = new FakeBackend();
  logs.length = 0;
  jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    logs.push(String(chunk));
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

const inputs = (over: Partial<ApplicationInputs> = {}): ApplicationInputs => ({
  cloud: "tencent",
  certificateId: "J2lX2maH",
  commonName: "www.example.com",
  dnsNames: [],
  autoResubmit: "timeout",
  onDelete: "cancel",
  waitFor: "submitted",
  waitTimeoutSeconds: 600,
  ...over,
});
const records = [{ domain: "www.example.com", type: "TXT" as const, name: "_dnsauth", value: "v" }];

describe("reads per operation", () => {
  test("create reads nothing more when the write's reply satisfies waitFor", async () => {
    mockBackend.submitted = { applicationId: "J2lX2maH", adopted: false, live: { status: "under-review", rawStatus: "0", statusMessage: "", validationRecords: [] } };
    const res = await create(inputs());
    expect(mockBackend.calls).toEqual(["submit"]);
    expect(res.outs.status).toBe("under-review");

    mockBackend = new FakeBackend();
    mockBackend.submitted = { applicationId: "J2lX2maH", adopted: false, live: { status: "awaiting-validation", rawStatus: "4", statusMessage: "", validationRecords: records } };
    await create(inputs({ waitFor: "validation-records" }));
    expect(mockBackend.calls).toEqual(["submit"]);
  });

  test("create reads when the reply does not settle waitFor", async () => {
    mockBackend.submitted = { applicationId: "J2lX2maH", adopted: false, live: { status: "under-review", rawStatus: "0", statusMessage: "", validationRecords: [] } };
    mockBackend.live = { status: "awaiting-validation", rawStatus: "4", statusMessage: "", validationRecords: records };
    const res = await create(inputs({ waitFor: "validation-records" }));
    expect(mockBackend.calls).toEqual(["submit", "read"]);
    expect(res.outs.validationRecords).toEqual(records);
  });

  test("delete reads once, then withdraws with that status", async () => {
    await remove("J2lX2maH", storedOutputs(inputs(), "J2lX2maH"));
    expect(mockBackend.calls).toEqual(["read", "cancel J2lX2maH"]);
    expect(mockBackend.cancelledWith).toEqual(mockBackend.live);
  });

  test("a failed live read in diff falls back to the stored status and says so", async () => {
    mockBackend.readError = new Error("connection reset");
    expect(await diff("J2lX2maH", storedOutputs(inputs(), "J2lX2maH"), inputs())).toEqual({ changes: false });
    expect(mockBackend.calls).toEqual(["read"]);
    expect(logs.join("")).toMatch(/live status read failed: connection reset; using the stored status under-review/);
  });
});

describe("a cloud's error message never carries a secret input", () => {
  const admin = { firstName: "Ning", lastName: "Huang", email: "ning.huang@example.com", phone: "13112341234", title: "CTO" };
  test("values the cloud echoes (e-mail, phone, name) are replaced in a create's error, on every cloud's path", async () => {
    mockBackend.submitError = new CloudApiError({ cloud: "tencent", action: "CertificateInfoSubmit", code: "InvalidParameter", message: `AdminEmail ning.huang@example.com or phone 13112341234 of Ning is refused`, transient: false });
    const err = (await create(inputs({ admin })).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err.message).toMatch(/AdminEmail \[secret\] or phone \[secret\] of \[secret\] is refused/);
    expect(err.message).not.toMatch(/ning\.huang|13112341234/);
  });

  test("and in a refresh's error, from the stored state", async () => {
    mockBackend.readError = new Error("contact ning.huang@example.com unknown");
    const err = (await read("J2lX2maH", storedOutputs(inputs({ admin }), "J2lX2maH")).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/contact \[secret\] unknown/);
  });

  test("and in every line logged: a diff's fallback reason, a delete's read failure", async () => {
    mockBackend.readError = new Error("contact ning.huang@example.com unknown");
    await diff("J2lX2maH", storedOutputs(inputs({ admin }), "J2lX2maH"), inputs({ admin }));
    await remove("J2lX2maH", storedOutputs(inputs({ admin }), "J2lX2maH"));
    expect(logs.join("")).toMatch(/live status read failed: .*contact \[secret\] unknown/);
    expect(logs.join("")).toMatch(/could not read the live status before withdrawing \(.*contact \[secret\] unknown\)/);
    expect(logs.join("")).not.toMatch(/ning\.huang/);
  });

  test("values from the state and the new inputs are replaced together, the longest first", async () => {
    // The old first name is part of the new e-mail: replaced one source after the other, ".Huang@..." would remain.
    mockBackend.readError = new Error("Ning.Huang@example.com refused");
    const olds = storedOutputs(inputs({ admin: { ...admin, firstName: "Ning" } }), "J2lX2maH");
    const err = (await update("J2lX2maH", olds, inputs({ admin: { ...admin, email: "Ning.Huang@example.com" } })).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/\[secret\] refused/);
    expect(err.message).not.toMatch(/Huang@/);
  });

  test("of a cloud's error only its own text is cleared: code, action and request id stay whole", async () => {
    const organization = { name: "Example", division: "IT", address: "1 Road", city: "Beijing", region: "Beijing", country: "CN", phoneAreaCode: "010", phoneNumber: "12345678" };
    mockBackend.submitError = new CloudApiError({ cloud: "tencent", action: "CertificateInfoSubmit", code: "InvalidParameter", message: "area code 010 refused", requestId: "rid-0101-010", transient: false });
    const err = (await create(inputs({ organization })).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/InvalidParameter: area code \[secret\] refused \(request id rid-0101-010\)/);
  });
});

describe("an update whose read fails keeps the live outputs", () => {
  test("a policy-only update during a failed read reads again in the wait, and fails rather than drop the certificate and order from state", async () => {
    const olds = storedOutputs(inputs(), "J2lX2maH", { orderId: "SOL123", certificate: { notBefore: "a", notAfter: "b", serialNumber: "1", sha256Fingerprint: "f", certificatePem: "p", chainPem: "" } });
    mockBackend.readError = new Error("connection reset");
    await expect(update("J2lX2maH", olds, inputs({ autoResubmit: "never" }))).rejects.toThrow(/connection reset/);
    expect(mockBackend.calls).toEqual(["read", "read"]);
  });
});

describe("a refresh whose read fails never overwrites good state", () => {
  test("a garbled reply (InvalidReply) fails the read; no state with status unknown or empty records comes back", async () => {
    const good = storedOutputs(inputs(), "J2lX2maH", { status: "awaiting-validation", rawStatus: "4", validationRecords: records });
    mockBackend.readError = new CloudApiError({
      cloud: "tencent",
      action: "DescribeCertificateDetail",
      code: "InvalidReply",
      message: "the reply does not fit the model",
      requestId: "req-1",
      transient: true,
    });
    let result: unknown;
    await expect(
      read("J2lX2maH", good).then((r) => {
        result = r;
      }),
    ).rejects.toThrow(/InvalidReply/);
    expect(result).toBeUndefined();
  });

  test("a read that succeeds lays the live fields over the state", async () => {
    const good = storedOutputs(inputs(), "J2lX2maH");
    mockBackend.live = { status: "awaiting-validation", rawStatus: "4", statusMessage: "", validationRecords: records };
    const res = await read("J2lX2maH", good);
    expect(res.props).toMatchObject({ ...good, status: "awaiting-validation", rawStatus: "4", validationRecords: records });
  });
});

describe("import and get: read with only an id", () => {
  const live: LiveApplication = { status: "awaiting-validation", rawStatus: "4", statusMessage: "", validationRecords: records };

  test("<cloud>/<applicationId> fills the whole state and the inputs from the live application; the id becomes plain", async () => {
    mockBackend.imported = { inputs: { cloud: "tencent", certificateId: "J2lX2maH", commonName: "WWW.example.com", dnsNames: ["b.example.com", "a.example.com"] }, live };
    const res = await read("tencent/J2lX2maH", undefined);
    expect(mockBackend.calls).toEqual(["import J2lX2maH"]);
    expect(res.id).toBe("J2lX2maH");
    expect(res.inputs).toMatchObject({ cloud: "tencent", certificateId: "J2lX2maH", commonName: "www.example.com", dnsNames: ["a.example.com", "b.example.com"], waitFor: "submitted" });
    expect(res.props).toMatchObject({ ...res.inputs, applicationId: "J2lX2maH", status: "awaiting-validation", validationRecords: records, resubmitCount: 0 });
    expect(res.props?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    // What `.get()` sends on the dynamic path: only the serialized provider besides the id.
    mockBackend.calls = [];
    const viaGet = await read("tencent/J2lX2maH", { __provider: "exports.handler = ..." } as unknown as ApplicationOutputs);
    expect(viaGet.id).toBe("J2lX2maH");
    expect(mockBackend.calls).toEqual(["import J2lX2maH"]);

    // The next diff of the same declaration, with the same live status, is "no change".
    mockBackend.live = live;
    expect(await diff(res.id!, res.props!, { ...res.inputs!, ownerKey: "k" })).toEqual({ changes: false });
  });

  test("an application that does not exist imports as nothing; an id without its cloud is a clear error", async () => {
    expect(await read("tencent/Gone1234", undefined)).toEqual({});
    await expect(read("J2lX2maH", undefined)).rejects.toThrow(/the import id names the cloud, as <cloud>\/<applicationId>, e.g. tencent\/J2lX2maH/);
    await expect(read("azure/J2lX2maH", undefined)).rejects.toThrow(/names the cloud/);
  });

  test("diff, update, refresh and delete accept both id forms and call the cloud with the plain id", async () => {
    const olds = storedOutputs(inputs(), "J2lX2maH");
    await diff("tencent/J2lX2maH", olds, inputs());
    await update("tencent/J2lX2maH", olds, inputs({ onDelete: "retain" }));
    expect((await read("tencent/J2lX2maH", olds)).id).toBe("J2lX2maH");
    await remove("tencent/J2lX2maH", olds);
    expect(new Set(mockBackend.readIds)).toEqual(new Set(["J2lX2maH"]));
    expect(mockBackend.calls).toContain("cancel J2lX2maH");
  });
});

describe("progress lines of a long wait", () => {
  afterEach(() => jest.useRealTimers());
  const ctx = (lines: string[], over: Partial<CloudContext> = {}): CloudContext => ({
    config: undefined as never,
    transport: {} as never,
    log: (m) => lines.push(m),
    pollIntervalMs: 5000,
    ...over,
  });

  test("a wait polls until its deadline, the last read at the deadline, and says how long it really waited (issue 17, item 8)", async () => {
    jest.useFakeTimers({ now: 0 });
    const lines: string[] = [];
    const readAt: number[] = [];
    const read = mockBackend.read.bind(mockBackend);
    mockBackend.read = async (c, id) => {
      readAt.push(Date.now());
      return read(c, id);
    };
    // 7 s between polls does not divide 20 s: the old loop stopped at 14 s and claimed 20 s.
    const done = waitForApplication(mockBackend, ctx(lines, { pollIntervalMs: 7000 }), "J2lX2maH", inputs({ waitFor: "issued", waitTimeoutSeconds: 20 }));
    await jest.advanceTimersByTimeAsync(25_000);
    await done;
    expect(readAt).toEqual([0, 7000, 14000, 20000]);
    expect(lines[lines.length - 1]).toBe("still under-review (0) after waiting 20s for issued; the next pulumi up continues the wait (pulumi refresh only reads the status)");
  });

  test("waitForApplication prints elapsed, remaining and status at least every 30 s", async () => {
    jest.useFakeTimers({ now: 0 });
    const lines: string[] = [];
    const done = waitForApplication(mockBackend, ctx(lines), "J2lX2maH", inputs({ waitFor: "issued", waitTimeoutSeconds: 120 }));
    await jest.advanceTimersByTimeAsync(125_000);
    const live = await done;
    expect(live?.status).toBe("under-review");
    const progress = lines.filter((l) => l.startsWith("still waiting"));
    expect(progress).toEqual([
      "still waiting for issued: 30s elapsed, 1m30s remaining, status under-review (0)",
      "still waiting for issued: 1m00s elapsed, 1m00s remaining, status under-review (0)",
      "still waiting for issued: 1m30s elapsed, 30s remaining, status under-review (0)",
    ]);
  });

  test("the operation's customTimeouts replace waitTimeoutSeconds; a short progress interval gives a line per poll", async () => {
    jest.useFakeTimers({ now: 0 });
    const lines: string[] = [];
    const done = waitForApplication(mockBackend, ctx(lines, { timeoutSeconds: 20, progressIntervalMs: 5000 }), "J2lX2maH", inputs({ waitFor: "issued", waitTimeoutSeconds: 600 })).catch((e: unknown) => e as Error);
    await jest.advanceTimersByTimeAsync(25_000);
    // Running out of customTimeouts fails the step (resumable), after a last poll at the deadline, not one poll early.
    const err = (await done) as Error;
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err.message).toBe("timed out after 20s (customTimeouts 20s) waiting for issued; the application is under-review (0): run pulumi up again to continue the wait");
    expect(lines).toContain("waiting up to 20s for issued (now under-review)");
    expect(lines.filter((l) => l.startsWith("still waiting"))).toHaveLength(3);
  });

  test("pollUntil (the ConfirmLetter wait) prints the same progress lines", async () => {
    jest.useFakeTimers({ now: 0 });
    const lines: string[] = [];
    let polls = 0;
    const done = pollUntil(ctx(lines), 70_000, async () => ++polls > 100, { what: "status 8", status: () => `5 (poll ${polls})` });
    await jest.advanceTimersByTimeAsync(75_000);
    expect(await done).toBe(false);
    expect(lines).toEqual(["still waiting for status 8: 30s elapsed, 40s remaining, status 5 (poll 7)", "still waiting for status 8: 1m00s elapsed, 10s remaining, status 5 (poll 13)"]);
  });
});
