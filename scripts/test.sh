#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: installs what is missing, starts a Docker engine,
# PostgreSQL and Redis, builds, then runs unit tests, the integration suite on SQLite and again on
# PostgreSQL, the end-to-end tests (Chromium), and the fault tests (beside the others: they mostly wait).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NEXT_TELEMETRY_DISABLED=1 CI="${CI:-}"
started=$SECONDS
step() { echo; echo "=== $* ($((SECONDS - started)) s)"; }
faults_pid=""
cleanup() {
  [[ -n "$faults_pid" ]] && kill -- -"$faults_pid" 2>/dev/null || true
  docker ps -aq --filter label=portolan.test=1 | xargs -r docker rm -f >/dev/null 2>&1 || true
}
trap cleanup EXIT

step "environment: Docker engine, Chromium, test image, PostgreSQL, Redis"
bash scripts/ensure-test-env.sh
bash scripts/ensure-postgres.sh
bash scripts/ensure-redis.sh

step "dependencies"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --include=dev --no-audit --no-fund --loglevel=error
fi
npm run db:generate >/dev/null

step "typecheck"
npx tsc --noEmit

step "build"
npx next build >/tmp/portolan-build.log 2>&1 || { tail -60 /tmp/portolan-build.log; exit 1; }
node scripts/build-agent.mjs

step "fault tests: started in the background (log /tmp/portolan-faults.log)"
# Network cuts of up to 10 minutes are waited out beside the other suites instead of after them.
setsid npx vitest run --project faults >/tmp/portolan-faults.log 2>&1 &
faults_pid=$!

step "unit and integration tests (SQLite)"
npx vitest run --project unit --project integration

step "integration tests on PostgreSQL"
PORTOLAN_TEST_DATABASE=postgres npx vitest run --project integration

step "end-to-end tests (Playwright + Chromium)"
npx playwright test

step "fault tests: waiting for them to finish"
faults_rc=0
wait "$faults_pid" || faults_rc=$?
faults_pid=""
cat /tmp/portolan-faults.log
if ((faults_rc != 0)); then echo "fault tests failed (exit $faults_rc)"; exit "$faults_rc"; fi

step "all tests passed in $((SECONDS - started)) s"
