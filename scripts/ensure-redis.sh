#!/usr/bin/env bash
# Makes sure a Redis server is installed and answering on 127.0.0.1 (loopback only), for the
# multi-replica tests and for local replica setups. Idempotent: does nothing when one already answers.
#   REDIS_PORT  port to use (default 6379)
#   REDIS_DIR   where the server keeps its pid file, log and (empty) dump (default /tmp/portolan-redis-$REDIS_PORT)
set -euo pipefail

PORT="${REDIS_PORT:-6379}"
DIR="${REDIS_DIR:-/tmp/portolan-redis-$PORT}"

if ! command -v redis-server >/dev/null 2>&1; then
  echo "ensure-redis: installing redis-server with apt" >&2
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y --no-install-recommends redis-server >/dev/null 2>&1 \
    || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends redis-server >/dev/null; }
fi

if redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null | grep -q PONG; then
  echo "ensure-redis: redis already answering on 127.0.0.1:$PORT"
  exit 0
fi

mkdir -p "$DIR"
# No persistence: replicas use Redis only as a message bus (pub/sub), never as a store.
redis-server --daemonize yes --bind 127.0.0.1 --port "$PORT" --protected-mode yes \
  --save "" --appendonly no --dir "$DIR" --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log"

for _ in $(seq 1 50); do
  if redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null | grep -q PONG; then
    echo "ensure-redis: redis started on 127.0.0.1:$PORT (pid $(cat "$DIR/redis.pid"))"
    exit 0
  fi
  sleep 0.1
done
echo "ensure-redis: redis did not come up on 127.0.0.1:$PORT; see $DIR/redis.log" >&2
exit 1
