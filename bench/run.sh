#!/usr/bin/env bash
# `make bench`: runs every benchmark program against a release build. Not part of `make test`.
# Each bench checks the work it timed and judges its goals; this script runs them all, so one run prints every
# figure, and fails if any of them failed: exit 1 when a goal was missed (MISS), 2 when the work was wrong.
set -uo pipefail
build=${1:-build/release}
for bench in bench_ingest bench_engine; do
    if [ ! -x "$build/$bench" ]; then
        echo "bench: $build/$bench not built (configure with the release preset)" >&2
        exit 2
    fi
done
worst=0
failed=()
run() {
    local name=$1
    shift
    "$@"
    local status=$?
    echo
    if [ "$status" -ne 0 ]; then
        failed+=("$name (exit $status)")
        [ "$status" -gt "$worst" ] && worst=$status
    fi
}
run bench_ingest "$build/bench_ingest"
run bench_engine "$build/bench_engine"
run bench_agent bash "$(dirname "$0")/agent/run.sh" "$build"
# The panel's bench drives Debian's Chromium with the panel's own playwright-core (web/node_modules, installed
# by the release build of the panel).
run bench_panel node "$(dirname "$0")/panel/run.mjs" "$build"
if [ ${#failed[@]} -ne 0 ]; then
    echo "bench: FAILED: ${failed[*]}" >&2
    exit "$worst"
fi
echo "bench: every goal met"
