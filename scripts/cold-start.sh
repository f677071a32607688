#!/usr/bin/env bash
# Start-to-first-response of a published gateway: process start → first successful chat completion on the
# `echo` alias (no key, shipped config). Prints each run and the median, in milliseconds.
#   scripts/cold-start.sh jit   # dotnet publish -c Release (framework-dependent)
#   scripts/cold-start.sh aot   # dotnet publish -c Release -r linux-x64 (native AOT)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-aot}
runs=${RUNS:-7}
port=${PORT:-5599}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [ "$mode" = aot ]; then
  dotnet publish src/SfAi.Api -c Release -r linux-x64 -o "$out" >/dev/null
  start=("$out/SfAi.Api")
else
  dotnet publish src/SfAi.Api -c Release -p:PublishAot=false -o "$out" >/dev/null
  start=(dotnet "$out/SfAi.Api.dll")
fi

body='{"model":"echo","messages":[{"role":"user","content":"ping"}]}'
times=()
for _ in $(seq 1 "$runs"); do
  t0=$(date +%s%N)
  "${start[@]}" --urls "http://127.0.0.1:$port" --LOG_FORMAT=json >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/v1/chat/completions"; do
    sleep 0.002
  done
  t1=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  ms=$(( (t1 - t0) / 1000000 ))
  times+=("$ms")
  echo "run: ${ms} ms"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "$mode median start-to-first-response: ${median} ms over $runs runs"
