/**
 * Pulumi's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`), spawned as a child process
 * and driven over gRPC (`pulumirpc.ResourceProvider`) the way the Pulumi engine drives it.
 *
 * The host prints its port as the first stdout line; everything it prints afterwards (stdout and stderr,
 * e.g. progress messages of a provider) is kept and can be read with `lines()`. Its engine address is a real
 * `pulumirpc.Engine` on loopback that takes `Log` calls as the engine does: `engineLog()` has each with its
 * severity and URN, and `lines()` has their messages too (the CLI shows them), warnings as `warning: <message>`.
 * The host does not exit when its parent dies, so `stop()` kills it, and a process "exit" hook kills it
 * if the parent exits without calling `stop()`.
 *
 * No jest here: `npm run demo` uses this file compiled to dist/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as readline from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { Struct, type JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import * as rpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statuspb from "@pulumi/pulumi/proto/status_pb";
import * as enginepb from "@pulumi/pulumi/proto/engine_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";

/** A property map as it travels in a google.protobuf.Struct. */
export type PropertyMap = Record<string, unknown>;

/** The value the engine sends for a property that is not known yet (during preview). */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface HostOptions {
  /** Directory the host runs in; `require()` inside a serialized provider resolves from here. */
  cwd: string;
  /** Pulumi project name (`PULUMI_NODEJS_PROJECT`, `PULUMI_PROJECT`). */
  project: string;
  /** Extra environment for the host (added to this process's environment). */
  env?: Record<string, string>;
  /** Variables of this process's environment NOT passed on to the host (unless set again in `env`). */
  unsetEnv?: string[];
  /** Milliseconds to wait for the port line. Default 30 000. */
  startTimeoutMs?: number;
  /** Provider program to run instead of Pulumi's dynamic-provider host (e.g. a plugin built on `provider.main`). */
  script?: string;
}

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface CheckResult {
  inputs: PropertyMap;
  failures: CheckFailure[];
}

export interface DiffResult {
  /** pulumirpc DiffResponse.DiffChanges: 0 unknown, 1 none, 2 some. */
  changes: number;
  replaces: string[];
  stables: string[];
  deleteBeforeReplace: boolean;
}

export interface CreateResult {
  id: string;
  properties: PropertyMap;
}

export interface ReadResult {
  /** Empty when the provider reports the resource gone. */
  id: string;
  properties: PropertyMap;
  inputs?: PropertyMap;
}

/** One `Engine/Log` call the provider made. */
export interface EngineLogEntry {
  severity: "debug" | "info" | "warning" | "error";
  urn: string;
  message: string;
}

const SEVERITY: Record<number, EngineLogEntry["severity"]> = {
  [enginepb.LogSeverity.DEBUG]: "debug",
  [enginepb.LogSeverity.INFO]: "info",
  [enginepb.LogSeverity.WARNING]: "warning",
  [enginepb.LogSeverity.ERROR]: "error",
};

/** The engine's log service on loopback: records every Log call and shows its message among the host's lines. */
async function startEngineLog(entries: EngineLogEntry[], lines: string[], lastOutput: { at: number }): Promise<{ address: string; server: grpc.Server }> {
  const server = new grpc.Server();
  server.addService(enginerpc.EngineService, {
    log: (call: grpc.ServerUnaryCall<enginepb.LogRequest, Empty>, cb: grpc.sendUnaryData<Empty>) => {
      const entry: EngineLogEntry = { severity: SEVERITY[call.request.getSeverity()] ?? "info", urn: call.request.getUrn(), message: call.request.getMessage() };
      entries.push(entry);
      lines.push(entry.severity === "info" ? entry.message : `${entry.severity}: ${entry.message}`);
      lastOutput.at = Date.now();
      cb(null, new Empty());
    },
  } as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { address: `127.0.0.1:${port}`, server };
}

/** A gRPC call to the host failed. `message` is the provider's error message. */
export class HostCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "HostCallError";
  }
}

/**
 * Create or Update failed after the resource came into existence: the provider threw an error carrying an
 * `id` and the host sent `pulumirpc.ErrorResourceInitFailed`. The engine keeps such a resource in state.
 */
export class ResourceInitError extends HostCallError {
  constructor(
    method: string,
    code: number,
    message: string,
    readonly id: string,
    readonly properties: PropertyMap,
    readonly reasons: string[],
  ) {
    super(method, code, message);
    this.name = "ResourceInitError";
  }
}

/** Converts a JS value into something `Struct.fromJavaScript` accepts (drops `undefined`, functions). */
export function toStructValue(value: unknown): JavaScriptValue | undefined {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      return Number(value);
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    default:
      break;
  }
  if (Array.isArray(value)) {
    return value.map((v) => {
      const c = toStructValue(v);
      return c === undefined ? null : c;
    });
  }
  if (value instanceof Date) return value.toISOString();
  const out: { [key: string]: JavaScriptValue } = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const c = toStructValue(v);
    if (c !== undefined) out[k] = c;
  }
  return out;
}

function toStruct(map: PropertyMap): Struct {
  const obj: { [key: string]: JavaScriptValue } = {};
  for (const [k, v] of Object.entries(map)) {
    const c = toStructValue(v);
    if (c !== undefined) obj[k] = c;
  }
  return Struct.fromJavaScript(obj);
}

function fromStruct(s: Struct | undefined): PropertyMap {
  return s ? (s.toJavaScript() as PropertyMap) : {};
}

type Callback<Res> = (error: grpc.ServiceError | null, response: Res) => void;

export class ProviderHost {
  private exited = false;
  private readonly exitHook: () => void;
  private stopped = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: rpc.ResourceProviderClient,
    readonly port: number,
    private readonly output: string[],
    private readonly lastOutput: { at: number },
    private readonly engineLogEntries: EngineLogEntry[],
    private readonly engineServer: grpc.Server,
  ) {
    this.exitHook = () => {
      if (!this.exited) this.child.kill("SIGKILL");
    };
    process.once("exit", this.exitHook);
    child.once("exit", () => {
      this.exited = true;
    });
  }

  /** Spawns the host and waits for its port. */
  static async start(opts: HostOptions): Promise<ProviderHost> {
    const hostScript = opts.script ?? require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of opts.unsetEnv ?? []) delete env[name];
    const lines: string[] = [];
    const lastOutput = { at: 0 };
    const logEntries: EngineLogEntry[] = [];
    const engineLog = await startEngineLog(logEntries, lines, lastOutput);
    const child = spawn(process.execPath, [hostScript, engineLog.address], {
      cwd: opts.cwd,
      env: {
        ...env,
        ...(opts.env ?? {}),
        PULUMI_NODEJS_PROJECT: opts.project,
        PULUMI_PROJECT: opts.project,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const early: string[] = [];
    let portResolve: (port: number) => void = () => undefined;
    let portReject: (err: Error) => void = () => undefined;
    const portPromise = new Promise<number>((resolve, reject) => {
      portResolve = resolve;
      portReject = reject;
    });
    let gotPort = false;
    const stdout = readline.createInterface({ input: child.stdout! });
    stdout.on("line", (line) => {
      if (!gotPort) {
        gotPort = true;
        const port = Number(line.trim());
        if (Number.isInteger(port) && port > 0) portResolve(port);
        else portReject(new Error(`dynamic provider host printed "${line}" instead of its port`));
        return;
      }
      lines.push(line);
      lastOutput.at = Date.now();
    });
    const stderr = readline.createInterface({ input: child.stderr! });
    stderr.on("line", (line) => {
      if (!gotPort) early.push(line);
      lines.push(line);
      lastOutput.at = Date.now();
    });
    child.once("error", (err) => portReject(err));
    child.once("exit", (code, signal) => {
      if (!gotPort) {
        portReject(
          new Error(
            `dynamic provider host exited (code ${code}, signal ${signal}) before printing its port: ${early.join("\n")}`,
          ),
        );
      }
    });
    const timeoutMs = opts.startTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`dynamic provider host printed no port within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    let port: number;
    try {
      port = await Promise.race([portPromise, timeout]);
    } catch (err) {
      child.kill("SIGKILL");
      engineLog.server.forceShutdown();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    const client = new rpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new ProviderHost(child, client, port, lines, lastOutput, logEntries, engineLog.server);
  }

  /**
   * Resolves once the host has printed nothing for `quietMs` (at most `maxMs`): what it printed while answering a
   * call can arrive on its own pipe just after the answer.
   */
  async settled(quietMs = 30, maxMs = 500): Promise<void> {
    const start = Date.now();
    const deadline = start + maxMs;
    while (Date.now() < deadline && (Date.now() - start < quietMs || Date.now() - this.lastOutput.at < quietMs)) {
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
  }

  /** Every line the host printed after its port line (stdout and stderr, in arrival order). */
  lines(): string[] {
    return [...this.output];
  }

  /** Every `Engine/Log` call the provider made, in arrival order. */
  engineLog(): EngineLogEntry[] {
    return [...this.engineLogEntries];
  }

  /** True once the host process has exited. */
  get hasExited(): boolean {
    return this.exited;
  }

  private call<Res>(method: string, invoke: (cb: Callback<Res>) => void): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      if (this.stopped) {
        reject(new HostCallError(method, grpc.status.UNAVAILABLE, `${method}: the provider host was stopped`));
        return;
      }
      invoke((err, res) => {
        if (err) reject(decodeError(method, err));
        else resolve(res);
      });
    });
  }

  async getPluginInfo(): Promise<string> {
    const res = await this.call<{ getVersion(): string }>("getPluginInfo", (cb) =>
      this.client.getPluginInfo(new Empty(), cb),
    );
    return res.getVersion();
  }

  /** Sends the stack config (namespaced keys, e.g. `certapply:tencentSecretId`). Returns acceptSecrets. */
  async configure(config: Record<string, string>): Promise<{ acceptSecrets: boolean }> {
    const req = new pb.ConfigureRequest();
    req.setArgs(Struct.fromJavaScript({ ...config }));
    const vars = req.getVariablesMap();
    for (const [k, v] of Object.entries(config)) vars.set(k, v);
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    const res = await this.call<pb.ConfigureResponse>("configure", (cb) => this.client.configure(req, cb));
    return { acceptSecrets: res.getAcceptsecrets() };
  }

  async check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult> {
    const req = new pb.CheckRequest();
    req.setUrn(urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    const res = await this.call<pb.CheckResponse>("check", (cb) => this.client.check(req, cb));
    return {
      inputs: fromStruct(res.getInputs()),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(
    id: string,
    urn: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs?: PropertyMap,
  ): Promise<DiffResult> {
    const req = new pb.DiffRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    if (oldInputs) req.setOldInputs(toStruct(oldInputs));
    const res = await this.call<pb.DiffResponse>("diff", (cb) => this.client.diff(req, cb));
    return {
      changes: res.getChanges(),
      replaces: res.getReplacesList(),
      stables: res.getStablesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
    };
  }

  async create(urn: string, properties: PropertyMap): Promise<CreateResult> {
    const req = new pb.CreateRequest();
    req.setUrn(urn);
    req.setProperties(toStruct(properties));
    const res = await this.call<pb.CreateResponse>("create", (cb) => this.client.create(req, cb));
    return { id: res.getId(), properties: fromStruct(res.getProperties()) };
  }

  async update(
    id: string,
    urn: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs?: PropertyMap,
  ): Promise<{ properties: PropertyMap }> {
    const req = new pb.UpdateRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    if (oldInputs) req.setOldInputs(toStruct(oldInputs));
    const res = await this.call<pb.UpdateResponse>("update", (cb) => this.client.update(req, cb));
    return { properties: fromStruct(res.getProperties()) };
  }

  async read(id: string, urn: string, properties: PropertyMap, inputs?: PropertyMap): Promise<ReadResult> {
    const req = new pb.ReadRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(toStruct(properties));
    if (inputs) req.setInputs(toStruct(inputs));
    const res = await this.call<pb.ReadResponse>("read", (cb) => this.client.read(req, cb));
    const result: ReadResult = { id: res.getId(), properties: fromStruct(res.getProperties()) };
    if (res.hasInputs()) result.inputs = fromStruct(res.getInputs());
    return result;
  }

  async delete(id: string, urn: string, properties: PropertyMap, oldInputs?: PropertyMap): Promise<void> {
    const req = new pb.DeleteRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(toStruct(properties));
    if (oldInputs) req.setOldInputs(toStruct(oldInputs));
    await this.call<unknown>("delete", (cb) => this.client.delete(req, cb));
  }

  /** Closes the client and kills the host (SIGTERM, then SIGKILL after 2 s). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.client.close();
    this.engineServer.forceShutdown();
    process.removeListener("exit", this.exitHook);
    if (this.exited) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill("SIGKILL");
      }, 2000);
      this.child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.kill("SIGTERM");
    });
  }
}

/** Turns a gRPC error into HostCallError, or ResourceInitError when it carries ErrorResourceInitFailed. */
function decodeError(method: string, err: grpc.ServiceError): HostCallError {
  const message = err.details || err.message;
  const raw = err.metadata?.get("grpc-status-details-bin") ?? [];
  for (const value of raw) {
    const bytes = typeof value === "string" ? Buffer.from(value, "binary") : value;
    try {
      const status = statuspb.Status.deserializeBinary(new Uint8Array(bytes));
      for (const any of status.getDetailsList()) {
        if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
        const detail = pb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
        return new ResourceInitError(
          method,
          err.code,
          message,
          detail.getId(),
          fromStruct(detail.getProperties()),
          detail.getReasonsList(),
        );
      }
    } catch {
      // Not a Status we understand: fall through to a plain error.
    }
  }
  return new HostCallError(method, err.code, message);
}
