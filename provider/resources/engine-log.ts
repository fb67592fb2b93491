/**
 * Progress lines and warnings sent to the Pulumi engine's log (`pulumirpc.Engine/Log`) against the resource they are
 * about, so the CLI shows them on that resource's row and under its name, with their severity. Used by the plugin
 * and, inside Pulumi's Node.js dynamic-provider host, by the shims' provider (see host.ts).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type * as GrpcJs from "@grpc/grpc-js";
import type * as EnginePb from "@pulumi/pulumi/proto/engine_pb";
import type * as EngineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";

/** How a line is shown: `warning` lines are the CLI's warnings. */
export type Severity = "info" | "warning";

/** The URN of the resource the current call is for, when known. */
export const currentUrn = new AsyncLocalStorage<string>();

/**
 * The modules that speak to the engine, from the process's own @pulumi/pulumi (one copy of the protobuf classes):
 * `grpc` (@grpc/grpc-js), `enginepb` and `enginerpc` (its proto/engine_pb and proto/engine_grpc_pb).
 */
export interface EngineModules {
  grpc: object;
  enginepb: object;
  enginerpc: object;
}

/** Where a line goes when the engine cannot take it: stderr, which the CLI shows without a resource. */
export function toStderr(message: string, severity: Severity): void {
  process.stderr.write(`certapply: ${severity === "warning" ? "warning: " : ""}${message}\n`);
}

/** The engine's address among a provider's arguments (`[--logtostderr] [-v=N] [--tracing <addr>] <engine>`). */
export function engineAddressOf(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--tracing") i += 1;
    else if (!a.startsWith("-")) return a;
  }
  return undefined;
}

/**
 * A log sink to the engine at `address`; a line the engine does not take goes to stderr. `flush` resolves once
 * every line sent so far has been answered (at most 2 s), so a call's lines reach the engine before its reply.
 */
export function engineLogSink(address: string | undefined, modules: EngineModules): { sink: (message: string, severity: Severity) => void; flush: () => Promise<void> } {
  const m = modules as { grpc: typeof GrpcJs; enginepb: typeof EnginePb; enginerpc: typeof EngineRpc };
  const client = address ? new m.enginerpc.EngineClient(address, m.grpc.credentials.createInsecure()) : undefined;
  const pending = new Set<Promise<void>>();
  const sink = (message: string, severity: Severity): void => {
    if (!client) return toStderr(message, severity);
    const req = new m.enginepb.LogRequest();
    req.setSeverity(severity === "warning" ? m.enginepb.LogSeverity.WARNING : m.enginepb.LogSeverity.INFO);
    req.setMessage(message);
    req.setUrn(currentUrn.getStore() ?? "");
    const sent = new Promise<void>((resolve) => {
      client.log(req, new m.grpc.Metadata(), { deadline: Date.now() + 5000 }, (err) => {
        if (err) toStderr(message, severity);
        resolve();
      });
    });
    pending.add(sent);
    void sent.then(() => pending.delete(sent));
  };
  const flush = async (): Promise<void> => {
    if (pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(pending), new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
  };
  return { sink, flush };
}
