#!/usr/bin/env bash
# Builds the single executable for linux-x64 (Node's single-executable applications): esbuild
# bundles grader/cli/sea.ts and its dependencies into one CommonJS file, Node turns it into a
# preparation blob (with the exercises, schemas and package.json as assets), and postject injects
# the blob into a copy of the running `node` binary. Output: dist-sea/labgrade (about 100 MB: it is
# Node itself). The bundle's `require` answers only built-in modules: ssh2 tries its optional native
# parts (cpu-features, sshcrypto.node) and falls back to JavaScript when they are missing; without
# this, Node would print a warning on every run. Needs the devDependencies (esbuild, postject); run by .ci/run.
#   bash scripts/build-sea.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist-sea/labgrade}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "build-sea: only linux-x64 is built (this is $(uname -s)-$(uname -m))" >&2
  exit 2
fi

# Assets: every file labgrade opens by path at run time (keys are paths below the package root):
# package.json (version), the exercises and schemas, and the lab's image script (`lab up`).
mapfile -t assets < <(printf '%s\n' package.json grader/lab/image/build-image.sh grader/lab/image/build-debian.sh grader/lab/image/build-iputils.sh; find exercises -type f \( -name '*.yaml' -o -name '*.json' \) | LC_ALL=C sort)
assets_json=$(printf '%s\n' "${assets[@]}" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.stringify(s.trim().split("\n"))))')

npx --no-install esbuild grader/cli/sea.ts \
  --bundle --platform=node --target=node20 --format=cjs \
  --outfile="$work/labgrade.cjs" \
  --external:cpu-features --external:'*.node' \
  --define:import.meta.url=__labgrade_import_meta_url \
  --define:LABGRADE_SEA_ASSETS="$assets_json" \
  --banner:js='var require = ((r) => (id) => { if (r("node:module").isBuiltin(id)) return r(id); const e = new Error("Cannot find module " + id); e.code = "MODULE_NOT_FOUND"; throw e; })(require); const __labgrade_import_meta_url = require("node:url").pathToFileURL(__filename).href;' \
  --log-level=warning

node -e '
const [main, blob, ...assets] = process.argv.slice(1);
const cfg = { main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false, useSnapshot: false,
  assets: Object.fromEntries(assets.map((a) => [a, a])) };
require("node:fs").writeFileSync(process.argv[1].replace(/labgrade\.cjs$/, "sea-config.json"), JSON.stringify(cfg, null, 2));
' "$work/labgrade.cjs" "$work/sea.blob" "${assets[@]}"
node --experimental-sea-config "$work/sea-config.json" >"$work/blob.log" 2>&1 || { cat "$work/blob.log" >&2; exit 1; }

mkdir -p "$(dirname "$out")"
cp "$(command -v node)" "$work/labgrade"
chmod u+w "$work/labgrade"
# (postject's ELF library warns about unnamed note sections; print its output only when it fails)
if ! npx --no-install postject "$work/labgrade" NODE_SEA_BLOB "$work/sea.blob" \
  --sentinel-fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2 >"$work/postject.log" 2>&1; then
  cat "$work/postject.log" >&2
  exit 1
fi
mv "$work/labgrade" "$out"
echo "build-sea: wrote $out ($(du -h "$out" | cut -f1))"
