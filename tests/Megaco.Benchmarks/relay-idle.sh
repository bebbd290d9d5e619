#!/usr/bin/env bash
# Memory per held idle session and relay CPU per new session, Megaco.Mg's relay beside haproxy and nginx
# (TCP stream mode): N sessions (a UE connection relayed to a core connection, 2N connections in the relay)
# are opened, pass 100 bytes each, and stay idle. Prints the relay's RSS growth per session and CPU ms per
# session setup (nginx: its worker); for Megaco also the managed heap growth per session (relay-serve-many
# prints its heap after a full collection at start, when ready and again on SIGHUP). Megaco's relays run with the
# default MgLimits idle timeout (10 min), as the MG does, so their timers are part of the figure.
#   tests/Megaco.Benchmarks/relay-idle.sh [N, default 8000]   (FIRST=10000 BACK=18001 RELAYS="megaco haproxy nginx";
#   N ports from FIRST; RELAY_ENV="VAR=value ..." for the Megaco relay process only)
# Installs haproxy and nginx (nginx-light, libnginx-mod-stream) when missing.
set -euo pipefail
N=${1:-8000}
FIRST=${FIRST:-10000}
BACK=${BACK:-18001}
RELAYS=${RELAYS:-megaco haproxy nginx}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/relay-peers.sh"
dotnet build "$here/Megaco.Benchmarks.csproj" -c Release -nodeReuse:false -v q >/dev/null
tool=(dotnet "$here/bin/Release/net10.0/Megaco.Benchmarks.dll")
tck=$(getconf CLK_TCK)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
wait_for() { until grep -qs "$2" "$1"; do sleep 0.2; done; }

measure() {
    local name=$1 pid=$2; shift 2
    local rss0 cpu0 rss1 cpu1
    rss0=$(rss_kb "$pid"); cpu0=$(cpu_ticks "$pid")
    local t0=$SECONDS
    "${tool[@]}" relay-hold "$@" > "$work/hold-$name.log" &
    pids+=("$!")
    wait_for "$work/hold-$name.log" held
    sleep 2
    rss1=$(rss_kb "$pid"); cpu1=$(cpu_ticks "$pid")
    if [[ $name == megaco ]]; then
        # While the sessions are still held: the managed heap after a full collection.
        kill -HUP "$pid"
        wait_for "$work/ours.log" held-heap
    fi
    awk -v n="$name" -v N="$N" -v r0="$rss0" -v r1="$rss1" -v c="$((cpu1 - cpu0))" -v hz="$tck" -v s="$((SECONDS - t0))" \
        'BEGIN { printf "%-8s N=%d rss_before=%dKB rss_held=%dKB per_session=%.1fKB per_connection=%.1fKB setup_cpu_ms_per_session=%.3f wall=%ds\n", n, N, r0, r1, (r1 - r0) / N, (r1 - r0) / N / 2, c / hz * 1000 / N, s }'
    kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
}

for relay in $RELAYS; do
    case $relay in
        megaco)
            env ${RELAY_ENV:-} "${tool[@]}" relay-serve-many "$FIRST" "$N" "$BACK" > "$work/ours.log" &
            ours=$!
            pids+=("$ours")
            wait_for "$work/ours.log" ready
            sleep 2
            measure megaco "$ours" "$FIRST" "$N" "$BACK"
            awk -F= -v N="$N" '/^start-heap=/ { h = $2 } /^ready-heap=/ { h0 = $2 } /^held-heap=/ { h1 = $2 } /^held-heap-committed=/ { c = $2 }
                END { printf "megaco   managed heap: start=%dKB ready=%dKB held=%dKB per_session=%.2fKB (from start) %.2fKB (from ready); GC committed when held=%dKB\n", h / 1024, h0 / 1024, h1 / 1024, (h1 - h) / 1024 / N, (h1 - h0) / 1024 / N, c / 1024 }' "$work/ours.log"
            kill "$ours"; wait "$ours" 2>/dev/null || true
            ;;
        haproxy|nginx)
            "start_$relay" "$FIRST" "$BACK" $((N + 100)) 3600 "$work"
            pids+=("$peer_master")
            measure "$relay" "$peer_pid" "$FIRST" "$N" "$BACK" --one-port
            kill "$peer_master"; wait "$peer_master" 2>/dev/null || true
            ;;
        *) echo "unknown relay $relay" >&2; exit 2 ;;
    esac
done
