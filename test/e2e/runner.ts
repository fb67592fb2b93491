/**
 * `node dist/test/e2e/runner.js '<json spec>'`: one `pulumi up | preview | refresh | destroy` of a Node.js
 * program through the Automation API (an inline program: the engine talks to a language runtime served in
 * this process, so no Node.js language host is needed), with the real CLI on PATH. The program is a compiled
 * module whose top level declares the resources (e.g. dist/examples/tencent/index.js); its exports become
 * the stack outputs. The CLI's output is printed as it comes; the process exits 1 when the operation fails.
 * No jest here.
 */
import * as automation from "@pulumi/pulumi/automation";

interface Spec {
  workDir: string;
  stack: string;
  project: string;
  program: string;
  op: "up" | "preview" | "refresh" | "destroy";
  /** CLI-style flags: --diff, --parallel N, --replace URN, --target URN, --expect-no-changes, --refresh. */
  flags: string[];
}

/** The flags the suite uses, as Automation API options. */
function options(flags: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const list = (key: string, v: string) => ((out[key] as string[] | undefined) ?? (out[key] = [])) && (out[key] as string[]).push(v);
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i];
    if (f === "--diff") out.diff = true;
    else if (f === "--expect-no-changes") out.expectNoChanges = true;
    else if (f === "--refresh") out.refresh = true;
    else if (f === "--parallel") out.parallel = Number(flags[++i]);
    else if (f === "--replace") list("replace", flags[++i]);
    else if (f === "--target") list("target", flags[++i]);
    else throw new Error(`runner: unknown flag ${f}`);
  }
  return out;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as Spec;
  const program = async () => {
    // The example's module: its top level registers the resources; its exports are the outputs.
    const mod = (await import(spec.program)) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(mod).filter(([k]) => k !== "default" && k !== "__esModule"));
  };
  const stack = await automation.LocalWorkspace.selectStack({ stackName: spec.stack, projectName: spec.project, program }, { workDir: spec.workDir });
  const opts = { ...options(spec.flags), onOutput: (s: string) => process.stdout.write(s), color: "never" as const };
  switch (spec.op) {
    case "up":
      await stack.up(opts);
      break;
    case "preview":
      await stack.preview(opts);
      break;
    case "refresh":
      await stack.refresh({ ...opts, skipPreview: true } as automation.RefreshOptions);
      break;
    case "destroy":
      await stack.destroy(opts);
      break;
  }
}

main().catch((err: unknown) => {
  const e = err as Error & { commandResult?: { stderr?: string } };
  process.stderr.write(`${e.commandResult?.stderr ?? ""}\n${e.message}\n`);
  process.exit(1);
});
