/**
 * Issue 19 part 3 on Tencent's DescribeCertificates (the list the provider's shared list reads use): with a seed the
 * optional fields of a `Certificates` entry (ssl_models.d.ts, all `?:`) come as they are, absent, null or empty, an
 * entry may carry a field a newer API version adds, and a DCV-timeout StatusMsg comes in either language whatever
 * X-TC-Language asked (emulator/tencent/RULES.md V1, V3, V6). Real signed HTTP (TC3-HMAC-SHA256) against the emulator.
 */
import { Emulator } from "../../emulator/server";
import { DCV_TIMEOUT_MSG } from "../../emulator/tencent";
import { toSubmitRequest } from "../../provider/clouds/tencent/backend";
import { normalizeInputs } from "../../provider/resources/normalize";
import { rawCall, tencentInputs } from "../tencent/helpers";

const OPTIONAL = ["OwnerUin", "ProjectId", "From", "CertificateType", "ProductZhName", "Alias", "StatusName", "Tags", "InsertTime"];
type Entry = Record<string, unknown>;

/** `n` certificates whose domain validation timed out (status 2), listed with X-TC-Language zh-CN. */
async function listed(seed: number | undefined, n: number): Promise<Entry[]> {
  const e = await new Emulator({ seed }).start();
  try {
    for (let i = 0; i < n; i++) {
      const { certificateId } = e.tencent.seed({ productType: "dv" });
      const s = await e.tencent.control("submit", { certificateId, materials: toSubmitRequest(certificateId, normalizeInputs(tencentInputs(certificateId))) });
      expect(s.status).toBe(200);
      e.tencent.timeout(certificateId);
    }
    const r = await rawCall(e.url, "DescribeCertificates", { Limit: 1000 }, { ...e.credentials.tencent, headers: { "X-TC-Language": "zh-CN" } });
    expect(r.status).toBe(200);
    return r.json.Response.Certificates as Entry[];
  } finally {
    await e.stop();
  }
}

test("without a seed a list entry has every field, no extra one, and StatusMsg in the language asked for", async () => {
  const entries = await listed(undefined, 4);
  for (const c of entries) {
    for (const f of OPTIONAL) expect(c).toHaveProperty(f);
    expect(Object.keys(c).filter((k) => k.startsWith("NewField"))).toEqual([]);
    expect(c).toMatchObject({ Status: 2, StatusMsg: DCV_TIMEOUT_MSG.zh });
  }
});

test("a seed varies the optional fields of list entries, adds newer fields, and draws StatusMsg's language; Status and CertificateId stay", async () => {
  const entries = await listed(4, 12);
  expect(entries).toHaveLength(12);
  const shapes = new Set(entries.flatMap((c) => OPTIONAL.map((f) => (!(f in c) ? "absent" : c[f] === null ? "null" : c[f] === "" || (Array.isArray(c[f]) && (c[f] as unknown[]).length === 0) ? "empty" : "kept"))));
  expect(shapes).toEqual(new Set(["absent", "null", "empty", "kept"]));
  expect(entries.some((c) => Object.keys(c).some((k) => k.startsWith("NewField")))).toBe(true);
  expect(new Set(entries.map((c) => c.StatusMsg))).toEqual(new Set([DCV_TIMEOUT_MSG.zh, DCV_TIMEOUT_MSG.en]));
  for (const c of entries) expect(c).toMatchObject({ Status: 2, CertificateId: expect.any(String) });
});
