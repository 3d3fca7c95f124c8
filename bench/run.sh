#!/usr/bin/env bash
# `make bench`: runs every benchmark program against a release build. Not part of `make test`.
set -euo pipefail
build=${1:-build/release}
for bench in bench_ingest bench_engine; do
    if [ ! -x "$build/$bench" ]; then
        echo "bench: $build/$bench not built (configure with the release preset)" >&2
        exit 1
    fi
done
"$build/bench_ingest"
echo
"$build/bench_engine"
echo
bash "$(dirname "$0")/agent/run.sh" "$build"
