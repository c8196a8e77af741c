#!/usr/bin/env sh
# Copies the browser builds of the page's npm packages into wwwroot/lib, so the service runs with no network
# and no front-end build step. Versions are pinned in package.json / package-lock.json.
#
#   cd src/Api && npm ci && npm run vendor     (or: sh scripts/vendor.sh, which runs npm ci itself)
#
# Commit the result (wwwroot/lib); node_modules stays untracked.
set -eu
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund

lib=wwwroot/lib
rm -rf "$lib"
mkdir -p "$lib/signalr" "$lib/signalr-protocol-msgpack" "$lib/uplot" "$lib/dagre" "$lib/axe-core"

cp node_modules/@microsoft/signalr/dist/browser/signalr.min.js "$lib/signalr/"
# The MessagePack hub protocol's browser build bundles @msgpack/msgpack (its only outside reference is the signalR
# global), so that package needs no script of its own; its ISC licence asks for its notice beside the copy.
cp node_modules/@microsoft/signalr-protocol-msgpack/dist/browser/signalr-protocol-msgpack.min.js "$lib/signalr-protocol-msgpack/"
cp node_modules/@msgpack/msgpack/LICENSE "$lib/signalr-protocol-msgpack/LICENSE.msgpack"
cp node_modules/uplot/dist/uPlot.iife.min.js node_modules/uplot/dist/uPlot.min.css "$lib/uplot/"
cp node_modules/@dagrejs/dagre/dist/dagre.min.js node_modules/@dagrejs/dagre/LICENSE "$lib/dagre/"
cp node_modules/uplot/LICENSE "$lib/uplot/"
# axe-core is not loaded by the page: the browser tests inject it to check accessibility (MPL-2.0, licence beside it).
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE "$lib/axe-core/"
# NOTE: @microsoft/signalr and @microsoft/signalr-protocol-msgpack ship no LICENSE file in their packages; both are
# MIT (package.json "license").

# Record exactly what was copied, so a reviewer can check lib/ against the lock file.
node -e '
  const lock = require("./package-lock.json").packages;
  for (const name of ["@microsoft/signalr", "@microsoft/signalr-protocol-msgpack", "@msgpack/msgpack", "uplot", "@dagrejs/dagre", "axe-core"])
    console.log(name + "@" + lock["node_modules/" + name].version + " " + lock["node_modules/" + name].integrity);
' > "$lib/VERSIONS.txt"
echo "vendored into $lib:"; cat "$lib/VERSIONS.txt"
