#!/usr/bin/env bash
# TLS termination side by side on loopback: BouncyCastle (Megaco.Mg.Tls) and SslStream as the MG's TLS server,
# beside stunnel, haproxy and nginx (stream module), all with the same certificates, mutual (the client's
# certificate required: by sha-256 fingerprint in ours, as the CA file in theirs), TLS 1.3 with
# TLS_AES_256_GCM_SHA384, no session tickets, forwarding the clear bytes to a TCP backend. The load runs in
# other processes (SslStream clients, no resumption) and every figure is the server process's own:
# CPU (utime+stime from /proc/PID/stat) per full handshake for each server key, and, with BULK_KEY,
# MB/s and CPU seconds per GB of one relayed connection, and RSS growth per idle TLS session (each with its
# backend connection). Handshakes (after WARMUP of them) and bulk are measured RUNS times each; the table
# keeps the best run (lowest CPU, highest MB/s), as other processes on a shared machine only ever add.
# Prints a line per measurement and the table at the end.
#   tests/Megaco.Benchmarks/tls-compare.sh [MB per run, default 1000] [handshakes per run, default 400] [idle sessions, default 1000]
#   (SERVERS="bc ssl stunnel haproxy nginx" KEYS="ec rsa" BULK_KEY=rsa PHASES="handshake bulk idle" RUNS=3 WARMUP=800
#    FRONT=24201 BACK=24202 SINK=24203)
# Installs stunnel4, haproxy, nginx-light and libnginx-mod-stream with apt-get if missing.
set -euo pipefail
MB=${1:-1000}
HS=${2:-400}
IDLE=${3:-1000}
SERVERS=${SERVERS:-bc ssl stunnel haproxy nginx}
KEYS=${KEYS:-ec rsa}
BULK_KEY=${BULK_KEY:-rsa}
PHASES=${PHASES:-handshake bulk idle}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-800}
FRONT=${FRONT:-24201}
BACK=${BACK:-24202}
SINK=${SINK:-24203}
NGINX_STREAM=/usr/lib/nginx/modules/ngx_stream_module.so
here=$(cd "$(dirname "$0")" && pwd)

missing=()
[[ " $SERVERS " == *" stunnel "* ]] && ! command -v stunnel >/dev/null && missing+=(stunnel4)
[[ " $SERVERS " == *" haproxy "* ]] && ! command -v haproxy >/dev/null && missing+=(haproxy)
[[ " $SERVERS " == *" nginx "* ]] && ! command -v nginx >/dev/null && missing+=(nginx-light)
[[ " $SERVERS " == *" nginx "* ]] && [[ ! -f $NGINX_STREAM ]] && missing+=(libnginx-mod-stream)
if ((${#missing[@]})); then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

dotnet build "$here/Megaco.Benchmarks.csproj" -c Release -nodeReuse:false -v q >/dev/null
tool=(dotnet "$here/bin/Release/net10.0/Megaco.Benchmarks.dll")
tck=$(getconf CLK_TCK)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/client.key" -out "$work/client.pem" -subj /CN=ue -days 2 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/server-ec.key" -out "$work/server-ec.pem" -subj /CN=mg -days 2 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/server-rsa.key" -out "$work/server-rsa.pem" -subj /CN=mg -days 2 2>/dev/null

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
wait_for() { until grep -qs "$2" "$1"; do sleep 0.2; done; }
# The best of the runs: on a shared machine other processes only ever add to a process's CPU time.
lowest() { printf '%s\n' "$@" | sort -g | head -1; }
highest() { printf '%s\n' "$@" | sort -g | tail -1; }

# The configurations of the other servers: $1 key, $2 backend port.
stunnel_conf() {
    cat <<CFG
foreground = yes
pid =
syslog = no
debug = 3
[tls]
accept = 127.0.0.1:$FRONT
connect = 127.0.0.1:$2
cert = $work/server-$1.pem
key = $work/server-$1.key
CAfile = $work/client.pem
verifyPeer = yes
sslVersionMin = TLSv1.3
ciphersuites = TLS_AES_256_GCM_SHA384
options = NO_TICKET
CFG
}

haproxy_conf() {
    cat "$work/server-$1.pem" "$work/server-$1.key" > "$work/haproxy-$1.pem"
    cat <<CFG
global
    maxconn 8000
    ssl-default-bind-options ssl-min-ver TLSv1.3 no-tls-tickets
    ssl-default-bind-ciphersuites TLS_AES_256_GCM_SHA384
defaults
    mode tcp
    timeout connect 5s
    timeout client 600s
    timeout server 600s
listen tls
    bind 127.0.0.1:$FRONT ssl crt $work/haproxy-$1.pem ca-file $work/client.pem verify required
    server backend 127.0.0.1:$2
CFG
}

nginx_conf() {
    cat <<CFG
load_module $NGINX_STREAM;
daemon off;
master_process off;
worker_rlimit_nofile 20000;
pid $work/nginx.pid;
error_log $work/nginx.log;
events { worker_connections 10000; }
stream {
    server {
        listen 127.0.0.1:$FRONT ssl;
        ssl_certificate $work/server-$1.pem;
        ssl_certificate_key $work/server-$1.key;
        ssl_protocols TLSv1.3;
        ssl_conf_command Ciphersuites TLS_AES_256_GCM_SHA384;
        ssl_session_tickets off;
        ssl_verify_client on;
        ssl_client_certificate $work/client.pem;
        proxy_pass 127.0.0.1:$2;
    }
}
CFG
}

# Starts server $1 with key $2 forwarding to port $3 and waits for its port; $server is its pid.
serve() {
    case $1 in
        bc|ssl) env ${SERVE_ENV:-} "${tool[@]}" tls-serve "$1" "$2" "$FRONT" "$3" "$work" > "$work/serve.log" & ;;
        stunnel) stunnel_conf "$2" "$3" > "$work/stunnel.conf"; stunnel "$work/stunnel.conf" > "$work/serve.log" 2>&1 & ;;
        haproxy) haproxy_conf "$2" "$3" > "$work/haproxy.cfg"; haproxy -f "$work/haproxy.cfg" -db > "$work/serve.log" 2>&1 & ;;
        nginx) nginx_conf "$2" "$3" > "$work/nginx.conf"; nginx -e "$work/nginx.log" -p "$work" -c "$work/nginx.conf" > "$work/serve.log" 2>&1 & ;;
    esac
    server=$!
    pids+=("$server")
    until (exec 3<>/dev/tcp/127.0.0.1/"$FRONT") 2>/dev/null; do sleep 0.2; done
}

stop() { kill "$server"; wait "$server" 2>/dev/null || true; }

"${tool[@]}" tls-sink "$SINK" &
pids+=("$!")
declare -A table
for name in $SERVERS; do
    for key in $KEYS; do
        [[ " $PHASES " == *" handshake "* ]] || break
        serve "$name" "$key" "$SINK"
        # Warm-up: .NET's JIT compiles BouncyCastle's handshake code over the first few hundred handshakes.
        "${tool[@]}" tls-handshakes "$FRONT" "$WARMUP" "$work" >/dev/null
        runs=()
        for run in $(seq 1 "$RUNS"); do
            before=$(cpu_ticks "$server")
            out=$("${tool[@]}" tls-handshakes "$FRONT" "$HS" "$work")
            after=$(cpu_ticks "$server")
            ms=$(awk -v t=$((after - before)) -v hz="$tck" -v n="$HS" 'BEGIN { printf "%.2f", t / hz * 1000 / n }')
            runs+=("$ms")
            printf '%-8s %-3s handshake run %d: %s server_cpu_ms_per_handshake=%s\n' "$name" "$key" "$run" "$out" "$ms"
        done
        table[$name,hs_$key]="$(lowest "${runs[@]}") ms"
        stop
    done

    if [[ " $PHASES " == *" bulk "* ]]; then
        serve "$name" "$BULK_KEY" "$BACK"
        mbps=()
        "${tool[@]}" tls-load "$FRONT" "$BACK" 200 "$work" >/dev/null
        runs=()
        for run in $(seq 1 "$RUNS"); do
            before=$(cpu_ticks "$server")
            out=$("${tool[@]}" tls-load "$FRONT" "$BACK" "$MB" "$work")
            after=$(cpu_ticks "$server")
            read -r s gb < <(awk -v t=$((after - before)) -v hz="$tck" -v mb="$MB" 'BEGIN { printf "%.2f %.2f\n", t / hz, (t / hz) / (mb / 1000) }')
            runs+=("$gb")
            mbps+=("${out##*MBps=}")
            printf '%-8s %-3s bulk run %d: %s server_cpu_s=%s server_cpu_s_per_GB=%s\n' "$name" "$BULK_KEY" "$run" "$out" "$s" "$gb"
        done
        table[$name,bulk]="$(highest "${mbps[@]}") MB/s, $(lowest "${runs[@]}") s/GB"
        stop
    fi

    [[ " $PHASES " == *" idle "* ]] || continue
    # A fresh server, so the memory grown by the handshakes does not hide the sessions'.
    SERVE_ENV=TLS_BENCH_HEAP=1 serve "$name" "$BULK_KEY" "$SINK"
    "${tool[@]}" tls-handshakes "$FRONT" 20 "$work" >/dev/null
    sleep 3
    rss0=$(rss_kb "$server")
    heap0=$(grep heap= "$work/serve.log" | tail -1 | cut -d= -f2 || true)
    "${tool[@]}" tls-hold "$FRONT" "$IDLE" "$work" > "$work/hold.log" &
    hold=$!
    pids+=("$hold")
    wait_for "$work/hold.log" held
    sleep 5
    rss1=$(rss_kb "$server")
    heap1=$(grep heap= "$work/serve.log" | tail -1 | cut -d= -f2 || true)
    kill "$hold"
    wait "$hold" 2>/dev/null || true
    read -r rss heap < <(awk -v a="$rss0" -v b="$rss1" -v h0="${heap0:-0}" -v h1="${heap1:-0}" -v n="$IDLE" \
        'BEGIN { printf "%.1f %.1f\n", (b - a) / n, (h1 - h0) / 1024 / n }')
    table[$name,idle]="$rss KB"
    [[ -n $heap0 ]] && table[$name,idle]+=" ($heap KB managed)"
    printf '%-8s %-3s idle: sessions=%d rss_kb_per_idle_session=%s managed_kb_per_idle_session=%s\n' "$name" "$BULK_KEY" "$IDLE" "$rss" "${heap0:+$heap}"
    stop
done

echo
printf '| server |'; for key in $KEYS; do printf ' CPU per full handshake, %s |' "$key"; done
printf ' bulk, one connection (%s): best MB/s, best CPU-s/GB | RSS per idle session |\n|---|' "$BULK_KEY"
for key in $KEYS; do printf -- '---|'; done; printf -- '---|---|\n'
for name in $SERVERS; do
    printf '| %s |' "$name"
    for key in $KEYS; do printf ' %s |' "${table[$name,hs_$key]:-}"; done
    printf ' %s | %s |\n' "${table[$name,bulk]:-}" "${table[$name,idle]:-}"
done
