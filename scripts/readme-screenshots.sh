#!/usr/bin/env bash
# Refreshes the School Panel screenshots of the README (docs/img/*.png) from the newcomer browser scenario, run
# against a built server:   bash scripts/readme-screenshots.sh build/ci/rollcall
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:-$root/build/ci/rollcall}
ROLLCALL_README_SHOTS="$root/docs/img" node "$root/tests/browser/run.mjs" --rollcall "$binary" --scenario newcomer \
    --out "$(mktemp -d)"
ls -l "$root/docs/img"
