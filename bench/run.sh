#!/usr/bin/env bash
# The benchmark suite: builds the gateway (native AOT and JIT), the fake upstream and the runner, runs the
# microbenchmarks, then end-to-end load, streams, memory and cold start on 127.0.0.1, and prints one report
# (also written to bench/results/latest.md). About 6-9 minutes on a 2-core machine.
#   bench/run.sh                 # everything, with Portkey side by side when Node.js is available
#   bench/run.sh --no-portkey    # without the peer
#   bench/run.sh --no-micro      # without the microbenchmarks
#   bench/run.sh --quick         # shorter runs, for trying the suite out (figures are noisier)
#   bench/run.sh --only=cold     # some parts only: load, streams, memory, cold (comma-separated)
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

portkey=yes micro=yes runner_args=()
for arg in "$@"; do
  case "$arg" in
    --no-portkey) portkey=no ;;
    --no-micro) micro=no ;;
    --quick) runner_args+=(--duration 2 --streams 10 --cold-runs 5 --floor-rounds 3) ;;
    --only=*) runner_args+=(--parts "${arg#--only=}") ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

if ! command -v wrk >/dev/null 2>&1; then
  echo "[bench] installing wrk" >&2
  apt-get update >/dev/null && apt-get install -y wrk >/dev/null
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

out=bench/.out
results=bench/results
mkdir -p "$out" "$results"
echo "[bench] building" >&2
dotnet publish src/SfAi.Api -c Release -r linux-x64 -o "$out/aot" -p:TreatWarningsAsErrors=true >/dev/null
dotnet publish src/SfAi.Api -c Release -p:PublishAot=false -o "$out/jit" >/dev/null
dotnet build bench/SfAi.Bench.Upstream -c Release -o "$out/upstream" >/dev/null
dotnet build bench/SfAi.Bench.Runner -c Release -o "$out/runner" >/dev/null

portkey_args=()
if [ "$portkey" = yes ] && command -v npm >/dev/null 2>&1; then
  echo "[bench] installing Portkey's gateway (bench/tools)" >&2
  if npm ci --no-audit --no-fund --ignore-scripts --prefix bench/tools >/dev/null 2>&1; then
    portkey_args=(--portkey bench/tools/node_modules/@portkey-ai/gateway/build/start-server.js)
  else
    echo "[bench] Portkey could not be installed: measured without it" >&2
  fi
fi

micro_args=()
if [ "$micro" = yes ]; then
  echo "[bench] microbenchmarks" >&2
  rm -rf "$results/micro"
  dotnet run -c Release --project bench/SfAi.Bench.Micro -- --filter '*' >"$out/micro.log" 2>&1 || { tail -n 40 "$out/micro.log" >&2; exit 1; }
  micro_args=(--micro "$results/micro")
fi

echo "[bench] end to end" >&2
dotnet "$out/runner/SfAi.Bench.Runner.dll" --aot "$out/aot/SfAi.Api" --jit "$out/jit/SfAi.Api.dll" \
  --upstream "$out/upstream/SfAi.Bench.Upstream.dll" --work "$out/logs" --out "$results/latest.md" \
  "${portkey_args[@]}" "${micro_args[@]}" "${runner_args[@]}"
echo "[bench] whole suite: $(( $(date +%s) - started )) s" >&2
