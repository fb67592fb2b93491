/**
 * What the SDK classes send to the engine: the type tokens, the secret-wrapped personal data and the
 * additionalSecretOutputs list (observed on the RegisterResource requests the mock monitor receives).
 */
import * as pulumi from "@pulumi/pulumi";
import { CertificateApplication, ConfirmLetter } from "certapply";

interface Seen {
  type: string;
  name: string;
  secretOutputs: string[];
  secretInputs: string[];
}
const seen: Seen[] = [];
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, applicationId: `${args.name}-id` } }),
      call: () => ({}),
    },
    "sdk-test",
    "dev",
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
    });
    return original(req, cb);
  };
});

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getAdditionalsecretoutputsList(): string[];
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
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
  expect(reg.secretOutputs.sort()).toEqual(["admin", "organization", "statusMessage", "tech", "tencent"]);
  expect(reg.secretInputs.sort()).toEqual(["admin", "organization", "tech", "tencent"]);
});

test("ConfirmLetter: the letter content is a secret input and a secret output", async () => {
  const letter = new ConfirmLetter("letter", { certificateId: "J2lX2maH", content: "JVBERi0xLjcK" });
  await settled(letter);
  const reg = seen.find((s) => s.name === "letter")!;
  expect(reg.type).toBe("pulumi-nodejs:dynamic/certapply:ConfirmLetter");
  expect(reg.secretOutputs).toEqual(["content"]);
  expect(reg.secretInputs).toEqual(["content"]);
});
