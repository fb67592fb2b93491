/**
 * Issue 19 part 3 on Edgecast: what the official SDK model (ec-sdk-go v1.2.0, `edgecast/cps/models`) leaves open is
 * drawn by seed (emulator/edgecast/RULES.md V5–V8), and the unseeded emulator stays within the model's enums (E-DR).
 * Real HTTP with a bearer token from the emulator's identity server.
 */
import { Emulator } from "../../emulator/server";
import { DV_BODY, control, raw, token } from "../edgecast/helpers";

type Json = Record<string, unknown>;
type Domain = { name: string; status: string };
type Deployment = { delivery_region: string; platform: string; hex_url: string };

/** ec-sdk-go v1.2.0 `models/request_deployment.go` `delivery_region` enum. */
const SDK_REGIONS = [
  "GlobalPremiumPlusAsia",
  "NorthAmericaAndEurope",
  "GlobalStandard",
  "Internal",
  "GlobalPremiumAsiaPlusChina",
  "GlobalPremiumAsiaPlusIndia",
  "GlobalPremiumAsiaPlusChinaAndIndia",
  "GlobalPremiumAsiaPlusLatam",
  "GlobalPremiumAsiaPremiumChinaPlusLatam",
];
/** ec-sdk-go v1.2.0 `models/domain.go` `status` enum. */
const SDK_DOMAIN_STATUSES = ["ProvisioningInitiated", "AwaitingCertificateAuthority", "Active", "PendingDelete", "Delete", "PendingDns", "Rejected", "TimedOut", "PendingReissue", "SecretRejected"];

const cps = (p: string) => `/sec/cps${p}`;

async function withEmulator<T>(seed: number | undefined, fn: (e: Emulator, tok: string) => Promise<T>): Promise<T> {
  const e = await new Emulator({ seed }).start();
  try {
    return await fn(e, await token(e));
  } finally {
    await e.stop();
  }
}

async function create(e: Emulator, tok: string, label: string): Promise<number> {
  const r = await raw(e, "POST", cps("/v2.0/certificates/cdnprovided"), { token: tok, body: { ...DV_BODY, certificate_label: label } });
  expect(r.status).toBe(201);
  return (r.json as { id: number }).id;
}

const get = async (e: Emulator, tok: string, id: number) => (await raw(e, "GET", cps(`/v2.0/certificates/${id}`), { token: tok })).json as Json;
const orderStatus = async (e: Emulator, tok: string, id: number) =>
  ((await raw(e, "GET", cps(`/v2.0/certificates/${id}/status`), { token: tok })).json as { order_validation?: { status: string } | null }).order_validation?.status;

test("E-DR: an issued request's deployment names a delivery region of the SDK enum, without a seed GlobalStandard", async () => {
  await withEmulator(undefined, async (e, tok) => {
    const id = await create(e, tok, "dr-unseeded");
    await control(e, "issue", { id });
    const deployments = (await get(e, tok, id)).deployments as Deployment[];
    expect(deployments).toEqual([{ delivery_region: "GlobalStandard", platform: "HttpLarge", hex_url: expect.stringMatching(/\.wpc\.edgecastcdn\.net$/) }]);
  });
});

test("V5–V8: a seed draws PendingDns, AwaitingReissue, PendingDelete reads, delivery regions and other platforms' deployments; all within the SDK enums", async () => {
  const seen = { dcv: new Set<string>(), reissue: new Set<string>(), deleted: new Set<string>(), regions: new Set<string>(), platforms: new Set<string>(), firstPlatform: new Set<string>() };
  await withEmulator(14, async (e, tok) => {
    for (let i = 0; i < 5; i++) {
      const id = await create(e, tok, `vary-${i}`);
      await control(e, "advance", { id });
      for (const d of (await get(e, tok, id)).domains as Domain[]) seen.dcv.add(d.status);
      await control(e, "issue", { id });
      for (let k = 0; k < 3; k++) {
        const deployments = (await get(e, tok, id)).deployments as Deployment[];
        expect(deployments.filter((d) => d.platform === "HttpLarge")).toHaveLength(1);
        for (const d of deployments) {
          expect(SDK_REGIONS).toContain(d.delivery_region);
          seen.regions.add(d.delivery_region);
          seen.platforms.add(d.platform);
        }
        seen.firstPlatform.add(deployments[0].platform);
      }
      const patched = await raw(e, "PATCH", cps(`/v2.0/certificates/${id}`), {
        token: tok,
        body: { domains: [...DV_BODY.domains, { name: "api.example.com", is_common_name: false }] },
      });
      expect(patched.status).toBe(200);
      seen.reissue.add((await orderStatus(e, tok, id)) ?? "none");
      await control(e, "issue", { id });
      expect((await raw(e, "DELETE", cps(`/v2.0/certificates/${id}`), { token: tok })).status).toBe(204);
      const reads: string[] = [];
      for (let k = 0; k < 4; k++) reads.push(...new Set(((await get(e, tok, id)).domains as Domain[]).map((d) => d.status)));
      // PendingDelete first (0–2 reads), then Delete for good
      expect(reads.join(",")).toMatch(/^(PendingDelete,)*Delete(,Delete)*$/);
      for (const s of reads) seen.deleted.add(s);
    }
  });
  for (const s of [...seen.dcv, ...seen.deleted]) expect(SDK_DOMAIN_STATUSES).toContain(s);
  expect(seen.dcv).toEqual(new Set(["PendingDns", "AwaitingCertificateAuthority"]));
  expect(seen.reissue).toEqual(new Set(["PendingReissue", "AwaitingReissue"]));
  expect(seen.deleted).toEqual(new Set(["PendingDelete", "Delete"]));
  expect(seen.regions.size).toBeGreaterThan(1);
  expect(seen.platforms.has("HttpSmall") || seen.platforms.has("Adn")).toBe(true);
  expect(seen.firstPlatform.size).toBeGreaterThan(1);
}, 120_000);

test("V1–V3 in the list: GET /v2.0/certificates items vary as a GET does (optional fields, newer fields); unseeded they do not", async () => {
  const items = async (seed: number | undefined) =>
    withEmulator(seed, async (e, tok) => {
      for (let i = 0; i < 10; i++) await create(e, tok, `list-${i}`);
      return ((await raw(e, "GET", cps("/v2.0/certificates?page=1&page_size=20"), { token: tok })).json as { items: Json[] }).items;
    });
  const plain = await items(undefined);
  expect(plain.every((c) => "modified_by" in c && "request_type" in c && !Object.keys(c).some((k) => k.startsWith("new_field_")))).toBe(true);
  const varied = await items(5);
  expect(varied).toHaveLength(10);
  expect(varied.some((c) => !("request_type" in c) || c.request_type === null || c.request_type === "")).toBe(true);
  expect(varied.some((c) => Object.keys(c).some((k) => k.startsWith("new_field_")))).toBe(true);
  for (const c of varied) expect(c).not.toHaveProperty("organization");
});
