# Sourced by relay-compare.sh and relay-idle.sh: the reference relays, haproxy and nginx (Debian packages,
# TCP stream mode, one process/worker, default buffers), installed when missing. Each start_* relays
# 127.0.0.1:FRONT to 127.0.0.1:BACK, writes its configuration into DIR, and sets
#   peer_pid     the process whose CPU and memory are measured (nginx: its one worker)
#   peer_master  the process to stop (nginx: its master; haproxy: the same as peer_pid)
#   start_haproxy|start_nginx FRONT BACK MAXCONN TIMEOUT_SECONDS DIR

install_missing() {
    local command=$1; shift
    command -v "$command" >/dev/null 2>&1 && return 0
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Listening, seen by ss rather than by a probe connection the relay would try to pass on.
wait_port() { until ss -Hltn "sport = :$1" | grep -q .; do sleep 0.2; done; }

start_haproxy() {
    local front=$1 back=$2 maxconn=$3 timeout=$4 dir=$5
    install_missing haproxy haproxy
    cat > "$dir/haproxy.cfg" <<CFG
global
    maxconn $maxconn
defaults
    mode tcp
    timeout connect 5s
    timeout client ${timeout}s
    timeout server ${timeout}s
listen relay
    bind 127.0.0.1:$front
    server sink 127.0.0.1:$back
CFG
    haproxy -f "$dir/haproxy.cfg" -db &
    peer_master=$!
    peer_pid=$peer_master
    wait_port "$front"
}

start_nginx() {
    local front=$1 back=$2 maxconn=$3 timeout=$4 dir=$5
    install_missing nginx nginx-light libnginx-mod-stream
    cat > "$dir/nginx.conf" <<CFG
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
worker_processes 1;
worker_rlimit_nofile $((maxconn * 2 + 100));
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
events {
    worker_connections $((maxconn * 2 + 100));
}
stream {
    server {
        listen 127.0.0.1:$front backlog=4096;
        proxy_pass 127.0.0.1:$back;
        proxy_connect_timeout 5s;
        proxy_timeout ${timeout}s;
    }
}
CFG
    nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/nginx-error.log" -g 'daemon off;' &
    peer_master=$!
    peer_pid=
    until [[ -n $peer_pid ]]; do
        sleep 0.2
        peer_pid=$(pgrep -P "$peer_master" | head -1 || true)
    done
    wait_port "$front"
}
