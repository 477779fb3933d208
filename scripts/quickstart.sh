#!/usr/bin/env bash
# One command to a running Portolan: installs, builds, starts the server and a local agent enrolled
# for this machine's Docker engine, then prints the URL and how to log in. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export NEXT_TELEMETRY_DISABLED=1
export PORT="${PORT:-3000}" HOST="${HOST:-127.0.0.1}"
export DATABASE_URL="${DATABASE_URL:-file:./data/portolan.db}"
URL="http://${HOST}:${PORT}"
AGENT_STATE="${PORTOLAN_LOCAL_AGENT_STATE:-data/local-agent}"
SERVER_LOG=data/server.log
AGENT_LOG=data/agent.log
say() { echo "[portolan] $*"; }

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing dependencies (npm ci)"
  npm ci --include=dev --no-audit --no-fund --loglevel=error
fi
say "building"
npm run --silent db:generate >/dev/null
npx next build >/tmp/portolan-build.log 2>&1 || { tail -40 /tmp/portolan-build.log; exit 1; }
node scripts/build-agent.mjs >/dev/null

# The local agent needs an engine; start Debian's dockerd if it is installed but not running.
if ! timeout 10 docker version >/dev/null 2>&1; then
  if command -v dockerd >/dev/null && [[ $(id -u) -eq 0 ]]; then
    say "starting the Docker engine"
    setsid nohup dockerd >/tmp/portolan-dockerd.log 2>&1 </dev/null &
    for _ in $(seq 60); do timeout 5 docker version >/dev/null 2>&1 && break; sleep 0.5; done
  else
    say "warning: no Docker engine answers; the local host will show 'runtime unavailable' until one runs"
  fi
fi

mkdir -p data
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

say "starting the server (log: $SERVER_LOG)"
setsid npm start >"$SERVER_LOG" 2>&1 &
pids+=($!)
for _ in $(seq 120); do
  curl -fsS "$URL/api/health" >/dev/null 2>&1 && break
  kill -0 "${pids[0]}" 2>/dev/null || { tail -30 "$SERVER_LOG"; exit 1; }
  sleep 0.5
done

agent_env=(PORTOLAN_URL="$URL" PORTOLAN_STATE_DIR="$AGENT_STATE")
if [[ ! -f "$AGENT_STATE/enrollment.json" ]]; then
  token=$(npx tsx server/cli/main.ts host enroll --name "$(hostname)" --quiet)
  agent_env+=(PORTOLAN_ENROLL_TOKEN="$token")
fi
say "starting the local agent (log: $AGENT_LOG)"
# The agent's memory settings (malloc env + node flags) come from one place: agents/host/launch.ts.
agent_launch=$(npx tsx -e 'import { agentLaunchCommand } from "./agents/host/launch"; console.log(agentLaunchCommand("dist/portolan-agent.cjs"))')
env "${agent_env[@]}" setsid bash -c "$agent_launch" >"$AGENT_LOG" 2>&1 &
pids+=($!)

echo
say "Portolan is running at $URL"
if [[ -n "${PORTOLAN_ADMIN_EMAIL:-}" ]]; then
  say "log in as $PORTOLAN_ADMIN_EMAIL with PORTOLAN_ADMIN_PASSWORD"
elif code=$(grep -oE '[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}' "$SERVER_LOG" | tail -1) && [[ -n "$code" ]]; then
  say "first run: open $URL/setup and enter the setup code  $code  to create the admin account"
else
  say "log in with your admin account"
fi
say "Ctrl-C stops the server and the agent"
wait "${pids[0]}"
