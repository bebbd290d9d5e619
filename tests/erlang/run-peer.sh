#!/usr/bin/env bash
# Compile the Erlang megaco peers into a private temp dir and run one of them in the foreground.
#
#   tests/erlang/run-peer.sh mgc --transport udp --port 2945 --encoding compact --version 3
#   tests/erlang/run-peer.sh mg  --transport tcp --mgc 127.0.0.1:2945 --port 2944 --encoding pretty --version 1
#
# Output and exit status are the peer's (see README.md). The VM is exec'd, so the pid a driver
# starts is the VM's own: killing it kills the peer. The temp dir goes when the VM ends.
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
role="${1:-}"
case "$role" in
  mgc) module=h248_mgc ;;
  mg) module=h248_mg ;;
  *) echo "usage: $0 mgc|mg --option value ..." >&2; exit 2 ;;
esac
shift

# Compile once per source state into a cache keyed by the sources' hash: parallel runs share it and
# never see a half-written beam (each compiles into its own dir and renames it into place).
sum="$(cat "$here"/h248_peer.hrl "$here"/h248_peer.erl "$here"/h248_mgc.erl "$here"/h248_mg.erl | sha256sum | cut -c1-16)"
cache="${TMPDIR:-/tmp}/h248-erlang-peers-$sum"
if [ ! -f "$cache/h248_mg.beam" ]; then
  work="$(mktemp -d "${TMPDIR:-/tmp}/h248-erlang-peers.XXXXXX")"
  if ! erlc -o "$work" "$here"/h248_peer.erl "$here"/h248_mgc.erl "$here"/h248_mg.erl >&2; then
    rm -rf "$work"; echo "FATAL	erlc failed"; exit 4
  fi
  mv -T "$work" "$cache" 2>/dev/null || rm -rf "$work"
fi

# No crash dumps in the working directory; a dead VM has said why on stderr.
export ERL_CRASH_DUMP_SECONDS=0
exec erl -noshell -noinput -pa "$cache" -run "$module" main -extra "$@"
