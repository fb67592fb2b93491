import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SECRET_SETTINGS } from "../provider/config";
import { EdgecastEmulator } from "./edgecast";
import { HuaweiEmulator } from "./huawei";
import { TencentEmulator } from "./tencent";
import type {
  CloudEmulator,
  EmulatorCredentials,
  EmulatorLogEntry,
  EmulatorRequest,
  EmulatorResponse,
  EmulatorShared,
  Fault,
} from "./types";

/** Default credentials: fixed, obviously fake values, printed by `npx certapply-emulator`. */
export const DEFAULT_CREDENTIALS: EmulatorCredentials = {
  tencent: { secretId: "AKIDcertapplyEmulator0000000000000000", secretKey: "certapply-emulator-tencent-secret-key" },
  edgecast: { clientId: "certapply-emulator-client", clientSecret: "certapply-emulator-client-secret", tokenLifetimeSeconds: 300 },
  huawei: {
    accessKey: "CERTAPPLYEMULATORAK01",
    secretKey: "certapply-emulator-huawei-secret-key",
    domainId: "0123456789abcdef0123456789abcdef",
    userName: "certapply",
    password: "certapply-emulator-password",
    domainName: "certapply-domain",
    tokenLifetimeSeconds: 86_400,
  },
};

/** Options of `new Emulator()`. */
export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  credentials?: Partial<{ [K in keyof EmulatorCredentials]: Partial<EmulatorCredentials[K]> }>;
  /** Print each request to stderr. */
  verbose?: boolean;
}

/**
 * The three certificate APIs as one real HTTP server on loopback: signature and token checks, per-cloud
 * state machines, documented validations and error codes, rate limits, fault injection and a control API.
 */
export class Emulator {
  readonly credentials: EmulatorCredentials;
  readonly tencent: TencentEmulator;
  readonly edgecast: EdgecastEmulator;
  readonly huawei: HuaweiEmulator;
  /** Every API request served, oldest first. */
  readonly log: EmulatorLogEntry[] = [];
  private readonly clouds: CloudEmulator[];
  private faults: Fault[] = [];
  private clockOffsetMs = 0;
  private server?: http.Server;
  private readonly sockets = new Set<import("node:net").Socket>();

  constructor(private readonly options: EmulatorOptions = {}) {
    const c = options.credentials ?? {};
    this.credentials = {
      tencent: { ...DEFAULT_CREDENTIALS.tencent, ...c.tencent },
      edgecast: { ...DEFAULT_CREDENTIALS.edgecast, ...c.edgecast },
      huawei: { ...DEFAULT_CREDENTIALS.huawei, ...c.huawei },
    };
    const shared: EmulatorShared = {
      credentials: this.credentials,
      now: () => Date.now() + this.clockOffsetMs,
      newRequestId: () => randomUUID(),
    };
    this.tencent = new TencentEmulator(shared);
    this.edgecast = new EdgecastEmulator(shared);
    this.huawei = new HuaweiEmulator(shared);
    this.clouds = [this.tencent, this.edgecast, this.huawei];
  }

  /** Base URL, e.g. `http://127.0.0.1:40123`. Only valid after `start()`. */
  get url(): string {
    if (!this.server) throw new Error("emulator not started");
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Emulator time in ms (wall clock plus what the control API advanced). */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Moves the emulator clock forward (DCV timeouts, token expiry). */
  advanceClock(seconds: number): void {
    this.clockOffsetMs += seconds * 1000;
  }

  /** Injects a fault for the next `count` requests of an action. */
  injectFault(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  /** Requests logged for one cloud, as `action` names. */
  actions(cloud?: string): string[] {
    return this.log.filter((e) => !cloud || e.cloud === cloud).map((e) => e.action);
  }

  clearLog(): void {
    this.log.length = 0;
  }

  /** Forgets all state, faults, log and clock offset. */
  reset(): void {
    for (const c of this.clouds) c.reset();
    this.faults = [];
    this.clockOffsetMs = 0;
    this.clearLog();
  }

  async start(): Promise<this> {
    const server = http.createServer((req, res) => {
      void this.serve(req, res);
    });
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, "127.0.0.1", () => resolve());
    });
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Stack config lines that point a Pulumi stack at this emulator; credentials are set with `--secret`. */
  configLines(): string[] {
    return Object.entries(this.stackConfig()).map(([key, value]) => {
      const secret = (SECRET_SETTINGS as readonly string[]).includes(key.replace(/^certapply:/, ""));
      return `pulumi config set ${secret ? "--secret " : ""}${key} ${value}`;
    });
  }

  /** The settings that point a stack at this emulator, as a `certapply:*` config map (what `configure` receives). */
  stackConfig(): Record<string, string> {
    const c = this.credentials;
    const u = this.url;
    return {
      "certapply:tencentEndpoint": u,
      "certapply:tencentSecretId": c.tencent.secretId,
      "certapply:tencentSecretKey": c.tencent.secretKey,
      "certapply:edgecastApiUrl": u,
      "certapply:edgecastIdsUrl": u,
      "certapply:edgecastClientId": c.edgecast.clientId,
      "certapply:edgecastClientSecret": c.edgecast.clientSecret,
      "certapply:huaweiEndpoint": u,
      "certapply:huaweiIamEndpoint": u,
      "certapply:huaweiAccessKey": c.huawei.accessKey,
      "certapply:huaweiSecretKey": c.huawei.secretKey,
      "certapply:huaweiDomainId": c.huawei.domainId,
    };
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawUrl = req.url ?? "/";
    const parsed = new URL(rawUrl, "http://emulator.invalid");
    const request: EmulatorRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      rawUrl,
      path: decodeURIComponent(parsed.pathname),
      query: parsed.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks),
    };
    try {
      if (request.path.startsWith("/_control/")) {
        return write(res, await this.control(request));
      }
      for (const cloud of this.clouds) {
        const action = cloud.match(request);
        if (action === undefined) continue;
        const entry: EmulatorLogEntry = { time: new Date(this.now()).toISOString(), cloud: cloud.cloud, action, status: 0 };
        this.log.push(entry);
        if (this.options.verbose) process.stderr.write(`[emulator] ${cloud.cloud} ${action}\n`);
        const fault = this.takeFault(cloud.cloud, action);
        if (fault?.kind === "reset") {
          entry.status = -1;
          entry.code = "ConnectionReset";
          req.socket.destroy();
          return;
        }
        if (fault?.kind === "delay") await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000));
        let reply: EmulatorResponse & { errorCode?: string };
        if (fault?.kind === "throttle" || fault?.kind === "internal") reply = cloud.faultResponse(fault.kind, action);
        else if (fault?.kind === "http500") reply = { status: 500, body: "Internal Server Error", headers: { "content-type": "text/plain" } };
        else reply = await cloud.handle(request, action);
        entry.status = reply.status;
        if (reply.errorCode) entry.code = reply.errorCode;
        return write(res, reply);
      }
      write(res, { status: 404, body: { error: `no emulated API at ${request.method} ${request.path}` } });
    } catch (err) {
      write(res, { status: 500, body: { error: `emulator failure: ${(err as Error).message}` } });
    }
  }

  private takeFault(cloud: string, action: string): Fault | undefined {
    const i = this.faults.findIndex((f) => f.cloud === cloud && (f.action === action || f.action === "*"));
    if (i < 0) return undefined;
    const fault = this.faults[i];
    if (fault.skip && fault.skip > 0) {
      fault.skip -= 1;
      return undefined;
    }
    fault.count -= 1;
    if (fault.count <= 0) this.faults.splice(i, 1);
    return fault;
  }

  private async control(req: EmulatorRequest): Promise<EmulatorResponse> {
    const [, , target, command] = req.path.split("/");
    let body: Record<string, unknown> = {};
    if (req.body.length > 0) {
      try {
        body = JSON.parse(req.body.toString("utf8")) as Record<string, unknown>;
      } catch {
        return { status: 400, body: { error: "control API bodies are JSON objects" } };
      }
    }
    switch (target) {
      case "log":
        return { status: 200, body: this.log };
      case "reset":
        this.reset();
        return { status: 200, body: { ok: true } };
      case "clock":
        this.advanceClock(Number(body.advanceSeconds ?? 0));
        return { status: 200, body: { now: new Date(this.now()).toISOString() } };
      case "faults":
        this.injectFault(body as unknown as Fault);
        return { status: 200, body: { ok: true } };
      default: {
        const cloud = this.clouds.find((c) => c.cloud === target);
        if (!cloud || !command) return { status: 404, body: { error: `unknown control target ${target}` } };
        return cloud.control(command, body);
      }
    }
  }
}

function write(res: http.ServerResponse, reply: EmulatorResponse): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let body: string | Buffer | undefined;
  if (reply.body === undefined) body = undefined;
  else if (typeof reply.body === "string" || Buffer.isBuffer(reply.body)) body = reply.body;
  else {
    body = JSON.stringify(reply.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["Content-Type"] = "application/json";
  }
  res.writeHead(reply.status, headers);
  res.end(body);
}
