/**
 * The plugin directory (plugin/) started the way Pulumi starts a Node.js source plugin: the real CLI asks
 * the Node.js language host to RunPlugin, which runs `node @pulumi/pulumi/cmd/run-plugin <plugin dir>
 * <engine>`; run-plugin requires the directory, so what serves is plugin/package.json's `main`.
 */
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../harness/engine";
import { Workspace } from "./cli";

let ws: Workspace;
beforeAll(() => {
  ws = new Workspace();
});
afterAll(() => ws.dispose());

const version = (JSON.parse(fs.readFileSync(path.join(repoRoot(), "package.json"), "utf8")) as { version: string }).version;

test("pulumi package get-schema <checkout>/plugin starts the plugin and reads its schema", async () => {
  const res = await ws.pulumi(["package", "get-schema", path.join(repoRoot(), "plugin")], { cwd: ws.base });
  const schema = JSON.parse(res.stdout) as { name: string; version: string; resources: Record<string, unknown> };
  expect(schema.name).toBe("certapply");
  expect(schema.version).toBe(version);
  expect(Object.keys(schema.resources).sort()).toEqual(["certapply:index:CertificateApplication", "certapply:index:ConfirmLetter"]);
});

test("the package root is not a plugin directory: require(\"certapply\") stays the Node.js SDK", async () => {
  expect(fs.existsSync(path.join(repoRoot(), "PulumiPlugin.yaml"))).toBe(false);
  const res = await ws.pulumi(["package", "get-schema", repoRoot()], { cwd: ws.base, allowFailure: true });
  expect(res.code).not.toBe(0);
  const sdk = require(path.join(repoRoot(), "dist", "sdk", "index.js")) as Record<string, unknown>;
  expect(typeof sdk.CertificateApplication).toBe("function");
});
