#!/usr/bin/env bash
# Make a local PostgreSQL ready for Portolan's tests on PostgreSQL. Idempotent.
#  - apt-installs postgresql when missing
#  - starts the cluster without systemd (pg_ctlcluster), creating one if none exists
#  - creates the login role "portolan" (CREATEDB) with a random password, kept with the admin URL in
#    $PORTOLAN_TEST_PG_URL_FILE (default /var/lib/portolan-test/pg-url, mode 0600); the tests read it
#    from there unless PORTOLAN_TEST_PG_URL is set. Nothing secret is printed.
# With PORTOLAN_TEST_PG_URL set, only checks that it answers.
set -euo pipefail

URL_FILE="${PORTOLAN_TEST_PG_URL_FILE:-/var/lib/portolan-test/pg-url}"
ROLE=portolan
log() { echo "[postgres] $*"; }
die() { echo "[postgres] ERROR: $*" >&2; exit 1; }

if [[ -n "${PORTOLAN_TEST_PG_URL:-}" ]]; then
  command -v psql >/dev/null || die "psql not found (apt-get install postgresql-client)"
  psql "$PORTOLAN_TEST_PG_URL" -Atqc "SELECT 1" >/dev/null || die "PORTOLAN_TEST_PG_URL does not answer"
  log "using PORTOLAN_TEST_PG_URL"
  exit 0
fi

as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi
}

# ---------------------------------------------------------------- package
if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing postgresql (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends postgresql >/dev/null; }
fi

# ---------------------------------------------------------------- cluster
version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
if [[ -z "$version" || ! -d "/etc/postgresql/$version/main" ]]; then
  version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
  log "creating cluster $version/main"
  pg_createcluster "$version" main >/dev/null
fi
if ! pg_ctlcluster "$version" main status >/dev/null 2>&1; then
  log "starting cluster $version/main"
  pg_ctlcluster "$version" main start
fi
port="$(pg_conftool -s "$version" main show port 2>/dev/null || echo 5432)"
for _ in $(seq 60); do
  as_postgres psql -p "$port" -Atqc "SELECT 1" >/dev/null 2>&1 && break
  sleep 0.5
done
as_postgres psql -p "$port" -Atqc "SELECT 1" >/dev/null || die "cluster $version/main does not answer"

# ---------------------------------------------------------------- role
# The password travels in PGPASSWORD, never on a command line other users could read.
url_works() {
  [[ -s "$URL_FILE" && "$(cat "$URL_FILE")" =~ ^postgresql://$ROLE:([0-9a-f]+)@127\.0\.0\.1:$port/postgres$ ]] &&
    PGPASSWORD="${BASH_REMATCH[1]}" psql -h 127.0.0.1 -p "$port" -U "$ROLE" -d postgres -Atqc "SELECT 1" >/dev/null 2>&1
}
if ! url_works; then
  password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  as_postgres psql -p "$port" -v ON_ERROR_STOP=1 -Atq >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN CREATE ROLE $ROLE LOGIN CREATEDB; END IF;
END \$\$;
ALTER ROLE $ROLE WITH LOGIN CREATEDB PASSWORD '$password';
SQL
  mkdir -p "$(dirname "$URL_FILE")"
  chmod 700 "$(dirname "$URL_FILE")"
  (umask 077 && echo "postgresql://$ROLE:$password@127.0.0.1:$port/postgres" >"$URL_FILE")
  url_works || die "role $ROLE cannot log in over 127.0.0.1:$port"
  log "role $ROLE ready (admin URL in $URL_FILE)"
fi
# Tests drop their databases WITH (FORCE), which ends whatever is still connected. Once it met a
# backend that was not the role's own and failed; pg_signal_backend lets a non-superuser end it.
as_postgres psql -p "$port" -v ON_ERROR_STOP=1 -Atq -c "GRANT pg_signal_backend TO $ROLE" >/dev/null 2>&1 ||
  die "could not grant pg_signal_backend to $ROLE"
log "PostgreSQL $version ready on 127.0.0.1:$port"
