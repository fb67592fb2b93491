/**
 * Owner keys (issue 17, item 2): alice/web/dev and bob/web/dev — two organisations (or two backends) whose
 * project, stack and resource names are equal — declare the same application on one Edgecast account and one
 * Huawei account. Each gets its own request or is refused, and Bob's destroy never withdraws Alice's application.
 * Driven through Pulumi's dynamic-provider host with state kept between runs.
 */
import { CertificateApplication, type CertificateApplicationArgs } from "certapply";
import { Emulator } from "../../emulator/server";
import { Engine, EngineError } from "../harness/engine";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await new Emulator().start();
});
afterAll(async () => {
  await emulator.stop();
});

/** One pipeline: project web, stack dev, in organisation `organization`, on its own state. */
function pipeline(organization: string): Promise<Engine> {
  return Engine.start({
    project: "web",
    stack: "dev",
    organization,
    config: { ...emulator.stackConfig(), "certapply:pollIntervalMs": "50", "certapply:retryBaseDelayMs": "10" },
  });
}

/** Runs `fn` with PULUMI_BACKEND_URL set as a program run against that backend sees it. */
async function onBackend<T>(url: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.PULUMI_BACKEND_URL;
  if (url === undefined) delete process.env.PULUMI_BACKEND_URL;
  else process.env.PULUMI_BACKEND_URL = url;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.PULUMI_BACKEND_URL;
    else process.env.PULUMI_BACKEND_URL = saved;
  }
}

const edgecast: CertificateApplicationArgs = { cloud: "edgecast", commonName: "www.example.com", validationMethod: "DnsTxtToken" };

test("edgecast: two organisations with equal names get two requests, and one's destroy leaves the other's pending", async () => {
  emulator.reset();
  const alice = await pipeline("alice");
  const bob = await pipeline("bob");
  try {
    await alice.up(() => new CertificateApplication("www", edgecast));
    await bob.up(() => new CertificateApplication("www", edgecast));
    const a = alice.resource("www")!;
    const b = bob.resource("www")!;
    expect(a.outputs.ownerKey).toMatch(/^[0-9a-f]{16}$/);
    expect(b.outputs.ownerKey).not.toBe(a.outputs.ownerKey);
    expect(b.id).not.toBe(a.id);

    // The key stays the one from the first check on later runs (state), so the request keeps matching its mark.
    await alice.up(() => new CertificateApplication("www", edgecast));
    expect(alice.resource("www")!.outputs.ownerKey).toBe(a.outputs.ownerKey);
    expect(alice.resource("www")!.id).toBe(a.id);

    await bob.destroy();
    const aliceRequest = (await emulator.edgecast.control("state", { id: Number(a.id) })).body as Record<string, unknown>;
    const bobRequest = (await emulator.edgecast.control("state", { id: Number(b.id) })).body as Record<string, unknown>;
    expect(JSON.stringify(bobRequest)).toMatch(/Canceled/);
    expect(JSON.stringify(aliceRequest)).not.toMatch(/Canceled/);
  } finally {
    await alice.stop();
    await bob.stop();
  }
}, 120_000);

test("huawei: the same organisation on a second backend naming the same certificate fails with OwnedElsewhere instead of adopting", async () => {
  emulator.reset();
  const certificateId = String(((await emulator.huawei.control("seed", {})).body as Record<string, unknown>).certificateId);
  const args: CertificateApplicationArgs = {
    cloud: "huawei",
    certificateId,
    commonName: "www.example.com",
    validationMethod: "DNS",
    admin: { firstName: "Emily", lastName: "Chen", email: "emily@example.com", phone: "13212345678" },
  };
  // Two self-managed backends: both programs see the default organisation, only the backend differs.
  const alice = await pipeline("organization");
  const bob = await pipeline("organization");
  try {
    await onBackend("s3://alice-state", () => alice.up(() => new CertificateApplication("www", args)));
    const err = await onBackend("s3://bob-state", () => bob.up(() => new CertificateApplication("www", args))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).message).toMatch(/OwnedElsewhere/);
    expect(bob.resource("www")).toBeUndefined();
    expect(alice.resource("www")!.id).toBe(certificateId);
  } finally {
    await alice.stop();
    await bob.stop();
  }
}, 120_000);
