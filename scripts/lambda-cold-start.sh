#!/usr/bin/env bash
# Start-to-first-answer of a native gateway binary under a local stand-in of the Lambda Runtime API: the process is
# started as Lambda starts bootstrap (AWS_LAMBDA_RUNTIME_API set), gets one API Gateway HTTP API event for
# POST /v1/chat/completions on the `echo` alias, and the time is taken when its answer is posted back. Prints each
# run and the median, in milliseconds. Needs python3 and curl; nothing leaves 127.0.0.1.
#   scripts/lambda-cold-start.sh deploy/cdk/cdk.out/asset.<hash>/bootstrap   # the package cdk synth built
set -euo pipefail
binary=$(realpath "${1:?usage: scripts/lambda-cold-start.sh <path to bootstrap or SfAi.Api>}")
runs=${RUNS:-7}
port=${PORT:-5620}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/runtime_api.py" <<'PY'
import json, sys, time, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
port, answered = int(sys.argv[1]), sys.argv[2]
body = json.dumps({"model": "echo", "messages": [{"role": "user", "content": "ping"}]})
event = json.dumps({"version": "2.0", "routeKey": "POST /v1/chat/completions", "rawPath": "/v1/chat/completions",
    "rawQueryString": "", "headers": {"content-type": "application/json", "host": "local"}, "body": body, "isBase64Encoded": False,
    "requestContext": {"http": {"method": "POST", "path": "/v1/chat/completions", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1",
        "userAgent": "cold-start"}, "requestId": "r1", "stage": "$default", "routeKey": "POST /v1/chat/completions", "timeEpoch": 0}}).encode()
handed = threading.Event()
class RuntimeApi(BaseHTTPRequestHandler):
    def log_message(self, *args): pass
    def do_GET(self):  # /2018-06-01/runtime/invocation/next: one event, then the next call waits
        if not self.path.endswith("/invocation/next"):  # the script's readiness probe
            self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers(); return
        if handed.is_set():
            time.sleep(60); return
        handed.set()
        self.send_response(200)
        self.send_header("Lambda-Runtime-Aws-Request-Id", "cold-start-1")
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
        self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:sfai")
        self.send_header("Content-Length", str(len(event))); self.end_headers(); self.wfile.write(event)
    def do_POST(self):  # .../invocation/<id>/response (or /error)
        length = int(self.headers.get("Content-Length") or 0)
        payload = self.rfile.read(length) if length else b""
        with open(answered, "w") as f:
            f.write(f"{time.time_ns()}\n{self.path}\n{payload.decode(errors='replace')}\n")
        self.send_response(202); self.send_header("Content-Length", "0"); self.end_headers()
ThreadingHTTPServer(("127.0.0.1", port), RuntimeApi).serve_forever()
PY

times=()
for run in $(seq 1 "$runs"); do
  python3 "$work/runtime_api.py" "$port" "$work/answer" & api=$!
  until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.05; done
  rm -f "$work/answer"
  t0=$(date +%s%N)
  (cd "$(dirname "$binary")" && AWS_LAMBDA_RUNTIME_API="127.0.0.1:$port" AWS_REGION=us-east-1 AWS_LAMBDA_FUNCTION_NAME=sfai \
    LOG_FORMAT=json exec "$binary") >"$work/log" 2>&1 & gateway=$!
  until [ -s "$work/answer" ]; do sleep 0.002; done
  t1=$(head -n 1 "$work/answer")
  kill "$gateway" "$api" 2>/dev/null || true
  wait "$gateway" "$api" 2>/dev/null || true
  if ! grep -q '"statusCode":200' "$work/answer"; then
    echo "run $run: the gateway did not answer 200:" >&2; tail -n +2 "$work/answer" >&2; tail -5 "$work/log" >&2; exit 1
  fi
  ms=$(( (t1 - t0) / 1000000 ))
  times+=("$ms")
  echo "run: ${ms} ms"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "median start-to-first-answer under the Runtime API: ${median} ms over $runs runs"
