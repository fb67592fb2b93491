/**
 * Tencent through Pulumi's own CLI, on both paths: the plugin (a YAML program naming plugin/, the engine
 * starting it through the Node.js language host's RunPlugin) and the Node.js SDK (examples/tencent and
 * test/e2e/node-program.ts as Automation API inline programs, the resources in pulumi-resource-pulumi-nodejs).
 * One emulator and one local backend for the file.
 */
import fs from "node:fs";
import path from "node:path";
import { Emulator } from "../../emulator/server";
import { toSubmitRequest } from "../../provider/clouds/tencent/backend";
import { normalizeInputs } from "../../provider/resources/normalize";
import type { ApplicationInputs } from "../../provider/resources/types";
import { descendants, Workspace } from "./cli";
import { exampleArgs, exampleProgram, exampleProject, yamlProgram } from "./programs";
import { E2eStack, providerConfig, TYPE, type PathKind } from "./stack";

let emulator: Emulator;
let ws: Workspace;
beforeAll(async () => {
  emulator = await new Emulator().start();
  ws = new Workspace("certapply-e2e-tencent-");
});
afterAll(async () => {
  await emulator.stop();
  ws.dispose();
});

/** The Tencent writes the emulator served since the last call, in order (reads left out). */
function writes(): string[] {
  const out = emulator.actions("tencent").filter((a) => !a.startsWith("Describe"));
  emulator.clearLog();
  return out;
}

/** Canaries in every secret input: none may appear in plain text in the state. */
const CANARY = { email: "canary-admin-7f3a@example.com", phone: "13900007777", keyPass: "canary-keypass-5e1b" };

function args(id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const base = exampleArgs("tencent", id);
  return {
    ...base,
    admin: { ...(base.admin as object), email: CANARY.email, phone: CANARY.phone },
    tencent: { keyPass: CANARY.keyPass },
    ...over,
  };
}

/** The lines of CLI output on the row of resource `name` (the progress display and the diagnostics). */
function rowLines(out: string, name: string): string[] {
  return out.split("\n").filter((l) => l.includes(` ${name} `) || l.includes(`(${name})`));
}

describe.each<PathKind>(["plugin", "node"])("tencent lifecycle through the real CLI, %s path", (kind) => {
  let stack: E2eStack;
  let id: string;
  let current: Record<string, unknown>;
  const name = "www";
  beforeAll(async () => {
    stack = await E2eStack.create(ws, kind, `tencent-${kind}`, providerConfig(emulator));
    id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
    emulator.clearLog();
  });

  test("up creates: the materials, then the order", async () => {
    await stack.declare([{ name, properties: args(id) }]);
    const res = await stack.op("up");
    expect(res.stdout).toMatch(/\+ 2 created/);
    expect(writes()).toEqual(["CertificateInfoSubmit", "CertificateOrderSubmit"]);
    const www = await stack.project.resource(name);
    expect(www?.id).toBe(id);
    expect(www?.outputs?.status).toBe("under-review");
  });

  test("a second up with nothing changed changes nothing", async () => {
    const res = await stack.op("up", ["--expect-no-changes"]);
    expect(res.stdout).not.toMatch(/updated|created|replaced/);
    expect(writes()).toEqual([]);
  });

  test("preview --diff after a content change shows the provider's reason on the resource; up applies it", async () => {
    current = args(id, { tech: { firstName: "Mei", lastName: "Li", email: "mei@example.com", phone: "13112349999", title: "CISO" } });
    await stack.declare([{ name, properties: current }]);
    const diff = await stack.op("preview", ["--diff"]);
    expect(diff.stdout).toContain(`~ ${stack.type}: (update)`);
    expect(diff.stdout).toContain(`[urn=${stack.urn(name)}]`);
    // Observed: the --diff display prints no diagnostics, so the provider's reason shows in a plain preview only.
    const pre = await stack.op("preview");
    expect(writes()).toEqual([]);
    await stack.op("up");
    expect(writes()).toEqual(["CancelAuditCertificate", "ModifyCertificateResubmit", "CertificateInfoSubmit", "CertificateOrderSubmit"]);
    expect(rowLines(pre.stdout, name).join("\n")).toMatch(/plan: content: tech\.email.*changed while under-review.*CancelAuditCertificate/);
  });

  test("a rejection made outside Pulumi shows in refresh and in the next preview; up resubmits", async () => {
    await emulator.tencent.control("reject", { certificateId: id, reason: "organisation not verified" });
    const ref = await stack.op("refresh");
    expect(ref.stdout).toMatch(/~ .*www.*(updated|refresh)|1 updated/);
    expect((await stack.project.resource(name))?.outputs?.status).toBe("failed");
    const pre = await stack.op("preview");
    await stack.op("up");
    expect(writes()).toEqual(["ModifyCertificateResubmit", "CertificateInfoSubmit", "CertificateOrderSubmit"]);
    expect(rowLines(pre.stdout, name).join("\n")).toMatch(/plan: resubmit/);
  });

  test("up --replace withdraws the old application before it submits the new one", async () => {
    // The Node.js SDK sets deleteBeforeReplace itself; a program through the plugin sets the option (README).
    if (kind === "plugin") await stack.declare([{ name, properties: current, options: { deleteBeforeReplace: true } }]);
    const res = await stack.op("up", ["--replace", stack.urn(name)]);
    expect(res.stdout).toMatch(/replaced/);
    const w = writes();
    expect(w[0]).toBe("CancelAuditCertificate");
    expect(w.filter((a) => a === "CertificateOrderSubmit")).toHaveLength(1);
    expect(w.indexOf("CancelAuditCertificate")).toBeLessThan(w.indexOf("CertificateOrderSubmit"));
  });

  test("stack export holds no plain canary of a secret input or credential", async () => {
    const text = await stack.project.exportText();
    for (const c of [...Object.values(CANARY), emulator.credentials.tencent.secretKey]) expect(text).not.toContain(c);
  });

  test("destroy withdraws the application under review", async () => {
    await stack.op("destroy");
    expect(writes()).toEqual(["CancelAuditCertificate"]);
    expect([6, 7]).toContain(emulator.tencent.state(id)?.status);
  });
});

describe("tencent up --replace through the plugin without deleteBeforeReplace (observed)", () => {
  test("the engine creates the replacement before it deletes the original", async () => {
    const stack = await E2eStack.create(ws, "plugin", "tencent-replace-cbd", providerConfig(emulator));
    const id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
    await stack.declare([{ name: "www", properties: args(id) }]);
    await stack.op("up");
    emulator.clearLog();
    const res = await stack.op("up", ["--replace", stack.urn("www")], { allowFailure: true });
    const steps = res.stdout.split("\n").filter((l) => /creating replacement|deleting original/.test(l));
    observed.push(`--replace without deleteBeforeReplace (plugin): exit ${res.code}; first step: ${steps[0]?.trim()}; writes ${writes().join(", ") || "none"}; status now ${emulator.tencent.state(id)?.status}`);
    expect(steps[0]).toMatch(/creating replacement/);
  });
});

describe("tencent issued certificate, private key and destroy", () => {
  test.each<PathKind>(["plugin", "node"])("%s path: privateKey is a secret output, never plain in the state; destroy leaves the issued certificate", async (kind) => {
    const stack = await E2eStack.create(ws, kind, `tencent-issued-${kind}`, providerConfig(emulator));
    const id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
    await stack.declare([{ name: "cert", properties: args(id) }]);
    await stack.op("up");
    await emulator.tencent.control("issue", { certificateId: id });
    await stack.op("refresh");
    // Stack outputs come from the program: an up after the refresh carries the new outputs into them.
    await stack.op("up");
    const issued = await emulator.tencent.certificate(id);
    const key = issued!.privateKeyPem!;
    const body = key.split("\n")[1];
    const text = await stack.project.exportText();
    expect(text).not.toContain(body);
    const outs = await stack.project.outputs(true);
    const shown = outs.privateKey ?? outs["cert.privateKey"];
    expect(shown).toBe(key);
    const hidden = await stack.project.outputs(false);
    expect(JSON.stringify(hidden)).not.toContain(body);
    emulator.clearLog();
    const down = await stack.op("destroy");
    expect(writes()).toEqual([]);
    expect(rowLines(down.stdout, "cert").join("\n")).toMatch(/warning/i);
    expect(emulator.tencent.state(id)?.status).toBe(1);
  });
});

describe("tencent examples/tencent program through the Automation API", () => {
  test("up creates www from the example, a commonName change is previewed with the reason and applied, destroy withdraws", async () => {
    const stack = await E2eStack.create(ws, "node", exampleProject("tencent"), providerConfig(emulator));
    stack.useProgram(exampleProgram("tencent"));
    const id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
    await stack.project.config({ [`${exampleProject("tencent")}:certificateId`]: id });
    emulator.clearLog();
    await stack.op("up");
    expect(writes()).toEqual(["CertificateInfoSubmit", "CertificateOrderSubmit"]);
    expect((await stack.project.outputs()).applicationId).toBe(id);
    await stack.project.config({ [`${exampleProject("tencent")}:commonName`]: "www.example.org" });
    const pre = await stack.op("preview");
    expect(pre.stdout).toMatch(/plan: content: commonName, dnsNames.*CancelAuditCertificate/);
    await stack.op("up");
    expect(writes()).toEqual(["CancelAuditCertificate", "ModifyCertificateResubmit", "CertificateInfoSubmit", "CertificateOrderSubmit"]);
    await stack.op("destroy");
    expect(writes()).toEqual(["CancelAuditCertificate"]);
  });
});

describe("tencent faults in the middle of pulumi up", () => {
  test.each<PathKind>(["plugin", "node"])("%s path: the order's reply lost, then the next up finishes with one paid order", async (kind) => {
    const stack = await E2eStack.create(ws, kind, `tencent-fault-${kind}`, providerConfig(emulator, { "certapply:maxRetries": "0" }));
    const id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
    await stack.declare([{ name: "www", properties: args(id) }]);
    emulator.injectFault({ cloud: "tencent", action: "CertificateOrderSubmit", kind: "commit-then-drop", count: 1 });
    const first = await stack.op("up", [], { allowFailure: true });
    emulator.clearFaults();
    await stack.op("up");
    const sent = emulator.actions("tencent").filter((a) => a === "CertificateOrderSubmit");
    emulator.clearLog();
    expect(sent.length).toBeLessThanOrEqual(first.code === 0 ? 1 : 2);
    expect(emulator.tencent.state(id)?.status).toBe(0);
    expect((await stack.project.resource("www"))?.outputs?.orderId).toBe(emulator.tencent.state(id)?.orderId);
  });

  test.each<PathKind>(["plugin", "node"])("%s path: the provider process killed while it waits; the next up orders nothing again", async (kind) => {
    const stack = await E2eStack.create(ws, kind, `tencent-kill-${kind}`, providerConfig(emulator));
    const id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
    await stack.declare([{ name: "www", properties: args(id, { waitFor: "issued", waitTimeoutSeconds: 120 }) }]);
    emulator.clearLog();
    let killed = "";
    const up = stack.op("up", [], {
      allowFailure: true,
      onStart: (pid) => {
        const timer = setInterval(() => {
          if (!emulator.actions("tencent").includes("CertificateOrderSubmit")) return;
          // Every provider process: the YAML host starts one of its own to read the schema.
          const providers = descendants(pid).filter((p) => /run-plugin|dynamic-provider/.test(p.cmd));
          if (providers.length === 0) return;
          clearInterval(timer);
          killed = providers.map((p) => p.cmd).join("\n");
          for (const p of providers) process.kill(p.pid, "SIGKILL");
        }, 100);
        setTimeout(() => clearInterval(timer), 60000);
      },
    });
    const first = await up;
    expect(killed).not.toBe("");
    expect(first.code).not.toBe(0);
    await stack.declare([{ name: "www", properties: args(id) }]);
    await stack.op("up", [], { allowFailure: true });
    const again = await stack.op("up");
    expect(again.code).toBe(0);
    expect(emulator.actions("tencent").filter((a) => a === "CertificateOrderSubmit")).toHaveLength(1);
    expect(emulator.tencent.state(id)?.status).toBe(0);
    emulator.clearLog();
  });
});

/** An application submitted outside Pulumi (the console), with the example's content. */
async function submittedOutside(): Promise<{ id: string; declared: Record<string, unknown> }> {
  const id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
  const declared = { ...exampleArgs("tencent", id), dnsNames: ["example.com"] };
  await emulator.tencent.submitOutside(id, { ...toSubmitRequest(id, normalizeInputs(declared as unknown as ApplicationInputs)) });
  emulator.clearLog();
  return { id, declared };
}

describe("tencent import and get", () => {
  test("plugin path: pulumi import writes the state and a program fragment; with the fragment as the program the next up is a no-op", async () => {
    const stack = await E2eStack.create(ws, "plugin", "tencent-import", providerConfig(emulator));
    const { id } = await submittedOutside();
    await stack.declare([]);
    const out = path.join(ws.base, "imported.yaml");
    const imp = await stack.project.pulumi(["import", TYPE.plugin, "imported", `tencent/${id}`, "--yes", "--non-interactive", "--protect=false", "--out", out]);
    expect(imp.stdout).toMatch(/\+ 1 imported|imported/);
    expect(writes()).toEqual([]);
    const state = await stack.project.resource("imported");
    expect(state?.id).toBe(id);
    expect(state?.outputs?.status).toBe("under-review");
    const fragment = fs.readFileSync(out, "utf8");
    // Observed: YAML's short form of the token, and the personal data as plain values of the program.
    expect(fragment).toMatch(/type: certapply:(index:)?CertificateApplication/);
    expect(fragment).toContain(id);
    observed.push(`pulumi import (plugin, YAML): the fragment names ${/type: (\S+)/.exec(fragment)?.[1]}; secret inputs are written plain: ${fragment.includes("admin@example.com")}`);
    // The fragment as the program (it starts with `resources:`), after the plugin line.
    stack.project.writeProgram(yamlProgram([], false).replace(/^resources: \{\}\n/m, "") + fragment);
    const up = await stack.op("up", ["--expect-no-changes"]);
    expect(up.stdout).not.toMatch(/updated|created|replaced/);
    expect(writes()).toEqual([]);
  });

  test("node path: CertificateApplication.get reads the live application", async () => {
    const stack = await E2eStack.create(ws, "node", "tencent-get", providerConfig(emulator));
    const { id } = await submittedOutside();
    await stack.declare([], [{ name: "got", id: `tencent/${id}` }]);
    await stack.op("up");
    expect(writes()).toEqual([]);
    const outs = await stack.project.outputs();
    expect(outs["got.applicationId"]).toBe(id);
    expect(outs["got.status"]).toBe("under-review");
  });

  test("node path: what pulumi import does with the Node.js dynamic resource (observed, README)", async () => {
    const stack = await E2eStack.create(ws, "node", "tencent-import-node", providerConfig(emulator));
    const { id } = await submittedOutside();
    const imp = await stack.project.pulumi(["import", TYPE.node, "imported", `tencent/${id}`, "--yes", "--non-interactive", "--generate-code=false"], { allowFailure: true });
    observed.push(`pulumi import ${TYPE.node}: exit ${imp.code}: ${(imp.stdout + imp.stderr).split("\n").filter((l) => /error|imported/i.test(l)).slice(0, 4).join(" | ")}`);
    expect(imp.code).not.toBe(0);
    expect(await stack.project.resource("imported")).toBeUndefined();
    expect(writes()).toEqual([]);
  });
});

describe("tencent customTimeouts", () => {
  test.each<PathKind>(["plugin", "node"])("%s path: the wait ends at the create deadline and the up fails; the next up finishes with the one order", async (kind) => {
    const stack = await E2eStack.create(ws, kind, `tencent-timeouts-${kind}`, providerConfig(emulator));
    const id = emulator.tencent.seed({ productType: "dv", domainCount: 2 }).certificateId;
    await stack.declare([{ name: "www", properties: args(id, { waitFor: "issued", waitTimeoutSeconds: 30 }), options: { customTimeouts: { create: "5s" } } }]);
    emulator.clearLog();
    const first = await stack.op("up", [], { allowFailure: true });
    observed.push(`customTimeouts create 5s, waitTimeoutSeconds 30, ${kind} path: up exit ${first.code} after ${first.ms} ms`);
    expect(first.ms).toBeLessThan(25000);
    expect(first.code).not.toBe(0);
    expect((await stack.project.resource("www"))?.id).toBe(id);
    await emulator.tencent.control("issue", { certificateId: id });
    await stack.op("up");
    expect(emulator.actions("tencent").filter((a) => a === "CertificateOrderSubmit")).toHaveLength(1);
    expect((await stack.project.resource("www"))?.outputs?.status).toBe("issued");
    emulator.clearLog();
  });
});

/** Behaviour of the real engine written down by the tests, printed at the end of the file. */
const observed: string[] = [];
afterAll(() => {
  if (observed.length > 0) process.stdout.write(`observed:\n  ${observed.join("\n  ")}\n`);
});
