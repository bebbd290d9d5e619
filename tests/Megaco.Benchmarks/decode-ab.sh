#!/usr/bin/env bash
# A/B of decode CPU time. One harness (this project's decode-cpu, built from the working tree) runs with the
# Megaco.Protocol.dll of git ref A (default HEAD) and with that of the working tree (or of git ref B),
# alternately, PAIRS times: thread CPU time per message, so other load on a shared machine disturbs the
# comparison less. Each run prints the min and the median of its rounds; the script ends with the min of mins
# (the least disturbed rounds, the steadier figure on a busy machine) and the median of medians.
# Builds of a ref are kept under ${AB_CACHE:-/tmp/decode-ab}/<commit> and reused.
#   tests/Megaco.Benchmarks/decode-ab.sh [A ref, default HEAD] [pairs, default 4] [pretty|compact, default pretty] [B ref]
set -euo pipefail
REF=${1:-HEAD}
PAIRS=${2:-4}
STYLE=${3:-pretty}
BREF=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${AB_CACHE:-/tmp/decode-ab}
export H248_BENCH_CORPUS=${H248_BENCH_CORPUS:-$root/tests/corpus}
work=$(mktemp -d)
cleanup() { git -C "$root" worktree remove --force "$work/src" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
dotnet build "$here/Megaco.Benchmarks.csproj" -c Release -nodeReuse:false -v q -o "$work/harness" >/dev/null
# A directory holding the harness with the Megaco.Protocol.dll of a ref.
with_ref() {
    local sha
    sha=$(git -C "$root" rev-parse "$1^{commit}")
    if [ ! -f "$cache/$sha/Megaco.Protocol.dll" ]; then
        git -C "$root" worktree add --detach "$work/src" "$sha" >/dev/null 2>&1
        dotnet build "$work/src/Megaco.Protocol/Megaco.Protocol.csproj" -c Release -nodeReuse:false -v q -o "$cache/$sha" >/dev/null
        git -C "$root" worktree remove --force "$work/src"
    fi
    cp -r "$work/harness" "$work/$sha"
    cp "$cache/$sha/Megaco.Protocol.dll" "$work/$sha/"
    echo "$work/$sha"
}
a_dir=$(with_ref "$REF")
if [ -n "$BREF" ]; then
    b_dir=$(with_ref "$BREF")
else
    b_dir=$work/harness
fi
echo "built; running"
run() { dotnet "$1/Megaco.Benchmarks.dll" decode-cpu "$STYLE" | tail -1 | sed -E 's/.*min ([0-9.]+) median ([0-9.]+).*/\1 \2/'; }
amin=(); amed=(); bmin=(); bmed=()
for i in $(seq "$PAIRS"); do
    read -r x y < <(run "$a_dir"); amin+=("$x"); amed+=("$y")
    read -r x y < <(run "$b_dir"); bmin+=("$x"); bmed+=("$y")
    echo "pair $i: A min ${amin[-1]} median ${amed[-1]}  B min ${bmin[-1]} median ${bmed[-1]} ns/msg"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
minimum() { printf '%s\n' "$@" | sort -n | head -1; }
echo "min of mins: A $(minimum "${amin[@]}")  B $(minimum "${bmin[@]}"); median of medians: A $(median "${amed[@]}")  B $(median "${bmed[@]}") ns/msg ($STYLE, A=$REF, B=${BREF:-working tree})"
