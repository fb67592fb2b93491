/**
 * A recording shim in front of a resource provider: it starts the real provider (the command in
 * CERTAPPLY_RECORD_REAL, a JSON array, followed by this process's own arguments), serves a gRPC proxy on
 * 127.0.0.1 in its place (printing the proxy's port, as a plugin does) and appends one JSON line per call to
 * CERTAPPLY_RECORD_FILE: method, URN, start and end (ms), gRPC error code. Every unary ResourceProvider method
 * is forwarded unchanged.
 *
 * Put in front of the plugin (a plugin directory whose package.json `main` is this file), of the Node.js
 * dynamic-provider host (a `pulumi-resource-pulumi-nodejs` earlier on PATH), or of the test harness's host
 * (EngineStartOptions.hostScript): the same record from the real engine and from test/harness. No jest here.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import * as readline from "node:readline";
import type * as GrpcJs from "@grpc/grpc-js";
import * as rpc from "@pulumi/pulumi/proto/provider_grpc_pb";

const stubRequire = createRequire(require.resolve("@pulumi/pulumi/proto/provider_pb"));
const grpc = stubRequire("@grpc/grpc-js") as typeof GrpcJs;

export interface CallRecord {
  method: string;
  urn?: string;
  start: number;
  end: number;
  code?: number;
  pid: number;
  /** Configure: the keys of its variables, and whether `args` came with it. */
  detail?: string;
}

interface MethodDef {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestSerialize: (v: unknown) => Buffer;
  responseDeserialize: (b: Buffer) => unknown;
}

function urnOf(req: unknown): string | undefined {
  const r = req as { getUrn?: () => string };
  return typeof r.getUrn === "function" ? r.getUrn() || undefined : undefined;
}

function detailOf(method: string, req: unknown): string | undefined {
  if (method !== "configure") return undefined;
  const r = req as { getVariablesMap(): { toArray(): [string, string][] }; hasArgs(): boolean };
  return `variables ${JSON.stringify(r.getVariablesMap().toArray().map(([k]) => k).sort())}, args ${r.hasArgs()}`;
}

async function main(args: string[]): Promise<void> {
  const file = process.env.CERTAPPLY_RECORD_FILE;
  const real = JSON.parse(process.env.CERTAPPLY_RECORD_REAL ?? "null") as string[] | null;
  if (!file || !real || real.length === 0) throw new Error("record-provider: set CERTAPPLY_RECORD_FILE and CERTAPPLY_RECORD_REAL");
  const child = spawn(real[0], [...real.slice(1), ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const port = await new Promise<number>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    let first = true;
    lines.on("line", (line) => {
      if (first) {
        first = false;
        resolve(Number(line.trim()));
      } else process.stderr.write(`${line}\n`);
    });
    child.once("exit", (code) => reject(new Error(`record-provider: the real provider exited ${code} before printing its port`)));
  });
  child.once("exit", () => process.exit(0));
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  const handlers: Record<string, GrpcJs.handleUnaryCall<unknown, unknown>> = {};
  for (const [name, def] of Object.entries(rpc.ResourceProviderService as unknown as Record<string, MethodDef>)) {
    if (def.requestStream || def.responseStream) continue;
    handlers[name] = (call, callback) => {
      const rec: CallRecord = { method: name, urn: urnOf(call.request), start: Date.now(), end: 0, pid: process.pid, detail: detailOf(name, call.request) };
      client.makeUnaryRequest(def.path, def.requestSerialize, def.responseDeserialize, call.request, (err, res) => {
        rec.end = Date.now();
        if (err) rec.code = err.code;
        fs.appendFileSync(file, `${JSON.stringify(rec)}\n`);
        callback(err, res);
      });
    };
  }
  server.addService(rpc.ResourceProviderService as unknown as GrpcJs.ServiceDefinition, handlers as unknown as GrpcJs.UntypedServiceImplementation);
  const own = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  process.stdout.write(`${own}\n`);
}

export const serving = main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
