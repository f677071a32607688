#!/usr/bin/env bash
# The longer fuzz run: every CsCheck property of the Fuzz folders, repeated with fresh random seeds until FUZZ_MINUTES
# have passed (default 10), each pass with SFAI_FUZZ_ITER iterations per property (default 20000):
#   tests/SfAi.Core.Tests/Fuzz   the request path (arbitrary bytes, random requests, mutated seeds), SseEventReader
#                                (any bytes in any read sizes), AnthropicStreamTranslator (arbitrary bytes, mutated
#                                captured event sequences), OpenAIResponseInspector (arbitrary bytes, mutated chunks)
#   tests/SfAi.Api.Tests/Fuzz    the real gateway on one keep-alive connection: random bodies (SFAI_FUZZ_ITER/10), and
#                                mutated Anthropic streams from a fake upstream (SFAI_FUZZ_ITER/40)
# A failure prints CsCheck's seed; replay it with CsCheck_Seed=<seed>. Stops at the first failure.
# CI runs the same properties once with their defaults (a few seconds in all).
#   scripts/fuzz.sh
#   FUZZ_MINUTES=60 SFAI_FUZZ_ITER=100000 scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export SFAI_FUZZ_ITER="${SFAI_FUZZ_ITER:-20000}"
minutes="${FUZZ_MINUTES:-10}"
dotnet build tests/SfAi.Core.Tests >/dev/null
dotnet build tests/SfAi.Api.Tests >/dev/null
end=$(( $(date +%s) + minutes * 60 ))
pass=0
while [ "$(date +%s)" -lt "$end" ]; do
  pass=$((pass + 1))
  echo "[fuzz] pass $pass ($SFAI_FUZZ_ITER iterations per property)" >&2
  dotnet test --no-build --project tests/SfAi.Core.Tests --filter-class 'SfAi.Core.Tests.Fuzz.*'
  dotnet test --no-build --project tests/SfAi.Api.Tests --filter-class 'SfAi.Api.Tests.Fuzz.*'
done
echo "[fuzz] $pass passes in $minutes min, no failure" >&2
