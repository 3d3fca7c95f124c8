#!/usr/bin/env bash
# Builds the School Panel (web/) and writes it as a C++ source for the rollcall binary (called by CMake):
#   build-panel.sh WEB_DIR OUT_DIR
# npm installs web/'s pinned packages (package-lock.json) into web/node_modules, once per lockfile; vite builds
# into OUT_DIR/dist; web/scripts/embed.mjs turns that into OUT_DIR/panel_assets.cpp.
set -euo pipefail

web=$(cd "$1" && pwd)
out=$2
mkdir -p "$out"
out=$(cd "$out" && pwd)

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "build-panel: node and npm are needed to build the panel; run scripts/install-deps.sh" >&2
    exit 1
fi

# One install at a time: the ci and release trees may build the panel at once, and they share web/node_modules.
exec 9>"$web/.npm-install.lock"
flock 9
stamp="$web/node_modules/.rollcall-package-lock.json"
if [ ! -f "$stamp" ] || ! cmp -s "$web/package-lock.json" "$stamp"; then
    (cd "$web" && npm ci --no-audit --no-fund --prefer-offline)
    cp "$web/package-lock.json" "$stamp"
fi
flock -u 9

cd "$web"
npx --no-install tsc --noEmit
ROLLCALL_PANEL_OUT="$out/dist" npx --no-install vite build --logLevel warn
node scripts/embed.mjs "$out/dist" "$out/panel_assets.cpp"
