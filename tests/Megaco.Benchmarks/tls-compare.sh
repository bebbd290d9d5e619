#!/usr/bin/env bash
# BouncyCastle (Megaco.Mg.Tls) against SslStream as the MG's TLS server, certificate case, mutual with a
# sha-256 fingerprint check, on loopback; the load runs in another process (SslStream client, TLS 1.3,
# TLS_AES_256_GCM_SHA384, no resumption). Prints per engine and server key: server CPU ms per full
# handshake; with the ECDSA key also MB/s and server CPU s per GB of one connection, and RSS per idle session.
#   tests/Megaco.Benchmarks/tls-compare.sh [MB, default 1000] [handshakes, default 400] [idle sessions, default 1000]
#   (ENGINES="bc ssl" KEYS="ec rsa" FRONT=24201 BACK=24202)
set -euo pipefail
MB=${1:-1000}
HS=${2:-400}
IDLE=${3:-1000}
ENGINES=${ENGINES:-bc ssl}
KEYS=${KEYS:-ec rsa}
FRONT=${FRONT:-24201}
BACK=${BACK:-24202}
here=$(cd "$(dirname "$0")" && pwd)
dotnet build "$here/Megaco.Benchmarks.csproj" -c Release -nodeReuse:false -v q >/dev/null
tool=(dotnet "$here/bin/Release/net10.0/Megaco.Benchmarks.dll")
tck=$(getconf CLK_TCK)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/client.key" -out "$work/client.pem" -subj /CN=ue -days 2 2>/dev/null

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
wait_for() { until grep -qs "$2" "$1"; do sleep 0.2; done; }

serve() {
    env ${SERVE_ENV:-} "${tool[@]}" tls-serve "$1" "$2" "$FRONT" "$3" "$work" > "$work/serve.log" &
    server=$!
    pids+=("$server")
    until (exec 3<>/dev/tcp/127.0.0.1/"$FRONT") 2>/dev/null; do sleep 0.2; done
}

stop() { kill "$server"; wait "$server" 2>/dev/null || true; }

for engine in $ENGINES; do
    for key in $KEYS; do
        serve "$engine" "$key" 0
        "${tool[@]}" tls-handshakes "$FRONT" 50 "$work" >/dev/null
        before=$(cpu_ticks "$server")
        out=$("${tool[@]}" tls-handshakes "$FRONT" "$HS" "$work")
        after=$(cpu_ticks "$server")
        awk -v e="$engine" -v k="$key" -v o="$out" -v t=$((after - before)) -v hz="$tck" -v n="$HS" \
            'BEGIN { printf "%-4s %-3s handshake: %s server_cpu_ms_per_handshake=%.2f\n", e, k, o, t / hz * 1000 / n }'
        stop
        if [[ $key == ec ]]; then
            # A fresh server, so the heap grown by the handshakes does not hide the sessions' memory.
            SERVE_ENV=TLS_BENCH_HEAP=1 serve "$engine" "$key" 0
            sleep 3
            rss0=$(rss_kb "$server")
            heap0=$(grep heap= "$work/serve.log" | tail -1 | cut -d= -f2)
            "${tool[@]}" tls-hold "$FRONT" "$IDLE" "$work" > "$work/hold.log" &
            hold=$!
            pids+=("$hold")
            wait_for "$work/hold.log" held
            sleep 5
            rss1=$(rss_kb "$server")
            heap1=$(grep heap= "$work/serve.log" | tail -1 | cut -d= -f2)
            kill "$hold"
            wait "$hold" 2>/dev/null || true
            awk -v e="$engine" -v a="$rss0" -v b="$rss1" -v h0="$heap0" -v h1="$heap1" -v n="$IDLE" \
                'BEGIN { printf "%-4s ec  idle: sessions=%d rss_kb_per_idle_session=%.1f managed_kb_per_idle_session=%.1f\n", e, n, (b - a) / n, (h1 - h0) / 1024 / n }'
            stop
        fi
        if [[ $key == ec ]]; then
            serve "$engine" "$key" "$BACK"
            "${tool[@]}" tls-load "$FRONT" "$BACK" 200 "$work" >/dev/null
            before=$(cpu_ticks "$server")
            out=$("${tool[@]}" tls-load "$FRONT" "$BACK" "$MB" "$work")
            after=$(cpu_ticks "$server")
            awk -v e="$engine" -v o="$out" -v t=$((after - before)) -v hz="$tck" -v mb="$MB" \
                'BEGIN { printf "%-4s ec  bulk: %s server_cpu_s=%.2f server_cpu_s_per_GB=%.3f\n", e, o, t / hz, (t / hz) / (mb / 1000) }'
            stop
        fi
    done
done
