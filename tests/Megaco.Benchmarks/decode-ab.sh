#!/usr/bin/env bash
# A/B of decode CPU time: builds the benchmark tool at git ref A (default HEAD) and from the working tree (B),
# (or at git ref B), then alternates them PAIRS times (decode-cpu: thread CPU time per message, so other load on a shared machine
# disturbs the comparison less) and prints each run's median and the medians over all runs.
#   tests/Megaco.Benchmarks/decode-ab.sh [A ref, default HEAD] [pairs, default 4] [pretty|compact, default pretty] [B ref]
set -euo pipefail
REF=${1:-HEAD}
PAIRS=${2:-4}
STYLE=${3:-pretty}
BREF=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
cleanup() { for s in a-src b-src; do git -C "$root" worktree remove --force "$work/$s" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
git -C "$root" worktree add --detach "$work/a-src" "$REF" >/dev/null 2>&1
build() { dotnet build "$1/tests/Megaco.Benchmarks/Megaco.Benchmarks.csproj" -c Release -nodeReuse:false -v q -o "$2" >/dev/null; }
build "$work/a-src" "$work/a"
if [ -n "$BREF" ]; then
    git -C "$root" worktree add --detach "$work/b-src" "$BREF" >/dev/null 2>&1
    build "$work/b-src" "$work/b"
else
    build "$root" "$work/b"
fi
echo "built; running"
run() { H248_BENCH_CORPUS=${H248_BENCH_CORPUS:-} dotnet "$work/$1/Megaco.Benchmarks.dll" decode-cpu "$STYLE" 5 300000 | tail -1 | sed -E 's/.*median ([0-9.]+).*/\1/'; }
a=(); b=()
for i in $(seq "$PAIRS"); do
    a+=("$(run a)"); b+=("$(run b)")
    echo "pair $i: A ${a[-1]}  B ${b[-1]} ns/msg"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
echo "median of medians: A $(median "${a[@]}")  B $(median "${b[@]}") ns/msg ($STYLE, A=$REF, B=${BREF:-working tree})"
