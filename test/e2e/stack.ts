/**
 * One stack of the end-to-end suite on either path, with the same verbs: `declare` the resources, then
 * `up`, `preview`, `refresh`, `destroy` through the real CLI. The plugin path is a YAML program naming
 * plugin/; the Node.js path runs test/e2e/node-program.ts (or an example program) through the Automation API.
 * No jest here.
 */
import type { Emulator } from "../../emulator/server";
import { SECRET_CONFIG_KEYS } from "../../emulator/server";
import { type CliResult, type Project, type RunOptions, Workspace } from "./cli";
import { APPLICATION, type YamlResource, yamlProgram } from "./programs";
import path from "node:path";
import { repoRoot } from "../harness/engine";

export type PathKind = "plugin" | "node";

/** The type token of a CertificateApplication on each path. */
export const TYPE: Record<PathKind, string> = {
  plugin: APPLICATION,
  node: "pulumi-nodejs:dynamic/certapply:CertificateApplication",
};

const NODE_PROGRAM = path.join(repoRoot(), "dist", "test", "e2e", "node-program.js");

/** Provider settings for the emulator: short polls and backoff, so the suite stays fast. */
export function providerConfig(emulator: Emulator, extra: Record<string, string> = {}): Record<string, string> {
  return { ...emulator.stackConfig(), "certapply:pollIntervalMs": "50", "certapply:retryBaseDelayMs": "10", ...extra };
}

export class E2eStack {
  private program = "";

  private constructor(
    readonly kind: PathKind,
    readonly project: Project,
  ) {}

  static async create(ws: Workspace, kind: PathKind, name: string, config: Record<string, string>): Promise<E2eStack> {
    const project = await ws.project(name, kind === "plugin" ? "yaml" : "nodejs");
    await project.config(config, SECRET_CONFIG_KEYS);
    return new E2eStack(kind, project);
  }

  get type(): string {
    return TYPE[this.kind];
  }

  urn(name: string): string {
    return this.project.urn(this.type, name);
  }

  /** The resources the next operation declares (`get` reads, Node.js path only). */
  async declare(resources: YamlResource[], get: { name: string; id: string }[] = []): Promise<void> {
    if (this.kind === "plugin") {
      if (get.length > 0) throw new Error("get() is a Node.js SDK call");
      this.project.writeProgram(yamlProgram(resources));
      return;
    }
    const spec = { declare: resources.map((r) => ({ name: r.name, args: r.properties, options: r.options })), get };
    this.program = NODE_PROGRAM;
    // Secret: the engine hands the whole stack config to the Node.js dynamic provider, whose state keeps plain values.
    await this.project.config({ "certapply-e2e:spec": JSON.stringify(spec) }, ["certapply-e2e:spec"]);
  }

  /** Runs the Node.js path with another compiled program (an example) from now on. */
  useProgram(file: string): void {
    this.program = file;
  }

  op(op: "up" | "preview" | "refresh" | "destroy", flags: string[] = [], opts: RunOptions = {}): Promise<CliResult> {
    return this.project.op(op, flags, { ...opts, program: this.program });
  }
}
