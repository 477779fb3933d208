#!/usr/bin/env bash
# Make this machine ready for Portolan's integration/e2e tests. Idempotent.
#  - apt-installs docker.io busybox-static iptables chromium when missing
#  - starts dockerd (detached, log /tmp/portolan-dockerd.log) if no engine answers
#  - imports the offline test image local/busybox:latest (scripts/import-busybox.sh)
#  - checks a bridged container can start; restarts dockerd once if not
#    (works around "could not find bridge docker0")
#  - removes leftover containers labelled portolan.test=1
# Honours DOCKER_HOST; the engine is only started/restarted when DOCKER_HOST is
# unset or points to the default socket.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
IMAGE="local/busybox:latest"
DEFAULT_SOCK="/var/run/docker.sock"
PIDFILE="/var/run/docker.pid"
DOCKERD_LOG="${PORTOLAN_DOCKERD_LOG:-/tmp/portolan-dockerd.log}"
START_TIMEOUT="${PORTOLAN_DOCKERD_TIMEOUT:-30}"

log() { echo "[env] $*"; }
die() { echo "[env] ERROR: $*" >&2; exit 1; }

is_default_host() {
  [[ -z "${DOCKER_HOST:-}" || "$DOCKER_HOST" == "unix://$DEFAULT_SOCK" \
     || "$DOCKER_HOST" == "unix:///run/docker.sock" ]]
}

# ---------------------------------------------------------------- packages
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
if [[ ! -x /bin/busybox ]] || ! dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed'; then
  missing+=(busybox-static)
fi
command -v iptables >/dev/null 2>&1 || [[ -x /usr/sbin/iptables ]] || missing+=(iptables)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v ip >/dev/null 2>&1 || [[ -x /usr/sbin/ip || -x /sbin/ip ]] || missing+=(iproute2) # fault tests cut links inside network namespaces
command -v curl >/dev/null 2>&1 || missing+=(curl) # the agent command shown by "Add host" downloads with curl
if ((${#missing[@]})); then
  log "installing ${missing[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  log "installed ${missing[*]}"
fi
command -v docker >/dev/null 2>&1 || die "docker CLI not found"

# ---------------------------------------------------------------- engine
engine_up() { timeout 10 docker version >/dev/null 2>&1; }

# alive = exists, runs program $2 (default dockerd), is not a zombie
# (PID 1 on this machine reaps orphans slowly, and dockerd/containerd treat a
# zombie named in their pidfile as "still running")
pid_alive() {
  local pid="$1" comm="${2:-dockerd}" stat
  stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
  [[ "$stat" == *"($comm) "* && "${stat##*) }" != Z* ]]
}

# remove pidfile $1 unless it names a live $2
clear_stale_pidfile() {
  local file="$1" comm="$2" pid
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file" 2>/dev/null || true)"
  if [[ ! "$pid" =~ ^[0-9]+$ ]] || ! pid_alive "$pid" "$comm"; then rm -f "$file"; fi
}

dockerd_pid() {
  local pid
  [[ -f "$PIDFILE" ]] || return 1
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] && pid_alive "$pid" && echo "$pid"
}

wait_engine() {
  local deadline=$((SECONDS + START_TIMEOUT))
  until engine_up; do
    if ((SECONDS >= deadline)); then return 1; fi
    sleep 0.5
  done
}

start_dockerd() {
  log "starting dockerd (log $DOCKERD_LOG)"
  # a pidfile naming a dead/zombie/foreign process makes dockerd refuse to
  # start, or wait forever for its managed containerd
  clear_stale_pidfile "$PIDFILE" dockerd
  clear_stale_pidfile /var/run/docker/containerd/containerd.pid containerd
  # own session so it survives this script and its caller's process group
  setsid nohup dockerd >"$DOCKERD_LOG" 2>&1 </dev/null &
  disown || true
  if ! wait_engine; then
    grep -v '\[core\]' "$DOCKERD_LOG" | tail -n 8 >&2 || true
    die "dockerd did not answer within ${START_TIMEOUT}s"
  fi
  log "dockerd is up"
}

stop_dockerd() {
  local pid i
  pid="$(dockerd_pid || true)"
  [[ -n "$pid" ]] || return 0
  log "stopping dockerd (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 40; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 10; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.5
  done
  die "dockerd (pid $pid) did not exit"
}

if ! engine_up; then
  is_default_host || die "no engine answers on DOCKER_HOST=$DOCKER_HOST"
  if [[ -n "$(dockerd_pid || true)" ]]; then
    # a dockerd is running but not (yet) answering: give it time, then restart
    if ! wait_engine; then
      stop_dockerd
      start_dockerd
    fi
  else
    start_dockerd
  fi
fi

# ---------------------------------------------------------------- image
"$HERE/import-busybox.sh"

# ---------------------------------------------------------------- bridge check
bridge_ok() {
  timeout 60 docker run --rm --network bridge --label portolan.test=1 \
    "$IMAGE" true >/tmp/portolan-bridge-check.log 2>&1
}
if ! bridge_ok; then
  log "bridged container failed: $(grep -m1 -i 'error' /tmp/portolan-bridge-check.log || tail -n 1 /tmp/portolan-bridge-check.log)"
  is_default_host || die "cannot restart the engine at DOCKER_HOST=$DOCKER_HOST"
  [[ -n "$(dockerd_pid || true)" ]] || die "engine not started from $PIDFILE; cannot restart it"
  stop_dockerd
  start_dockerd
  "$HERE/import-busybox.sh"
  bridge_ok || die "bridged container still fails: $(cat /tmp/portolan-bridge-check.log)"
  log "bridge network ok after restart"
fi

# ---------------------------------------------------------------- leftovers
leftovers="$(docker ps -aq --filter label=portolan.test=1)"
if [[ -n "$leftovers" ]]; then
  log "removing $(wc -w <<<"$leftovers") leftover test container(s)"
  # shellcheck disable=SC2086
  docker rm -f $leftovers >/dev/null
fi
log "ready"
