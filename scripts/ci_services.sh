#!/usr/bin/env bash
# Start the services the test suite uses for real, on Debian 12, as root:
#   - PostgreSQL, for the trend store's tests (tests/test_store.py), with role `voiceline`
#     (password `voiceline`) owning database `voiceline_test`;
#   - Chromium, for the report's browser checks.
#
# Idempotent: installs only what is missing, starts the cluster only when it is down, creates
# the role and database only when absent; run it as often as you like. Prints one line saying
# what it did. Not root, or no apt-get: prints a warning and exits 0 (the PostgreSQL tests then
# skip, except under CI=true where they fail, as they should). A failed install or a cluster
# that will not start exits 1.
#
#   sudo scripts/ci_services.sh
#   VOICELINE_TEST_PG_URL=postgresql+psycopg://voiceline:voiceline@localhost:5432/voiceline_test

set -uo pipefail

ROLE=voiceline
PASSWORD=voiceline
DATABASE=voiceline_test

warn() { echo "ci_services: warning: $*" >&2; }
die() { echo "ci_services: error: $*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
    warn "not root: not installing or starting PostgreSQL/Chromium (PostgreSQL tests will skip)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    warn "no apt-get: not installing PostgreSQL/Chromium (PostgreSQL tests will skip)"
    exit 0
fi

did=()

# --- install what is missing ------------------------------------------------------------------
missing=()
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || ! command -v pg_lsclusters >/dev/null 2>&1; then
    missing+=(postgresql)
fi
if ! command -v chromium >/dev/null 2>&1; then
    missing+=(chromium)
fi
if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    log=$(mktemp)
    if ! apt-get install -y --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
        # A fresh image has no package lists yet: update once, then try again.
        if ! { apt-get update >>"$log" 2>&1 \
               && apt-get install -y --no-install-recommends "${missing[@]}" >>"$log" 2>&1; }; then
            tail -n 20 "$log" >&2
            rm -f "$log"
            die "apt-get install ${missing[*]} failed (see the lines above)"
        fi
    fi
    rm -f "$log"
    did+=("installed ${missing[*]}")
fi

# --- the cluster --------------------------------------------------------------------------------
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
[ -n "$version" ] || die "no PostgreSQL server under /usr/lib/postgresql after install"

# First cluster of the newest installed version (Debian creates `main` on install).
read -r cl_version cl_name cl_port cl_status _ < <(pg_lsclusters --no-header | awk -v v="$version" '$1 == v' | head -n 1)
if [ -z "${cl_name:-}" ]; then
    pg_createcluster "$version" main >/dev/null 2>&1 || die "pg_createcluster $version main failed"
    did+=("created cluster $version/main")
    read -r cl_version cl_name cl_port cl_status _ < <(pg_lsclusters --no-header | awk -v v="$version" '$1 == v' | head -n 1)
fi
if [ "$cl_status" != "online" ]; then
    pg_ctlcluster "$cl_version" "$cl_name" start || die "pg_ctlcluster $cl_version $cl_name start failed"
    did+=("started cluster $cl_version/$cl_name")
fi
for _ in $(seq 1 30); do
    pg_isready -q -p "$cl_port" && break
    sleep 1
done
pg_isready -q -p "$cl_port" || die "PostgreSQL $cl_version/$cl_name is not accepting connections on port $cl_port"

# --- role and database --------------------------------------------------------------------------
as_postgres() {  # psql as the postgres superuser, from a folder it can read
    (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$cl_port" "$@")
}

if [ "$(as_postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
    as_postgres -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'" || die "could not create role $ROLE"
    did+=("created role $ROLE")
fi
if [ "$(as_postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != "1" ]; then
    as_postgres -c "CREATE DATABASE $DATABASE OWNER $ROLE" || die "could not create database $DATABASE"
    did+=("created database $DATABASE")
fi

summary="PostgreSQL $cl_version/$cl_name online on port $cl_port with role $ROLE and database $DATABASE; chromium present"
if [ ${#did[@]} -eq 0 ]; then
    echo "ci_services: nothing to do: $summary"
else
    joined=$(printf '%s, ' "${did[@]}")
    echo "ci_services: ${joined%, }: $summary"
fi
