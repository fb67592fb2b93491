import { createHash, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
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
  FaultKind,
  FaultShare,
  GarbledShape,
} from "./types";
import { FAULT_KINDS, GARBLED_SHAPES } from "./types";
import { Variation } from "./vary";

/** Default credentials: fixed, obviously fake values, printed by `npx certapply-emulator`. */
export const DEFAULT_CREDENTIALS: EmulatorCredentials = {
  tencent: { secretId: "AKIDcertapplyEmulator0000000000000000", secretKey: "certapply-emulator-tencent-secret-key" },
  edgecast: { clientId: "certapply-emulator-client", clientSecret: "certapply-emulator-client-secret", tokenLifetimeSeconds: 300 },
  huawei: {
    accessKey: "CERTAPPLYEMULATORAK01",
    secretKey: "certapply-emulator-huawei-secret-key",
    domainId: "0123456789abcdef0123456789abcdef",
    projectId: "fedcba9876543210fedcba9876543210",
    userName: "certapply",
    password: "certapply-emulator-password",
    domainName: "certapply-domain",
    tokenLifetimeSeconds: 86_400,
  },
};

/**
 * The stack config that points a stack at the emulator: each `certapply:*` key, its value, and whether
 * `pulumi config set` must store it with `--secret` (a credential).
 */
const STACK_CONFIG: readonly { key: string; secret: boolean; value: (c: EmulatorCredentials, url: string) => string }[] = [
  { key: "certapply:tencentEndpoint", secret: false, value: (_c, u) => u },
  { key: "certapply:tencentSecretId", secret: false, value: (c) => c.tencent.secretId },
  { key: "certapply:tencentSecretKey", secret: true, value: (c) => c.tencent.secretKey },
  { key: "certapply:edgecastApiUrl", secret: false, value: (_c, u) => u },
  { key: "certapply:edgecastIdsUrl", secret: false, value: (_c, u) => u },
  { key: "certapply:edgecastClientId", secret: false, value: (c) => c.edgecast.clientId },
  { key: "certapply:edgecastClientSecret", secret: true, value: (c) => c.edgecast.clientSecret },
  { key: "certapply:huaweiEndpoint", secret: false, value: (_c, u) => u },
  { key: "certapply:huaweiIamEndpoint", secret: false, value: (_c, u) => u },
  { key: "certapply:huaweiAccessKey", secret: false, value: (c) => c.huawei.accessKey },
  { key: "certapply:huaweiSecretKey", secret: true, value: (c) => c.huawei.secretKey },
  { key: "certapply:huaweiDomainId", secret: false, value: (c) => c.huawei.domainId },
];

/** The stack config keys `configLines()` prints with `--secret`. */
export const SECRET_CONFIG_KEYS: readonly string[] = STACK_CONFIG.filter((e) => e.secret).map((e) => e.key);

/** Options of `new Emulator()`. */
export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  credentials?: Partial<{ [K in keyof EmulatorCredentials]: Partial<EmulatorCredentials[K]> }>;
  /** Print each request to stderr. */
  verbose?: boolean;
  /**
   * Emulator seconds per real second (default 1). Above 1 the emulator's clock runs fast: its rate windows,
   * token lifetimes and timeouts pass sooner. Signature checks allow a few minutes of skew, so keep
   * `clockRate × run time` well under that.
   */
  clockRate?: number;
  /**
   * Varies, by this seed, what the official models leave open (see `emulator/vary.ts`): optional reply fields absent,
   * null or empty; list order; extra fields of a newer API version; intermediate statuses; review times; the language
   * of status messages. Unset: one fixed reply shape.
   */
  seed?: number;
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
  private shares = new Map<string, FaultShare>();
  /** Requests seen per `cloud|action|target` by the seeded shares. */
  private shareCounts = new Map<string, number>();
  /** Id a create made → the create's own target (e.g. an Edgecast label), so draws do not depend on id order. */
  private readonly madeBy = new Map<string, string>();
  /** Clock: emulator time `clockBaseMs` at real time `realBaseMs`, running `clockRate` times real time. */
  private clockBaseMs = Date.now();
  private realBaseMs = this.clockBaseMs;
  private clockRate = 1;
  private server?: http.Server;
  private readonly shared: EmulatorShared;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly options: EmulatorOptions = {}) {
    const c = options.credentials ?? {};
    this.credentials = {
      tencent: { ...DEFAULT_CREDENTIALS.tencent, ...c.tencent },
      edgecast: { ...DEFAULT_CREDENTIALS.edgecast, ...c.edgecast },
      huawei: { ...DEFAULT_CREDENTIALS.huawei, ...c.huawei },
    };
    this.setClockRate(options.clockRate ?? 1);
    const shared: EmulatorShared = (this.shared = {
      credentials: this.credentials,
      now: () => this.now(),
      newRequestId: () => randomUUID(),
      vary: new Variation(options.seed),
    });
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

  /** Emulator time in ms (wall clock at `clockRate`, plus what the control API advanced). */
  now(): number {
    return this.clockBaseMs + (Date.now() - this.realBaseMs) * this.clockRate;
  }

  /** The seed replies vary by (see `EmulatorOptions.seed`); undefined: no variation. */
  get seed(): number | undefined {
    return this.shared.vary.seed;
  }

  /** Varies replies by `seed` from now on (undefined: one fixed reply shape). */
  setSeed(seed: number | undefined): void {
    this.shared.vary = new Variation(seed);
  }

  /** Moves the emulator clock forward (DCV timeouts, token expiry). */
  advanceClock(seconds: number): void {
    if (!Number.isFinite(seconds)) throw new Error(`advanceSeconds must be a number, got ${String(seconds)}`);
    this.clockBaseMs += seconds * 1000;
  }

  /** Sets how many emulator seconds pass per real second from now on (see `EmulatorOptions.clockRate`). */
  setClockRate(rate: number): void {
    if (!Number.isFinite(rate) || rate <= 0 || rate > 1000) throw new Error(`clock rate must be a number above 0 and at most 1000, got ${String(rate)}`);
    const now = Date.now();
    this.clockBaseMs = this.clockBaseMs + (now - this.realBaseMs) * this.clockRate;
    this.realBaseMs = now;
    this.clockRate = rate;
  }

  /** Injects a fault for the next `count` requests of an action. */
  injectFault(fault: Fault): void {
    checkFault(fault);
    this.faults.push({ ...fault });
  }

  /**
   * Gives a seeded share of a cloud's requests a fault (see `FaultShare`); replaces that cloud's share.
   * A rate of 0 removes it.
   */
  setFaultShare(share: FaultShare): void {
    checkShare(share);
    for (const k of [...this.shareCounts.keys()]) if (k.startsWith(`${share.cloud}|`)) this.shareCounts.delete(k);
    if (share.rate === 0) this.shares.delete(share.cloud);
    else this.shares.set(share.cloud, { ...share, kinds: share.kinds ? [...share.kinds] : undefined, actions: share.actions ? [...share.actions] : undefined });
  }

  /** Removes every injected fault and seeded share. */
  clearFaults(): void {
    this.faults = [];
    this.shares.clear();
    this.shareCounts.clear();
  }

  /** Requests logged for one cloud, as `action` names. */
  actions(cloud?: string): string[] {
    return this.log.filter((e) => !cloud || e.cloud === cloud).map((e) => e.action);
  }

  clearLog(): void {
    this.log.length = 0;
  }

  /** Forgets all state, faults, log, clock offset and clock rate (back to the constructor's). */
  reset(): void {
    for (const c of this.clouds) c.reset();
    this.clearFaults();
    this.madeBy.clear();
    this.clockBaseMs = Date.now();
    this.realBaseMs = this.clockBaseMs;
    this.clockRate = 1;
    this.setClockRate(this.options.clockRate ?? 1);
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
    const u = this.url;
    return STACK_CONFIG.map((e) => `pulumi config set ${e.secret ? "--secret " : ""}${e.key} ${e.value(this.credentials, u)}`);
  }

  /** The settings that point a stack at this emulator, as a `certapply:*` config map (what `configure` receives). */
  stackConfig(): Record<string, string> {
    const u = this.url;
    return Object.fromEntries(STACK_CONFIG.map((e) => [e.key, e.value(this.credentials, u)]));
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawUrl = req.url ?? "/";
    const parsed = new URL(rawUrl, "http://emulator.invalid");
    const request: EmulatorRequest = {
      receivedAt: this.now(),
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
        const target = targetOf(request);
        const entry: EmulatorLogEntry = { time: new Date(request.receivedAt).toISOString(), cloud: cloud.cloud, action, status: 0 };
        if (target !== undefined) entry.target = target;
        this.log.push(entry);
        if (this.options.verbose) process.stderr.write(`[emulator] ${cloud.cloud} ${action}\n`);
        const drawKey = (target !== undefined ? this.madeBy.get(`${cloud.cloud}|${target}`) : undefined) ?? target ?? "";
        const drawn = this.drawFault(cloud.cloud, action, drawKey);
        const queued = this.takeFault(cloud.cloud, action);
        let fault = queued ?? drawn;
        if (fault) entry.fault = fault.kind;
        if (fault?.kind === "reset") {
          entry.status = -1;
          entry.code = "ConnectionReset";
          req.socket.destroy();
          return;
        }
        const delayMs = fault?.kind === "delay" ? (fault.delayMs ?? 1000) : 0;
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        let reply: EmulatorResponse & { errorCode?: string };
        if (fault?.kind === "throttle" || fault?.kind === "internal" || fault?.kind === "not-found" || fault?.kind === "gateway-not-found") {
          reply = cloud.faultResponse(fault.kind, action);
        }
        else if (fault?.kind === "http500") reply = { status: 500, body: "Internal Server Error", headers: { "content-type": "text/plain" } };
        else reply = await cloud.handle(request, action);
        entry.status = reply.status;
        if (reply.errorCode) entry.code = reply.errorCode;
        // A request the cloud part throttled does not count towards the seeded share: its retry draws again, and a
        // drawn fault that would act on the reply (drop, garble) is left for that retry.
        if (fault?.kind !== "throttle" && isThrottle(reply)) {
          this.undraw(cloud.cloud, action, drawKey);
          if (!queued && (fault?.kind === "commit-then-drop" || fault?.kind === "garbled-reply" || fault?.kind === "late-reply")) {
            fault = undefined;
            delete entry.fault;
          }
        }
        const made = createdId(reply);
        if (made !== undefined && made !== entry.target) {
          entry.created = made;
          if (target !== undefined) this.madeBy.set(`${cloud.cloud}|${made}`, drawKey);
        }
        if (fault?.kind === "commit-then-drop") {
          req.socket.destroy();
          return;
        }
        if (fault?.kind === "late-reply") await new Promise((r) => setTimeout(r, fault?.delayMs ?? 1000));
        if (fault?.kind === "garbled-reply") {
          const shape = fault.garbled ?? "error-body";
          entry.garbled = shape;
          reply = garble(cloud.cloud, reply, shape);
        }
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

  /** The seeded share's fault for this request, if it draws one. */
  private drawFault(cloud: string, action: string, target: string): Fault | undefined {
    const share = this.shares.get(cloud);
    if (!share || (share.actions && !share.actions.includes(action))) return undefined;
    const key = `${cloud}|${action}|${target}`;
    const n = this.shareCounts.get(key) ?? 0;
    this.shareCounts.set(key, n + 1);
    const h = createHash("sha256").update(`${share.seed}|${key}|${n}`).digest();
    const unit = (i: number) => h.readUInt32BE(i * 4) / 2 ** 32;
    if (unit(0) >= share.rate) return undefined;
    const kinds = share.kinds && share.kinds.length > 0 ? share.kinds : FAULT_KINDS;
    const shapes = share.garbled && share.garbled.length > 0 ? share.garbled : GARBLED_SHAPES;
    const kind = kinds[Math.floor(unit(1) * kinds.length)];
    return {
      cloud,
      action,
      kind,
      count: 1,
      delayMs: kind === "late-reply" ? (share.lateReplyMs ?? 1000) : Math.floor(unit(2) * (share.maxDelayMs ?? 200)),
      garbled: shapes[Math.floor(unit(3) * shapes.length)],
    };
  }

  private undraw(cloud: string, action: string, target: string): void {
    const key = `${cloud}|${action}|${target}`;
    const n = this.shareCounts.get(key);
    if (n !== undefined && n > 0) this.shareCounts.set(key, n - 1);
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
        try {
          this.advanceClock(Number(body.advanceSeconds ?? 0));
          if (body.rate !== undefined) this.setClockRate(Number(body.rate));
        } catch (err) {
          return { status: 400, body: { error: (err as Error).message } };
        }
        return { status: 200, body: { now: new Date(this.now()).toISOString(), rate: this.clockRate } };
      case "faults":
        try {
          if (body.clear === true) this.clearFaults();
          else this.injectFault(body as unknown as Fault);
        } catch (err) {
          return { status: 400, body: { error: (err as Error).message } };
        }
        return { status: 200, body: { ok: true } };
      case "seed":
        if (body.seed !== null && !(typeof body.seed === "number" && Number.isSafeInteger(body.seed))) {
          return { status: 400, body: { error: "seed must be a whole number, or null to stop varying" } };
        }
        this.setSeed(body.seed ?? undefined);
        return { status: 200, body: { seed: body.seed } };
      case "fault-share":
        try {
          this.setFaultShare(body as unknown as FaultShare);
        } catch (err) {
          return { status: 400, body: { error: (err as Error).message } };
        }
        return { status: 200, body: { ok: true } };
      default: {
        const cloud = this.clouds.find((c) => c.cloud === target);
        if (!cloud || !command) return { status: 404, body: { error: `unknown control target ${target}` } };
        return cloud.control(command, body);
      }
    }
  }
}

const CLOUDS = ["tencent", "edgecast", "huawei"];

function checkCloud(cloud: unknown): void {
  if (typeof cloud !== "string" || !CLOUDS.includes(cloud)) throw new Error(`fault cloud must be one of ${CLOUDS.join(", ")}, got ${JSON.stringify(cloud)}`);
}

function checkKind(kind: unknown, what: string): void {
  if (typeof kind !== "string" || !FAULT_KINDS.includes(kind as FaultKind)) {
    throw new Error(`${what} must be one of ${FAULT_KINDS.join(", ")}, got ${JSON.stringify(kind)}`);
  }
}

function checkShape(shape: unknown, what: string): void {
  if (typeof shape !== "string" || !GARBLED_SHAPES.includes(shape as GarbledShape)) {
    throw new Error(`${what} must be one of ${GARBLED_SHAPES.join(", ")}, got ${JSON.stringify(shape)}`);
  }
}

function checkFault(f: Fault): void {
  if (typeof f !== "object" || f === null) throw new Error("a fault is an object { cloud, action, kind, count }");
  checkCloud(f.cloud);
  if (typeof f.action !== "string" || f.action === "") throw new Error(`fault action must be an action name or "*", got ${JSON.stringify(f.action)}`);
  checkKind(f.kind, "fault kind");
  if (!Number.isInteger(f.count) || f.count < 1) throw new Error(`fault count must be a whole number of requests of at least 1, got ${JSON.stringify(f.count)}`);
  if (f.skip !== undefined && (!Number.isInteger(f.skip) || f.skip < 0)) throw new Error(`fault skip must be a whole number, got ${JSON.stringify(f.skip)}`);
  if (f.delayMs !== undefined && (typeof f.delayMs !== "number" || !(f.delayMs >= 0))) throw new Error(`fault delayMs must be a number of milliseconds, got ${JSON.stringify(f.delayMs)}`);
  if (f.garbled !== undefined) checkShape(f.garbled, "fault garbled");
}

function checkShare(s: FaultShare): void {
  if (typeof s !== "object" || s === null) throw new Error("a fault share is an object { cloud, rate, seed }");
  checkCloud(s.cloud);
  if (typeof s.rate !== "number" || !(s.rate >= 0 && s.rate <= 1)) throw new Error(`fault share rate must be a number from 0 to 1, got ${JSON.stringify(s.rate)}`);
  if (typeof s.seed !== "number" || !Number.isFinite(s.seed)) throw new Error(`fault share seed must be a number, got ${JSON.stringify(s.seed)}`);
  if (s.kinds !== undefined) {
    if (!Array.isArray(s.kinds)) throw new Error("fault share kinds must be an array of fault kinds");
    s.kinds.forEach((k, i) => checkKind(k, `fault share kinds[${i}]`));
  }
  if (s.garbled !== undefined) {
    if (!Array.isArray(s.garbled)) throw new Error("fault share garbled must be an array of garbled shapes");
    s.garbled.forEach((g, i) => checkShape(g, `fault share garbled[${i}]`));
  }
  if (s.actions !== undefined && (!Array.isArray(s.actions) || s.actions.some((a) => typeof a !== "string"))) {
    throw new Error("fault share actions must be an array of action names");
  }
  if (s.maxDelayMs !== undefined && (typeof s.maxDelayMs !== "number" || !(s.maxDelayMs >= 0))) {
    throw new Error(`fault share maxDelayMs must be a number of milliseconds, got ${JSON.stringify(s.maxDelayMs)}`);
  }
  if (s.lateReplyMs !== undefined && (typeof s.lateReplyMs !== "number" || !(s.lateReplyMs >= 0))) {
    throw new Error(`fault share lateReplyMs must be a number of milliseconds, got ${JSON.stringify(s.lateReplyMs)}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function jsonOf(body: EmulatorResponse["body"]): unknown {
  if (body === undefined) return undefined;
  if (typeof body === "string" || Buffer.isBuffer(body)) {
    try {
      return JSON.parse(body.toString("utf8"));
    } catch {
      return undefined;
    }
  }
  return body;
}

const TARGET_FIELDS = ["CertificateId", "CertId", "certificate_id", "certificate_label"];

/** The application a request addresses, where the request names it in a way common to the three APIs. */
function targetOf(req: EmulatorRequest): string | undefined {
  const m = /\/certificates\/([^/]+)/.exec(req.path);
  // Edgecast's create path names the kind of request, not an application.
  if (m && m[1] !== "cdnprovided") return m[1];
  for (const f of TARGET_FIELDS) {
    const q = req.query.get(f);
    if (q) return q;
  }
  if (req.body.length === 0 || req.body.length > 4_000_000) return undefined;
  const body = jsonOf(req.body);
  if (!isObject(body)) return undefined;
  for (const f of TARGET_FIELDS) {
    const v = body[f];
    if ((typeof v === "string" && v !== "") || typeof v === "number") return String(v);
  }
  return undefined;
}

/**
 * The id a successful reply gives (`id`, Tencent's `Response.CertificateId`, or the one id of a Tencent purchase's
 * `CertificateIds`): for a create, what it made.
 */
function createdId(reply: EmulatorResponse & { errorCode?: string }): string | undefined {
  if (reply.errorCode || reply.status < 200 || reply.status >= 300) return undefined;
  const body = jsonOf(reply.body);
  if (!isObject(body)) return undefined;
  const inner = isObject(body.Response) ? body.Response : body;
  // Tencent CreateCertificate `CertificateIds`; Huawei SubscribeCertificate `cert[].cert_id`.
  const huaweiBought = Array.isArray(inner.cert) && inner.cert.length === 1 && isObject(inner.cert[0]) ? inner.cert[0].cert_id : undefined;
  const bought = Array.isArray(inner.CertificateIds) && inner.CertificateIds.length === 1 ? inner.CertificateIds[0] : huaweiBought;
  const v = inner.id ?? inner.CertificateId ?? bought;
  return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
}

/** A cloud's own throttling reply: HTTP 429, or a `*LimitExceeded` (Tencent) or `APIG.0308` (Huawei gateway) code. */
function isThrottle(reply: EmulatorResponse & { errorCode?: string }): boolean {
  return reply.status === 429 || /LimitExceeded|^APIG\.0308$/.test(reply.errorCode ?? "");
}

/** A JSON value of the wrong type for `v`. */
function wrongType(v: unknown): unknown {
  if (typeof v === "string") return 404;
  if (typeof v === "number") return `${v}x`;
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (Array.isArray(v)) return { items: v.length };
  if (v === null) return {};
  return "object";
}

function wrongTypes(o: Record<string, unknown>, keep: string[] = []): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, keep.includes(k) ? v : wrongType(v)]));
}

const HTML_PAGE = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><p>gateway</p></body></html>";

/** The reply a `garbled-reply` fault sends instead of `reply`: always HTTP 200, in the cloud's terms where they matter. */
function garble(cloud: string, reply: EmulatorResponse, shape: GarbledShape): EmulatorResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(reply.headers ?? {})) if (!/^content-(type|length)$/i.test(k)) headers[k] = v;
  const json = (body: unknown): EmulatorResponse => ({ status: 200, headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const original = jsonOf(reply.body);
  const tencentInner = cloud === "tencent" && isObject(original) && isObject(original.Response) ? original.Response : undefined;
  const requestId = typeof tencentInner?.RequestId === "string" ? tencentInner.RequestId : randomUUID();
  switch (shape) {
    case "empty":
      return { status: 200, headers, body: "" };
    case "null":
      return json(null);
    case "html":
      return { status: 200, headers: { ...headers, "Content-Type": "text/html; charset=utf-8" }, body: HTML_PAGE };
    case "wrong-types":
      if (cloud === "tencent") return json({ Response: tencentInner ? wrongTypes(tencentInner, ["RequestId"]) : { RequestId: 1 } });
      return json(isObject(original) ? wrongTypes(original) : []);
    case "error-body":
      if (cloud === "tencent") return json({ Response: { RequestId: requestId } });
      if (cloud === "huawei") return json({ error_code: "SCM.0005", error_msg: "Incorrect request parameter." });
      return json({ "@type": "Error", code: "InternalServerError", status_code: 500, details: [{ "@type": "ErrorDetail", source: "", description: "an internal error occurred", meta: {} }] });
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
