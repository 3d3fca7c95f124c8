#!/usr/bin/env bash
# `make bench`: runs every benchmark program against a release build. Not part of `make test`.
set -euo pipefail
build=${1:-build/release}
if [ -x "$build/bench_ingest" ]; then
    "$build/bench_ingest"
else
    echo "bench: $build/bench_ingest not built (configure with the release preset)" >&2
    exit 1
fi
