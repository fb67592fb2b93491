/**
 * One transient "not found" decides nothing (issue 17, item 1): the resource layer's diff, refresh (read) and
 * delete against the emulator, with the cloud's own not-found or its gateway's 404 injected into exactly the
 * reads that follow. "Gone" takes a second read after a pause and, on Edgecast and Huawei, the lookup by the owner
 * mark; until then nothing is withdrawn, re-ordered or dropped from state.
 */
import { Emulator, type FaultKind } from "../../emulator";
import { resetHuaweiClientState } from "../../provider/clouds/huawei/client";
import { check, create, diff, read, remove, update } from "../../provider/resources/application";
import { configure } from "../../provider/resources/context";
import type { ApplicationInputs, ApplicationOutputs } from "../../provider/resources/types";
import { edgecastPlan, huaweiPlan, tencentPlan } from "./clouds";
import type { CloudPlan } from "./suite";

const emu = new Emulator({ credentials: { edgecast: { tokenLifetimeSeconds: 86_400 } } });
let logs: string[] = [];

beforeAll(async () => {
  await emu.start();
});
afterAll(async () => {
  configure(undefined);
  await emu.stop();
});
beforeEach(() => {
  emu.reset();
  resetHuaweiClientState();
  logs = [];
  const values: Record<string, string> = { ...emu.stackConfig(), "certapply:pollIntervalMs": "20", "certapply:retryBaseDelayMs": "5" };
  configure({ get: (k: string) => values[k] });
  jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    logs.push(String(chunk));
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

interface Cloud {
  plan: () => CloudPlan;
  /** The status read the resource layer makes first. */
  readAction: string;
  /** The lookup that confirms "gone": by the owner mark (Edgecast, Huawei), by another action (Tencent). */
  lookupAction: string;
  /** How a gateway 404 on the read surfaces from refresh. */
  gatewayError: RegExp;
  /** The write that withdraws an application under review on delete. */
  withdrawAction: string;
}

const CLOUDS: Record<string, Cloud> = {
  tencent: { plan: tencentPlan, readAction: "DescribeCertificateDetail", lookupAction: "DescribeCertificate", gatewayError: /HTTP 404/, withdrawAction: "CancelAuditCertificate" },
  huawei: { plan: huaweiPlan, readAction: "ShowCertificate", lookupAction: "ListTagsByCertificate", gatewayError: /not taken as "gone"/, withdrawAction: "CancelCertificateRequest" },
  edgecast: { plan: () => edgecastPlan(7), readAction: "GET /v2.0/certificates/{id}/status", lookupAction: "GET /v2.0/certificates", gatewayError: /not taken as "gone"/, withdrawAction: "PUT /v2.0/certificates/{id}/cancel" },
};

/** One application created through the resource layer; its inputs as check made them. */
async function created(cloud: Cloud): Promise<{ plan: CloudPlan; inputs: ApplicationInputs; id: string; outs: ApplicationOutputs }> {
  const plan = cloud.plan();
  await plan.prepare(emu, 1);
  const checked = await check({}, plan.args(0, 1, "t0") as unknown as Record<string, unknown>);
  expect(checked.failures).toEqual([]);
  const inputs = checked.inputs as ApplicationInputs;
  const made = await create(inputs);
  // The state a refresh leaves (the live status laid over it), so a no-change diff plans nothing.
  const outs = (await read(made.id, made.outs)).props!;
  return { plan, inputs, id: made.id, outs };
}

function fault(cloud: string, action: string, kind: FaultKind, count = 1): void {
  emu.injectFault({ cloud, action, kind, count });
}

const writes = (cloud: string) => emu.actions(cloud).filter((a) => !/^(Describe|GET |ShowCertificate$|ListTags|ListCertificates$|CreateToken$|POST \/connect\/token$)/.test(a));

describe.each(Object.keys(CLOUDS))("%s: one not-found is not proof", (name) => {
  const cloud = CLOUDS[name];

  it("a no-change diff whose first read answers not-found plans no change (no replace, no withdrawal)", async () => {
    const app = await created(cloud);
    const before = writes(name).length;
    fault(name, cloud.readAction, "not-found");
    await expect(diff(app.id, app.outs, app.inputs)).resolves.toEqual({ changes: false });
    expect(writes(name).length).toBe(before);
    expect(logs.join("")).toMatch(/second one found the application/);
    expect((await app.plan.facts(emu, app.id)).pending).toBe(true);
  });

  it("refresh keeps the resource when its read answers not-found once", async () => {
    const app = await created(cloud);
    fault(name, cloud.readAction, "not-found");
    const r = await read(app.id, app.outs);
    expect(r.id).toBe(app.id);
    expect(r.props?.applicationId).toBe(app.id);
  });

  it("delete after a not-found read confirms, finds the application and withdraws it (never leaves it pending)", async () => {
    const app = await created(cloud);
    fault(name, cloud.readAction, "not-found");
    await remove(app.id, app.outs);
    const facts = await app.plan.facts(emu, app.id);
    expect(facts.pending).toBe(false);
    expect(facts.withdrawn).toBe(true);
  });

  it("a withdrawal answered not-found, then a read answering not-found, is no proof: the delete fails while the application is still pending", async () => {
    const app = await created(cloud);
    fault(name, cloud.withdrawAction, "not-found");
    // The delete's own read passes; the one after the withdrawal's not-found answers not-found too.
    emu.injectFault({ cloud: name, action: cloud.readAction, kind: "not-found", count: 1, skip: 1 });
    const outcome = await remove(app.id, app.outs).then(
      () => "deleted",
      (e: unknown) => e as Error,
    );
    expect((await app.plan.facts(emu, app.id)).pending).toBe(true);
    expect(outcome).toBeInstanceOf(Error);
  });

  it("two not-found reads are still not proof while the lookup still finds it: refresh keeps it and warns, diff falls back", async () => {
    const app = await created(cloud);
    fault(name, cloud.readAction, "not-found", 2);
    const r = await read(app.id, app.outs);
    expect(r).toEqual({ id: app.id, props: { ...app.outs, applicationId: app.id } });
    expect(logs.join("")).toMatch(/warning: .*could not confirm that application .* is gone \(two reads answered not found, but the confirming lookup \(owner mark, or another action\) still finds it\)/);
    fault(name, cloud.readAction, "not-found", 2);
    await expect(diff(app.id, app.outs, app.inputs)).resolves.toEqual({ changes: false });
    expect(logs.join("")).toMatch(/not confirmed gone/);
    expect((await app.plan.facts(emu, app.id)).pending).toBe(true);
  });

  it("a gateway's 404 (no cloud error body) is not the application's: diff falls back, refresh fails and keeps state", async () => {
    const app = await created(cloud);
    fault(name, cloud.readAction, "gateway-not-found", 10);
    await expect(diff(app.id, app.outs, app.inputs)).resolves.toEqual({ changes: false });
    expect(logs.join("")).toMatch(/live status read failed/);
    emu.clearFaults();
    fault(name, cloud.readAction, "gateway-not-found", 10);
    await expect(read(app.id, app.outs)).rejects.toThrow(cloud.gatewayError);
    expect((await app.plan.facts(emu, app.id)).pending).toBe(true);
  });

  it("an update whose live read fails or cannot confirm sends nothing on the stored status: the trigger stays pending for the next run", async () => {
    const app = await created(cloud);
    const before = writes(name).length;
    fault(name, cloud.readAction, "gateway-not-found", 20);
    const err = await update(app.id, app.outs, { ...app.inputs, resubmitTrigger: "t1" }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/the live status could not be read .*nothing was sent, because what to send depends on it: run pulumi up again/);
    expect(writes(name).length).toBe(before);
  });

  if (name !== "edgecast") {
    it("gone only when two reads and the lookup all say so: then diff plans the replacement", async () => {
      const app = await created(cloud);
      fault(name, cloud.readAction, "not-found", 2);
      fault(name, cloud.lookupAction, "not-found", 1);
      await expect(diff(app.id, app.outs, app.inputs)).resolves.toEqual({ changes: true, replaces: ["applicationId"], deleteBeforeReplace: true });
    });
  }
});
