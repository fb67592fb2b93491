/**
 * Issue 19 part 3: a seeded emulator varies what the official models leave open, the same way for the same seed.
 * Huawei ShowCertificate replies through the real HTTP server, signed as the official SDK signs.
 */
import { Emulator } from "../../emulator/server";
import { Variation } from "../../emulator/vary";
import { control, sdkSigned, seed } from "../huawei/helpers";

const OPTIONAL = ["push_support", "revoke_reason", "multi_domain_type", "description", "enterprise_project_id", "shared", "issue_time", "signature_algorithm"];

/** Shows of `n` fresh certificates, each applied for (so authentification has two records). */
async function shows(emu: Emulator, n: number): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const id = await seed(emu, { certificateId: `scs${String(1554192131150 + i)}` });
    await control(emu, "apply", { id, body: { domain: "www.example.com", sans: "example.com", applicant_name: "Emily_Chen", applicant_phone: "1", applicant_email: "e@example.com" } });
    out.push((await sdkSigned(emu, "GET", `/v3/scm/certificates/${id}`)).json);
  }
  return out;
}

async function withEmulator<T>(seedValue: number | undefined, fn: (e: Emulator) => Promise<T>): Promise<T> {
  const emu = await new Emulator({ seed: seedValue }).start();
  try {
    return await fn(emu);
  } finally {
    await emu.stop();
  }
}

test("without a seed every reply has one shape: every optional field, no extra field, records in one order", async () => {
  const replies = await withEmulator(undefined, (e) => shows(e, 6));
  for (const r of replies) {
    for (const f of OPTIONAL) expect(r).toHaveProperty(f);
    expect(Object.keys(r).filter((k) => k.startsWith("new_field_"))).toEqual([]);
    expect((r.authentification as { domain: string }[]).map((a) => a.domain)).toEqual(["www.example.com", "example.com"]);
  }
});

test("a seed varies optional fields (absent, null, empty), adds fields of a newer version, reorders lists; the same seed replays the same replies", async () => {
  // what is random by nature (order ids carry the time, record values are fresh tokens) is masked
  const strip = (rs: Record<string, unknown>[]) =>
    rs.map(({ id: _id, order_id: _o, ...r }) =>
      JSON.stringify({ ...r, authentification: (r.authentification as { domain: string }[]).map((a) => ({ ...a, record_value: "*" })) }),
    );
  const a = await withEmulator(7, (e) => shows(e, 12));
  const b = await withEmulator(7, (e) => shows(e, 12));
  expect(strip(a)).toEqual(strip(b));
  const all = a.flatMap((r) => OPTIONAL.map((f) => (!(f in r) ? "absent" : r[f] === null ? "null" : r[f] === "" ? "empty" : "kept")));
  expect(new Set(all)).toEqual(new Set(["absent", "null", "empty", "kept"]));
  expect(a.some((r) => Object.keys(r).some((k) => k.startsWith("new_field_")))).toBe(true);
  expect(a.some((r) => (r.authentification as { domain: string }[])[0].domain === "example.com")).toBe(true);
  // a different seed gives different replies
  const c = await withEmulator(8, (e) => shows(e, 12));
  expect(strip(c)).not.toEqual(strip(a));
});

test("the seed can be set through the control API and cleared with null", async () => {
  await withEmulator(undefined, async (e) => {
    const r = await fetch(`${e.url}/_control/seed`, { method: "POST", body: JSON.stringify({ seed: 3 }) });
    expect(await r.json()).toEqual({ seed: 3 });
    expect(e.seed).toBe(3);
    await fetch(`${e.url}/_control/seed`, { method: "POST", body: JSON.stringify({ seed: null }) });
    expect(e.seed).toBeUndefined();
    expect((await fetch(`${e.url}/_control/seed`, { method: "POST", body: JSON.stringify({ seed: "x" }) })).status).toBe(400);
  });
});

test("Variation draws are deterministic per seed and key; nothing varies without a seed", () => {
  const v = new Variation(undefined);
  expect(v.order("k", [1, 2, 3])).toEqual([1, 2, 3]);
  expect(v.optional("k", { a: 1 }, ["a"])).toEqual({ a: 1 });
  expect(v.extra("k")).toEqual({});
  expect(v.between("k", 0, 9, 4)).toBe(4);
  const x = new Variation(5);
  const y = new Variation(5);
  expect([x.pick("a", 100), x.pick("a", 100), x.order("o", [1, 2, 3, 4, 5])]).toEqual([y.pick("a", 100), y.pick("a", 100), y.order("o", [1, 2, 3, 4, 5])]);
});
