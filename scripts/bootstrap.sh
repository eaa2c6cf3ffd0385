#!/usr/bin/env bash
# One entry for `npm start`, `npm run serve`, `npm test` and `npm run dist` on a fresh machine:
# it installs what is missing (Node 22 when the system's is older, npm dependencies, and for tests Debian's
# chromium/ffmpeg/xvfb), does nothing of that on later runs, builds, and then runs the command.
set -euo pipefail
mode="${1:?usage: bootstrap.sh start|serve|test|bench|dist|dist-prepare [args...]}"
shift
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf '[vc2] %s\n' "$*" >&2; }

node_ok() {
  command -v node >/dev/null 2>&1 && node -e '
    const [maj, min] = process.versions.node.split(".").map(Number);
    process.exit(maj > 22 || (maj === 22 && min >= 12) ? 0 : 1);'
}

# Electron 45 and its tooling need Node >= 22.12; the npm registry ships Node itself as a package.
tools_node="$root/.tools/node_modules/node"
if [ -x "$tools_node/bin/node" ]; then
  export PATH="$tools_node/bin:$PATH"
elif ! node_ok; then
  say "Node $(node --version 2>/dev/null || echo 'not found') is older than 22.12: installing Node 22 into .tools/ (once)"
  npm install --prefix "$root/.tools" --no-save --no-audit --no-fund node@22 >&2
  export PATH="$tools_node/bin:$PATH"
fi
node_ok || { say "could not get Node >= 22.12"; exit 1; }
# Native modules (better-sqlite3) must build against the headers of the Node that will load them — whichever Node is
# first on PATH — not the nodedir ~/.npmrc may name (nodedir=/usr is Debian's Node 20: a build for the wrong ABI).
node_headers="$(node -e '
  const p = require("path"), fs = require("fs");
  const prefix = p.resolve(process.execPath, "..", "..");
  const pkg = "node-" + (process.platform === "win32" ? "win" : process.platform) + "-" + process.arch;
  for (const dir of [prefix, p.join(prefix, "node_modules", pkg)])
    if (fs.existsSync(p.join(dir, "include", "node", "node.h"))) { process.stdout.write(dir); break; }')"
if [ -n "$node_headers" ]; then
  export npm_config_nodedir="$node_headers"
else
  # No headers beside it: node-gyp fetches the matching ones itself rather than using another Node's.
  export npm_config_nodedir=""
fi

# The Electron binary is fetched from GitHub, which is often unreachable (CI, clusters): never let it fail the install.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
stamp="node_modules/.vc2-installed"
want="$(node -e 'const c=require("node:crypto");const f=require("node:fs");process.stdout.write(c.createHash("sha256").update(f.readFileSync("package-lock.json")).update(process.version).digest("hex"))')"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing npm dependencies (once)"
  npm ci --no-audit --no-fund >&2
  echo "$want" > "$stamp"
fi
# A native build for another Node's ABI (made before the headers rule above, or by hand) is rebuilt, not run.
if ! node -e "new (require('better-sqlite3'))(':memory:').close()" 2>/dev/null; then
  say "better-sqlite3 was built for another Node: rebuilding it for $(node --version) (once)"
  npm rebuild better-sqlite3 >&2
fi
# The Node that built node_modules (better-sqlite3 is native): the desktop shell runs its engine on it, since
# Electron's own Node has another ABI (main/engine/engine-runtime.ts).
engine_node="$(node -p process.execPath)"
[ "$(cat node_modules/.vc2-engine-node 2>/dev/null)" = "$engine_node" ] || echo "$engine_node" > node_modules/.vc2-engine-node

# ensure_apt command:package ...: installs the packages whose command is not on PATH.
ensure_apt() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  say "installing ${missing[*]} from Debian (once)"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >&2
}

case "$mode" in
  start)
    node scripts/build.mjs >&2
    # Installs skip the Electron download (it must never fail an install); the desktop app tries it once here.
    if [ ! -f node_modules/electron/path.txt ] && [ ! -f .tools/electron-download-tried ]; then
      mkdir -p .tools && touch .tools/electron-download-tried
      say "downloading the Electron binary (once; log in .tools/electron-download.log)"
      ELECTRON_SKIP_BINARY_DOWNLOAD= node node_modules/electron/install.js > .tools/electron-download.log 2>&1 ||
        say "Electron could not be downloaded; delete .tools/electron-download-tried to try again"
    fi
    exec node dist/main/start.js "$@"
    ;;
  serve)
    node scripts/build.mjs >&2
    exec node dist/main/web-host.js "$@"
    ;;
  test)
    ensure_apt chromium:chromium ffmpeg:ffmpeg Xvfb:xvfb xauth:xauth
    # bindfs (FUSE) puts a library on a network-like file system in one test, which says it skipped without it.
    ensure_apt bindfs:bindfs fusermount:fuse3 || say "bindfs could not be installed: the FUSE library test will be skipped"
    exec node scripts/run-tests.mjs "$@"
    ;;
  bench)
    # ffmpeg/ffprobe for the container benchmark; bindfs mounts the media tree as slow storage for the quick one
    # (optional: without it that part says it was skipped).
    ensure_apt ffmpeg:ffmpeg
    # The download and extraction benchmarks measure the app against these on the same data.
    ensure_apt aria2c:aria2 unzip:unzip bsdtar:libarchive-tools
    ensure_apt bindfs:bindfs fusermount:fuse3 || say "bindfs could not be installed: the slow-storage part of the verify benchmark will be skipped"
    # The viewer and clips benchmarks drive the real page in Chromium: they need the renderer built, and Chromium itself.
    if [ "${1:-}" = viewer ] || [ "${1:-}" = clips ]; then
      ensure_apt chromium:chromium
      node scripts/build.mjs --bench >&2
    else
      node scripts/build.mjs --main-only --bench >&2
    fi
    exec node dist/bench/run-bench.js "$@"
    ;;
  dist-prepare)
    # What installers need besides Electron, made without touching node_modules (so npm test, npm run serve and
    # vc2m keep working after it): the build, and this Node staged for the engine (scripts/stage-engine-node.mjs).
    node scripts/build.mjs >&2
    exec node scripts/stage-engine-node.mjs "$@"
    ;;
  dist)
    node scripts/build.mjs >&2
    node scripts/stage-engine-node.mjs
    # Packaging needs the Electron binaries for each target, so it is the one step that needs the network. No
    # native rebuild for Electron's ABI (npmRebuild: false): the engine runs on the staged Node.
    unset ELECTRON_SKIP_BINARY_DOWNLOAD
    exec npx electron-builder --publish never "$@"
    ;;
  *)
    say "unknown mode $mode"
    exit 2
    ;;
esac
