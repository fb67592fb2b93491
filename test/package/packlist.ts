/**
 * What the published tarball may hold, and the checks of a packed file list against the files on disk.
 * Used by test/package/tarball.test.ts (the list `npm pack` would pack now) and by the pack check (the
 * real tarball). No jest here.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";

/** Paths a user runs or reads; everything else in a tarball is a defect. */
const ALLOWED: readonly RegExp[] = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^plugin\/(package\.json|index\.js|PulumiPlugin\.yaml)$/,
  /^dist\/(provider|sdk|emulator)\/[\w/.-]+\.(js|d\.ts|js\.map|json)$/,
];

/** Test or bench material, wherever it sits. */
const TEST_LIKE = /(^|\/)(test|tests|__tests__|bench|examples)\/|\.(test|spec)\.(js|ts|d\.ts|js\.map)$/;

interface Manifest {
  name: string;
  main?: string;
  types?: string;
  bin?: Record<string, string>;
  exports?: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** The files `npm pack` would put in the tarball now (no build: run it after `npm run build`). */
export function packedFiles(root: string): string[] {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const parsed = JSON.parse(out) as { files: { path: string }[] }[];
  return parsed[0].files.map((f) => f.path).sort();
}

/** Every module specifier a compiled file loads: `require("x")` in .js, `from "x"` / `import("x")` in .d.ts. */
function specifiers(text: string, file: string): string[] {
  const re = file.endsWith(".d.ts") ? /(?:from\s+|import\()\s*"([^"]+)"/g : /\brequire\("([^"]+)"\)/g;
  return [...text.matchAll(re)].map((m) => m[1]);
}

/** The packed file a relative specifier of `from` loads, if any. */
function resolvePacked(from: string, spec: string, packed: Set<string>): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  const candidates = from.endsWith(".d.ts")
    ? [`${base}.d.ts`, `${base}/index.d.ts`, base]
    : [base, `${base}.js`, `${base}/index.js`, `${base}.json`];
  return candidates.find((c) => packed.has(c));
}

/**
 * What is wrong with a packed file list, one line per problem (empty: nothing). `root` holds the files
 * (the repository, or an unpacked tarball with its sources beside it for the map check).
 */
export function problems(root: string, files: readonly string[]): string[] {
  const found: string[] = [];
  const packed = new Set(files);
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as Manifest;
  const allowedBare = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...builtinModules,
  ]);
  for (const f of files) {
    if (!ALLOWED.some((re) => re.test(f))) found.push(`${f}: not something a user runs`);
    if (TEST_LIKE.test(f)) found.push(`${f}: test, bench or example material`);
  }
  for (const f of files.filter((f) => f.startsWith("dist/") || /^plugin\/.*\.js$/.test(f))) {
    const text = fs.readFileSync(path.join(root, f), "utf8");
    const source = f.replace(/^dist\//, "").replace(/(\.d\.ts|\.js\.map|\.js)$/, ".ts");
    if (f.startsWith("dist/") && !fs.existsSync(path.join(root, source))) found.push(`${f}: no source ${source} (stale build output: npm run clean, then build)`);
    if (f.endsWith(".json")) continue;
    if (f.endsWith(".map")) {
      const map = JSON.parse(text) as { sources: string[]; sourcesContent?: (string | null)[] };
      const complete = map.sources.length > 0 && map.sources.every((_, i) => typeof map.sourcesContent?.[i] === "string");
      if (!complete) found.push(`${f}: source map without its sources (set inlineSources)`);
      continue;
    }
    for (const spec of new Set(specifiers(text, f))) {
      if (spec.startsWith(".")) {
        if (!resolvePacked(f, spec, packed)) found.push(`${f}: loads ${spec}, which is not packed`);
        continue;
      }
      const bare = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
      if (!allowedBare.has(bare) && !spec.startsWith("node:")) {
        found.push(`${f}: loads ${spec}, which is neither a dependency nor a peer dependency`);
      }
    }
  }
  const entries = [
    manifest.main,
    manifest.types,
    ...Object.values(manifest.bin ?? {}),
    ...Object.values(manifest.exports ?? {}).flatMap((e) => (typeof e === "string" ? [e] : Object.values(e))),
    pluginMain(root),
    ...(fs.existsSync(path.join(root, PLUGIN_DIR)) ? [`${PLUGIN_DIR}/PulumiPlugin.yaml`] : []),
  ];
  for (const e of entries) {
    const p = e?.replace(/^\.\//, "");
    if (p && !packed.has(p)) found.push(`${p}: named in package.json or PulumiPlugin.yaml but not packed`);
  }
  return found;
}

/** The directory `pulumi package add` takes: it holds PulumiPlugin.yaml and a package.json whose `main` serves. */
export const PLUGIN_DIR = "plugin";

/**
 * The file Pulumi runs for the plugin, relative to `root`: the `main` of plugin/package.json (Pulumi's
 * Node.js language host requires the plugin directory, so Node resolves it through that `main`).
 */
export function pluginMain(root: string): string | undefined {
  const file = path.join(root, PLUGIN_DIR, "package.json");
  if (!fs.existsSync(file)) return undefined;
  const main = (JSON.parse(fs.readFileSync(file, "utf8")) as { main?: string }).main ?? "index.js";
  return path.posix.join(PLUGIN_DIR, main);
}
