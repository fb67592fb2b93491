import { X509Certificate } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Emulator } from "../../emulator/server";
import { DV_BODY, ORG, control, raw, token } from "./helpers";

const emulator = new Emulator();
let tok: string;

beforeAll(async () => {
  await emulator.start();
});
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.reset();
  tok = await token(emulator);
});

const cps = (p: string) => `/sec/cps${p}`;
type Json = Record<string, unknown>;
const create = async (over: Json = {}) => raw(emulator, "POST", cps("/v2.0/certificates/cdnprovided"), { token: tok, body: { ...DV_BODY, ...over } });
const status = async (id: number) => (await raw(emulator, "GET", cps(`/v2.0/certificates/${id}/status`), { token: tok })).json as Json;
const descriptions = (j: unknown) => ((j as { details: { description: string }[] }).details ?? []).map((d) => d.description).join(" | ");

describe("identity server", () => {
  const creds = () => ({
    grant_type: "client_credentials",
    scope: "sec.cps.certificates",
    client_id: emulator.credentials.edgecast.clientId,
    client_secret: emulator.credentials.edgecast.clientSecret,
  });

  test("issues a bearer token with expires_in from the configured lifetime", async () => {
    const r = await raw(emulator, "POST", "/connect/token", { form: creds() });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ token_type: "Bearer", expires_in: 300, scope: "sec.cps.certificates" });
    expect((r.json as Json).access_token).toEqual(expect.any(String));
  });

  test.each([
    [{ client_secret: "wrong" }, "invalid_client"],
    [{ client_id: "someone-else" }, "invalid_client"],
    [{ grant_type: "password" }, "unsupported_grant_type"],
    [{ scope: "ec.rules" }, "invalid_scope"],
  ])("refuses %p with 400 {error: %s}", async (over, error) => {
    const r = await raw(emulator, "POST", "/connect/token", { form: { ...creds(), ...over } });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error });
  });

  test("CPS calls need a valid, unexpired bearer token", async () => {
    const none = await raw(emulator, "GET", cps("/v2.0/certificates"));
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ code: "Unauthorized", status_code: 401 });
    expect((await raw(emulator, "GET", cps("/v2.0/certificates"), { token: "forged" })).status).toBe(401);
    expect((await raw(emulator, "GET", cps("/v2.0/certificates"), { token: tok })).status).toBe(200);
    emulator.advanceClock(299);
    expect((await raw(emulator, "GET", cps("/v2.0/certificates"), { token: tok })).status).toBe(200);
    emulator.advanceClock(2);
    const expired = await raw(emulator, "GET", cps("/v2.0/certificates"), { token: tok });
    expect(expired.status).toBe(401);
    expect(descriptions(expired.json)).toMatch(/expired/);
  });
});

describe("create and read", () => {
  test("201 with integer ids, ISO timestamps and a zero expiration_date; status Processing without order", async () => {
    const r = await create();
    expect(r.status).toBe(201);
    const c = r.json as Json;
    expect(Number.isInteger(c.id)).toBe(true);
    expect(c).toMatchObject({ "@type": "Certificate", certificate_label: "www-example-com", expiration_date: "0001-01-01T00:00:00Z", auto_renew: false }); // omitted: false (omitempty model)
    expect(new Date(c.created as string).toISOString()).toBe(c.created);
    const domains = c.domains as Json[];
    expect(domains.map((d) => [d.name, d.is_common_name, d.status])).toEqual([
      ["www.example.com", true, "ProvisioningInitiated"],
      ["example.com", false, "ProvisioningInitiated"],
    ]);
    expect(domains.every((d) => Number.isInteger(d.id))).toBe(true);
    const got = await raw(emulator, "GET", cps(`/v2.0/certificates/${c.id}`), { token: tok });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ id: c.id, organization: null });
    expect(await status(c.id as number)).toMatchObject({ status: "Processing", order_validation: null, requires_attention: false });
    const missing = await raw(emulator, "GET", cps("/v2.0/certificates/999999"), { token: tok });
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ "@type": "Error", code: "NotFound", status_code: 404 });
  });

  test.each([
    [{ certificate_label: "has space" }, /letters, digits/],
    [{ certificate_label: "" }, /certificate_label is required/],
    [{ validation_type: "XV" }, /validation_type must be one of/],
    [{ dcv_method: "Http" }, /dcv_method must be one of/],
    [{ certificate_authority: "Sectigo" }, /certificate_authority must be one of/],
    [{ organization: ORG }, /omitted for DV/],
    [{ validation_type: "OV" }, /organization is required for OV/],
    [{ validation_type: "EV", organization: ORG }, /EV certificates require additional_contacts/],
    [{ validation_type: "OV", organization: { ...ORG, state: undefined } }, /state is required for US/],
    [
      {
        domains: [
          { name: "a.example.com", is_common_name: true },
          { name: "b.example.com", is_common_name: true },
        ],
      },
      /at most one domain/,
    ],
    [{ domains: [] }, /non-empty array/],
    [{ domains: [{ name: "not a domain" }] }, /not a domain name/],
  ])("refuses %p with 400", async (over, message) => {
    const r = await create(over);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ "@type": "Error", status_code: 400 });
    expect(descriptions(r.json)).toMatch(message);
  });

  test("OV with an organization is accepted; the system flags a common name when none is", async () => {
    const r = await create({ validation_type: "OV", organization: ORG, domains: [{ name: "shop.example.com" }] });
    expect(r.status).toBe(201);
    expect((r.json as Json).organization).toMatchObject({ company_name: "Example Inc", id: expect.any(Number) });
    expect((r.json as { domains: Json[] }).domains[0].is_common_name).toBe(true);
  });

  test("labels are unique, including deleted requests", async () => {
    const first = (await create()).json as Json;
    const dup = await create({ certificate_label: "WWW-example-com" });
    expect(dup.status).toBe(400);
    expect(descriptions(dup.json)).toMatch(/already used by certificate request/);
    await control(emulator, "issue", { id: first.id });
    expect((await raw(emulator, "DELETE", cps(`/v2.0/certificates/${first.id}`), { token: tok })).status).toBe(204);
    expect((await create()).status).toBe(400);
  });
});

describe("list with paging", () => {
  test("page, page_size, @links, query with wildcards and sort", async () => {
    for (let i = 0; i < 23; i++) {
      expect((await create({ certificate_label: `site-${String(i).padStart(2, "0")}`, domains: [{ name: `s${i}.example.com`, is_common_name: true }] })).status).toBe(201);
    }
    await create({ certificate_label: "other", domains: [{ name: "www.other.org", is_common_name: true }] });
    const p1 = (await raw(emulator, "GET", cps("/v2.0/certificates"), { token: tok })).json as Json;
    expect(p1.total_items).toBe(24);
    const items1 = p1.items as Json[];
    expect(items1).toHaveLength(20);
    expect(items1[0].certificate_label).toBe("other"); // default: id descending
    expect(items1[0]).not.toHaveProperty("organization");
    expect((p1["@links"] as Json).next).toEqual({ href: expect.stringContaining("page=2") });
    const p2 = (await raw(emulator, "GET", cps("/v2.0/certificates?page=2&page_size=20"), { token: tok })).json as Json;
    expect(p2.items as Json[]).toHaveLength(4);
    expect((p2["@links"] as Json).next).toBeUndefined();
    const asc = (await raw(emulator, "GET", cps("/v2.0/certificates?sort=-certificate_label&page_size=3"), { token: tok })).json as Json;
    expect((asc.items as Json[]).map((c) => c.certificate_label)).toEqual(["other", "site-00", "site-01"]);
    const q = (await raw(emulator, "GET", cps(`/v2.0/certificates?query=${encodeURIComponent("domain_names:*.other.org")}`), { token: tok })).json as Json;
    expect((q.items as Json[]).map((c) => c.certificate_label)).toEqual(["other"]);
    const byLabel = (await raw(emulator, "GET", cps("/v2.0/certificates?query=certificate_label:site-1*"), { token: tok })).json as Json;
    expect(byLabel.total_items).toBe(10);
    expect((await raw(emulator, "GET", cps("/v2.0/certificates?page=0"), { token: tok })).status).toBe(400);
  });
});

describe("workflow, DCV and retrigger", () => {
  test("DV: token appears at DomainControlValidation and is shared; domain_ids required for DNS", async () => {
    const c = (await create()).json as { id: number; domains: { id: number }[] };
    const ids = c.domains.map((d) => d.id).join(",");
    const before = (await raw(emulator, "GET", cps(`/v2.0/dcv/certificates/${c.id}?domain_ids=${ids}`), { token: tok })).json as { items: Json[] };
    expect(before.items.every((i) => i.dcv_token === null)).toBe(true);
    await control(emulator, "advance", { id: c.id });
    expect(await status(c.id)).toMatchObject({ status: "DomainControlValidation", step: 3, order_validation: { status: "Pending" } });
    const dcv = (await raw(emulator, "GET", cps(`/v2.0/dcv/certificates/${c.id}?domain_ids=${ids}`), { token: tok })).json as { items: { dcv_token: { token: string } }[] };
    expect(dcv.items).toHaveLength(2);
    expect(dcv.items[0].dcv_token.token).toMatch(/^[0-9a-f]{32}$/);
    expect(dcv.items[1].dcv_token.token).toBe(dcv.items[0].dcv_token.token);
    expect((await raw(emulator, "GET", cps(`/v2.0/dcv/certificates/${c.id}`), { token: tok })).status).toBe(400);
  });

  test("Email DCV lists mailboxes and no token", async () => {
    const c = (await create({ dcv_method: "Email" })).json as { id: number };
    await control(emulator, "advance", { id: c.id });
    const dcv = (await raw(emulator, "GET", cps(`/v2.0/dcv/certificates/${c.id}`), { token: tok })).json as { items: Json[] };
    expect(dcv.items[0]).toMatchObject({ dcv_method: "Email", dcv_token: null, emails: expect.arrayContaining(["admin@example.com"]) });
  });

  test("a domain times out; retrigger is accepted only then (204) and restarts the request", async () => {
    const c = (await create()).json as { id: number };
    const retrig = () => raw(emulator, "PUT", cps(`/v2.0/certificates/${c.id}/retrigger`), { token: tok });
    const early = await retrig();
    expect(early.status).toBe(400);
    expect(descriptions(early.json)).toMatch(/has not timed out/);
    await control(emulator, "advance", { id: c.id });
    await control(emulator, "timeout", { id: c.id, domain: "example.com" });
    const cert = (await raw(emulator, "GET", cps(`/v2.0/certificates/${c.id}`), { token: tok })).json as { domains: Json[] };
    expect(cert.domains.map((d) => d.status)).toEqual(["AwaitingCertificateAuthority", "TimedOut"]);
    expect(await status(c.id)).toMatchObject({ status: "DomainControlValidation", requires_attention: true, error_message: expect.stringMatching(/timed out/) });
    const ok = await retrig();
    expect(ok.status).toBe(204);
    expect(ok.text).toBe("");
    expect(await status(c.id)).toMatchObject({ status: "Processing", order_validation: null, requires_attention: false });
    expect((await control(emulator, "state", { id: c.id })).retriggerCount).toBe(1);
    await control(emulator, "issue", { id: c.id });
    const issued = await raw(emulator, "GET", cps(`/v2.0/certificates/${c.id}`), { token: tok });
    expect((issued.json as Json).expiration_date).not.toBe("0001-01-01T00:00:00Z");
    expect((issued.json as { deployments: Json[] }).deployments[0]).toMatchObject({ platform: "HttpLarge", hex_url: expect.any(String) });
    const late = await retrig();
    expect(late.status).toBe(400);
    expect(descriptions(late.json)).toMatch(/was issued/);
  });

  test("a rejected domain shows Rejected / SecretRejected and a Rejected validation; the CA can set any SDK order status", async () => {
    const c = (await create()).json as { id: number };
    await control(emulator, "advance", { id: c.id });
    await control(emulator, "reject", { id: c.id, domain: "example.com", secret: true });
    const cert = (await raw(emulator, "GET", cps(`/v2.0/certificates/${c.id}`), { token: tok })).json as { domains: Json[] };
    expect(cert.domains.map((d) => d.status)).toEqual(["AwaitingCertificateAuthority", "SecretRejected"]);
    const st = await status(c.id);
    expect(st).toMatchObject({ requires_attention: true, error_message: expect.stringMatching(/rejected example.com/) });
    expect((st.order_validation as { domain_validations: Json[] }).domain_validations.map((d) => d.status)).toEqual(["Pending", "Rejected"]);
    await control(emulator, "order", { id: c.id, status: "ReissueRejected" });
    expect(((await status(c.id)).order_validation as Json).status).toBe("ReissueRejected");
    expect((await emulator.edgecast.control("order", { id: c.id, status: "Whatever" })).status).toBe(400);
  });

  test("issuance: a real certificate for the domains; expiration_date and thumbprint come from it and stay", async () => {
    const c = (await create()).json as { id: number };
    await control(emulator, "issue", { id: c.id });
    const get = async () => (await raw(emulator, "GET", cps(`/v2.0/certificates/${c.id}`), { token: tok })).json as Json;
    const first = await get();
    const pem = (await control(emulator, "state", { id: c.id })).certificatePem as string;
    const x = new X509Certificate(pem);
    expect(x.subjectAltName).toBe("DNS:www.example.com, DNS:example.com");
    expect(first.expiration_date).toBe(new Date(x.validTo).toISOString());
    expect(first.thumbprint).toBe(x.fingerprint.replace(/:/g, ""));
    expect(await get()).toEqual(first);
  });

  test("advance walks DV to Deployment then Active; OV passes OtherValidation", async () => {
    const dv = (await create()).json as { id: number };
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) seen.push(((await control(emulator, "advance", { id: dv.id })).status as string));
    expect(seen).toEqual(["DomainControlValidation", "Deployment", "Active"]);
    const ov = (await create({ certificate_label: "ov", validation_type: "OV", organization: ORG })).json as { id: number };
    const seenOv: string[] = [];
    for (let i = 0; i < 4; i++) seenOv.push(((await control(emulator, "advance", { id: ov.id })).status as string));
    expect(seenOv).toEqual(["DomainControlValidation", "OtherValidation", "Deployment", "Active"]);
  });
});

describe("cancel and delete", () => {
  test("cancel?apply=true while pending (204); again or once issued 409; apply=false changes nothing", async () => {
    const c = (await create()).json as { id: number };
    const preview = await raw(emulator, "PUT", cps(`/v2.0/certificates/${c.id}/cancel?apply=false`), { token: tok });
    expect(preview.status).toBe(200);
    expect((await control(emulator, "state", { id: c.id })).orderStatus).toBeNull();
    expect((await raw(emulator, "PUT", cps(`/v2.0/certificates/${c.id}/cancel?apply=true`), { token: tok })).status).toBe(204);
    expect(await status(c.id)).toMatchObject({ order_validation: { status: "Canceled" } });
    expect((await raw(emulator, "PUT", cps(`/v2.0/certificates/${c.id}/cancel?apply=true`), { token: tok })).status).toBe(409);
    const other = (await create({ certificate_label: "issued-one" })).json as { id: number };
    await control(emulator, "issue", { id: other.id });
    const conflict = await raw(emulator, "PUT", cps(`/v2.0/certificates/${other.id}/cancel?apply=true`), { token: tok });
    expect(conflict.status).toBe(409);
    expect(conflict.json).toMatchObject({ code: "Conflict", status_code: 409 });
  });

  test("DELETE is for issued (or cancelled) requests; soft delete keeps /status Deleted", async () => {
    const c = (await create()).json as { id: number };
    const early = await raw(emulator, "DELETE", cps(`/v2.0/certificates/${c.id}`), { token: tok });
    expect(early.status).toBe(400);
    expect(descriptions(early.json)).toMatch(/cancel it instead/);
    await control(emulator, "issue", { id: c.id });
    expect((await raw(emulator, "DELETE", cps(`/v2.0/certificates/${c.id}`), { token: tok })).status).toBe(204);
    expect(await status(c.id)).toMatchObject({ status: "Deleted" });
    const cert = await raw(emulator, "GET", cps(`/v2.0/certificates/${c.id}`), { token: tok });
    expect(cert.status).toBe(200);
    expect((cert.json as Json).deployments).toBeNull();
    expect((await raw(emulator, "DELETE", cps(`/v2.0/certificates/${c.id}`), { token: tok })).status).toBe(404);
    expect((await raw(emulator, "PATCH", cps(`/v2.0/certificates/${c.id}`), { token: tok, body: { description: "x" } })).status).toBe(400);
  });
});

describe("PATCH, organization and notifications", () => {
  test("basic fields in any state; domains only once issued (reissue); null domains unchanged", async () => {
    const c = (await create()).json as { id: number };
    const url = cps(`/v2.0/certificates/${c.id}`);
    const p = await raw(emulator, "PATCH", url, { token: tok, body: { certificate_label: "renamed", description: "new", auto_renew: false, dcv_method: "Email", domains: null } });
    expect(p.status).toBe(200);
    expect(p.json).toMatchObject({ certificate_label: "renamed", description: "new", auto_renew: false, dcv_method: "Email" });
    const domains = [{ name: "www.example.com", is_common_name: true }, { name: "api.example.com", is_common_name: false }];
    const pending = await raw(emulator, "PATCH", url, { token: tok, body: { domains } });
    expect(pending.status).toBe(400);
    expect(descriptions(pending.json)).toMatch(/cannot be changed while the certificate authority is processing/);
    expect((await raw(emulator, "PATCH", url, { token: tok, body: { validation_type: "OV" } })).status).toBe(400);
    await control(emulator, "issue", { id: c.id });
    const reissue = await raw(emulator, "PATCH", url, { token: tok, body: { domains } });
    expect(reissue.status).toBe(200);
    expect(await status(c.id)).toMatchObject({ status: "DomainControlValidation", order_validation: { status: "PendingReissue" } });
    expect((reissue.json as { domains: Json[] }).domains.map((d) => [d.name, d.status])).toEqual([
      ["www.example.com", "Active"],
      ["api.example.com", "PendingReissue"],
    ]);
    // the old label stays reserved
    expect((await create({ certificate_label: "www-example-com" })).status).toBe(400);
  });

  test("PUT organization only for an issued OV/EV certificate", async () => {
    const c = (await create({ validation_type: "OV", organization: ORG })).json as { id: number };
    const url = cps(`/v2.0/certificates/${c.id}/organization`);
    expect((await raw(emulator, "PUT", url, { token: tok, body: { ...ORG, city: "Chicago" } })).status).toBe(400);
    await control(emulator, "issue", { id: c.id });
    const ok = await raw(emulator, "PUT", url, { token: tok, body: { ...ORG, city: "Chicago" } });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ city: "Chicago" });
    expect(await status(c.id)).toMatchObject({ status: "OtherValidation", order_validation: { status: "PendingOrgUpdate" } });
  });

  test("notifications: GET defaults, PATCH an array, e-mails required when enabled and must be account users", async () => {
    const c = (await create()).json as { id: number };
    const url = cps(`/v2.0/certificates/${c.id}/notifications`);
    const d = (await raw(emulator, "GET", url, { token: tok })).json as { items: Json[] };
    expect(d.items.map((n) => [n.notification_type, n.enabled])).toEqual([
      ["CertificateRenewal", false],
      ["CertificateExpiring", false],
      ["PendingValidations", false],
    ]);
    const ok = await raw(emulator, "PATCH", url, { token: tok, body: [{ notification_type: "CertificateExpiring", enabled: true, emails: ["ops@example.com"] }] });
    expect(ok.status).toBe(200);
    expect((ok.json as { items: Json[] }).items[1]).toEqual({ notification_type: "CertificateExpiring", enabled: true, emails: ["ops@example.com"] });
    expect((await raw(emulator, "PATCH", url, { token: tok, body: { notification_type: "CertificateExpiring" } })).status).toBe(400);
    const noMail = await raw(emulator, "PATCH", url, { token: tok, body: [{ notification_type: "CertificateRenewal", enabled: true, emails: [] }] });
    expect(descriptions(noMail.json)).toMatch(/emails are required/);
    expect((await raw(emulator, "PATCH", url, { token: tok, body: [{ notification_type: "Weekly", enabled: false, emails: [] }] })).status).toBe(400);
    await control(emulator, "users", { emails: ["ops@example.com"] });
    const stranger = await raw(emulator, "PATCH", url, { token: tok, body: [{ notification_type: "CertificateRenewal", enabled: true, emails: ["eve@example.net"] }] });
    expect(stranger.status).toBe(400);
    expect(descriptions(stranger.json)).toMatch(/not a user of this account/);
  });
});

test("injected throttling and internal errors use the CPS error body", async () => {
  emulator.injectFault({ cloud: "edgecast", action: "GET /v2.0/certificates", kind: "throttle", count: 1 });
  emulator.injectFault({ cloud: "edgecast", action: "GET /v2.0/certificates/{id}/status", kind: "internal", count: 1 });
  const t = await raw(emulator, "GET", cps("/v2.0/certificates"), { token: tok });
  expect(t.status).toBe(429);
  expect(t.json).toMatchObject({ code: "TooManyRequests", status_code: 429 });
  const i = await raw(emulator, "GET", cps("/v2.0/certificates/1/status"), { token: tok });
  expect(i.status).toBe(500);
  expect(i.json).toMatchObject({ code: "InternalServerError", status_code: 500 });
});

test("the Edgecast emulator imports nothing from provider/", () => {
  const dir = join(__dirname, "../../emulator/edgecast");
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".ts"))) {
    const imports = [...readFileSync(join(dir, f), "utf8").matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
    expect(imports.filter((i) => i.includes("provider"))).toEqual([]);
  }
});
