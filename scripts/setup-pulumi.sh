#!/usr/bin/env bash
# npm run setup:pulumi — builds Pulumi's CLI and the language hosts the end-to-end tests use, from the Go
# modules pinned in tools/, into one gitignored directory (default .pulumi-cli/, or $CERTAPPLY_PULUMI_DIR).
# Go's module and build caches are reused, so a second run only relinks. The last line printed is that
# directory: put it first on PATH to use this `pulumi`. Users of certapply need none of this.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${CERTAPPLY_PULUMI_DIR:-$root/.pulumi-cli}
say() { printf 'setup:pulumi: %s\n' "$*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  say "Go is not installed or not on PATH. Building Pulumi's CLI needs Go (1.26 or later, see tools/pulumi/go.mod)"
  say "and the Go module proxy (GOPROXY, default https://proxy.golang.org). Install Go, then run npm run setup:pulumi again."
  exit 1
fi
if ! command -v node >/dev/null 2>&1; then
  say "node is not on PATH: the plugin scripts written here run Node.js"
  exit 1
fi

mkdir -p "$out"
start=$(date +%s)
cli_version=$(sed -n 's|^\t*github.com/pulumi/pulumi/pkg/v3 \(v[0-9.]*\).*|\1|p' "$root/tools/pulumi/go.mod" | head -1)
yaml_version=$(sed -n 's|^\t*github.com/pulumi/pulumi-yaml \(v[0-9.]*\).*|\1|p' "$root/tools/pulumi-yaml/go.mod" | head -1)

build() { # <module dir> <output> <package> [ldflags]
  say "building $2 from $3 ($(basename "$1")/go.mod)"
  if ! (cd "$1" && go build -ldflags "${4:-}" -o "$out/$2" "$3"); then
    say "building $2 failed; is the Go module proxy reachable (go env GOPROXY: $(go env GOPROXY))?"
    exit 1
  fi
}

build "$root/tools/pulumi" pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
  "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$cli_version"
build "$root/tools/pulumi" pulumi-language-nodejs ./cmd/pulumi-language-nodejs
build "$root/tools/pulumi-yaml" pulumi-language-yaml github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml \
  "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=$yaml_version"

# Node.js dynamic providers: the engine starts `pulumi-resource-pulumi-nodejs` from PATH in the program's
# directory; it runs the dynamic-provider host of the @pulumi/pulumi installed there.
cat > "$out/pulumi-resource-pulumi-nodejs" <<'SH'
#!/bin/sh
# Written by certapply's npm run setup:pulumi: Pulumi's Node.js dynamic-provider host, from the working directory.
host=$(node -e 'process.stdout.write(require.resolve("@pulumi/pulumi/cmd/dynamic-provider"))') || {
  echo "pulumi-resource-pulumi-nodejs: @pulumi/pulumi is not installed in $(pwd) or above" >&2
  exit 1
}
exec node "$host" "$@"
SH
chmod +x "$out/pulumi-resource-pulumi-nodejs"

say "the proxy does not serve Pulumi's Node.js, Python or Go language hosts (nested modules of"
say "github.com/pulumi/pulumi without tags): Node.js programs run through the Automation API, and"
say "pulumi-language-nodejs here is certapply's stand-in that only starts Node.js plugins (RunPlugin)."
say "built in $(( $(date +%s) - start )) s: $("$out/pulumi" version) ($cli_version), pulumi-language-yaml $yaml_version"
echo "$out"
