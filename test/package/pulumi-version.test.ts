/**
 * The engine-level tests run against one @pulumi/pulumi: the version this test process loads is the one the
 * dynamic-provider host runs and the one the provider code resolves. CERTAPPLY_EXPECT_PULUMI_VERSION names
 * it when `npm run check:pulumi-versions` switches versions; otherwise it is the lockfile's pin.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { repoRoot } from "../harness/engine";
import { ProviderHost } from "../harness/host";
import { lockedVersion } from "./tools";

const root = repoRoot();
const expected = process.env.CERTAPPLY_EXPECT_PULUMI_VERSION || lockedVersion(root, "@pulumi/pulumi");

test(`the test process, the dynamic-provider host and the provider code all load @pulumi/pulumi ${expected}`, async () => {
  expect((require("@pulumi/pulumi/package.json") as { version: string }).version).toBe(expected);
  const fromProvider = execFileSync(
    process.execPath,
    ["-p", "require(require.resolve('@pulumi/pulumi/package.json', { paths: [process.argv[1]] })).version", path.join(root, "dist", "provider")],
    { encoding: "utf8" },
  ).trim();
  expect(fromProvider).toBe(expected);
  const host = await ProviderHost.start({ cwd: root, project: "pulumi-version" });
  try {
    expect(await host.getPluginInfo()).toBe(expected);
  } finally {
    await host.stop();
  }
});
