/**
 * PulumiPlugin.yaml serves certapply as a plugin for programs in other languages. Started as the engine
 * starts it (`node dist/provider/plugin.js <engine address>`, port on the first stdout line) with an EMPTY
 * environment (no credentials, no endpoint, no PULUMI_CONFIG), and driven over gRPC the way the engine
 * drives it: GetSchema → CheckConfig → Configure → Check → Create → Read → Diff → Update → Delete. Every
 * setting reaches it through Configure only.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import * as readline from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct, type JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";
import * as enginepb from "@pulumi/pulumi/proto/engine_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import * as rpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statuspb from "@pulumi/pulumi/proto/status_pb";
import { Emulator } from "../../emulator/server";
import { ProviderHost } from "../harness/host";
import { repoRoot } from "../harness/engine";
import { ownerKeyOf } from "../../provider/resources/normalize";

const SIG = "4dabf18193072939515e22adb298388d";
const secret = (value: unknown) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value });
const project = "other-lang";
const stack = "dev";
const urn = `urn:pulumi:${stack}::${project}::certapply:index:CertificateApplication::www`;

let emulator: Emulator;
let host: ProviderHost;
let client: rpc.ResourceProviderClient;

type Unary<Res> = (req: unknown, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown;
/** One unary call, the way the engine makes it. */
function call<Res>(method: keyof rpc.ResourceProviderClient, req: unknown): Promise<Res> {
  const fn = (client[method] as unknown as Unary<Res>).bind(client);
  return new Promise((resolve, reject) => fn(req, (err, res) => (err ? reject(err) : resolve(res))));
}
const struct = (v: Record<string, unknown>) => Struct.fromJavaScript(JSON.parse(JSON.stringify(v)) as Record<string, JavaScriptValue>);
const js = (s: Struct | undefined) => (s?.toJavaScript() ?? {}) as Record<string, unknown>;

/** The host's output line matching `re`; progress lines reach stderr once the (absent) engine's log refused them. */
async function lineMatching(re: RegExp): Promise<string | undefined> {
  for (let i = 0; i < 100; i++) {
    const line = host.lines().find((l) => re.test(l));
    if (line) return line;
    await new Promise((r) => setTimeout(r, 50));
  }
  console.log(host.lines().join("\n"));
  return undefined;
}

beforeAll(async () => {
  emulator = await new Emulator().start();
  host = await ProviderHost.start({
    cwd: repoRoot(),
    project,
    script: path.join(repoRoot(), "dist", "provider", "plugin.js"),
    // An empty environment: nothing but what the harness sets (the project name).
    unsetEnv: Object.keys(process.env),
  });
  client = new rpc.ResourceProviderClient(`127.0.0.1:${host.port}`, grpc.credentials.createInsecure());
});
afterAll(async () => {
  client?.close();
  await host?.stop();
  await emulator.stop();
});

test("the plugin takes its settings from the engine, honours customTimeouts, and runs the whole lifecycle", async () => {
  // GetSchema
  const schemaReq = new pb.GetSchemaRequest();
  const schema = JSON.parse((await call<pb.GetSchemaResponse>("getSchema", schemaReq)).getSchema()) as { name: string; resources: Record<string, unknown> };
  expect(schema.name).toBe("certapply");
  expect(Object.keys(schema.resources)).toEqual(expect.arrayContaining(["certapply:index:CertificateApplication", "certapply:index:ConfirmLetter"]));

  // CheckConfig: a typo is named; the real settings pass, secrets kept wrapped.
  const cfg = emulator.stackConfig();
  const plain = (k: string) => cfg[`certapply:${k}`];
  const typo = new pb.CheckRequest();
  typo.setUrn(`urn:pulumi:${stack}::${project}::pulumi:providers:certapply::default`);
  typo.setOlds(struct({}));
  typo.setNews(struct({ tencentSecretKee: "x", pollIntervalMs: "soon" }));
  const typoRes = await call<pb.CheckResponse>("checkConfig", typo);
  expect(typoRes.getFailuresList().map((f) => f.getProperty()).sort()).toEqual(["pollIntervalMs", "tencentSecretKee"]);
  const news = { tencentEndpoint: plain("tencentEndpoint"), tencentSecretId: plain("tencentSecretId"), tencentSecretKey: secret(plain("tencentSecretKey")), pollIntervalMs: "50" };
  const good = new pb.CheckRequest();
  good.setUrn(typo.getUrn());
  good.setOlds(struct({}));
  good.setNews(struct(news));
  const goodRes = await call<pb.CheckResponse>("checkConfig", good);
  expect(goodRes.getFailuresList()).toEqual([]);
  expect(js(goodRes.getInputs()).tencentSecretKey).toEqual(secret(plain("tencentSecretKey")));

  // Configure: the stack config as variables (certapply:config:<key>), the secret key only in args (wrapped).
  const configure = new pb.ConfigureRequest();
  const vars = configure.getVariablesMap();
  vars.set("certapply:config:tencentEndpoint", plain("tencentEndpoint"));
  vars.set("certapply:config:tencentSecretId", plain("tencentSecretId"));
  vars.set("certapply:config:pollIntervalMs", "50");
  configure.setArgs(struct({ tencentSecretKey: secret(plain("tencentSecretKey")) }));
  configure.setAcceptsecrets(true);
  expect((await call<pb.ConfigureResponse>("configure", configure)).getAcceptsecrets()).toBe(true);

  // Check: ownerKey from the URN; a secret input stays secret.
  const { certificateId } = emulator.tencent.seed({ productType: "dv" });
  const inputs = {
    cloud: "tencent",
    certificateId,
    commonName: "WWW.example.com",
    validationMethod: "DNS",
    waitFor: "issued",
    tencent: secret({ companyType: 1, contactEmail: "me@example.com" }),
  };
  const check = new pb.CheckRequest();
  check.setUrn(urn);
  check.setOlds(struct({}));
  check.setNews(struct({ ...inputs, ownerKey: "forged" }));
  const checked = await call<pb.CheckResponse>("check", check);
  expect(checked.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`)).toEqual([]);
  const checkedInputs = js(checked.getInputs());
  expect(checkedInputs.commonName).toBe("www.example.com");
  // A forged key is not taken: the plugin derives it from the URN (no organisation or backend in this environment).
  expect(checkedInputs.ownerKey).toBe(ownerKeyOf({ organization: "", backend: "", project, stack, name: "www" }));
  expect(checkedInputs.tencent).toEqual(secret({ companyType: 1, contactEmail: "me@example.com" }));

  // Create: customTimeouts.create = 1 s is the deadline of the wait for `issued` (waitTimeoutSeconds is 600). Running
  // out of it fails the create, as a first-party provider's does, keeping the application in state
  // (ErrorResourceInitFailed) so the next up resumes the wait.
  const create = new pb.CreateRequest();
  create.setUrn(urn);
  create.setProperties(struct(checkedInputs));
  create.setTimeout(1);
  const started = Date.now();
  const failed = (await call<pb.CreateResponse>("create", create).catch((e: unknown) => e)) as grpc.ServiceError;
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  expect(failed.message).toMatch(/timed out after 1s \(customTimeouts 1s\) waiting for issued; the application is under-review \(0\): run pulumi up again to continue the wait/);
  const detail = statuspb.Status.deserializeBinary(new Uint8Array(failed.metadata.get("grpc-status-details-bin")[0] as Buffer)).getDetailsList()[0];
  const init = pb.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
  expect(init.getId()).toBe(certificateId);
  const outs = js(init.getProperties());
  expect(outs).toMatchObject({ applicationId: certificateId, status: "under-review", waitTimeoutSeconds: 600 });
  expect(outs.tencent).toEqual(secret({ companyType: 1, contactEmail: "me@example.com" }));
  expect(emulator.actions("tencent")).toEqual(expect.arrayContaining(["CertificateInfoSubmit"]));

  // Read (refresh)
  const read = new pb.ReadRequest();
  read.setId(certificateId);
  read.setUrn(urn);
  read.setProperties(struct(outs));
  read.setInputs(struct(checkedInputs));
  const readRes = await call<pb.ReadResponse>("read", read);
  expect(readRes.getId()).toBe(certificateId);
  const refreshed = js(readRes.getProperties());
  expect(refreshed.applicationId).toBe(certificateId);
  expect(refreshed.tencent).toEqual(secret({ companyType: 1, contactEmail: "me@example.com" }));

  // Diff: the same inputs, but the wait for `issued` ran out: the next up continues it (an update with no write).
  const diff = new pb.DiffRequest();
  diff.setId(certificateId);
  diff.setUrn(urn);
  diff.setOlds(struct(refreshed));
  diff.setNews(struct(checkedInputs));
  expect((await call<pb.DiffResponse>("diff", diff)).getChanges()).toBe(pb.DiffResponse.DiffChanges.DIFF_SOME);
  expect(await lineMatching(/plan: status: waitFor is issued and the application is under-review: the wait continues/)).toBeDefined();

  // Update: a policy change is stored with no write.
  emulator.clearLog();
  const update = new pb.UpdateRequest();
  update.setId(certificateId);
  update.setUrn(urn);
  update.setOlds(struct(refreshed));
  update.setNews(struct({ ...checkedInputs, waitFor: "submitted", onDelete: "cancel" }));
  update.setTimeout(5);
  const updated = js((await call<pb.UpdateResponse>("update", update)).getProperties());
  expect(updated.waitFor).toBe("submitted");
  expect(emulator.actions("tencent").filter((a) => a !== "DescribeCertificateDetail")).toEqual([]);

  // Delete: the application under review is withdrawn.
  emulator.clearLog();
  const del = new pb.DeleteRequest();
  del.setId(certificateId);
  del.setUrn(urn);
  del.setProperties(struct(updated));
  del.setTimeout(5);
  await call<unknown>("delete", del);
  expect(emulator.actions("tencent")).toContain("CancelAuditCertificate");
});

test("DiffConfig never replaces; a create whose wait fails after the submission keeps the id (ErrorResourceInitFailed)", async () => {
  const diffConfig = new pb.DiffRequest();
  diffConfig.setUrn(`urn:pulumi:${stack}::${project}::pulumi:providers:certapply::default`);
  diffConfig.setOlds(struct({ tencentSecretKey: secret("old") }));
  diffConfig.setNews(struct({ tencentSecretKey: secret("rotated") }));
  const changed = await call<pb.DiffResponse>("diffConfig", diffConfig);
  expect(changed.getChanges()).toBe(pb.DiffResponse.DiffChanges.DIFF_SOME);
  expect(changed.getReplacesList()).toEqual([]);

  const configure = new pb.ConfigureRequest();
  for (const [k, v] of Object.entries(emulator.stackConfig())) configure.getVariablesMap().set(k.replace(/^certapply:/, "certapply:config:"), v);
  configure.getVariablesMap().set("certapply:config:pollIntervalMs", "20");
  configure.getVariablesMap().set("certapply:config:retryBaseDelayMs", "5");
  configure.getVariablesMap().set("certapply:config:maxRetries", "1");
  await call<pb.ConfigureResponse>("configure", configure);

  const { certificateId } = emulator.tencent.seed({ productType: "dv" });
  // Reads before the submission pass; every read of the wait after it fails.
  emulator.injectFault({ cloud: "tencent", action: "DescribeCertificateDetail", kind: "internal", count: 100, skip: 1 });
  const create = new pb.CreateRequest();
  create.setUrn(urn);
  create.setProperties(struct({ cloud: "tencent", certificateId, commonName: "www.example.com", validationMethod: "DNS", waitFor: "issued", tencent: { companyType: 1, contactEmail: "me@example.com" } }));
  const err = (await call<pb.CreateResponse>("create", create).catch((e: unknown) => e)) as grpc.ServiceError;
  emulator.reset();
  expect(err).toBeInstanceOf(Error);
  const details = err.metadata.get("grpc-status-details-bin")[0] as Buffer;
  const status = statuspb.Status.deserializeBinary(new Uint8Array(details));
  const any = status.getDetailsList()[0];
  expect(any.getTypeName()).toBe("pulumirpc.ErrorResourceInitFailed");
  const init = pb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
  expect(init.getId()).toBe(certificateId);
  expect(js(init.getProperties())).toMatchObject({ applicationId: certificateId, cloud: "tencent" });
});

test("ConfirmLetter check through the plugin rejects an unknown key", async () => {
  const letterUrn = `urn:pulumi:${stack}::${project}::certapply:index:ConfirmLetter::letter`;
  const check = new pb.CheckRequest();
  check.setUrn(letterUrn);
  check.setOlds(struct({}));
  check.setNews(struct({ certificateId: "J2lX2maH", fiel: "letter.pdf" }));
  const res = await call<pb.CheckResponse>("check", check);
  expect(res.getFailuresList().map((f) => f.getProperty())).toContain("fiel");
});

test("progress lines reach the engine's log against their resource (a plugin's stderr is not shown to the user)", async () => {
  const received: { urn: string; message: string }[] = [];
  const engine = new grpc.Server();
  engine.addService(enginerpc.EngineService, {
    log: (c: grpc.ServerUnaryCall<enginepb.LogRequest, Empty>, cb: grpc.sendUnaryData<Empty>) => {
      received.push({ urn: c.request.getUrn(), message: c.request.getMessage() });
      cb(null, new Empty());
    },
  });
  const enginePort = await new Promise<number>((resolve, reject) =>
    engine.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  const child = spawn(process.execPath, [path.join(repoRoot(), "dist", "provider", "plugin.js"), "--logtostderr", `127.0.0.1:${enginePort}`], {
    cwd: repoRoot(),
    env: {},
    stdio: ["ignore", "pipe", "pipe"],
  });
  const own = new rpc.ResourceProviderClient(`127.0.0.1:${await firstLine(child)}`, grpc.credentials.createInsecure());
  const saved = client;
  client = own;
  try {
    const configure = new pb.ConfigureRequest();
    for (const [k, v] of Object.entries(emulator.stackConfig())) configure.getVariablesMap().set(k.replace(/^certapply:/, "certapply:config:"), v);
    configure.getVariablesMap().set("certapply:config:pollIntervalMs", "50");
    await call<pb.ConfigureResponse>("configure", configure);
    const { certificateId } = emulator.tencent.seed({ productType: "dv" });
    const create = new pb.CreateRequest();
    create.setUrn(urn);
    create.setProperties(struct({ cloud: "tencent", certificateId, commonName: "www.example.com", validationMethod: "DNS", waitFor: "issued", waitTimeoutSeconds: 1, tencent: { companyType: 1, contactEmail: "me@example.com" } }));
    await call<pb.CreateResponse>("create", create);
    for (let i = 0; i < 100 && !received.some((r) => /still under-review/.test(r.message)); i++) await new Promise((r) => setTimeout(r, 50));
    expect(received).toEqual(expect.arrayContaining([{ urn, message: expect.stringMatching(/still under-review \(0\) after waiting 1s for issued; the next pulumi up continues the wait/) }]));
    expect(received.every((r) => r.urn === urn && !r.message.includes("me@example.com"))).toBe(true);
  } finally {
    client = saved;
    own.close();
    child.kill("SIGKILL");
    engine.forceShutdown();
  }
});

function firstLine(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.once("line", (line) => resolve(Number(line.trim())));
    child.once("exit", (code) => reject(new Error(`plugin exited (${code}) before printing its port`)));
  });
}

/** The reply's text with every secret-wrapped value cut out: what the engine would keep in plain state. */
function plainPart(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plainPart);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SIG] !== undefined) return "[secret]";
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plainPart(x)]));
  }
  return v;
}

test("nested secrets (edgecast.notifications) are marked secret in every reply: check, create, read (refresh and import), update", async () => {
  const configure = new pb.ConfigureRequest();
  for (const [k, v] of Object.entries(emulator.stackConfig())) configure.getVariablesMap().set(k.replace(/^certapply:/, "certapply:config:"), v);
  configure.getVariablesMap().set("certapply:config:pollIntervalMs", "20");
  await call<pb.ConfigureResponse>("configure", configure);

  const canary = "nested-canary-7f3a@example.com";
  const later = "nested-canary-9b1c@example.com";
  const notifications = (email: string) => [{ notificationType: "CertificateExpiring", enabled: true, emails: [email] }];
  const ecUrn = `urn:pulumi:${stack}::${project}::certapply:index:CertificateApplication::shop`;
  // As a generated SDK sends them: the block is not secret as a whole, so nothing inside it arrives wrapped.
  const declared = { cloud: "edgecast", commonName: "shop.example.com", validationMethod: "DnsTxtToken", edgecast: { description: "shop", notifications: notifications(canary) } };
  const replies: [string, unknown][] = [];
  const checkOf = async (news: Record<string, unknown>, olds: Record<string, unknown> = {}) => {
    const req = new pb.CheckRequest();
    req.setUrn(ecUrn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const res = await call<pb.CheckResponse>("check", req);
    expect(res.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`)).toEqual([]);
    replies.push(["check", js(res.getInputs())]);
    return js(res.getInputs());
  };

  const checked = await checkOf(declared);
  const create = new pb.CreateRequest();
  create.setUrn(ecUrn);
  create.setProperties(struct(checked));
  create.setTimeout(30);
  const created = await call<pb.CreateResponse>("create", create);
  const id = created.getId();
  const outs = js(created.getProperties());
  replies.push(["create", outs]);

  const refresh = new pb.ReadRequest();
  refresh.setId(id);
  refresh.setUrn(ecUrn);
  refresh.setProperties(struct(outs));
  refresh.setInputs(struct(checked));
  const refreshed = await call<pb.ReadResponse>("read", refresh);
  replies.push(["read (refresh) properties", js(refreshed.getProperties())], ["read (refresh) inputs", js(refreshed.getInputs())]);

  const imp = new pb.ReadRequest();
  imp.setId(`edgecast/${id}`);
  imp.setUrn(`urn:pulumi:${stack}::${project}::certapply:index:CertificateApplication::imported`);
  const imported = await call<pb.ReadResponse>("read", imp);
  expect(imported.getId()).toBe(id);
  replies.push(["read (import) properties", js(imported.getProperties())], ["read (import) inputs", js(imported.getInputs())]);

  const news = await checkOf({ ...declared, edgecast: { description: "shop", notifications: notifications(later) } }, checked);
  const update = new pb.UpdateRequest();
  update.setId(id);
  update.setUrn(ecUrn);
  update.setOlds(struct(js(refreshed.getProperties())));
  update.setNews(struct(news));
  update.setTimeout(30);
  replies.push(["update", js((await call<pb.UpdateResponse>("update", update)).getProperties())]);

  for (const [what, reply] of replies) {
    const text = JSON.stringify(plainPart(reply));
    expect(`${what}: ${text}`).not.toContain(canary);
    expect(`${what}: ${text}`).not.toContain(later);
  }
  // The canary did reach the replies (wrapped), so the test looks where it should.
  expect(JSON.stringify(replies.filter(([w]) => w === "check"))).toContain(canary);
});
