/**
 * The harness answers to the engine: the provider calls the real Pulumi CLI makes (recorded by
 * test/e2e/record-provider.ts in front of the Node.js dynamic-provider host) for up, no-op up, preview, refresh,
 * `--replace`, destroy, at `--parallel 8` and with PULUMI_PARALLEL_DIFF, against what test/harness sends for the
 * same program, through the same recorder. Per operation: calls per method, and how many of each were in flight
 * at once. What differs is printed; what the harness must match is asserted.
 */
import fs from "node:fs";
import path from "node:path";
import { CertificateApplication, type CertificateApplicationArgs } from "certapply";
import { Emulator } from "../../emulator/server";
import { Engine, repoRoot } from "../harness/engine";
import { pulumiDir, Workspace } from "./cli";
import { exampleArgs } from "./programs";
import type { CallRecord } from "./record-provider";
import { E2eStack, providerConfig } from "./stack";

const N = 6;
const RECORDER = path.join(repoRoot(), "dist", "test", "e2e", "record-provider.js");

let emulator: Emulator;
let ws: Workspace;
let recBin: string;
let ids: string[];
beforeAll(async () => {
  emulator = await new Emulator().start();
  ws = new Workspace("certapply-e2e-record-");
  recBin = path.join(ws.base, "record-bin");
  fs.mkdirSync(recBin);
  fs.writeFileSync(path.join(recBin, "pulumi-resource-pulumi-nodejs"), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(RECORDER)} "$@"\n`, { mode: 0o755 });
});
afterAll(async () => {
  await emulator.stop();
  ws.dispose();
});

function args(id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...exampleArgs("tencent", id, { commonName: `www.${id.toLowerCase()}.example.com` }), dnsNames: [`${id.toLowerCase()}.example.com`], ...over };
}

interface Summary {
  calls: Record<string, number>;
  inFlight: Record<string, number>;
  configure: string[];
}

/** Calls per method and the most of each in flight at once. */
function summarize(records: CallRecord[]): Summary {
  const calls: Record<string, number> = {};
  const inFlight: Record<string, number> = {};
  for (const r of records) calls[r.method] = (calls[r.method] ?? 0) + 1;
  for (const m of Object.keys(calls)) {
    const rs = records.filter((r) => r.method === m);
    inFlight[m] = Math.max(...rs.map((r) => rs.filter((o) => o.start <= r.start && o.end > r.start).length));
  }
  return { calls, inFlight, configure: records.filter((r) => r.detail).map((r) => r.detail!) };
}

function read(file: string): CallRecord[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CallRecord);
}

const real = new Map<string, Summary>();
const harness = new Map<string, Summary>();
const differences: string[] = [];

/** What a resource operation sends, of methods the harness models (the engine's bookkeeping calls aside). */
const MODELLED = ["check", "diff", "create", "read", "update", "delete"];
const modelled = (s: Summary) => Object.fromEntries(MODELLED.filter((m) => s.calls[m]).map((m) => [m, s.calls[m]]));

describe("the real engine's provider calls against the harness's, Node.js SDK, 6 Tencent applications", () => {
  let stack: E2eStack;
  const ops: { label: string; op: "up" | "preview" | "refresh" | "destroy"; flags: string[]; env?: Record<string, string>; change?: boolean }[] = [
    { label: "up --parallel 8", op: "up", flags: ["--parallel", "8"] },
    { label: "no-op up", op: "up", flags: [] },
    { label: "preview (one content change)", op: "preview", flags: [], change: true },
    { label: "refresh", op: "refresh", flags: [] },
    { label: "no-op up, PULUMI_PARALLEL_DIFF --parallel 8", op: "up", flags: ["--parallel", "8"], env: { PULUMI_PARALLEL_DIFF: "true" } },
    { label: "destroy", op: "destroy", flags: [] },
  ];

  beforeAll(async () => {
    stack = await E2eStack.create(ws, "node", "record", providerConfig(emulator));
    ids = Array.from({ length: N }, () => emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId);
  });

  test("the real CLI, every operation recorded", async () => {
    for (const o of ops) {
      const declared = ids.map((id, i) => ({ name: `app${i}`, properties: args(id, o.change && i === 0 ? { tech: { firstName: "Mei", lastName: "Li", email: "mei@example.com", phone: "13112349999", title: "CISO" } } : {}) }));
      await stack.declare(declared);
      const file = path.join(ws.base, `real-${real.size}.jsonl`);
      const flags = o.flags;
      await stack.op(o.op, flags, {
        env: {
          ...(o.env ?? {}),
          PATH: `${recBin}${path.delimiter}${ws.env().PATH ?? ""}`,
          CERTAPPLY_RECORD_FILE: file,
          CERTAPPLY_RECORD_REAL: JSON.stringify([path.join(pulumiDir(), "pulumi-resource-pulumi-nodejs")]),
        },
      });
      real.set(o.label, summarize(read(file)));
    }
    expect(real.get("up --parallel 8")!.calls.create).toBe(N);
    // --replace on a stack of its own (it withdraws and reopens the application, which would leave the stacks above
    // unequal); its calls count all the same.
    const other = await E2eStack.create(ws, "node", "record-replace", providerConfig(emulator));
    const id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
    await other.declare([{ name: "app0", properties: args(id) }]);
    await other.op("up");
    const file = path.join(ws.base, "real-replace.jsonl");
    await other.op("up", ["--replace", other.urn("app0")], {
      allowFailure: true,
      env: {
        PATH: `${recBin}${path.delimiter}${ws.env().PATH ?? ""}`,
        CERTAPPLY_RECORD_FILE: file,
        CERTAPPLY_RECORD_REAL: JSON.stringify([path.join(pulumiDir(), "pulumi-resource-pulumi-nodejs")]),
      },
    });
    const order = read(file).filter((r) => ["delete", "create"].includes(r.method)).map((r) => r.method);
    real.set("up --replace (one resource)", summarize(read(file)));
    expect(order).toEqual(["delete", "create"]);
  });

  test("the harness, the same program through the same recorder", async () => {
    const file = path.join(ws.base, "harness.jsonl");
    const env = { CERTAPPLY_RECORD_FILE: file, CERTAPPLY_RECORD_REAL: JSON.stringify([process.execPath, require.resolve("@pulumi/pulumi/cmd/dynamic-provider")]) };
    const config = providerConfig(emulator);
    ids = Array.from({ length: N }, () => emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId);
    const program = (change: boolean) => () => {
      ids.forEach((id, i) => new CertificateApplication(`app${i}`, args(id, change && i === 0 ? { tech: { firstName: "Mei", lastName: "Li", email: "mei@example.com", phone: "13112349999", title: "CISO" } } : {}) as unknown as CertificateApplicationArgs));
    };
    let engine = await Engine.start({ config, parallel: 8, env, hostScript: RECORDER });
    const window = async (label: string, fn: () => Promise<unknown>) => {
      const before = read(file).length;
      await fn();
      harness.set(label, summarize(read(file).slice(before)));
    };
    try {
      await window("up --parallel 8", () => engine.up(program(false)));
      await window("no-op up", () => engine.up(program(false)));
      await window("preview (one content change)", () => engine.preview(program(true)));
      await window("refresh", () => engine.refresh());
      const state = engine.exportState();
      await engine.stop();
      engine = await Engine.start({ config, parallel: 8, parallelDiff: true, env, hostScript: RECORDER, state });
      await window("no-op up, PULUMI_PARALLEL_DIFF --parallel 8", () => engine.up(program(false)));
      await window("destroy", () => engine.destroy());
    } finally {
      await engine.stop();
    }
    expect(harness.get("up --parallel 8")!.calls.create).toBe(N);
  });

  test("per operation, the harness sends what the engine sends: the same calls, and Check/Diff as concurrent", () => {
    const lines: string[] = [];
    for (const m of ["read", "diff"]) {
      const r = real.get("refresh")!.inFlight[m] ?? 0;
      const h = harness.get("refresh")!.inFlight[m] ?? 0;
      if (r > 1 !== h > 1) differences.push(`refresh: ${m} in flight real ${r}, harness ${h}`);
    }
    for (const [label, r] of real) {
      const h = harness.get(label);
      lines.push(`${label}: real ${JSON.stringify(r.calls)} in flight ${JSON.stringify(r.inFlight)}${r.configure.length ? ` configure ${r.configure.join("; ")}` : ""}`);
      if (!h) {
        lines.push(`  harness: not modelled`);
        continue;
      }
      lines.push(`  harness ${JSON.stringify(h.calls)} in flight ${JSON.stringify(h.inFlight)}${h.configure.length ? ` configure ${h.configure.join("; ")}` : ""}`);
      if (JSON.stringify(modelled(r)) !== JSON.stringify(modelled(h))) differences.push(`${label}: resource calls real ${JSON.stringify(modelled(r))}, harness ${JSON.stringify(modelled(h))}`);
      for (const m of ["check", "diff"]) {
        if ((r.inFlight[m] ?? 0) > 1 !== (h.inFlight[m] ?? 0) > 1) differences.push(`${label}: ${m} in flight real ${r.inFlight[m]}, harness ${h.inFlight[m]}`);
      }
      for (const m of ["configure", "checkConfig", "diffConfig"]) {
        if ((r.calls[m] ?? 0) !== (h.calls[m] ?? 0)) differences.push(`${label}: ${m} real ${r.calls[m] ?? 0}, harness ${h.calls[m] ?? 0}`);
      }
    }
    process.stdout.write(`recorded provider calls:\n  ${lines.join("\n  ")}\ndifferences:\n  ${differences.join("\n  ") || "none"}\n`);
    expect(differences.filter((d) => !/configure|checkConfig|diffConfig/.test(d))).toEqual([]);
  });
});
