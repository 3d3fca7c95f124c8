#!/usr/bin/env bash
# Installs the pinned npm peers (package-lock.json) into a build directory, not into the source tree:
#   install.sh SOURCE_DIR DEST_DIR
# Skips npm when DEST_DIR already holds an install of the same lockfile.
set -euo pipefail

src=$1
dest=$2
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)  # absolute: the stamp is written after the cd below
for f in package.json package-lock.json .npmrc; do
    cp "$src/$f" "$dest/$f"
done
stamp="$dest/node_modules/.rollcall-package-lock.json"
if [ -f "$stamp" ] && cmp -s "$dest/package-lock.json" "$stamp"; then
    echo "npm peers already installed in $dest/node_modules"
    exit 0
fi
cd "$dest"
npm ci --no-audit --no-fund --prefer-offline
cp package-lock.json "$stamp"
