/**
 * Edgecast and Huawei through Pulumi's own CLI, on both paths (the plugin through a YAML program, the Node.js
 * SDK through the Automation API): up creates, a no-op up, a change made outside Pulumi shows in refresh and
 * in the next preview with the provider's reason, up applies it, the state holds no plain canary, destroy
 * withdraws what is pending. One emulator and one local backend for the file.
 */
import { Emulator } from "../../emulator/server";
import { Workspace } from "./cli";
import { exampleArgs, exampleProgram, exampleProject } from "./programs";
import { E2eStack, providerConfig, type PathKind } from "./stack";

let emulator: Emulator;
let ws: Workspace;
beforeAll(async () => {
  emulator = await new Emulator().start();
  ws = new Workspace("certapply-e2e-clouds-");
});
afterAll(async () => {
  await emulator.stop();
  ws.dispose();
});

const CANARY = { email: "canary-contact-91c2@example.com", notify: "canary-notify-3d8e@example.com" };

/** Writes the emulator served for a cloud since the last call (reads, tokens and owner tags left out). */
function writes(cloud: "edgecast" | "huawei"): string[] {
  const skip = /^(GET |POST \/connect\/token|ShowCertificate|ListCertificates|ListTagsByCertificate|CreateCertificateTag|ExportCertificate)/;
  const out = emulator.actions(cloud).filter((a) => !skip.test(a));
  emulator.clearLog();
  return out;
}

function rowLines(out: string, name: string): string[] {
  return out.split("\n").filter((l) => l.includes(` ${name} `) || l.includes(`(${name})`));
}

describe.each<PathKind>(["plugin", "node"])("edgecast through the real CLI, %s path", (kind) => {
  let stack: E2eStack;
  let id = "";
  const props = () => {
    const base = exampleArgs("edgecast", "");
    return {
      ...base,
      waitFor: "submitted",
      edgecast: { ...(base.edgecast as object), notifications: [{ notificationType: "CertificateExpiring", enabled: true, emails: [CANARY.notify] }] },
      admin: { firstName: "Ada", lastName: "Lovelace", email: CANARY.email, phone: "+44 20 7946 0000" },
    };
  };
  beforeAll(async () => {
    stack = await E2eStack.create(ws, kind, `edgecast-${kind}`, providerConfig(emulator));
    await stack.declare([{ name: "www", properties: props() }]);
    emulator.clearLog();
  });

  test("up creates the request and sets its notifications; a second up changes nothing", async () => {
    await stack.op("up");
    expect(writes("edgecast")).toEqual(["POST /v2.0/certificates/cdnprovided", "PATCH /v2.0/certificates/{id}/notifications"]);
    id = (await stack.project.resource("www"))!.id!;
    expect(id).toMatch(/^\d+$/);
    await stack.op("up", ["--expect-no-changes"]);
    expect(writes("edgecast")).toEqual([]);
  });

  test("a domain timed out outside Pulumi: refresh shows it, preview gives the reason, up retriggers", async () => {
    await emulator.edgecast.control("advance", { id: Number(id) });
    await emulator.edgecast.control("timeout", { id: Number(id), domain: "example.com" });
    await stack.op("refresh");
    expect((await stack.project.resource("www"))?.outputs?.status).toBe("timed-out");
    const pre = await stack.op("preview");
    await stack.op("up");
    expect(writes("edgecast")).toEqual(["PUT /v2.0/certificates/{id}/retrigger"]);
    expect(rowLines(pre.stdout, "www").join("\n")).toMatch(/plan: resubmit: .*timed out for example.com.*retrigger/);
  });

  test("stack export holds no plain canary of a secret input or credential", async () => {
    const text = await stack.project.exportText();
    for (const c of [...Object.values(CANARY), emulator.credentials.edgecast.clientSecret]) expect(text).not.toContain(c);
  });

  test("destroy cancels the pending request", async () => {
    await stack.op("destroy");
    expect(writes("edgecast")).toEqual(["PUT /v2.0/certificates/{id}/cancel"]);
  });
});

async function huaweiSeed(): Promise<string> {
  const r = await emulator.huawei.control("seed", {});
  return String((r.body as { certificateId: string }).certificateId);
}

describe.each<PathKind>(["plugin", "node"])("huawei through the real CLI, %s path", (kind) => {
  let stack: E2eStack;
  let id: string;
  const props = () => {
    const base = exampleArgs("huawei", id);
    return { ...base, waitFor: "submitted", admin: { ...(base.admin as object), email: CANARY.email } };
  };
  beforeAll(async () => {
    stack = await E2eStack.create(ws, kind, `huawei-${kind}`, providerConfig(emulator));
    id = await huaweiSeed();
    await stack.declare([{ name: "www", properties: props() }]);
    emulator.clearLog();
  });

  test("up applies for the purchased certificate; a second up changes nothing", async () => {
    await stack.op("up");
    expect(writes("huawei")).toEqual(["ApplyCertificate"]);
    expect((await stack.project.resource("www"))?.id).toBe(id);
    await stack.op("up", ["--expect-no-changes"]);
    expect(writes("huawei")).toEqual([]);
  });

  test("rejected outside Pulumi: refresh shows it, preview gives the reason, up applies again", async () => {
    await emulator.huawei.control("reject", { id, reason: "DNS record not found" });
    await stack.op("refresh");
    expect((await stack.project.resource("www"))?.outputs?.status).toBe("failed");
    const pre = await stack.op("preview");
    await stack.op("up");
    expect(writes("huawei")).toEqual(["ApplyCertificate"]);
    expect(rowLines(pre.stdout, "www").join("\n")).toMatch(/plan: resubmit: the CA outcome is failed/);
  });

  test("stack export holds no plain canary of a secret input or credential", async () => {
    const text = await stack.project.exportText();
    for (const c of [CANARY.email, emulator.credentials.huawei.secretKey]) expect(text).not.toContain(c);
  });

  test("destroy withdraws the application", async () => {
    await stack.op("destroy");
    expect(writes("huawei")).toEqual(["CancelCertificateRequest"]);
  });
});

describe.each(["edgecast", "huawei"] as const)("examples/%s through the Automation API", (cloud) => {
  test("up creates www, destroy withdraws it", async () => {
    const stack = await E2eStack.create(ws, "node", exampleProject(cloud), providerConfig(emulator));
    stack.useProgram(exampleProgram(cloud));
    if (cloud === "huawei") await stack.project.config({ [`${exampleProject(cloud)}:certificateId`]: await huaweiSeed() });
    emulator.clearLog();
    // The examples wait for the validation records: Huawei has them once applied; an Edgecast request has them
    // once it leaves Processing, which the emulator does when told.
    const advanced = new Set<string>();
    const timer = setInterval(() => {
      if (cloud !== "edgecast") return;
      for (const e of emulator.log.filter((l) => l.cloud === cloud)) {
        const reqId = e.created ?? e.target ?? "";
        if (!/^\d+$/.test(reqId) || advanced.has(reqId)) continue;
        advanced.add(reqId);
        void emulator.edgecast.control("advance", { id: Number(reqId) });
      }
    }, 300);
    try {
      await stack.op("up");
    } finally {
      clearInterval(timer);
    }
    const outs = await stack.project.outputs();
    expect(outs.applicationId).toBeTruthy();
    await stack.op("destroy");
    expect(writes(cloud).length).toBeGreaterThan(0);
  });
});
