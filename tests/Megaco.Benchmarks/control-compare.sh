#!/usr/bin/env bash
# The two-process control benchmark of issue 4: our MGC (this benchmark process) against our MG (a separate
# Megaco.Mg process), Add+Subtract pairs over loopback, UDP and TCP, pretty and compact, 1 and 32 outstanding.
# Usage: tests/Megaco.Benchmarks/control-compare.sh [SECONDS] [TERMINATIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
terminations=${2:-1}
dotnet build -c Release Megaco.Mg >/dev/null
dotnet build -c Release tests/Megaco.Benchmarks >/dev/null
mg=Megaco.Mg/bin/Release/net10.0/Megaco.Mg.dll
for transport in udp tcp; do
  for encoding in compact pretty; do
    for outstanding in 1 32; do
      dotnet tests/Megaco.Benchmarks/bin/Release/net10.0/Megaco.Benchmarks.dll control-load --mg "$mg" \
        --transport "$transport" --encoding "$encoding" --outstanding "$outstanding" --seconds "$seconds" \
        --terminations "$terminations"
    done
  done
done
