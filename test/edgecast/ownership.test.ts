/**
 * Every CertificateApplication owns its request (issue 9 #1), and a request submitted outside Pulumi imports with
 * the inputs that make the next diff "no change" (issue 10 #3). Backend level, against the emulator.
 */
import { edgecastBackend as b } from "../../provider/clouds/edgecast";
import { ownerMarker, splitDescription } from "../../provider/clouds/edgecast/backend";
import { findCertificates } from "../../provider/clouds/edgecast/api";
import { EdgecastClient } from "../../provider/clouds/edgecast/client";
import type { CloudContext } from "../../provider/resources/backend";
import { normalizeInputs } from "../../provider/resources/normalize";
import { decide } from "../../provider/resources/plan";
import type { ApplicationInputs } from "../../provider/resources/types";
import { storedOutputs } from "../support";
import { DV_BODY, ORG, control, edgecastConfig, makeCtx, raw, token, useEdgecastEmulator } from "./helpers";

let logs: string[];
let ctx: CloudContext;
const emulator = useEdgecastEmulator((c, l) => {
  ctx = c;
  logs = l;
});

const decl = (ownerKey: string | undefined, over: Partial<ApplicationInputs> = {}): ApplicationInputs =>
  normalizeInputs({ cloud: "edgecast", commonName: "www.example.com", dnsNames: ["example.com"], validationMethod: "DnsTxtToken", ownerKey, ...over });
const state = (id: string) => control(emulator, "state", { id: Number(id) });
const posts = () => emulator.actions("edgecast").filter((a) => a === "POST /v2.0/certificates/cdnprovided").length;

describe("ownership", () => {
  test("two resources (or stacks) declaring the same certificate get two requests; destroying one never cancels the other's", async () => {
    const a = decl("shop/dev/www", { edgecast: { description: "shop" } });
    const other = decl("shop/prod/www", { edgecast: { description: "shop" } });
    const first = await b.submit(ctx, a);
    const second = await b.submit(ctx, other);
    expect(second.adopted).toBe(false);
    expect(second.applicationId).not.toBe(first.applicationId);
    expect(posts()).toBe(2);
    // each request carries its own owner marker after the user's description
    expect((await state(first.applicationId)).description).toBe(`shop ${ownerMarker("shop/dev/www")}`);
    expect((await state(second.applicationId)).description).toBe(`shop ${ownerMarker("shop/prod/www")}`);
    // a re-run of each resource adopts its own request only
    expect(await b.submit(ctx, a)).toMatchObject({ applicationId: first.applicationId, adopted: true });
    expect(await b.submit(ctx, other)).toMatchObject({ applicationId: second.applicationId, adopted: true });
    expect(posts()).toBe(2);
    // destroying the first cancels the first only
    const live = await b.read(ctx, first.applicationId);
    await b.cancel(ctx, first.applicationId, storedOutputs(a, first.applicationId, {}, live), live);
    expect((await state(first.applicationId)).orderStatus).toBe("Canceled");
    expect((await b.read(ctx, second.applicationId))?.status).toBe("under-review");
    expect((await state(second.applicationId)).orderStatus).toBeNull();
  });

  test("the owner marker is a hash: no project, stack or resource name reaches the cloud", async () => {
    const r = await b.submit(ctx, decl("secret-project/dev/www"));
    const s = await state(r.applicationId);
    expect(s.description).toBe(ownerMarker("secret-project/dev/www"));
    expect(s.description).toMatch(/^certapply-owner-[0-9a-f]{16}$/);
    expect(JSON.stringify(s)).not.toContain("secret-project");
    expect(splitDescription(`text ${ownerMarker("k")}`)).toEqual({ text: "text", marker: ownerMarker("k") });
  });

  test("a request with the same domains but no marker (made by hand, or another tool) is never adopted", async () => {
    const tok = await token(emulator);
    const foreign = await raw(emulator, "POST", "/sec/cps/v2.0/certificates/cdnprovided", {
      token: tok,
      body: { ...DV_BODY, certificate_label: "www-example-com-abc123", description: "" },
    });
    expect(foreign.status).toBe(201);
    const r = await b.submit(ctx, decl("shop/dev/www"));
    expect(r.adopted).toBe(false);
    expect(r.applicationId).not.toBe(String((foreign.json as { id: number }).id));
    // without an owner key nothing is adopted either
    const keyless = await b.submit(ctx, decl(undefined));
    expect(keyless.adopted).toBe(false);
    expect(posts()).toBe(3); // the foreign one, then one per submit
  });

  test("a label another resource holds is an error naming the label and the fix, and adopts nothing", async () => {
    await b.submit(ctx, decl("shop/dev/a", { edgecast: { certificateLabel: "shop" } }));
    const err = (await b.submit(ctx, decl("shop/dev/b", { edgecast: { certificateLabel: "shop" } })).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/certificate_label "shop" is already used by certificate request 11605/);
    expect(err.message).toMatch(/belongs to another request .*change edgecast.certificateLabel or omit it/);
  });

  test.each<[string, (id: number) => Promise<unknown>]>([
    ["rejected by the CA (domain Rejected)", (id) => control(emulator, "reject", { id })],
    ["rejected by the CA (order Rejected)", (id) => control(emulator, "order", { id, status: "Rejected" })],
    ["revoked", (id) => control(emulator, "order", { id, status: "Revoked" })],
    ["expired", (id) => control(emulator, "order", { id, status: "Expired" })],
    ["cancelled", (id) => control(emulator, "cancel", { id })],
  ])("an own request that ended (%s) is not adopted by a new create with the same owner key and content", async (_what, end) => {
    const first = await b.submit(ctx, decl("shop/dev/www"));
    await control(emulator, "advance", { id: Number(first.applicationId) });
    await end(Number(first.applicationId));
    // a replacement (`pulumi up --replace`) has the same owner key: it gets a request of its own
    const second = await b.submit(ctx, decl("shop/dev/www"));
    expect(second.adopted).toBe(false);
    expect(second.applicationId).not.toBe(first.applicationId);
    expect(posts()).toBe(2);
    expect((await state(second.applicationId)).description).toBe(ownerMarker("shop/dev/www"));
  });

  test.each([
    ["its reissue had a domain rejected (failed, still in service)", async (id: number) => {
      await control(emulator, "order", { id, status: "PendingReissue" });
      await control(emulator, "reject", { id, domain: "example.com" });
    }],
    ["its renewal was rejected", (id: number) => control(emulator, "order", { id, status: "RenewalRejected" })],
    ["ReissueRejected (its reissue was rejected)", (id: number) => control(emulator, "order", { id, status: "ReissueRejected" })],
    ["Canceled (a reissue was cancelled)", (id: number) => control(emulator, "order", { id, status: "Canceled" })],
  ])("an issued request whose later order %s is still in service: adopted after lost state, no second paid request", async (_what, later) => {
    const key = `shop/dev/in-service-${posts()}`;
    const first = await b.submit(ctx, decl(key));
    await control(emulator, "issue", { id: Number(first.applicationId) });
    await later(Number(first.applicationId));
    const again = await b.submit(ctx, decl(key));
    expect(again).toMatchObject({ applicationId: first.applicationId, adopted: true });
    expect(posts()).toBe(1);
  });

  test("a create whose reply was lost is found by its label and adopted, never sent twice", async () => {
    // the emulator applies the create at once and replies only after 1 s; the client gave up after 150 ms (a delay
    // fault applied the create only after its 300 ms, which a loaded machine's late send could push past the lookup)
    emulator.injectFault({ cloud: "edgecast", action: "POST /v2.0/certificates/cdnprovided", kind: "late-reply", count: 1, delayMs: 1000 });
    const slow = makeCtx(edgecastConfig(emulator), logs, { timeoutMs: 150, baseDelayMs: 400, maxDelayMs: 400 });
    const r = await b.submit(slow, decl("shop/dev/www"));
    expect(r.adopted).toBe(true);
    // looked up before any second POST: found at once, or the second POST met the label taken and looked again
    const log = emulator.log.filter((l) => l.action === "POST /v2.0/certificates/cdnprovided");
    expect(log.length).toBeLessThanOrEqual(2);
    if (log.length === 2) expect(log[1].status).toBe(400);
    expect(logs.join("\n")).toMatch(/created by an earlier attempt/);
    const c = new EdgecastClient(slow.config, slow.transport);
    expect((await findCertificates(c, `description:*${ownerMarker("shop/dev/www")}`)).map((x) => String(x.id))).toEqual([r.applicationId]);
  });
});

describe("import", () => {
  test("a DV request submitted outside Pulumi imports; the next diff against the same declaration is no change", async () => {
    const tok = await token(emulator);
    const created = await raw(emulator, "POST", "/sec/cps/v2.0/certificates/cdnprovided", {
      token: tok,
      body: { ...DV_BODY, certificate_label: "shop-cert", description: "made in the portal", auto_renew: false, dcv_method: "DnsCnameToken" },
    });
    const id = String((created.json as { id: number }).id);
    const notif = await raw(emulator, "PATCH", `/sec/cps/v2.0/certificates/${id}/notifications`, {
      token: tok,
      body: [{ notification_type: "CertificateExpiring", enabled: true, emails: ["ops@example.com"] }],
    });
    expect(notif.status).toBe(200);
    await control(emulator, "advance", { id: Number(id) });

    const imported = await b.importApplication(ctx, id);
    expect(imported).toBeDefined();
    // the read behind the import fetched the certificate; it is not fetched again
    expect(emulator.actions("edgecast").filter((x) => x === "GET /v2.0/certificates/{id}")).toHaveLength(1);
    const declaration = normalizeInputs({
      cloud: "edgecast",
      commonName: "www.example.com",
      dnsNames: ["example.com"],
      validationMethod: "DnsCnameToken",
      edgecast: {
        certificateLabel: "shop-cert",
        description: "made in the portal",
        autoRenew: false,
        notifications: [{ notificationType: "CertificateExpiring", enabled: true, emails: ["ops@example.com"] }],
      },
    });
    const inputs = normalizeInputs(imported!.inputs);
    expect(inputs).toEqual(declaration);
    expect(imported!.live).toMatchObject({ status: "awaiting-validation", rawStatus: "DomainControlValidation" });
    const olds = storedOutputs(inputs, id, {}, imported!.live);
    const plan = decide(b, olds, declaration, { live: await b.read(ctx, id) }, Date.now());
    expect(plan.kind).toBe("none");
  });

  test("an OV request imports its organization and contacts; defaults and a derived label are left out", async () => {
    const tok = await token(emulator);
    const created = await raw(emulator, "POST", "/sec/cps/v2.0/certificates/cdnprovided", {
      token: tok,
      body: { ...DV_BODY, auto_renew: true, certificate_label: "api-example-com-x1y2z3", description: ownerMarker("old/stack/api"), validation_type: "OV", organization: ORG, domains: [{ name: "api.example.com", is_common_name: true }] },
    });
    const id = String((created.json as { id: number }).id);
    const imported = await b.importApplication(ctx, id);
    expect(normalizeInputs(imported!.inputs)).toEqual(
      normalizeInputs({
        cloud: "edgecast",
        commonName: "api.example.com",
        edgecast: { validationType: "OV" },
        organization: { name: "Example Inc", address: "1 Main St", city: "Springfield", region: "IL", postalCode: "62701", country: "US" },
        admin: { firstName: "Ada", lastName: "Admin", email: "ada@example.com", phone: "+1 555 0100" },
      }),
    );
  });

  test("an unknown request imports as nothing; an id that is not an integer says what an id looks like", async () => {
    expect(await b.importApplication(ctx, "987654")).toBeUndefined();
    await expect(b.importApplication(ctx, "www.example.com")).rejects.toThrow(/request ids are integers/);
  });
});
