#!/usr/bin/env node
/**
 * certapply served as a Pulumi plugin (PulumiPlugin.yaml, `runtime: nodejs`), for programs in other
 * languages. It runs the same core as the Node.js SDK's dynamic resources; only the wrapping differs:
 * type tokens `certapply:index:*`, secrets arriving wrapped, and settings from the engine's Configure.
 *
 * It serves `pulumirpc.ResourceProvider` itself rather than through `pulumi.provider.main`, whose server
 * discards Configure and answers CheckConfig/DiffConfig UNIMPLEMENTED: a plugin gets its stack config
 * (`certapply:*`) only through those calls, and its customTimeouts only through the request's `timeout`.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as GrpcJs from "@grpc/grpc-js";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as AnyPb from "google-protobuf/google/protobuf/any_pb";
import * as enginepb from "@pulumi/pulumi/proto/engine_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as pluginpb from "@pulumi/pulumi/proto/plugin_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import * as rpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statuspb from "@pulumi/pulumi/proto/status_pb";
import { SETTINGS, type ConfigSource, type SettingName } from "./config";
import * as application from "./resources/application";
import type { CheckFailure } from "./resources/backend";
import { configure, setLogSink, type OperationOptions } from "./resources/context";
import * as letter from "./resources/letter";
import { ownerKeyFromUrn } from "./resources/normalize";
import { packageSchema } from "./package-schema";
import { APPLICATION, LETTER, secretNames, settings } from "./resources/spec";

// The gRPC runtime and protobuf well-known types the generated stubs use, from @pulumi/pulumi's own
// dependencies (one instance, whatever the package manager's layout).
const stubRequire = createRequire(require.resolve("@pulumi/pulumi/proto/provider_pb"));
const grpc = stubRequire("@grpc/grpc-js") as typeof GrpcJs;
const { Struct } = stubRequire("google-protobuf/google/protobuf/struct_pb") as typeof StructPb;
const { Empty } = stubRequire("google-protobuf/google/protobuf/empty_pb") as typeof EmptyPb;
const { Any } = stubRequire("google-protobuf/google/protobuf/any_pb") as typeof AnyPb;

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";
/** The package's version, from its package.json (two levels up from dist/provider, one from provider/). */
const VERSION = packageVersion();

function packageVersion(): string {
  for (const rel of ["../package.json", "../../package.json"]) {
    try {
      const pkg = require(path.join(__dirname, rel)) as { name?: string; version?: string };
      if (pkg.name === "certapply" && pkg.version) return pkg.version;
    } catch {
      // not this level
    }
  }
  throw new Error("certapply: cannot find its own package.json");
}
/** Where the engine puts a plugin's stack config: `certapply:config:<key>`. */
const VARIABLE_PREFIX = "certapply:config:";

function isSecret(v: unknown): v is { value: unknown } {
  return !!v && typeof v === "object" && (v as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE;
}

/** Removes Pulumi's secret wrappers: this core treats every value as plain and marks outputs itself. */
export function unwrapSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (isSecret(v)) return unwrapSecrets(v.value);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  return v;
}

function containsSecret(v: unknown): boolean {
  if (isSecret(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (v && typeof v === "object") return Object.values(v).some(containsSecret);
  return false;
}

function secret(value: unknown): Record<string, unknown> {
  return { [SECRET_SIG]: SECRET_VALUE, value };
}

/** Outputs that are secret whatever the inputs were (e.g. a private key the cloud generated), from the spec. */
const ALWAYS_SECRET = new Set([APPLICATION, LETTER].flatMap((r) => secretNames(r).filter((k) => r.properties[k].input === undefined)));

/**
 * Marks outputs secret as the engine does for providers that take secrets unwrapped: a top-level key is
 * secret when its value was secret in any of `sources` (the request's inputs or old state), or when the spec
 * makes it an output-only secret.
 */
export function annotateSecrets(outs: Record<string, unknown>, ...sources: (Record<string, unknown> | undefined)[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...outs };
  for (const [k, v] of Object.entries(out)) {
    if (v !== undefined && !isSecret(v) && (ALWAYS_SECRET.has(k) || sources.some((s) => s && containsSecret(s[k])))) out[k] = secret(v);
  }
  return out;
}

/** Stack config from PULUMI_CONFIG, keys with or without the `certapply:` namespace. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ConfigSource {
  let map: Record<string, unknown> = {};
  try {
    map = JSON.parse(env.PULUMI_CONFIG ?? "{}") as Record<string, unknown>;
  } catch {
    map = {};
  }
  return {
    get(key: string) {
      const v = map[key] ?? map[key.replace(/^certapply:/, "")];
      return v === undefined || v === null ? undefined : String(v);
    },
  };
}

function settingText(v: unknown): string | undefined {
  const plain = unwrapSecrets(v);
  if (plain === undefined || plain === null) return undefined;
  return typeof plain === "string" ? plain : JSON.stringify(plain);
}

/**
 * The settings of a Configure request: `args` (the provider's checked inputs, plain keys) over `variables`
 * (`certapply:config:<key>`), then `fallback`. Answers ProviderConfig's `certapply:<key>` look-ups.
 */
export function configFromRequest(variables: Iterable<[string, string]>, args: Record<string, unknown> | undefined, fallback?: ConfigSource): ConfigSource {
  const values = new Map<string, string>();
  for (const [k, v] of variables) {
    if (k.startsWith(VARIABLE_PREFIX)) values.set(k.slice(VARIABLE_PREFIX.length), v);
  }
  for (const [k, v] of Object.entries(args ?? {})) {
    const text = settingText(v);
    if (text !== undefined && k !== "version") values.set(k, text);
  }
  return {
    get(key: string) {
      return values.get(key.replace(/^certapply:/, "")) ?? fallback?.get(key);
    },
  };
}

/** Settings that hold a number. */
const NUMERIC: readonly SettingName[] = settings().filter((s) => s.type === "integer").map((s) => s.name);

/** CheckConfig: every key is a known setting (a typo is named), numbers are numbers. No network. */
export function checkProviderConfig(news: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const [key, raw] of Object.entries(news)) {
    if (key === "version" || key.startsWith("__")) continue;
    if (!(key in SETTINGS)) {
      failures.push({ property: key, reason: `is not a certapply setting; the settings are ${Object.keys(SETTINGS).join(", ")}` });
      continue;
    }
    const text = settingText(raw);
    if (text !== undefined && text !== "" && (NUMERIC as readonly string[]).includes(key) && !Number.isFinite(Number(text))) {
      failures.push({ property: key, reason: `must be a number (certapply:${key})` });
    }
  }
  return failures;
}

/** Project, stack and name from a URN `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) throw new Error(`certapply cannot read the URN ${urn}`);
  return { stack: parts[0].slice("urn:pulumi:".length), project: parts[1], type: parts[2], name: parts.slice(3).join("::") };
}

function kind(urn: string): "application" | "letter" {
  const type = parseUrn(urn).type.split("$").pop() ?? "";
  if (type.endsWith(":CertificateApplication")) return "application";
  if (type.endsWith(":ConfirmLetter")) return "letter";
  throw new Error(`certapply has no resource type in ${urn}`);
}


type Props = Record<string, unknown>;
interface ReadOutcome {
  id?: string;
  props?: Props;
  inputs?: Props;
}

/** One resource's core, as the plugin calls it: values arrive unwrapped but otherwise untyped. */
interface ResourceCore {
  check(olds: unknown, news: Props): Promise<{ inputs?: unknown; failures?: CheckFailure[] }>;
  diff(id: string, olds: unknown, news: unknown): Promise<{ changes?: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }>;
  create(inputs: unknown, op: OperationOptions): Promise<{ id: string; outs: unknown }>;
  read(id: string, props: unknown): Promise<ReadOutcome>;
  update(id: string, olds: unknown, news: unknown, op: OperationOptions): Promise<{ outs: unknown }>;
  remove(id: string, props: unknown, op: OperationOptions): Promise<void>;
}

/** The two resources by the type in the URN; the same modules the SDK's shims delegate to. */
function core(urn: string): ResourceCore {
  return (kind(urn) === "application" ? application : letter) as unknown as ResourceCore;
}

function toStruct(v: unknown): StructPb.Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(v ?? {})) as Record<string, StructPb.JavaScriptValue>);
}

function fromStruct(s: StructPb.Struct | undefined): Props {
  return s ? (s.toJavaScript() as Props) : {};
}

/** A request's customTimeouts (seconds; 0 when none was set). */
function operation(timeout: number): OperationOptions {
  return timeout > 0 ? { timeoutSeconds: timeout } : {};
}

/** The URN of the call in progress, so progress lines reach the engine against their resource. */
const currentUrn = new AsyncLocalStorage<string>();

type Handler<Req, Res> = (call: GrpcJs.ServerUnaryCall<Req, Res>, callback: GrpcJs.sendUnaryData<Res>) => void;

/** A unary handler: runs `fn`, answers its result, or the error the engine expects. */
function unary<Req, Res>(fn: (req: Req) => Promise<Res>, urnOf?: (req: Req) => string): Handler<Req, Res> {
  return (call, callback) => {
    const run = () =>
      fn(call.request).then(
        (res) => callback(null, res),
        (err: unknown) => callback(grpcError(err)),
      );
    const urn = urnOf?.(call.request);
    if (urn) void currentUrn.run(urn, run);
    else void run();
  };
}

/**
 * The error as a gRPC status. An error carrying `id` (the application exists, e.g. a create whose wait
 * failed) becomes ErrorResourceInitFailed, so the engine keeps the resource instead of orphaning it.
 */
function grpcError(err: unknown): Partial<GrpcJs.StatusObject> {
  const e = err instanceof Error ? err : new Error(String(err));
  const metadata = new grpc.Metadata();
  const init = e as Error & { id?: string; properties?: Props; reasons?: string[] };
  if (typeof init.id === "string" && init.id) {
    const detail = new pb.ErrorResourceInitFailed();
    detail.setId(init.id);
    detail.setProperties(toStruct(init.properties ?? {}));
    detail.setReasonsList(init.reasons ?? [e.message]);
    const any = new Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statuspb.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(e.message);
    status.addDetails(any);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: e.message, metadata };
}

function failureList(failures: CheckFailure[] | undefined): pb.CheckFailure[] {
  return (failures ?? []).map((f) => {
    const out = new pb.CheckFailure();
    out.setProperty(f.property);
    out.setReason(f.reason);
    return out;
  });
}

/** Answers the engine's Configure once with the stack config; the environment stays the fallback. */
function onConfigure(req: pb.ConfigureRequest): Promise<pb.ConfigureResponse> {
  const args = req.hasArgs() ? fromStruct(req.getArgs()) : undefined;
  configure(configFromRequest(req.getVariablesMap().getEntryList(), args, configFromEnv()));
  const res = new pb.ConfigureResponse();
  res.setAcceptsecrets(true);
  res.setSupportspreview(false);
  return Promise.resolve(res);
}

/** The ResourceProvider service; methods not listed answer UNIMPLEMENTED. */
function providerService(): GrpcJs.UntypedServiceImplementation {
  const byUrn = (r: { getUrn(): string }) => r.getUrn();
  return {
    getPluginInfo: unary(async () => new pluginpb.PluginInfo().setVersion(VERSION)),
    getSchema: unary(async (req: pb.GetSchemaRequest) => {
      if (req.getVersion() !== 0) throw new Error(`unsupported schema version ${req.getVersion()}`);
      return new pb.GetSchemaResponse().setSchema(JSON.stringify(packageSchema(VERSION)));
    }),
    checkConfig: unary(async (req: pb.CheckRequest) => {
      const news = fromStruct(req.getNews());
      const res = new pb.CheckResponse();
      res.setInputs(toStruct(news));
      res.setFailuresList(failureList(checkProviderConfig(news)));
      return res;
    }),
    diffConfig: unary(async (req: pb.DiffRequest) => {
      // Settings never replace resources: a change (e.g. rotated credentials) applies to later calls.
      const same = JSON.stringify(unwrapSecrets(fromStruct(req.getOlds()))) === JSON.stringify(unwrapSecrets(fromStruct(req.getNews())));
      return new pb.DiffResponse().setChanges(same ? pb.DiffResponse.DiffChanges.DIFF_NONE : pb.DiffResponse.DiffChanges.DIFF_SOME);
    }),
    configure: unary(onConfigure),
    check: unary(async (req: pb.CheckRequest) => {
      const urn = req.getUrn();
      const news = fromStruct(req.getNews());
      const plain = unwrapSecrets(news) as Props;
      if (kind(urn) === "application") plain.ownerKey = ownerKeyFromUrn(urn);
      const result = await core(urn).check(unwrapSecrets(fromStruct(req.getOlds())), plain);
      const inputs = (result.inputs ?? plain) as Props;
      const res = new pb.CheckResponse();
      res.setInputs(toStruct(annotateSecrets(inputs, news)));
      res.setFailuresList(failureList(result.failures));
      return res;
    }, byUrn),
    diff: unary(async (req: pb.DiffRequest) => {
      const result = await core(req.getUrn()).diff(req.getId(), unwrapSecrets(fromStruct(req.getOlds())), unwrapSecrets(fromStruct(req.getNews())));
      const res = new pb.DiffResponse();
      const C = pb.DiffResponse.DiffChanges;
      res.setChanges(result.changes === true ? C.DIFF_SOME : result.changes === false ? C.DIFF_NONE : C.DIFF_UNKNOWN);
      res.setReplacesList(result.replaces ?? []);
      res.setDeletebeforereplace(result.deleteBeforeReplace ?? false);
      return res;
    }, byUrn),
    create: unary(async (req: pb.CreateRequest) => {
      const news = fromStruct(req.getProperties());
      let result;
      try {
        result = await core(req.getUrn()).create(unwrapSecrets(news), operation(req.getTimeout()));
      } catch (err) {
        const init = err as { properties?: Props };
        if (init.properties) init.properties = annotateSecrets(init.properties, news);
        throw err;
      }
      const res = new pb.CreateResponse();
      res.setId(result.id);
      res.setProperties(toStruct(annotateSecrets(result.outs as Props, news)));
      return res;
    }, byUrn),
    read: unary(async (req: pb.ReadRequest) => {
      const props = fromStruct(req.getProperties());
      const inputs = req.hasInputs() ? fromStruct(req.getInputs()) : undefined;
      const result = await core(req.getUrn()).read(req.getId(), unwrapSecrets(props));
      const res = new pb.ReadResponse();
      if (!result.id || !result.props) return res; // gone: the engine drops it from state
      res.setId(result.id);
      res.setProperties(toStruct(annotateSecrets(result.props, props, inputs)));
      if (result.inputs) res.setInputs(toStruct(annotateSecrets(result.inputs, props, inputs)));
      return res;
    }, byUrn),
    update: unary(async (req: pb.UpdateRequest) => {
      const olds = fromStruct(req.getOlds());
      const news = fromStruct(req.getNews());
      const result = await core(req.getUrn()).update(req.getId(), unwrapSecrets(olds), unwrapSecrets(news), operation(req.getTimeout()));
      return new pb.UpdateResponse().setProperties(toStruct(annotateSecrets(result.outs as Props, news)));
    }, byUrn),
    delete: unary(async (req: pb.DeleteRequest) => {
      await core(req.getUrn()).remove(req.getId(), unwrapSecrets(fromStruct(req.getProperties())), operation(req.getTimeout()));
      return new Empty();
    }, byUrn),
    cancel: unary(async () => new Empty()),
    attach: unary(async () => new Empty()),
  };
}

/**
 * Progress lines go to the engine's log against the resource, as a plugin's stderr is not shown to the
 * user; when the engine cannot be reached (a test harness), to stderr.
 */
function engineLogSink(engineAddress: string | undefined): (message: string) => void {
  const client = engineAddress ? new enginerpc.EngineClient(engineAddress, grpc.credentials.createInsecure()) : undefined;
  return (message) => {
    const fallback = () => process.stderr.write(`certapply: ${message}\n`);
    if (!client) return fallback();
    const req = new enginepb.LogRequest();
    req.setSeverity(enginepb.LogSeverity.INFO);
    req.setMessage(message);
    req.setUrn(currentUrn.getStore() ?? "");
    client.log(req, new grpc.Metadata(), { deadline: Date.now() + 5000 }, (err) => {
      if (err) fallback();
    });
  };
}

/** The engine's address among a plugin's arguments (`[--logtostderr] [-v=N] [--tracing <addr>] <engine>`). */
export function engineAddressOf(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--tracing") i += 1;
    else if (!a.startsWith("-")) return a;
  }
  return undefined;
}

/** Serves the provider on 127.0.0.1 and prints the port as the first stdout line, as the engine expects. */
export async function serve(args: string[]): Promise<{ forceShutdown(): void }> {
  setLogSink(engineLogSink(engineAddressOf(args)));
  configure(configFromEnv());
  const server = new grpc.Server({ "grpc.max_receive_message_length": 1024 * 1024 * 400 });
  server.addService(rpc.ResourceProviderService as unknown as GrpcJs.ServiceDefinition, providerService());
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  process.stdout.write(`${port}\n`);
  return server;
}

/**
 * The plugin's entry: serves, or reports why it cannot and exits 1. Called by plugin/index.js, the
 * module Pulumi runs for the plugin directory, and by a direct `node dist/provider/plugin.js <engine>`.
 */
export function main(args: string[] = process.argv.slice(2)): Promise<void> {
  return serve(args).then(
    () => undefined,
    (err: unknown) => {
      process.stderr.write(`certapply: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}

if (require.main === module) void main();
