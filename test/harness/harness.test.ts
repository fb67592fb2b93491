/**
 * Self-tests of the engine harness, with a tiny dynamic provider defined here that talks to a small HTTP
 * server on 127.0.0.1. Everything goes through Pulumi's real dynamic-provider host over gRPC.
 */
import * as http from "node:http";
import * as os from "node:os";
import type { AddressInfo } from "node:net";
import * as pulumi from "@pulumi/pulumi";
import { Engine, EngineError, UNKNOWN_SENTINEL, type StepRecord } from "./engine";

// ---------------------------------------------------------------------------------------------------------
// A small fake API: things with a name, size and zone.

interface Call {
  method: string;
  path: string;
  token: string | undefined;
  body: unknown;
}

interface Thing {
  name: string;
  size: number;
  zone: string;
}

const calls: Call[] = [];
const things = new Map<string, Thing>();
/** DELETE handling knobs for the parallel-delete tests: a delay, ids that fail, and the most deletes seen at once. */
const deletes = { delayMs: 0, failIds: new Set<string>(), inFlight: 0, maxInFlight: 0 };

interface Load {
  delayMs: number;
  inFlight: number;
  maxInFlight: number;
}
const load = (): Load => ({ delayMs: 0, inFlight: 0, maxInFlight: 0 });
/** Calls of things with `probe` set (check: GET /checks, diff: GET /things/:id, create: POST), for the concurrency tests. */
const probes = { check: load(), diff: load(), create: load() };

/** Answers after the knob's delay, counting the calls in flight. */
function delayed(knob: Load, answer: () => void): void {
  knob.inFlight += 1;
  knob.maxInFlight = Math.max(knob.maxInFlight, knob.inFlight);
  setTimeout(() => {
    knob.inFlight -= 1;
    answer();
  }, knob.delayMs);
}
let nextId = 1;
let server: http.Server;
let baseUrl = "";

function writes(): Call[] {
  return calls.filter((c) => c.method !== "GET");
}

function startServer(): Promise<void> {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      const body: unknown = raw ? JSON.parse(raw) : undefined;
      const token = req.headers["x-token"];
      calls.push({
        method: req.method ?? "",
        path: req.url ?? "",
        token: typeof token === "string" ? token : undefined,
        body,
      });
      const send = (status: number, payload: unknown): void => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      if (req.url === "/checks" && req.method === "GET") return delayed(probes.check, () => send(200, {}));
      const m = /^\/things(?:\/([^/]+))?$/.exec(req.url ?? "");
      if (!m) return send(404, { error: "no route" });
      const id = m[1];
      const t = body as Thing;
      if (req.method === "POST" && !id) {
        const newId = `t-${nextId++}`;
        things.set(newId, { name: t.name, size: t.size, zone: t.zone });
        return delayed(probes.create, () => send(200, { id: newId }));
      }
      if (!id || !things.has(id)) return send(404, { error: `no thing ${id}` });
      if (req.method === "GET") return delayed(probes.diff, () => send(200, things.get(id)));
      if (req.method === "PUT") {
        things.set(id, { name: t.name, size: t.size, zone: t.zone });
        return send(200, things.get(id));
      }
      if (req.method === "DELETE") {
        deletes.inFlight += 1;
        deletes.maxInFlight = Math.max(deletes.maxInFlight, deletes.inFlight);
        // A refused delete answers at once; the others after the delay.
        setTimeout(
          () => {
            deletes.inFlight -= 1;
            if (deletes.failIds.has(id)) return send(500, { error: "delete refused" });
            things.delete(id);
            send(200, {});
          },
          deletes.failIds.has(id) ? 0 : deletes.delayMs,
        );
        return;
      }
      return send(405, { error: "method" });
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve();
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// The tiny dynamic provider. Everything it needs is required inside its methods; its settings come from
// `configure` (stack config), never from the closure.

type Props = Record<string, unknown>;

class ThingProvider implements pulumi.dynamic.ResourceProvider {
  url: string | undefined;
  token: string | undefined;

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.url = req.config.require("url"); // project-relative key: "<project>:url"
    this.token = req.config.get("harnessproj:token");
    console.log("configure called");
  }

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Props }> {
    const httpMod = require("node:http") as typeof import("node:http");
    const url = new URL(path, this.url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = httpMod.request(
        url,
        {
          method,
          headers: { "content-type": "application/json", "x-token": this.token ?? "" },
        },
        (res) => {
          let raw = "";
          res.on("data", (c: Buffer) => (raw += c.toString("utf8")));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: raw ? JSON.parse(raw) : {} }));
        },
      );
      req.on("error", reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  async check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    const shown = { ...news };
    delete shown.__provider;
    console.log(`check ${String(news.name)} ${JSON.stringify(shown)}`);
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (typeof news.name !== "string" || news.name === "") {
      failures.push({ property: "name", reason: "name is required" });
    }
    if (typeof news.size !== "number" || news.size < 0) {
      failures.push({ property: "size", reason: "size must be a number >= 0" });
    }
    if (news.probe === true) await this.call("GET", "/checks");
    return { inputs: news, failures };
  }

  async diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    if (news.probe === true) await this.call("GET", `/things/${id}`);
    const keys = ["name", "size", "zone", "parentId", "note"];
    const changed = keys.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    const replaces = changed.filter((k) => k === "zone");
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: news.dbr === true };
  }

  async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    console.error(`progress: creating ${String(inputs.name)}`);
    const res = await this.call("POST", "/things", { name: inputs.name, size: inputs.size, zone: inputs.zone });
    if (res.status !== 200) throw new Error(`create failed: HTTP ${res.status}`);
    const id = String(res.body.id);
    if (inputs.failInit === true) {
      throw Object.assign(new Error(`thing ${id} did not become ready`), {
        id,
        properties: { ...inputs, serverId: id, version: 1 },
        reasons: ["health check failed"],
      });
    }
    return { id, outs: { ...inputs, serverId: id, version: 1 } };
  }

  async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    const res = await this.call("PUT", `/things/${id}`, { name: news.name, size: news.size, zone: news.zone });
    if (res.status !== 200) throw new Error(`update failed: HTTP ${res.status}`);
    return { outs: { ...news, serverId: id, version: Number(olds.version) + 1 } };
  }

  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    const res = await this.call("GET", `/things/${id}`);
    if (res.status === 404) return { id: "", props: {} };
    return { id, props: { ...props, size: res.body.size } };
  }

  async delete(id: string): Promise<void> {
    const res = await this.call("DELETE", `/things/${id}`);
    if (res.status !== 200 && res.status !== 404) throw new Error(`delete failed: HTTP ${res.status}`);
  }
}

const provider = new ThingProvider();

interface ThingArgs {
  name: pulumi.Input<string>;
  size: pulumi.Input<number>;
  zone: pulumi.Input<string>;
  parentId?: pulumi.Input<string>;
  note?: pulumi.Input<string>;
  dbr?: boolean;
  failInit?: boolean;
  /** Check and diff call the server, so the concurrency tests can count them. */
  probe?: boolean;
}

class ThingResource extends pulumi.dynamic.Resource {
  declare readonly serverId: pulumi.Output<string>;
  declare readonly size: pulumi.Output<number>;
  declare readonly version: pulumi.Output<number>;

  constructor(name: string, args: ThingArgs) {
    super(provider, name, { ...args, serverId: undefined, version: undefined }, undefined, "harness", "Thing");
  }
}

/** No `diff`: the engine compares old and new inputs itself (DIFF_UNKNOWN). No `configure` either. */
class NoDiffProvider implements pulumi.dynamic.ResourceProvider {
  async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    console.log(`nodiff create ${String(inputs.label)}`);
    return { id: `nd-${String(inputs.label)}`, outs: { ...inputs } };
  }

  async update(_id: string, _olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    console.log(`nodiff update ${String(news.label)}`);
    return { outs: { ...news } };
  }
}

const noDiffProvider = new NoDiffProvider();

class NoDiffResource extends pulumi.dynamic.Resource {
  constructor(name: string, args: { label: string; count: number }) {
    super(noDiffProvider, name, { ...args }, undefined, "harness", "NoDiff");
  }
}

class ProbeResource extends pulumi.dynamic.Resource {
  constructor(p: pulumi.dynamic.ResourceProvider, name: string) {
    super(p, name, { extra: undefined, poll: undefined, project: undefined }, undefined, "harness", "Probe");
  }
}

const CONFIG = { "harnessproj:url": "", "harnessproj:token": "tok-harness-123" };

function config(): Record<string, string> {
  return { ...CONFIG, "harnessproj:url": baseUrl };
}

function ops(steps: StepRecord[]): string[] {
  return steps.map((s) => `${s.op} ${s.name}`);
}

async function expectEngineError(p: Promise<unknown>): Promise<EngineError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError);
    return err as EngineError;
  }
  throw new Error("expected the run to fail");
}

beforeAll(startServer);
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

// ---------------------------------------------------------------------------------------------------------

describe("up, update, replace, destroy", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await Engine.start({ config: config(), project: "harnessproj" });
  });
  afterAll(() => engine.stop());

  test("first up creates each resource once, in dependency order, with real chaining", async () => {
    calls.length = 0;
    let seenParent: string | undefined;
    const res = await engine.up(() => {
      const a = new ThingResource("a", { name: "alpha", size: 1, zone: "z1" });
      const b = new ThingResource("b", { name: "beta", size: 2, zone: "z1", parentId: a.id });
      b.id.apply((id) => id);
      a.id.apply((id) => (seenParent = id));
    });
    expect(ops(res.steps)).toEqual(["create a", "create b"]);
    const a = engine.resource("a");
    const b = engine.resource("b");
    expect(a?.id).toMatch(/^t-\d+$/);
    expect(b?.inputs.parentId).toBe(a?.id);
    expect(seenParent).toBe(a?.id);
    expect(a?.outputs).toMatchObject({ name: "alpha", size: 1, serverId: a?.id, version: 1 });
    expect(typeof a?.outputs.__provider).toBe("string");
    expect(things.get(a?.id ?? "")).toEqual({ name: "alpha", size: 1, zone: "z1" });
    expect(writes().map((c) => c.method)).toEqual(["POST", "POST"]);
  });

  test("configure reached the provider once, with project-relative and namespaced keys", () => {
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.token === "tok-harness-123")).toBe(true);
    expect(engine.hostLines().filter((l) => l === "configure called")).toHaveLength(1);
    expect(engine.providerTexts()).toHaveLength(1);
    expect(engine.providerTexts()[0]).not.toContain("tok-harness-123");
  });

  test("host lines captured: stdout and stderr after the port line", () => {
    const lines = engine.hostLines();
    expect(lines).toContain("progress: creating alpha"); // stderr
    expect(lines.some((l) => l.startsWith("check alpha "))).toBe(true); // stdout
    expect(lines.some((l) => /^\d+$/.test(l))).toBe(false); // the port line is not among them
  });

  test("a second up with the same program is a no-op", async () => {
    calls.length = 0;
    const before = engine.exportState();
    const res = await engine.up(() => {
      const a = new ThingResource("a", { name: "alpha", size: 1, zone: "z1" });
      new ThingResource("b", { name: "beta", size: 2, zone: "z1", parentId: a.id });
    });
    expect(ops(res.steps)).toEqual(["same a", "same b"]);
    expect(res.steps[0].diff).toEqual({ changes: 1, replaces: [], deleteBeforeReplace: false });
    expect(writes()).toHaveLength(0);
    expect(engine.exportState()).toEqual(before);
  });

  test("a changed input updates in place", async () => {
    calls.length = 0;
    const id = engine.resource("a")?.id;
    const res = await engine.up(() => {
      const a = new ThingResource("a", { name: "alpha", size: 5, zone: "z1" });
      new ThingResource("b", { name: "beta", size: 2, zone: "z1", parentId: a.id });
    });
    expect(ops(res.steps)).toEqual(["update a", "same b"]);
    expect(res.steps[0].diff).toEqual({ changes: 2, replaces: [], deleteBeforeReplace: false });
    expect(writes().map((c) => `${c.method} ${c.path}`)).toEqual([`PUT /things/${id}`]);
    expect(engine.resource("a")?.id).toBe(id);
    expect(engine.resource("a")?.outputs).toMatchObject({ size: 5, version: 2 });
    expect(engine.resource("a")?.inputs.size).toBe(5);
  });

  test("replace creates the new resource before deleting the old one", async () => {
    calls.length = 0;
    const oldA = engine.resource("a")?.id;
    const res = await engine.up(() => {
      const a = new ThingResource("a", { name: "alpha", size: 5, zone: "z2" });
      new ThingResource("b", { name: "beta", size: 2, zone: "z1", parentId: a.id });
    });
    const newA = engine.resource("a")?.id;
    expect(newA).not.toBe(oldA);
    expect(ops(res.steps)).toEqual(["replace a", "update b"]);
    expect(res.steps[0].diff).toEqual({ changes: 2, replaces: ["zone"], deleteBeforeReplace: false });
    expect(writes().map((c) => `${c.method} ${c.path}`)).toEqual([
      "POST /things",
      `DELETE /things/${oldA}`,
      `PUT /things/${engine.resource("b")?.id}`,
    ]);
    expect(engine.resource("b")?.inputs.parentId).toBe(newA);
    expect(things.has(oldA ?? "")).toBe(false);
  });

  test("replace with deleteBeforeReplace deletes first", async () => {
    calls.length = 0;
    const oldA = engine.resource("a")?.id;
    const res = await engine.up(() => {
      const a = new ThingResource("a", { name: "alpha", size: 5, zone: "z3", dbr: true });
      new ThingResource("b", { name: "beta", size: 2, zone: "z1", parentId: a.id });
    });
    expect(ops(res.steps)).toEqual(["replace a", "update b"]);
    expect(res.steps[0].diff?.deleteBeforeReplace).toBe(true);
    expect(writes().map((c) => `${c.method} ${c.path}`).slice(0, 2)).toEqual([`DELETE /things/${oldA}`, "POST /things"]);
  });

  test("check failures fail the run with zero creates and name the property", async () => {
    calls.length = 0;
    const before = engine.exportState();
    const err = await expectEngineError(
      engine.up(() => {
        new ThingResource("c", { name: "", size: -1, zone: "z1" });
      }),
    );
    expect(err.failures.map((f) => `${f.name}.${f.property}`).sort()).toEqual(["c.name", "c.size"]);
    expect(err.message).toContain("size: size must be a number >= 0");
    expect(err.steps.every((s) => s.failures !== undefined)).toBe(true);
    expect(writes()).toHaveLength(0);
    // A failed run deletes nothing: a and b are still in state although this program omits them.
    expect(engine.exportState()).toEqual(before);
  });

  test("refresh reads each resource back; one gone from the API leaves state", async () => {
    const a = engine.resource("a");
    const b = engine.resource("b");
    things.set(a?.id ?? "", { name: "alpha", size: 42, zone: "z3" });
    things.delete(b?.id ?? "");
    const res = await engine.refresh();
    expect(ops(res.steps)).toEqual(["read a", "delete b"]);
    expect(engine.resource("a")?.outputs.size).toBe(42);
    expect(engine.resource("b")).toBeUndefined();
  });

  test("a resource the program no longer declares is deleted", async () => {
    calls.length = 0;
    await engine.up(() => {
      new ThingResource("a", { name: "alpha", size: 42, zone: "z3", dbr: true });
      new ThingResource("d", { name: "delta", size: 0, zone: "z1" });
    });
    const res = await engine.up(() => {
      new ThingResource("d", { name: "delta", size: 0, zone: "z1" });
    });
    expect(ops(res.steps)).toEqual(["same d", "delete a"]);
    expect(engine.resource("a")).toBeUndefined();
  });

  test("destroy deletes in reverse creation order", async () => {
    await engine.up(() => {
      const d = new ThingResource("d", { name: "delta", size: 0, zone: "z1" });
      new ThingResource("e", { name: "echo", size: 0, zone: "z1", parentId: d.id });
    });
    const ids = [engine.resource("d")?.id, engine.resource("e")?.id];
    calls.length = 0;
    const res = await engine.destroy();
    expect(ops(res.steps)).toEqual(["delete e", "delete d"]);
    expect(writes().map((c) => c.path)).toEqual([`/things/${ids[1]}`, `/things/${ids[0]}`]);
    expect(engine.state.size).toBe(0);
    expect(things.has(ids[0] ?? "")).toBe(false);
  });
});

describe("preview, init failure, secrets", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await Engine.start({ config: config(), project: "harnessproj", stack: "other" });
  });
  afterAll(() => engine.stop());

  test("preview sends the unknown sentinel for a dependent input and applies nothing", async () => {
    calls.length = 0;
    const res = await engine.preview(() => {
      const a = new ThingResource("pa", { name: "p-alpha", size: 1, zone: "z1" });
      new ThingResource("pb", { name: "p-beta", size: 1, zone: "z1", parentId: a.id });
    });
    expect(ops(res.steps)).toEqual(["create pa", "create pb"]);
    const checkLine = engine.hostLines().find((l) => l.startsWith("check p-beta "));
    expect(checkLine).toBeDefined();
    const seen = JSON.parse((checkLine ?? "").slice("check p-beta ".length)) as Props;
    expect(seen.parentId).toBe(UNKNOWN_SENTINEL);
    expect(calls).toHaveLength(0);
    expect(engine.state.size).toBe(0);
  });

  test("preview of a change plans it without applying it", async () => {
    await engine.up(() => {
      new ThingResource("pa", { name: "p-alpha", size: 1, zone: "z1" });
    });
    const before = engine.exportState();
    calls.length = 0;
    const res = await engine.preview(() => {
      const a = new ThingResource("pa", { name: "p-alpha", size: 1, zone: "z9" });
      new ThingResource("pb", { name: "p-beta", size: 1, zone: "z1", parentId: a.id });
    });
    expect(ops(res.steps)).toEqual(["replace pa", "create pb"]);
    expect(res.steps[0].diff?.replaces).toEqual(["zone"]);
    // The replacement's id is unknown in preview, so the dependent input is the sentinel.
    const lines = engine.hostLines().filter((l) => l.startsWith("check p-beta "));
    const seen = JSON.parse((lines[lines.length - 1] ?? "").slice("check p-beta ".length)) as Props;
    expect(seen.parentId).toBe(UNKNOWN_SENTINEL);
    expect(calls).toHaveLength(0);
    expect(engine.exportState()).toEqual(before);
  });

  test("an init-failed create keeps the id in state and fails the run", async () => {
    calls.length = 0;
    const err = await expectEngineError(
      engine.up(() => {
        new ThingResource("pa", { name: "p-alpha", size: 1, zone: "z1" });
        new ThingResource("bad", { name: "broken", size: 1, zone: "z1", failInit: true });
      }),
    );
    const bad = engine.resource("bad");
    expect(bad?.id).toMatch(/^t-\d+$/);
    expect(things.has(bad?.id ?? "")).toBe(true);
    expect(bad?.outputs).toMatchObject({ serverId: bad?.id, name: "broken" });
    expect(err.message).toContain(`bad`);
    expect(err.message).toContain(`did not become ready`);
    expect(err.message).toContain("health check failed");
    expect(ops(err.steps)).toContain("create bad");
  });

  test("the partially created resource is then updated, not created again, and destroy removes it", async () => {
    calls.length = 0;
    const id = engine.resource("bad")?.id;
    const res = await engine.up(() => {
      new ThingResource("pa", { name: "p-alpha", size: 1, zone: "z1" });
      new ThingResource("bad", { name: "fixed", size: 1, zone: "z1" });
    });
    expect(ops(res.steps)).toEqual(["same pa", "update bad"]);
    expect(writes().map((c) => `${c.method} ${c.path}`)).toEqual([`PUT /things/${id}`]);
    await engine.destroy();
    expect(things.has(id ?? "")).toBe(false);
    expect(engine.state.size).toBe(0);
  });

  test("secret inputs reach the provider unwrapped and are recorded as secret", async () => {
    await engine.up(() => {
      new ThingResource("s", { name: "secretive", size: 1, zone: "z1", note: pulumi.secret("hush-123") });
    });
    const s = engine.resource("s");
    expect(s?.secretInputKeys).toEqual(["note"]);
    expect(s?.inputs.note).toBe("hush-123");
    const line = engine.hostLines().find((l) => l.startsWith("check secretive "));
    expect(line).toContain('"note":"hush-123"');
    await engine.destroy();
  });

  test("state survives export and import into a fresh engine", async () => {
    await engine.up(() => {
      new ThingResource("k", { name: "kept", size: 3, zone: "z1" });
    });
    const exported = engine.exportState();
    const second = await Engine.start({ config: config(), project: "harnessproj", stack: "other", state: exported });
    try {
      calls.length = 0;
      const res = await second.up(() => {
        new ThingResource("k", { name: "kept", size: 3, zone: "z1" });
      });
      expect(ops(res.steps)).toEqual(["same k"]);
      expect(writes()).toHaveLength(0);
      await second.destroy();
      expect(things.has(engine.resource("k")?.id ?? "")).toBe(false);
    } finally {
      await second.stop();
    }
  });
});

describe("engine-side diff, program errors, environment", () => {
  let engine: Engine;
  const saved = process.env.CERTAPPLY_POLL_INTERVAL_MS;
  beforeAll(async () => {
    process.env.CERTAPPLY_POLL_INTERVAL_MS = "leaked-from-parent";
    engine = await Engine.start({
      config: config(),
      project: "harnessproj",
      env: { HARNESS_EXTRA: "given" },
    });
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.CERTAPPLY_POLL_INTERVAL_MS;
    else process.env.CERTAPPLY_POLL_INTERVAL_MS = saved;
    await engine.stop();
  });

  test("without a provider diff (DIFF_UNKNOWN) the engine compares the inputs itself", async () => {
    const first = await engine.up(() => new NoDiffResource("n", { label: "one", count: 1 }));
    expect(ops(first.steps)).toEqual(["create n"]);
    const same = await engine.up(() => new NoDiffResource("n", { label: "one", count: 1 }));
    expect(ops(same.steps)).toEqual(["same n"]);
    expect(same.steps[0].diff?.changes).toBe(0);
    const changed = await engine.up(() => new NoDiffResource("n", { label: "one", count: 2 }));
    expect(ops(changed.steps)).toEqual(["update n"]);
    expect(engine.resource("n")?.outputs.count).toBe(2);
    expect(engine.hostLines().filter((l) => l.startsWith("nodiff "))).toEqual(["nodiff create one", "nodiff update one"]);
  });

  test("a program that throws fails the run after recording what it registered", async () => {
    const err = await expectEngineError(
      engine.up(() => {
        new NoDiffResource("n", { label: "one", count: 2 });
        throw new Error("boom in program");
      }),
    );
    expect(err.message).toContain("the program failed: boom in program");
    expect(ops(err.steps)).toEqual(["same n"]);
    expect(engine.resource("n")).toBeDefined();
  });

  test("the program sees the stack config too (pulumi.Config)", async () => {
    let token: string | undefined;
    await engine.preview(() => {
      token = new pulumi.Config("harnessproj").get("token");
    });
    expect(token).toBe("tok-harness-123");
  });

  test("the host gets the extra env but not the parent's certapply settings", async () => {
    const probe = new (class EnvProbe implements pulumi.dynamic.ResourceProvider {
      async create(): Promise<pulumi.dynamic.CreateResult> {
        return {
          id: "probe",
          outs: {
            extra: process.env.HARNESS_EXTRA ?? "absent",
            poll: process.env.CERTAPPLY_POLL_INTERVAL_MS ?? "absent",
            project: process.env.PULUMI_NODEJS_PROJECT ?? "absent",
          },
        };
      }
    })();
    await engine.up(() => {
      new ProbeResource(probe, "probe");
    });
    expect(engine.resource("probe")?.outputs).toMatchObject({ extra: "given", poll: "absent", project: "harnessproj" });
    await engine.destroy();
  });
});

describe("step generator and workers (pulumi up --parallel, PULUMI_PARALLEL_DIFF)", () => {
  let engine: Engine;
  afterEach(async () => {
    await engine.stop();
    deletes.delayMs = 0;
    deletes.failIds.clear();
    deletes.maxInFlight = 0;
    for (const knob of Object.values(probes)) Object.assign(knob, load());
  });

  const probed = (names: string[]) => () => {
    for (const n of names) new ThingResource(n, { name: n, size: 1, zone: "z1", probe: true });
  };
  const six = ["s1", "s2", "s3", "s4", "s5", "s6"];

  test("Check and Diff reach the provider one at a time, as the engine's step generator sends them", async () => {
    engine = await Engine.start({ config: config(), project: "harnessproj", parallel: 6 });
    probes.check.delayMs = 40;
    probes.create.delayMs = 150;
    await engine.up(probed(six));
    expect(probes.check.maxInFlight).toBe(1);
    // The creates themselves run on the workers, several at once.
    expect(probes.create.maxInFlight).toBeGreaterThan(1);
    probes.check.maxInFlight = 0;
    probes.diff.delayMs = 40;
    const res = await engine.up(probed(six));
    expect(ops(res.steps)).toEqual(six.map((n) => `same ${n}`));
    expect(probes.check.maxInFlight).toBe(1);
    expect(probes.diff.maxInFlight).toBe(1);
  });

  test("refresh reads `parallel` at a time, then diffs each resource, as the engine does (recorded: test/e2e/record.e2e.ts)", async () => {
    engine = await Engine.start({ config: config(), project: "harnessproj", parallel: 6 });
    await engine.up(probed(six));
    calls.length = 0;
    probes.diff.delayMs = 100;
    probes.diff.maxInFlight = 0;
    const res = await engine.refresh();
    expect(ops(res.steps)).toEqual(six.map((n) => `read ${n}`));
    // A Read and the refresh diff (both GET /things/:id here) for each.
    expect(calls.filter((c) => c.method === "GET" && c.path.startsWith("/things/"))).toHaveLength(12);
    expect(probes.diff.maxInFlight).toBeGreaterThan(1);
  });

  test("creates run `parallel` at a time", async () => {
    engine = await Engine.start({ config: config(), project: "harnessproj", parallel: 3 });
    probes.create.delayMs = 150;
    await engine.up(probed(six));
    expect(probes.create.maxInFlight).toBe(3);
    expect(engine.state.size).toBe(6);
  });

  test("parallelDiff (PULUMI_PARALLEL_DIFF=true): diffs run on the workers, `parallel` at a time", async () => {
    engine = await Engine.start({ config: config(), project: "harnessproj", parallel: 3, parallelDiff: true });
    await engine.up(probed(six));
    probes.check.delayMs = 40;
    probes.diff.delayMs = 150;
    const res = await engine.up(probed(six));
    expect(ops(res.steps).sort()).toEqual(six.map((n) => `same ${n}`));
    expect(probes.diff.maxInFlight).toBe(3);
    expect(probes.check.maxInFlight).toBe(1);
  });

  const five = () => {
    for (const n of ["p1", "p2", "p3", "p4", "p5"]) new ThingResource(n, { name: n, size: 1, zone: "z1" });
  };

  test("deletes of resources no longer declared run `parallel` at a time", async () => {
    engine = await Engine.start({ config: config(), project: "harnessproj", parallel: 3 });
    await engine.up(five);
    deletes.delayMs = 150;
    const res = await engine.up(() => undefined);
    expect(ops(res.steps).sort()).toEqual(["delete p1", "delete p2", "delete p3", "delete p4", "delete p5"]);
    expect(deletes.maxInFlight).toBe(3);
    expect(engine.state.size).toBe(0);
  });

  test("the default is the CLI's since 3.100: 4 per CPU", async () => {
    const cliDefault = 4 * os.availableParallelism();
    engine = await Engine.start({ config: config(), project: "harnessproj" });
    // One more resource than the default, so a larger default shows too.
    await engine.up(() => {
      for (let i = 0; i <= cliDefault; i++) new ThingResource(`d${i}`, { name: `d${i}`, size: 1, zone: "z1" });
    });
    deletes.delayMs = 150;
    await engine.up(() => undefined);
    expect(deletes.maxInFlight).toBe(cliDefault);
  });

  test("once a step fails no new one starts: a registration waiting for a worker is not created", async () => {
    engine = await Engine.start({ config: config(), project: "harnessproj", parallel: 1 });
    probes.create.delayMs = 150;
    const posted = () => calls.filter((c) => c.method === "POST").map((c) => (c.body as Thing).name);
    const before = posted().length;
    // Both would fail; which one reaches the worker first is up to the order the registrations arrive in.
    const err = await expectEngineError(
      engine.up(() => {
        new ThingResource("f1", { name: "f1", size: 1, zone: "z1", failInit: true });
        new ThingResource("f2", { name: "f2", size: 1, zone: "z1", failInit: true });
      }),
    );
    const sent = posted().slice(before);
    expect(sent).toHaveLength(1);
    expect(ops(err.steps)).toEqual([`create ${sent[0]}`]);
    expect(err.errors).toHaveLength(1);
    expect(engine.state.size).toBe(1);
  });

  test("once a delete fails no new one starts, those under way finish, and each error is listed", async () => {
    engine = await Engine.start({ config: config(), project: "harnessproj", parallel: 2 });
    await engine.up(five);
    // Deleted in reverse creation order: p5 and p4 start together; p4 fails at once, p5 finishes later.
    deletes.failIds.add(engine.resource("p4")!.id);
    deletes.delayMs = 300;
    const err = await expectEngineError(engine.up(() => undefined));
    expect(ops(err.steps)).toEqual(["delete p5"]);
    expect(err.errors).toHaveLength(1);
    expect(err.errors[0]).toMatch(/^delete of p4 \[.*\] \(id t-\d+\) failed: .*HTTP 500/);
    expect([...engine.state.values()].map((r) => r.name)).toEqual(["p1", "p2", "p3", "p4"]);
    await expect(Engine.start({ config: config(), parallel: 0 })).rejects.toThrow(/parallel must be a whole number/);
  });

  test("continueOnError: a failed delete does not stop the others, and the run still fails", async () => {
    engine = await Engine.start({ config: config(), project: "harnessproj", parallel: 2, continueOnError: true });
    await engine.up(five);
    deletes.failIds.add(engine.resource("p4")!.id);
    const err = await expectEngineError(engine.up(() => undefined));
    expect(ops(err.steps).sort()).toEqual(["delete p1", "delete p2", "delete p3", "delete p5"]);
    expect(err.errors).toEqual([expect.stringMatching(/^delete of p4 /)]);
    expect([...engine.state.values()].map((r) => r.name)).toEqual(["p4"]);
  });

  test("continueOnError: a failed step does not stop the other resources' steps", async () => {
    engine = await Engine.start({ config: config(), project: "harnessproj", continueOnError: true });
    const err = await expectEngineError(
      engine.up(async () => {
        new ThingResource("bad", { name: "", size: -1, zone: "z1" });
        // Declared once the first step has failed.
        await new Promise((r) => setTimeout(r, 500));
        for (const n of ["q1", "q2", "q3"]) new ThingResource(n, { name: n, size: 1, zone: "z1" });
      }),
    );
    expect(err.failures.map((f) => f.property).sort()).toEqual(["name", "size"]);
    expect(ops(err.steps).filter((o) => o.startsWith("create q")).sort()).toEqual(["create q1", "create q2", "create q3"]);
    expect(engine.resource("bad")).toBeUndefined();
  });
});
