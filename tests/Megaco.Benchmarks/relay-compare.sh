#!/usr/bin/env bash
# Relays the same traffic on loopback through Megaco.Mg's relay and through haproxy (TCP mode), one
# connection at a time, and prints per run: MB/s seen by the load tool and the relay process's CPU
# seconds per GB (utime+stime from /proc/PID/stat, the steadier figure on a shared machine).
#   tests/Megaco.Benchmarks/relay-compare.sh [MB per run, default 2000]   (RUNS=3 FRONT=24101 BACK=24102 RELAYS="megaco haproxy"
#   RELAY_ENV="VAR=value ..." for the Megaco relay process only)
# Needs haproxy (Debian: apt-get install -y haproxy).
set -euo pipefail
MB=${1:-2000}
RUNS=${RUNS:-3}
FRONT=${FRONT:-24101}
BACK=${BACK:-24102}
RELAYS=${RELAYS:-megaco haproxy}
here=$(cd "$(dirname "$0")" && pwd)
dotnet build "$here/Megaco.Benchmarks.csproj" -c Release -nodeReuse:false -v q >/dev/null
tool=(dotnet "$here/bin/Release/net10.0/Megaco.Benchmarks.dll")
tck=$(getconf CLK_TCK)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

measure() {
    local name=$1 pid=$2
    # One unreported warm-up run: the JIT's tiers and haproxy's buffers settle.
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

if [[ " $RELAYS " == *" megaco "* ]]; then
    env ${RELAY_ENV:-} "${tool[@]}" relay-serve "$FRONT" "$BACK" &
    ours=$!
    pids+=("$ours")
    sleep 1
    measure megaco "$ours"
    kill "$ours"
    wait "$ours" 2>/dev/null || true
fi
[[ " $RELAYS " == *" haproxy "* ]] || exit 0

cfg=$(mktemp)
cat > "$cfg" <<CFG
global
    maxconn 1000
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
listen relay
    bind 127.0.0.1:$FRONT
    server sink 127.0.0.1:$BACK
CFG
haproxy -f "$cfg" -db &
theirs=$!
pids+=("$theirs")
sleep 1
measure haproxy "$theirs"
rm -f "$cfg"
