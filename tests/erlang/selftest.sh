#!/usr/bin/env bash
# Run the Erlang MGC against the Erlang MG in every combination that matters - udp/tcp x
# pretty/compact x v1/v2/v3 - on loopback, each pair on free ports and bounded in time, then three
# pairs whose versions differ (negotiation), and print one summary line per pair plus a total. Exit status 0 when every pair ended with DONE on both
# sides and exit status 0, 1 otherwise.
#
#   tests/erlang/selftest.sh [--keep DIR]     (--keep: leave each pair's output in DIR)
set -uo pipefail

here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
run="$here/run-peer.sh"
keep=""
[ "${1:-}" = "--keep" ] && keep="${2:?--keep needs a directory}"
out="$(mktemp -d "${TMPDIR:-/tmp}/h248-selftest.XXXXXX")"
pids=()

# Never leave a peer behind, whatever way we leave.
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  if [ -n "$keep" ]; then mkdir -p "$keep" && cp -r "$out"/. "$keep"/; fi
  rm -rf "$out"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port free for both UDP and TCP on loopback (nothing listening or bound there now).
in_use() { ss -Hlntu 2>/dev/null | awk '{print $5}' | grep -qE "[:.]$1\$"; }
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 40000 ))
    in_use "$p" || in_use "$((p + 1))" || { echo "$p"; return 0; }
  done
  return 1
}

# Compile once up front so that the timings below are the peers', not erlc's.
"$run" mgc --bogus x >/dev/null 2>&1 || true

# Wait until FILE has a line starting with WHAT, at most SECS seconds.
wait_line() {
  local file=$1 what=$2 secs=$3 i
  for i in $(seq 1 $((secs * 10))); do
    grep -q "^$what" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

pass=0; fail=0

# One MGC/MG pair: transport, encoding, the MGC's version, the MG's version.
run_pair() {
  local transport=$1 encoding=$2 mgcv=$3 mgv=$4
  local name="$transport-$encoding-mgc$mgcv-mg$mgv" port mgport start mgc_pid mg_pid mgc_rc mg_rc ms ok_mgc ok_mg
  port=$(free_port) || { echo "no free port"; exit 1; }
  mgport=$((port + 1))
  start=$(date +%s%N)
  timeout -k 2 40 "$run" mgc --transport "$transport" --port "$port" --encoding "$encoding" \
    --version "$mgcv" --timeout 10 --deadline 30 >"$out/$name.mgc" 2>"$out/$name.mgc.err" &
  mgc_pid=$!; pids+=("$mgc_pid")
  if wait_line "$out/$name.mgc" "STEP	listen	ok" 15; then
    timeout -k 2 40 "$run" mg --transport "$transport" --mgc "127.0.0.1:$port" --port "$mgport" \
      --encoding "$encoding" --version "$mgv" --timeout 10 --deadline 30 \
      >"$out/$name.mg" 2>"$out/$name.mg.err" &
    mg_pid=$!; pids+=("$mg_pid")
    wait "$mg_pid"; mg_rc=$?
  else
    mg_rc=none; : >"$out/$name.mg"
  fi
  wait "$mgc_pid"; mgc_rc=$?
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  ok_mgc=$([ "$mgc_rc" = 0 ] && [ "$(tail -n1 "$out/$name.mgc")" = DONE ] && echo DONE || echo "rc=$mgc_rc")
  ok_mg=$([ "$mg_rc" = 0 ] && [ "$(tail -n1 "$out/$name.mg")" = DONE ] && echo DONE || echo "rc=$mg_rc")
  # the version both ended up speaking, from the MGC's register line
  neg=$(grep -m1 "^STEP	register	ok" "$out/$name.mgc" | grep -o " version=[0-9]" | cut -d= -f2)
  printf '%-4s %-8s %-3s %-3s %-4s %-6s %-6s %d.%d\n' "$transport" "$encoding" "$mgcv" "$mgv" "${neg:--}" \
    "$ok_mgc" "$ok_mg" $((ms / 1000)) $((ms % 1000 / 100))
  if [ "$ok_mgc" = DONE ] && [ "$ok_mg" = DONE ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "--- $name mgc:"; sed 's/^/    /' "$out/$name.mgc" "$out/$name.mgc.err" | cut -c1-400 | head -40
    echo "--- $name mg:"; sed 's/^/    /' "$out/$name.mg" "$out/$name.mg.err" | cut -c1-400 | head -40
  fi
}

printf '%-4s %-8s %-3s %-3s %-4s %-6s %-6s %s\n' "tr" "encoding" "mgc" "mg" "neg" "mgc" "mg" "seconds"
# The 12 combinations: both sides at the same version.
for transport in udp tcp; do
  for encoding in pretty compact; do
    for version in 1 2 3; do
      run_pair "$transport" "$encoding" "$version" "$version"
    done
  done
done
# Version negotiation (H.248.1 clause 11.3): the lower version wins, from either side.
run_pair udp compact 1 3
run_pair tcp pretty 3 1
run_pair tcp compact 2 3
echo "selftest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
