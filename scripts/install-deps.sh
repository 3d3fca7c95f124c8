#!/usr/bin/env bash
# Installs the Debian packages Rollcall builds and tests with. Does nothing when they are all present,
# so `make run` and `make test` can call it every time.
set -euo pipefail

packages=(
    build-essential cmake ccache pkg-config
    libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
    libsqlite3-dev libsodium-dev libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
    libhowardhinnant-date-dev tzdata libssl-dev libxlsxwriter-dev
    libgtest-dev libgmock-dev libbenchmark-dev libyaml-dev zlib1g-dev
    curl wrk openssl ca-certificates python3
)
# The School Panel (web/) is built with Node.js and npm, and the peer tests (tests/peers) run npm client
# libraries: Debian 12's nodejs 18 is enough for both. A node that brings its own npm (NodeSource's nodejs) is
# kept: Debian's npm package conflicts with it.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    packages+=(nodejs npm)
fi
# `install-deps.sh fuzz` (make fuzz) also installs clang and its libFuzzer runtime.
if [ "${1:-}" = "fuzz" ]; then
    packages+=(clang libclang-rt-14-dev)
fi

# `install-deps.sh mutants` (make mutants) runs a Python script (python3 is also in the base list: docs_references).
if [ "${1:-}" = "mutants" ]; then
    packages+=(python3)
fi

# `install-deps.sh tidy` (make tidy) adds clang-tidy and its run-clang-tidy driver.
if [ "${1:-}" = "tidy" ]; then
    packages+=(clang-tidy)
fi

# `install-deps.sh windows` (make windows-agent) adds the mingw-w64 cross compiler; the tests
# (`install-deps.sh test`, make test) add wine to run the exe, and Debian's Chromium for the panel's browser
# tests (playwright-core drives it; no browser is ever downloaded).
if [ "${1:-}" = "windows" ] || [ "${1:-}" = "test" ]; then
    packages+=(g++-mingw-w64-x86-64-posix mingw-w64-x86-64-dev)
fi
if [ "${1:-}" = "test" ]; then
    packages+=(wine64 libgnutls30)  # wine's TLS (WinHTTP) runs on GnuTLS, only a recommendation of libwine
fi
# `install-deps.sh bench` (make bench) and `mutants` (make mutants) need the browser too: bench/panel measures
# the panel in it, and the panel's planted bugs are caught by the browser tests.
if [ "${1:-}" = "test" ] || [ "${1:-}" = "bench" ] || [ "${1:-}" = "mutants" ]; then
    packages+=(chromium fonts-dejavu-core)
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
