#!/usr/bin/env bash
# The wine prefix of the Windows agent tests (a CTest fixture): `up PREFIX` makes a fresh one, `down PREFIX`
# ends whatever still runs in it. Wine's own output goes to /dev/null: its boot starts background processes
# that would otherwise hold CTest's output pipe open.
set -euo pipefail
action=$1
prefix=$2
wine_dir=${3:-/usr/lib/wine}
export WINEPREFIX=$prefix WINEDEBUG=-all DISPLAY= WINEDLLOVERRIDES="mscoree,mshtml="
case $action in
    up)
        if [ -d "$prefix" ]; then
            "$wine_dir/wineserver" -k >/dev/null 2>&1 || true
            rm -rf "$prefix"
        fi
        mkdir -p "$prefix"
        # Wine's output goes to a file, not to CTest's pipe; on a failure it is shown, so the cause is in the log.
        log="$prefix.boot.log"
        status=0
        "$wine_dir/wine64" wineboot --init </dev/null >"$log" 2>&1 || status=$?
        "$wine_dir/wineserver" -w || status=$((status ? status : $?))
        if [ "$status" -ne 0 ] || [ ! -f "$prefix/system.reg" ]; then
            echo "wineboot did not make $prefix (exit $status); its output:" >&2
            cat "$log" >&2
            exit 1
        fi
        ;;
    down)
        "$wine_dir/wineserver" -k >/dev/null 2>&1 || true
        ;;
    *)
        echo "usage: wine_prefix.sh up|down PREFIX [WINE_DIR]" >&2
        exit 2
        ;;
esac
