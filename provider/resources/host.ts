/**
 * Inside Pulumi's Node.js dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`), where the SDK's shims call
 * the provider: progress lines and warnings go to the engine's log against the resource, and an error meant for the
 * user is shown once, without a stack trace.
 *
 * The host hands a provider method only the properties, never the URN, so the URN is taken from the request the
 * host decoded them from: each request's property structs tag the objects they decode to. The first call of a host
 * process runs before the tagging is in place; it takes the URN the Node.js SDK declares (`resourceUrn`), which state
 * written before that input existed lacks (such a call's lines go to the engine without a resource).
 */
import { createRequire } from "node:module";
import { setLogSink } from "./context";
import { currentUrn, engineAddressOf, engineLogSink } from "./engine-log";

/** Which objects came from which resource's request. */
const urns = new WeakMap<object, string>();
/** The host's error lines (`${e}: ${e.stack}`) of errors meant for the user, not printed: the engine shows the message. */
const quietLines = new Set<string>();
/** The host methods that print an error they pass on. */
const PRINTING = new Set(["check", "diff", "read", "remove"]);

let flush: () => Promise<void> = async () => undefined;
let installed = false;

/** The host's main module, when this process is Pulumi's dynamic-provider host. */
function dynamicHost(): NodeJS.Module | undefined {
  const main = require.main;
  return main && /[\\/]cmd[\\/]dynamic-provider[\\/]index\.js$/.test(main.filename) ? main : undefined;
}

/** Once per process, inside the host: the engine log sink, URN tagging, and the quiet user errors. */
function install(): void {
  if (installed) return;
  installed = true;
  const host = dynamicHost();
  if (!host) return;
  try {
    // The host's own modules: the same protobuf classes it decodes requests with.
    const fromHost = createRequire(host.filename);
    const providerpb = fromHost("../../proto/provider_pb") as Record<string, { prototype: Record<string, unknown> } | undefined>;
    const engine = engineLogSink(engineAddressOf(process.argv.slice(2)), {
      grpc: fromHost("@grpc/grpc-js") as object,
      enginepb: fromHost("../../proto/engine_pb") as object,
      enginerpc: fromHost("../../proto/engine_grpc_pb") as object,
    });
    tagRequests(providerpb);
    setLogSink(engine.sink);
    flush = engine.flush;
    const print = console.error.bind(console);
    console.error = (...args: unknown[]) => {
      if (args.length === 1 && typeof args[0] === "string" && quietLines.delete(args[0])) return;
      print(...args);
    };
  } catch {
    // A host laid out otherwise: lines stay on stderr, which the CLI shows too.
  }
}

/** Makes each request's property structs tag what they decode to with the request's URN. */
function tagRequests(providerpb: Record<string, { prototype: Record<string, unknown> } | undefined>): void {
  const getters: Record<string, string[]> = {
    CheckRequest: ["getOlds", "getNews"],
    DiffRequest: ["getOlds", "getNews"],
    CreateRequest: ["getProperties"],
    ReadRequest: ["getProperties"],
    UpdateRequest: ["getOlds", "getNews"],
    DeleteRequest: ["getProperties"],
  };
  for (const [cls, names] of Object.entries(getters)) {
    const proto = providerpb[cls]?.prototype;
    if (!proto) continue;
    for (const name of names) {
      const get = proto[name] as ((this: { getUrn(): string }) => { toJavaScript(): unknown } | undefined) | undefined;
      if (typeof get !== "function") continue;
      proto[name] = function (this: { getUrn(): string }) {
        const struct = get.call(this);
        const urn = this.getUrn();
        if (!struct || !urn) return struct;
        const decode = struct.toJavaScript.bind(struct);
        struct.toJavaScript = () => {
          const value = decode();
          if (value && typeof value === "object") urns.set(value, urn);
          return value;
        };
        return struct;
      };
    }
  }
}

/** An error written for the user (a refusal, a cloud's error, a configuration problem), not a defect. */
function forUser(err: unknown): err is Error {
  return err instanceof Error && ["Error", "CloudApiError", "ConfigError"].includes(err.name);
}

/**
 * The URN the Node.js SDK declared among a call's properties (`resourceUrn`): the first call of a host process, which
 * runs before the tagging is in place, and a resource whose request the host decoded otherwise.
 */
function declaredUrn(args: unknown[]): string | undefined {
  for (const a of [...args].reverse()) {
    const urn = a && typeof a === "object" ? (a as { resourceUrn?: unknown }).resourceUrn : undefined;
    if (typeof urn === "string" && urn.startsWith("urn:pulumi:")) return urn;
  }
  return undefined;
}

/** Runs one provider method for the host: with its resource's URN for the log, its lines flushed before the reply. */
async function call(method: string, fn: (...args: unknown[]) => unknown, args: unknown[]): Promise<unknown> {
  install();
  const urn = args.map((a) => (a && typeof a === "object" ? urns.get(a) : undefined)).find((u) => u !== undefined) ?? declaredUrn(args);
  const run = async () => {
    try {
      return await fn(...args);
    } catch (err) {
      if (PRINTING.has(method) && forUser(err)) quietLines.add(`${String(err)}: ${err.stack}`);
      throw err;
    } finally {
      await flush();
    }
  };
  return urn ? currentUrn.run(urn, run) : run();
}

/** The methods the shims call. */
const METHODS = new Set(["check", "diff", "create", "read", "update", "remove"]);

/** The resource module as the shims call it: its methods run through `call`; everything else is as it was. */
export function hosted<T extends object>(impl: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(impl)) {
    out[name] = METHODS.has(name) && typeof value === "function" ? (...args: unknown[]) => call(name, value as (...a: unknown[]) => unknown, args) : value;
  }
  return out as T;
}
