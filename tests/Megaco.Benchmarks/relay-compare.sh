#!/usr/bin/env bash
# Relays the same traffic on loopback through Megaco.Mg's relay, haproxy and nginx (TCP stream mode), one
# connection at a time, and prints per run: MB/s seen by the load tool and the relay process's CPU
# seconds per GB (utime+stime from /proc/PID/stat, the steadier figure on a shared machine; nginx: its worker).
#   tests/Megaco.Benchmarks/relay-compare.sh [MB per run, default 2000]   (RUNS=3 FRONT=24101 BACK=24102
#   RELAYS="megaco haproxy nginx" RELAY_ENV="VAR=value ..." for the Megaco relay process only)
# Installs haproxy and nginx (nginx-light, libnginx-mod-stream) when missing.
set -euo pipefail
MB=${1:-2000}
RUNS=${RUNS:-3}
FRONT=${FRONT:-24101}
BACK=${BACK:-24102}
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

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

measure() {
    local name=$1 pid=$2
    # One unreported warm-up run: the JIT's tiers and the peers' buffers settle.
    "${tool[@]}" relay-load "$FRONT" "$BACK" 200 >/dev/null
    for run in $(seq 1 "$RUNS"); do
        local before after out
        before=$(cpu_ticks "$pid")
        out=$("${tool[@]}" relay-load "$FRONT" "$BACK" "$MB")
        after=$(cpu_ticks "$pid")
        awk -v n="$name" -v r="$run" -v o="$out" -v t=$((after - before)) -v hz="$tck" -v mb="$MB" \
            'BEGIN { printf "%-8s run %d: %s relay_cpu_s=%.2f cpu_s_per_GB=%.3f\n", n, r, o, t / hz, (t / hz) / (mb / 1000) }'
    done
}

stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

for relay in $RELAYS; do
    case $relay in
        megaco)
            env ${RELAY_ENV:-} "${tool[@]}" relay-serve "$FRONT" "$BACK" &
            peer_master=$!
            peer_pid=$peer_master
            wait_port "$FRONT"
            ;;
        haproxy) start_haproxy "$FRONT" "$BACK" 1000 60 "$work" ;;
        nginx) start_nginx "$FRONT" "$BACK" 1000 60 "$work" ;;
        *) echo "unknown relay $relay" >&2; exit 2 ;;
    esac
    pids+=("$peer_master")
    measure "$relay" "$peer_pid"
    stop "$peer_master"
done
