/**
 * A preview confirms what one cheap read can (issue 17 item 10): wrong credentials, a certificate id the
 * account does not have, more names than the certificate was bought for. Only in a preview (the SDK's
 * internal `preflight` input), only for a new resource, only reads; `pulumi up` makes no extra call.
 */
import { CertificateApplication, type CertificateApplicationArgs } from "certapply";
import { Emulator } from "../../emulator/server";
import * as application from "../../provider/resources/application";
import { configure } from "../../provider/resources/context";
import { EngineError } from "../harness/engine";
import { startEngine } from "../support";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await new Emulator().start();
});
afterAll(() => emulator.stop());

const tencent = (certificateId: string, over: Partial<CertificateApplicationArgs> = {}) =>
  ({ cloud: "tencent", certificateId, commonName: "www.example.com", validationMethod: "DNS", tencent: { managerId: "1" }, ...over }) as Record<string, unknown>;
const huawei = (certificateId: string, over: Partial<CertificateApplicationArgs> = {}) =>
  ({ cloud: "huawei", certificateId, commonName: "www.example.com", admin: { firstName: "Ning", lastName: "Huang", email: "a@example.com", phone: "13112341234" }, ...over }) as Record<string, unknown>;

function configured(over: Record<string, string> = {}): void {
  const values: Record<string, string> = { ...emulator.stackConfig(), "certapply:retryBaseDelayMs": "5", ...over };
  configure({ get: (k) => values[k] });
}

async function preflightFailures(news: Record<string, unknown>, olds: Record<string, unknown> = {}) {
  return (await application.check(olds, { ...news, preflight: true })).failures ?? [];
}

const writes = () => emulator.log.filter((e) => !/^(GET |Describe|Show|List|POST \/connect\/token|POST \/v3\/auth\/tokens)/.test(e.action));

describe("check in a preview, straight", () => {
  afterEach(() => configure(undefined));

  test("tencent: credentials refused, certificate unknown, too many names; each named; reads only", async () => {
    const { certificateId } = emulator.tencent.seed({ productType: "dv", domainCount: 1 });
    emulator.clearLog();
    configured({ "certapply:tencentSecretKey": "wrong-key" });
    const bad = await preflightFailures(tencent(certificateId));
    expect(bad.map((f) => f.property)).toEqual(["cloud"]);
    expect(bad[0].reason).toMatch(/tencent refused the credentials \(AuthFailure.*check certapply:tencentSecretId \/ certapply:tencentSecretKey/);
    expect(bad[0].reason).not.toContain("wrong-key");

    configured();
    expect((await preflightFailures(tencent("Nope1234"))).map((f) => [f.property, f.reason])).toEqual([
      ["certificateId", "tencent has no certificate Nope1234 in this account: buy it first, or correct certificateId"],
    ]);
    const many = await preflightFailures(tencent(certificateId, { dnsNames: ["a.example.com", "b.example.com"] }));
    expect(many.map((f) => f.property)).toEqual(["dnsNames"]);
    expect(many[0].reason).toMatch(/bought for 1 domain\(s\) and 3 are declared/);
    expect(await preflightFailures(tencent(certificateId))).toEqual([]);
    expect(writes()).toEqual([]);
  });

  test("huawei: an unknown certificate and refused credentials are named; reads only", async () => {
    const seeded = await emulator.huawei.control("seed", {});
    const id = seeded.body as { id: string };
    emulator.clearLog();
    configured();
    expect((await preflightFailures(huawei("scs0000000000000"))).map((f) => f.property)).toEqual(["certificateId"]);
    expect(await preflightFailures(huawei(id.id))).toEqual([]);
    configured({ "certapply:huaweiSecretKey": "wrong-key" });
    expect((await preflightFailures(huawei(id.id))).map((f) => f.property)).toEqual(["cloud"]);
    expect(writes()).toEqual([]);
  });

  test("no read without the preview's flag, for a resource already in state, or for an invalid declaration", async () => {
    configured({ "certapply:tencentSecretKey": "wrong-key" });
    emulator.clearLog();
    expect((await application.check({}, tencent("Nope1234"))).failures).toEqual([]);
    expect((await application.check(tencent("Nope1234"), { ...tencent("Nope1234"), preflight: true })).failures).toEqual([]);
    expect((await preflightFailures(tencent("short"))).map((f) => f.property)).toEqual(["certificateId"]);
    expect(emulator.log).toEqual([]);
    const checked = await application.check({}, { ...tencent("Nope1234"), preflight: true });
    expect(checked.inputs).not.toHaveProperty("preflight");
  });
});

test("through a Pulumi program: the preview fails naming the certificate id; a good one reads once; up reads only for its create", async () => {
  const engine = await startEngine(emulator);
  try {
    emulator.clearLog();
    const err = (await engine.preview(() => new CertificateApplication("www", tencent("Nope1234") as unknown as CertificateApplicationArgs)).catch((e: unknown) => e)) as EngineError;
    expect(err).toBeInstanceOf(EngineError);
    expect(err.failures.map((f) => [f.name, f.property])).toEqual([["www", "certificateId"]]);
    expect(writes()).toEqual([]);

    const { certificateId } = emulator.tencent.seed({ productType: "dv", domainCount: 1 });
    emulator.clearLog();
    const pre = await engine.preview(() => new CertificateApplication("ok", tencent(certificateId) as unknown as CertificateApplicationArgs));
    expect(pre.steps.map((s) => s.op)).toEqual(["create"]);
    expect(emulator.actions("tencent")).toEqual(["DescribeCertificateDetail"]);

    // The up's check carries no flag: its only reads are the create's own (DescribeCertificateDetail before the save).
    emulator.clearLog();
    await engine.up(() => new CertificateApplication("ok", tencent(certificateId) as unknown as CertificateApplicationArgs));
    const actions = emulator.actions("tencent");
    expect(actions[0]).toBe("DescribeCertificateDetail");
    expect(actions[1]).not.toBe("DescribeCertificateDetail");
  } finally {
    await engine.stop();
  }
});
