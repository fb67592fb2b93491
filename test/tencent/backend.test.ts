import { Emulator } from "../../emulator/server";
import { tencentBackend } from "../../provider/clouds/tencent";
import { tencentWaitLimits } from "../../provider/clouds/tencent/backend";
import { normaliseStatus } from "../../provider/clouds/tencent/status";
import type { ApplicationInputs, ApplicationOutputs } from "../../provider/resources/types";
import { UNKNOWN } from "../../provider/resources/types";
import { check } from "../../provider/resources/application";
import { storedOutputs } from "../support";
import { makeCtx } from "./helpers";

const emulator = new Emulator();
let cfg: Record<string, string>;
const logs: string[] = [];
const ctx = () => makeCtx(cfg, logs);

beforeAll(async () => {
  await emulator.start();
  cfg = {
    "certapply:tencentEndpoint": emulator.url,
    "certapply:tencentSecretId": emulator.credentials.tencent.secretId,
    "certapply:tencentSecretKey": emulator.credentials.tencent.secretKey,
  };
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.reset();
  logs.length = 0;
});

const inputs = (id: string, over: Partial<ApplicationInputs> = {}): ApplicationInputs => ({
  cloud: "tencent",
  certificateId: id,
  commonName: "www.example.com",
  dnsNames: [],
  validationMethod: "DNS",
  organization: { name: "Example Ltd", division: "IT", address: "1 Road", city: "Beijing", region: "Beijing", country: "CN", phoneAreaCode: "010", phoneNumber: "12345678" },
  admin: { firstName: "Ning", lastName: "Huang", email: "ssl@example.com", phone: "13112341234", title: "R&D" },
  tech: { firstName: "Ning", lastName: "Huang", email: "tech@example.com", phone: "13112341234", title: "R&D" },
  tencent: {},
  ...over,
});
const olds = (i: ApplicationInputs): ApplicationOutputs => storedOutputs(i, String(i.certificateId));

describe("validate", () => {
  const props = (i: ApplicationInputs) => tencentBackend.validate(i).map((f) => f.property).sort();
  test("a complete application passes", () => expect(tencentBackend.validate(inputs("J2lX2maH"))).toEqual([]));
  test("certificate id and enums", () => {
    expect(props(inputs("short"))).toEqual(["certificateId"]);
    expect(props(inputs(undefined as unknown as string))).toEqual(["certificateId"]);
    expect(props(inputs("J2lX2maH", { validationMethod: "EMAIL" }))).toEqual(["validationMethod"]);
    expect(props(inputs("J2lX2maH", { tencent: { companyType: 3 } }))).toEqual(["tencent.companyType"]);
    expect(props(inputs("J2lX2maH", { tencent: { csrEncryptAlgo: "ECC" } }))).toEqual([]);
    expect(props(inputs("J2lX2maH", { tencent: { csrEncryptAlgo: "ECC", csrKeyParameter: "2048" } }))).toEqual(["tencent.csrKeyParameter"]);
    expect(props(inputs("J2lX2maH", { tencent: { csrEncryptAlgo: "DSA" } }))).toEqual(["tencent.csrEncryptAlgo"]);
    expect(props(inputs("J2lX2maH", { tencent: { orgIdType: "X", adminIdType: "Y", techIdType: "SFZ" } }))).toEqual(["tencent.adminIdType", "tencent.orgIdType"]);
  });
  test("conditional requireds", () => {
    expect(props(inputs("J2lX2maH", { organization: undefined }))).toEqual(
      ["address", "city", "country", "division", "name", "phoneAreaCode", "phoneNumber", "region"].map((k) => `organization.${k}`),
    );
    expect(props(inputs("J2lX2maH", { organization: undefined, tencent: { companyId: "134" } }))).toEqual([]);
    expect(props(inputs("J2lX2maH", { organization: undefined, tencent: { companyId: "0" } }))).toHaveLength(8);
    expect(props(inputs("J2lX2maH", { organization: undefined, admin: undefined, tech: undefined, tencent: { managerId: "2345" } }))).toEqual([]);
    expect(props(inputs("J2lX2maH", { admin: { firstName: "A" }, tech: undefined }))).toEqual(
      ["admin.email", "admin.lastName", "admin.phone", "admin.title", "tech.firstName", "tech.lastName", "tech.phone", "tech.title"],
    );
    expect(props(inputs("J2lX2maH", { organization: undefined, admin: undefined, tech: undefined, tencent: { companyType: 1 } }))).toEqual(["tencent.contactEmail"]);
    expect(props(inputs("J2lX2maH", { organization: undefined, admin: undefined, tech: undefined, tencent: { companyType: 1, contactEmail: "me@example.com" } }))).toEqual([]);
  });
  test("formats, CSR and UNKNOWN values", async () => {
    // Formats and the CSR are checked once, by the resource layer's common check; the backend adds its own rules.
    const checked = async (i: ApplicationInputs) => ((await check({}, i as unknown as Record<string, unknown>)).failures ?? []).map((f) => f.property).sort();
    expect(await checked(inputs("J2lX2maH", { admin: { firstName: "a", lastName: "b", email: "nope", phone: "x", title: "t" } }))).toEqual(["admin.email", "admin.phone"]);
    expect(await checked(inputs("J2lX2maH", { csr: "garbage" }))).toEqual(["csr"]);
    expect(await checked(inputs("J2lX2maH", { csr: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----", tencent: { csrKeyParameter: "2048" } }))).toEqual(["csr", "tencent.csrKeyParameter"]);
    expect(props(inputs(UNKNOWN, { validationMethod: UNKNOWN, csr: UNKNOWN, admin: { firstName: "a", lastName: "b", email: UNKNOWN, phone: UNKNOWN, title: "t" } }))).toEqual([]);
  });
});

describe("status table", () => {
  test("codes 0–15, sub-states and unknown codes", () => {
    expect(normaliseStatus(0, "PRE-REVIEWING").status).toBe("under-review");
    expect(normaliseStatus(0, "PENDING-DCV").status).toBe("awaiting-validation");
    expect(normaliseStatus(1, null)).toEqual({ status: "issued", rawStatus: "1", statusMessage: "issued" });
    expect(normaliseStatus(2, "Organization could not be verified").status).toBe("failed");
    expect(normaliseStatus(2, "DCV-TIMEOUT: domain validation timed out").status).toBe("timed-out");
    expect(normaliseStatus(5).status).toBe("pending-submission");
    expect(normaliseStatus(6).status).toBe("cancelling");
    expect(normaliseStatus(7).status).toBe("cancelled");
    expect(normaliseStatus(8).status).toBe("awaiting-confirm-letter");
    expect(normaliseStatus(10).status).toBe("revoked");
    expect(normaliseStatus(3).status).toBe("expired");
    expect(normaliseStatus("13").status).toBe("pending-submission");
    for (let i = 0; i <= 15; i++) expect(normaliseStatus(i).rawStatus).toBe(String(i));
    expect(normaliseStatus(99)).toMatchObject({ status: "unknown", rawStatus: "99" });
    expect(normaliseStatus(null)).toMatchObject({ status: "unknown", rawStatus: "" });
    expect(normaliseStatus("weird")).toMatchObject({ status: "unknown", rawStatus: "weird" });
  });
});

describe("backend against the emulator", () => {
  test("submit, then adopt on a re-run instead of submitting twice", async () => {
    const id = emulator.tencent.seed({ productType: "ov", domainCount: 2 }).certificateId;
    const i = inputs(id, { dnsNames: ["example.com"] });
    expect(await tencentBackend.submit(ctx(), i)).toEqual({ applicationId: id, adopted: false });
    expect(emulator.tencent.state(id)?.submittedParams).toMatchObject({ CertId: id, GenCsrType: "online", CsrKeyParameter: "2048", DnsNames: ["example.com"], OrgOrganization: "Example Ltd", TechEmail: "tech@example.com" });
    expect(await tencentBackend.submit(ctx(), i)).toEqual({ applicationId: id, adopted: true });
    expect(emulator.tencent.state(id)?.submitCount).toBe(1);
    await expect(tencentBackend.submit(ctx(), inputs(id, { commonName: "other.example.com" }))).rejects.toThrow(/status 0 .*different content/);
    emulator.tencent.issue(id);
    expect(await tencentBackend.submit(ctx(), i)).toEqual({ applicationId: id, adopted: true });
  });

  test("submit explains a missing certificate and a rejected one", async () => {
    await expect(tencentBackend.submit(ctx(), inputs("Nope1234"))).rejects.toThrow(/does not exist.*buy the certificate first/);
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    await tencentBackend.submit(ctx(), inputs(id));
    emulator.tencent.reject(id, "bad org");
    await expect(tencentBackend.submit(ctx(), inputs(id))).rejects.toThrow(/status 2 .*ModifyCertificateResubmit/);
  });

  test("read: status, validation records, gone → undefined", async () => {
    const id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
    await tencentBackend.submit(ctx(), inputs(id, { dnsNames: ["example.com"] }));
    expect(await tencentBackend.read(ctx(), id)).toMatchObject({ status: "under-review", rawStatus: "0", validationRecords: [] });
    const rec = emulator.tencent.dcv(id);
    const live = await tencentBackend.read(ctx(), id);
    expect(live?.status).toBe("awaiting-validation");
    expect(live?.validationRecords).toEqual(
      rec.dvAuths!.map((a) => ({ domain: a.DvAuthDomain, type: "TXT", name: `_dnsauth.${a.DvAuthDomain}`, value: a.DvAuthValue })),
    );
    expect(await tencentBackend.read(ctx(), "Gone1234")).toBeUndefined();
  });

  test("FILE validation records", async () => {
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    await tencentBackend.submit(ctx(), inputs(id, { validationMethod: "FILE" }));
    const rec = emulator.tencent.dcv(id);
    const live = await tencentBackend.read(ctx(), id);
    expect(live?.validationRecords).toEqual([
      { domain: "www.example.com", type: "FILE", name: "http://www.example.com/.well-known/pki-validation/fileauth.txt", value: rec.dvAuths![0].DvAuthValue },
    ]);
  });

  test("content change under review: cancel, wait for 7, resubmit, submit", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const i = inputs(id);
    await tencentBackend.submit(ctx(), i);
    const live = (await tencentBackend.read(ctx(), id))!;
    expect(tencentBackend.planContentChange(["admin.email"], live, olds(i), i)).toMatchObject({ kind: "update", description: expect.stringContaining("CancelAuditCertificate") });
    emulator.tencent.cancelSettleMs = 100; // the order sits in 6 for a while
    const news = inputs(id, { admin: { ...i.admin, email: "new@example.com" } });
    emulator.clearLog();
    await tencentBackend.applyContentChange(ctx(), id, olds(i), news, live);
    const st = emulator.tencent.state(id)!;
    expect(st.history).toEqual([5, 0, 6, 7, 5, 0]);
    expect(st.submittedParams?.AdminEmail).toBe("new@example.com");
    const acts = emulator.actions("tencent").filter((a) => a !== "DescribeCertificateDetail");
    expect(acts).toEqual(["CancelAuditCertificate", "ModifyCertificateResubmit", "CertificateInfoSubmit"]);
    expect(emulator.actions("tencent").filter((a) => a === "DescribeCertificateDetail").length).toBeGreaterThan(2);
  });

  test("content change after rejection and in 5; refusal while cancelling", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const i = inputs(id);
    const live5 = (await tencentBackend.read(ctx(), id))!;
    expect(tencentBackend.planContentChange(["commonName"], live5, olds(i), i)).toEqual({ kind: "update", description: expect.stringMatching(/: CertificateInfoSubmit$/) });
    await tencentBackend.applyContentChange(ctx(), id, olds(i), i, live5);
    emulator.tencent.reject(id, "bad org");
    const live2 = (await tencentBackend.read(ctx(), id))!;
    expect(tencentBackend.planContentChange(["organization.name"], live2, olds(i), i)).toMatchObject({ kind: "update", description: expect.stringContaining("ModifyCertificateResubmit, CertificateInfoSubmit") });
    await tencentBackend.applyContentChange(ctx(), id, olds(i), inputs(id, { organization: { ...i.organization, name: "New Org" } }), live2);
    expect(emulator.tencent.state(id)?.submittedParams?.OrgOrganization).toBe("New Org");
    const cancelling = { status: "cancelling" as const, rawStatus: "6", statusMessage: "", validationRecords: [] };
    expect(tencentBackend.planContentChange(["admin.email"], cancelling, olds(i), i)).toMatchObject({ kind: "refuse", reason: expect.stringContaining("status 6") });
    const expired = { status: "expired" as const, rawStatus: "3", statusMessage: "", validationRecords: [] };
    expect(tencentBackend.planContentChange(["admin.email"], expired, olds(i), i).kind).toBe("refuse");
  });

  test("a bounded wait fails with a clear message when 7 never comes", async () => {
    const id = emulator.tencent.seed({ productType: "ov" }).certificateId;
    const i = inputs(id);
    await tencentBackend.submit(ctx(), i);
    emulator.tencent.cancelSettleMs = 3_600_000;
    const fast = { ...ctx(), pollIntervalMs: 1 };
    const live = (await tencentBackend.read(fast, id))!;
    const saved = tencentWaitLimits.maxPolls;
    tencentWaitLimits.maxPolls = 4;
    emulator.clearLog();
    try {
      await expect(tencentBackend.applyContentChange(fast, id, olds(i), i, live)).rejects.toThrow(/did not reach status 7 .*after 4 polls.*run `pulumi up` again later/);
    } finally {
      tencentWaitLimits.maxPolls = saved;
    }
    // cancel (the status comes from the live read passed in) + first read of the wait + 4 polls; nothing after.
    expect(emulator.actions("tencent")).toEqual(["CancelAuditCertificate", ...Array(5).fill("DescribeCertificateDetail")]);
  });

  test("resubmit after a DCV timeout: ModifyCertificateResubmit then CertificateInfoSubmit", async () => {
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    const i = inputs(id);
    await tencentBackend.submit(ctx(), i);
    emulator.tencent.dcv(id);
    emulator.tencent.timeout(id);
    const live = (await tencentBackend.read(ctx(), id))!;
    expect(live.status).toBe("timed-out");
    emulator.clearLog();
    await tencentBackend.resubmit(ctx(), id, i, live);
    expect(emulator.actions("tencent").filter((a) => !a.startsWith("Describe"))).toEqual(["ModifyCertificateResubmit", "CertificateInfoSubmit"]);
    const st = emulator.tencent.state(id)!;
    expect(st.status).toBe(0);
    expect(st.resubmitCount).toBe(1);
    expect(st.submitCount).toBe(2);
    emulator.tencent.issue(id);
    await expect(tencentBackend.resubmit(ctx(), id, i, (await tencentBackend.read(ctx(), id))!)).rejects.toThrow(/status 1 .*issued/);
  });

  test("cancel: withdraws under review; already cancelled/gone is success; other statuses are left with a warning", async () => {
    const id = emulator.tencent.seed({ productType: "ov", requiresLetter: true }).certificateId;
    const i = inputs(id);
    await tencentBackend.submit(ctx(), i);
    expect(emulator.tencent.state(id)?.status).toBe(8);
    await tencentBackend.cancel(ctx(), id, olds(i), await tencentBackend.read(ctx(), id));
    expect(emulator.tencent.state(id)?.status).toBe(7);
    emulator.clearLog();
    await tencentBackend.cancel(ctx(), id, olds(i), await tencentBackend.read(ctx(), id));
    expect(emulator.actions("tencent")).not.toContain("CancelAuditCertificate");
    await tencentBackend.cancel(ctx(), "Gone1234", olds(inputs("Gone1234")), undefined);
    await tencentBackend.cancel(ctx(), "Gone1234", olds(inputs("Gone1234")), { status: "under-review", rawStatus: "0", statusMessage: "", validationRecords: [] });

    const issued = emulator.tencent.seed({ productType: "dv" }).certificateId;
    await tencentBackend.submit(ctx(), inputs(issued));
    emulator.tencent.issue(issued);
    logs.length = 0;
    await tencentBackend.cancel(ctx(), issued, olds(inputs(issued)), await tencentBackend.read(ctx(), issued));
    expect(emulator.tencent.state(issued)?.status).toBe(1);
    expect(logs.join("\n")).toMatch(/warning: .*status 1 .*left as it is/);
  });

  test("uploadConfirmLetter moves 8 → 0", async () => {
    const id = emulator.tencent.seed({ productType: "ev", requiresLetter: true }).certificateId;
    await tencentBackend.submit(ctx(), inputs(id));
    const letter = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 1)]).toString("base64");
    await tencentBackend.uploadConfirmLetter!(ctx(), id, letter);
    expect(emulator.tencent.state(id)).toMatchObject({ status: 0, letterUploaded: true });
    await expect(tencentBackend.uploadConfirmLetter!(ctx(), id, letter)).rejects.toMatchObject({ code: "FailedOperation.InvalidCertificateStatusCode" });
  });

  test("logs carry no credential or personal data", () => {
    const text = logs.join("\n");
    expect(text).not.toContain(emulator.credentials.tencent.secretKey);
    expect(text).not.toContain("ssl@example.com");
    expect(text).not.toContain("13112341234");
  });
});
