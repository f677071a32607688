#!/usr/bin/env bash
# The soak: 1,000 streams held open through the published native gateway for 10 minutes against the fake upstream
# (bench/SfAi.Bench.Upstream), all on 127.0.0.1. The gateway's RSS is sampled every 10 s; the run passes when the
# mean RSS of the last third of the steady samples lies within 10 % of the first third's, and when the gateway wrote
# one chat_completion line per completed stream. It stops by itself (about 11 minutes, plus the build).
#   bench/soak.sh                             # the full soak; report in bench/results/soak.md
#   SOAK_MINUTES=2 SOAK_STREAMS=200 bench/soak.sh   # a shorter one
#   SOAK_GATEWAY=path/to/SfAi.Api bench/soak.sh    # an already published gateway (native binary or SfAi.Api.dll)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

out=bench/.out
results=bench/results
mkdir -p "$out" "$results"
gateway="${SOAK_GATEWAY:-}"
if [ -z "$gateway" ]; then
  echo "[soak] publishing the gateway (native AOT)" >&2
  dotnet publish src/SfAi.Api -c Release -r linux-x64 -o "$out/aot" >/dev/null
  gateway="$out/aot/SfAi.Api"
fi
echo "[soak] building the fake upstream and the soak" >&2
dotnet build bench/SfAi.Bench.Upstream -c Release -o "$out/upstream" >/dev/null
dotnet build bench/SfAi.Bench.Soak -c Release -o "$out/soak" >/dev/null

rm -rf "$out/soak-logs"
echo "[soak] ${SOAK_STREAMS:-1000} streams for ${SOAK_MINUTES:-10} min" >&2
dotnet "$out/soak/SfAi.Bench.Soak.dll" --gateway "$gateway" --upstream "$out/upstream/SfAi.Bench.Upstream.dll" \
  --streams "${SOAK_STREAMS:-1000}" --minutes "${SOAK_MINUTES:-10}" --sample-seconds 10 \
  --warmup-seconds "${SOAK_WARMUP_SECONDS:-120}" --tolerance 10 \
  --work "$out/soak-logs" --out "$results/soak.md"
