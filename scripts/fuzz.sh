#!/usr/bin/env bash
# The longer fuzz run: the CsCheck properties of tests/SfAi.Core.Tests/Fuzz, repeated with fresh random seeds until
# FUZZ_MINUTES have passed (default 10), each pass with SFAI_FUZZ_ITER iterations per property (default 20000).
# A failure prints CsCheck's seed; replay it with CsCheck_Seed=<seed>. Stops at the first failure.
#   scripts/fuzz.sh
#   FUZZ_MINUTES=60 SFAI_FUZZ_ITER=100000 scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export SFAI_FUZZ_ITER="${SFAI_FUZZ_ITER:-20000}"
minutes="${FUZZ_MINUTES:-10}"
dotnet build tests/SfAi.Core.Tests >/dev/null
end=$(( $(date +%s) + minutes * 60 ))
pass=0
while [ "$(date +%s)" -lt "$end" ]; do
  pass=$((pass + 1))
  echo "[fuzz] pass $pass ($SFAI_FUZZ_ITER iterations per property)" >&2
  dotnet test --no-build --project tests/SfAi.Core.Tests --filter-class '*Fuzz*'
done
echo "[fuzz] $pass passes in $minutes min, no failure" >&2
