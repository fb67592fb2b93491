/**
 * What the SDK classes send to the engine: the type tokens, the secret-wrapped personal data and the
 * additionalSecretOutputs list (observed on the RegisterResource requests the mock monitor receives).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { backendIdentity, ownerKeyOf } from "../../provider/resources/normalize";
import { CertificateApplication, ConfirmLetter } from "certapply";

interface Seen {
  type: string;
  name: string;
  secretOutputs: string[];
  secretInputs: string[];
  object: Record<string, unknown>;
  deleteBeforeReplace: boolean;
}
const seen: Seen[] = [];
const reads: { type: string; name: string; id: string; inputs: Record<string, unknown> }[] = [];
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        if (args.id) {
          reads.push({ type: args.type, name: args.name, id: args.id, inputs: args.inputs as Record<string, unknown> });
          return { id: args.id, state: { cloud: "tencent", applicationId: "J2lX2maH", certificate: { notAfter: "2027-01-01T00:00:00.000Z" } } };
        }
        return { id: `${args.name}-id`, state: { ...args.inputs, applicationId: `${args.name}-id` } };
      },
      call: () => ({}),
    },
    "sdk-test",
    "dev",
    false,
    "sdk-org",
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource: (req: RegisterRequest, cb: unknown) => unknown;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    const object = req.getObject()?.toJavaScript() ?? {};
    seen.push({
      type: req.getType(),
      name: req.getName(),
      secretOutputs: req.getAdditionalsecretoutputsList(),
      secretInputs: Object.entries(object)
        .filter(([, v]) => typeof v === "object" && v !== null && SECRET_SIG in (v as Record<string, unknown>))
        .map(([k]) => k),
      object,
      deleteBeforeReplace: req.getDeletebeforereplacedefined() && req.getDeletebeforereplace(),
    });
    return original(req, cb);
  };
});

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getAdditionalsecretoutputsList(): string[];
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
}

function settled(r: pulumi.CustomResource): Promise<unknown> {
  return new Promise((resolve) => r.urn.apply(resolve));
}

test("CertificateApplication: type token, personal data sent as secrets, secret outputs listed", async () => {
  const app = new CertificateApplication(
    "www",
    {
      cloud: "tencent",
      certificateId: "J2lX2maH",
      commonName: "www.example.com",
      admin: { email: "admin@example.com" },
      tech: { phone: "13112341234" },
      organization: { name: "Example" },
      tencent: { keyPass: "pw" },
      edgecast: undefined,
    },
    { additionalSecretOutputs: ["statusMessage"] },
  );
  await settled(app);
  const reg = seen.find((s) => s.name === "www")!;
  expect(reg.type).toBe("pulumi-nodejs:dynamic/certapply:CertificateApplication");
  expect(reg.secretOutputs.sort()).toEqual(["admin", "hashSalt", "organization", "privateKey", "statusMessage", "tech", "tencent"]);
  expect(reg.secretInputs.sort()).toEqual(["admin", "organization", "tech", "tencent"]);
});

test("CertificateApplication: every replacement withdraws first (the deleteBeforeReplace option), and false is refused", async () => {
  // "www" (the first test) was declared without the option.
  expect(seen.find((s) => s.name === "www")!.deleteBeforeReplace).toBe(true);
  expect(() => new CertificateApplication("cbd", { cloud: "edgecast", commonName: "cbd.example.com" }, { deleteBeforeReplace: false })).toThrow(
    /CertificateApplication "cbd": deleteBeforeReplace: false is not supported: a replacement must withdraw the old application before it submits the new one \(remove the option\)/,
  );
});

test("ConfirmLetter: the letter content is a secret input and a secret output", async () => {
  const letter = new ConfirmLetter("letter", { certificateId: "J2lX2maH", content: "JVBERi0xLjcK" });
  await settled(letter);
  const reg = seen.find((s) => s.name === "letter")!;
  expect(reg.type).toBe("pulumi-nodejs:dynamic/certapply:ConfirmLetter");
  expect(reg.secretOutputs).toEqual(["content"]);
  expect(reg.secretInputs).toEqual(["content"]);
  // Its delete only removes it from the stack, so a replacement may create first.
  expect(reg.deleteBeforeReplace).toBe(false);
});

test("each CertificateApplication gets its owner key from organisation, backend, project, stack and name, as an input", async () => {
  const app = new CertificateApplication("owned", { cloud: "edgecast", commonName: "owned.example.com" });
  await settled(app);
  const reg = seen.find((s) => s.name === "owned")!;
  expect(reg.object.ownerKey).toBe(ownerKeyOf({ organization: "sdk-org", backend: backendIdentity(), project: "sdk-test", stack: "dev", name: "owned" }));
  expect(reg.object.ownerKey).toMatch(/^[0-9a-f]{16}$/);
});

test("two CertificateApplications naming the same cloud and certificate id are refused", () => {
  new CertificateApplication("first", { cloud: "huawei", certificateId: "scs1554192131150", commonName: "a.example.com" });
  expect(() => new CertificateApplication("second", { cloud: "huawei", certificateId: "scs1554192131150", commonName: "b.example.com" })).toThrow(
    /CertificateApplication "second" names huawei certificate scs1554192131150, which CertificateApplication "first" already declares/,
  );
  // The same id on another cloud is another certificate.
  expect(() => new CertificateApplication("third", { cloud: "tencent", certificateId: "scs1554192131150", commonName: "c.example.com" })).not.toThrow();
});

test("the duplicate check also covers ids known only once resolved: the program fails with the same error", () => {
  // An error inside an apply fails the whole program (an unhandled rejection), so it runs in its own process,
  // on the compiled SDK (npm test builds dist/ first).
  const sdk = join(__dirname, "../../dist/sdk/index.js");
  expect(existsSync(sdk)).toBe(true);
  const program = `
    const pulumi = require("@pulumi/pulumi");
    pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: () => ({}) }, "p", "s").then(() => {
      const { CertificateApplication } = require(${JSON.stringify(sdk)});
      new CertificateApplication("late-1", { cloud: "tencent", certificateId: pulumi.output("LateId01"), commonName: "a.example.com" });
      new CertificateApplication("late-2", { cloud: "tencent", certificateId: pulumi.output("LateId01"), commonName: "b.example.com" });
    });
    process.on("unhandledRejection", (e) => { console.error(String(e && e.message)); process.exit(3); });
    setTimeout(() => process.exit(0), 5000);
  `;
  const run = spawnSync(process.execPath, ["-e", program], { cwd: join(__dirname, "../.."), encoding: "utf8", timeout: 20000 });
  expect(run.status).toBe(3);
  expect(run.stderr).toMatch(/CertificateApplication "late-2" names tencent certificate LateId01, which CertificateApplication "late-1" already declares/);
});

test("CertificateApplication.get and ConfirmLetter.get read by id with no arguments", async () => {
  const app = CertificateApplication.get("imported", "tencent/J2lX2maH");
  const notAfter = await new Promise((resolve) => app.certificate.apply((c) => resolve(c?.notAfter)));
  expect(notAfter).toBe("2027-01-01T00:00:00.000Z");
  const read = reads.find((r) => r.name === "imported")!;
  expect(read).toMatchObject({ type: "pulumi-nodejs:dynamic/certapply:CertificateApplication", id: "tencent/J2lX2maH" });
  expect(Object.keys(read.inputs).filter((k) => k !== "__provider")).toEqual([]);
  const letter = ConfirmLetter.get("imported-letter", "J2lX2maH:0123456789abcdef");
  await settled(letter);
  expect(reads.find((r) => r.name === "imported-letter")).toMatchObject({ type: "pulumi-nodejs:dynamic/certapply:ConfirmLetter", id: "J2lX2maH:0123456789abcdef" });
});
