#!/usr/bin/env bash
# bench/agent: the time to read 50,000 records from the simulator, by the agent and by node-zklib in the
# same run (5 alternating runs each, median), and the agent's peak RSS. Goal (issue 4): the agent no slower
# than node-zklib, RSS under 32 MB.   bash bench/agent/run.sh build/release
# Every run must read all 50,000 records. Exit status: 0 when the goals hold, 1 on a MISS, 2 when a read was wrong.
set -euo pipefail
build=${1:-build/release}
root=$(cd "$(dirname "$0")/../.." && pwd)
peers="$(cd "$build" && pwd)/bench-peers"
bash "$root/tests/peers/install.sh" "$root/tests/peers" "$peers" >/dev/null

fifo=$(mktemp -u)
mkfifo "$fifo"
"$build/rollcall-sim" zk --listen 127.0.0.1:0 --users 1000 --records 50000 --seed 3 >"$fifo" 2>/dev/null &
sim=$!
trap 'kill $sim 2>/dev/null || true; rm -f "$fifo"' EXIT
read -r line <"$fifo"
port=${line##*:}

# With `make windows-agent` done and wine installed, the Windows exe is timed too, under wine: a figure for
# wine, not for Windows (wine has no per-socket ACK frequency, so delayed ACKs slow each chunk).
wine=/usr/lib/wine/wine64
windows_exe=${WINDOWS_AGENT_EXE:-$root/build/windows/rollcall-agent.exe}
windows_times=()
if [ -x "$wine" ] && [ -f "$windows_exe" ]; then
    WINEPREFIX=$(mktemp -d)
    export WINEPREFIX WINEDEBUG=-all DISPLAY=
    trap 'kill $sim 2>/dev/null || true; rm -f "$fifo"; /usr/lib/wine/wineserver -k 2>/dev/null || true; rm -rf "$WINEPREFIX"' EXIT
    "$wine" wineboot --init </dev/null >/dev/null 2>&1
    /usr/lib/wine/wineserver -w
else
    windows_exe=
fi

agent_times=()
node_times=()
rss=0
for i in 1 2 3 4 5; do
    if [ -n "$windows_exe" ]; then
        w=$("$wine" "$windows_exe" --probe "127.0.0.1:$port" --device-timeout-ms 60000 </dev/null | tr -d '\r')
        if [ "$(echo "$w" | sed 's/.*"records":\([0-9]*\).*/\1/')" != 50000 ]; then
            echo "bench_agent: the Windows exe read: $w" >&2
            exit 2
        fi
        windows_times+=("$(echo "$w" | sed 's/.*"seconds":\([0-9.]*\).*/\1/')")
    fi
    a=$("$build/rollcall-agent" --probe "127.0.0.1:$port" --device-timeout-ms 60000)
    n=$(node "$root/bench/agent/node_zklib_read.js" "$peers/node_modules" "$port" | tail -n 1)  # it prints "ok tcp" first
    agent_records=$(echo "$a" | sed 's/.*"records":\([0-9]*\).*/\1/')
    node_records=$(echo "$n" | sed 's/.*"records":\([0-9]*\).*/\1/')
    if [ "$agent_records" != 50000 ] || [ "$node_records" != 50000 ]; then
        echo "bench_agent: read $agent_records (agent) and $node_records (node-zklib) of 50000 records" >&2
        exit 2
    fi
    agent_times+=("$(echo "$a" | sed 's/.*"seconds":\([0-9.]*\).*/\1/')")
    node_times+=("$(echo "$n" | sed 's/.*"seconds":\([0-9.]*\).*/\1/')")
    r=$(echo "$a" | sed 's/.*"peak_rss_kib":\([0-9]*\).*/\1/')
    [ "$r" -gt "$rss" ] && rss=$r
done
median() { printf '%s\n' "$@" | sort -n | sed -n 3p; }
am=$(median "${agent_times[@]}")
nm=$(median "${node_times[@]}")
echo "bench_agent: 50,000 records over TCP from rollcall-sim, 5 alternating runs each (median)"
awk -v a="$am" -v n="$nm" -v r="$rss" 'BEGIN {
    printf "agent: %.3f s | node-zklib@1.3.0: %.3f s | ratio agent/node %.2f [goal <= 1: %s]\n", a, n, a / n, (a <= n ? "PASS" : "MISS");
    printf "agent peak RSS: %.1f MiB [goal < 32 MiB: %s]\n", r / 1024, (r < 32768 ? "PASS" : "MISS") }'
if [ -n "$windows_exe" ]; then
    awk -v w="$(median "${windows_times[@]}")" -v n="$nm" 'BEGIN {
        printf "rollcall-agent.exe under wine 8: %.3f s | ratio exe/node %.2f (wine, not Windows)\n", w, w / n }'
fi
# The verdict: a MISS of either goal fails the bench.
awk -v a="$am" -v n="$nm" -v r="$rss" 'BEGIN { exit (a <= n && r < 32768) ? 0 : 1 }'
