#!/usr/bin/env bash
# A local Redis and two Haven instances on 127.0.0.1:8001 and :8002 sharing it (Ctrl-C stops all).
set -euo pipefail
cd "$(dirname "$0")/.."
REDIS_PORT=${REDIS_PORT:-6380}
export HAVEN_ENV=${HAVEN_ENV:-development}
export HAVEN_DATA_DIR=${HAVEN_DATA_DIR:-./var/cluster}
export REDIS_URL="redis://127.0.0.1:${REDIS_PORT}/0"
mkdir -p "$HAVEN_DATA_DIR"
command -v redis-server >/dev/null || { echo "redis-server is not installed (apt-get install redis-server)" >&2; exit 1; }
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$HAVEN_DATA_DIR" & pids+=($!)
.venv/bin/haven serve --port 8001 & pids+=($!)
.venv/bin/haven serve --port 8002 & pids+=($!)
echo "Redis on :$REDIS_PORT; Haven on http://127.0.0.1:8001 and http://127.0.0.1:8002 (put any HTTP load balancer in front)"
wait
