#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: installs what is missing, starts a Docker engine,
# builds, then runs unit, integration and end-to-end tests against the real engine and Chromium.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NEXT_TELEMETRY_DISABLED=1 CI="${CI:-}"
started=$SECONDS
step() { echo; echo "=== $* ($((SECONDS - started)) s)"; }
cleanup() { docker ps -aq --filter label=portolan.test=1 | xargs -r docker rm -f >/dev/null 2>&1 || true; }
trap cleanup EXIT

step "environment: Docker engine, Chromium, test image"
bash scripts/ensure-test-env.sh

step "dependencies"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --include=dev --no-audit --no-fund --loglevel=error
fi
npx prisma generate >/dev/null

step "typecheck"
npx tsc --noEmit

step "build"
npx next build >/tmp/portolan-build.log 2>&1 || { tail -60 /tmp/portolan-build.log; exit 1; }
node scripts/build-agent.mjs

step "unit and integration tests"
npx vitest run

step "end-to-end tests (Playwright + Chromium)"
npx playwright test

step "all tests passed in $((SECONDS - started)) s"
