#!/usr/bin/env bash
# A throwaway PostgreSQL cluster with the PostgREST-compatible test gateway (Tests/Gateway) in front.
#
#   scripts/test-postgres.sh start            start (an environment already running is stopped first);
#                                             prints the env file's path on stdout
#   scripts/test-postgres.sh stop             stop the gateway and the cluster, delete the temp dir
#   scripts/test-postgres.sh run -- CMD ARG…  start, run CMD with the environment (and the venv's bin
#                                             first on PATH), always stop; exits with CMD's status
#   scripts/test-postgres.sh status           print the env file's path, or fail when not started
#
# Installs what is missing: Debian's postgresql (when no /usr/lib/postgresql/*/bin/initdb), python3
# and python3-venv, and a venv at .build/python-venv with Tests/Gateway/requirements.txt. The cluster
# lives in a temp dir, listens on 127.0.0.1 only (free port), runs without fsync, and has Supabase's
# roles (anon, authenticated, service_role) and a template database `switchboard_template` with every
# supabase/migrations/*.sql applied in file-name order; `switchboard` (a copy) is the gateway's
# default database. Run as root, initdb and postgres run as the `postgres` user.
#
# The env file (default .build/test-postgres/env.sh, or $SWITCHBOARD_TEST_ENV_FILE) exports:
#   SWITCHBOARD_TEST_GATEWAY_URL          http://127.0.0.1:<port> (default database at /rest/v1)
#   SWITCHBOARD_TEST_SUPABASE_KEY         service-role key (HS256 JWT, role service_role)
#   SWITCHBOARD_TEST_SUPABASE_ANON_KEY    anon key (HS256 JWT, role anon)
#   SWITCHBOARD_TEST_GATEWAY_ADMIN_TOKEN  value of X-Gateway-Admin for /admin/...
#   SWITCHBOARD_TEST_JWT_SECRET           the HS256 secret (to sign test tokens)
#   SWITCHBOARD_TEST_PG_DSN               superuser DSN, postgresql://postgres:…@127.0.0.1:<port>/postgres
#   SWITCHBOARD_TEST_PG_BIN               directory with psql, pg_dump, pg_ctl
#   SWITCHBOARD_TEST_PYTHON               the venv's python (psycopg, PyJWT)
# Other settings: SWITCHBOARD_TEST_PG_TIMEOUT (s, default 60), SWITCHBOARD_TEST_GATEWAY_VERBOSE=1 (log
# every request to the gateway log), SWITCHBOARD_MIGRATIONS_DIR (default supabase/migrations).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STATE_DIR=$ROOT/.build/test-postgres
STATE_FILE=$STATE_DIR/state.sh
ENV_FILE=${SWITCHBOARD_TEST_ENV_FILE:-$STATE_DIR/env.sh}
VENV=$ROOT/.build/python-venv
GATEWAY_DIR=$ROOT/Tests/Gateway
MIGRATIONS_DIR=${SWITCHBOARD_MIGRATIONS_DIR:-$ROOT/supabase/migrations}
TIMEOUT=${SWITCHBOARD_TEST_PG_TIMEOUT:-60}
TEMPLATE_DB=switchboard_template
DEFAULT_DB=switchboard
GATEWAY_ROLE=switchboard_gateway

BOOTSTRAP_HELPERS_ONLY=1 source scripts/bootstrap.sh

log() { echo "test-postgres: $*" >&2; }
die() {
    echo "test-postgres: error: $*" >&2
    exit 1
}

# The newest Debian PostgreSQL bin directory with initdb, pg_ctl and psql.
find_pg_bin() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4 -n -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/psql" ] && [ -x "$dir/pg_dump" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

ensure_postgres() {
    if PG_BIN=$(find_pg_bin); then return 0; fi
    log "installing PostgreSQL (Debian package postgresql; no cluster of its own)"
    need_deb postgresql-common
    local conf=/etc/postgresql-common/createcluster.conf sudo=""
    if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
    if [ -f "$conf" ] && ! grep -q '^create_main_cluster *= *false' "$conf"; then
        echo 'create_main_cluster = false' | $sudo tee -a "$conf" >/dev/null
    fi
    apt_install postgresql
    PG_BIN=$(find_pg_bin) || die "postgresql is installed but no /usr/lib/postgresql/*/bin/initdb was found"
}

ensure_python() {
    if ! command -v python3 >/dev/null 2>&1; then
        need_deb python3
    fi
    if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
        need_deb python3-venv
    fi
    local stamp=$VENV/.switchboard-requirements
    if [ -x "$VENV/bin/python" ] && cmp -s "$GATEWAY_DIR/requirements.txt" "$stamp"; then return 0; fi
    log "creating the Python venv $VENV (psycopg, psycopg_pool, PyJWT from PyPI)"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$GATEWAY_DIR/requirements.txt" \
        || die "pip could not install $GATEWAY_DIR/requirements.txt"
    cp "$GATEWAY_DIR/requirements.txt" "$stamp"
}

py() { "$VENV/bin/python" "$@"; }
random_hex() { py -c 'import secrets, sys; print(secrets.token_hex(int(sys.argv[1])))' "$1"; }
free_port() { py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# make_jwt SECRET ROLE: a Supabase-style API key (iss supabase, ten years).
make_jwt() {
    py - "$1" "$2" <<'EOF'
import sys, time, jwt
now = int(time.time())
claims = {"iss": "supabase", "role": sys.argv[2], "iat": now, "exp": now + 10 * 365 * 24 * 3600}
print(jwt.encode(claims, sys.argv[1], algorithm="HS256"))
EOF
}

# as_pg CMD…: run a server-side command as the postgres user when root (initdb and postgres refuse root).
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        if command -v runuser >/dev/null 2>&1; then
            (cd / && runuser -u postgres -- "$@")
        else
            (cd / && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
        fi
    else
        (cd / && "$@")
    fi
}

psql_run() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

write_state() {
    mkdir -p "$STATE_DIR"
    {
        printf 'TMP_DIR=%q\n' "${TMP_DIR:-}"
        printf 'PG_BIN=%q\n' "${PG_BIN:-}"
        printf 'GATEWAY_PID=%q\n' "${GATEWAY_PID:-}"
    } >"$STATE_FILE"
}

show_logs() {
    local file
    for file in "$TMP_DIR/initdb.log" "$TMP_DIR/postgres.log" "$TMP_DIR/gateway.log"; do
        if [ -s "$file" ]; then
            echo "----- $file (last 40 lines) -----" >&2
            tail -n 40 "$file" >&2
        fi
    done
}

start_failed() {
    local status=$?
    log "start failed (status $status); logs follow, then cleanup"
    show_logs
    stop >&2 || true
    exit "$status"
}

# migrations: every supabase/migrations/*.sql in file-name (byte) order.
migrations() {
    [ -d "$MIGRATIONS_DIR" ] || return 0
    find "$MIGRATIONS_DIR" -maxdepth 1 -type f -name '*.sql' | LC_ALL=C sort
}

start_cluster() {
    local password=$1
    printf '%s\n' "$password" >"$TMP_DIR/pwfile"
    mkdir -p "$TMP_DIR/socket"
    if [ "$(id -u)" = 0 ]; then
        id -u postgres >/dev/null 2>&1 || die "running as root needs the postgres user (from Debian's postgresql-common)"
        chown -R postgres: "$TMP_DIR"
    fi
    chmod 700 "$TMP_DIR"
    as_pg "$PG_BIN/initdb" -D "$TMP_DIR/data" -U postgres --pwfile="$TMP_DIR/pwfile" --auth-host=scram-sha-256 \
        --auth-local=trust -E UTF8 --locale=C --no-sync >"$TMP_DIR/initdb.log" 2>&1 \
        || die "initdb failed (see $TMP_DIR/initdb.log)"
    rm -f "$TMP_DIR/pwfile"
    cat >>"$TMP_DIR/data/postgresql.conf" <<EOF

# scripts/test-postgres.sh: a throwaway test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$TMP_DIR/socket'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
timezone = 'UTC'
log_timezone = 'UTC'
EOF
    local attempt
    for attempt in 1 2 3; do
        PG_PORT=$(free_port)
        if as_pg "$PG_BIN/pg_ctl" -D "$TMP_DIR/data" -l "$TMP_DIR/postgres.log" -o "-p $PG_PORT" -w -t "$TIMEOUT" \
            start >/dev/null 2>&1; then
            break
        fi
        [ "$attempt" = 3 ] && die "PostgreSQL did not start (see $TMP_DIR/postgres.log)"
        log "PostgreSQL did not start on port $PG_PORT; trying another port"
    done
    local waited=0
    until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 1; do
        waited=$((waited + 1))
        [ "$waited" -lt "$TIMEOUT" ] || die "PostgreSQL on port $PG_PORT not ready after ${TIMEOUT}s"
        sleep 1
    done
}

prepare_databases() {
    local superuser_dsn=$1 gateway_password=$2 base=${1%/*} file
    psql_run "$superuser_dsn" -v gateway_role="$GATEWAY_ROLE" -v gateway_password="$gateway_password" \
        -f "$GATEWAY_DIR/sql/cluster_roles.sql" >/dev/null
    psql_run "$superuser_dsn" -c "CREATE DATABASE $TEMPLATE_DB" >/dev/null
    psql_run "$base/$TEMPLATE_DB" -v gateway_role="$GATEWAY_ROLE" -f "$GATEWAY_DIR/sql/database_setup.sql" >/dev/null
    local count=0
    while IFS= read -r file; do
        psql_run "$base/$TEMPLATE_DB" --single-transaction -f "$file" >"$TMP_DIR/migration.log" 2>&1 || {
            cat "$TMP_DIR/migration.log" >&2
            die "migration $file failed"
        }
        count=$((count + 1))
    done < <(migrations)
    if [ "$count" = 0 ]; then
        log "no migrations in $MIGRATIONS_DIR: the template has only the Supabase roles and schemas"
    else
        log "applied $count migration(s) to $TEMPLATE_DB"
    fi
    psql_run "$superuser_dsn" -c "CREATE DATABASE $DEFAULT_DB TEMPLATE $TEMPLATE_DB" >/dev/null
}

start_gateway() {
    local dsn=$1
    rm -f "$TMP_DIR/gateway.port"
    nohup "$VENV/bin/python" "$GATEWAY_DIR/postgrest_gateway.py" --dsn "$dsn" --template "$TEMPLATE_DB" \
        --host 127.0.0.1 --port 0 --port-file "$TMP_DIR/gateway.port" --jwt-secret "$JWT_SECRET" \
        --anon-key "$ANON_KEY" --service-key "$SERVICE_KEY" --admin-token "$ADMIN_TOKEN" --max-rows 1000 \
        ${SWITCHBOARD_TEST_GATEWAY_VERBOSE:+--verbose} >"$TMP_DIR/gateway.log" 2>&1 </dev/null &
    GATEWAY_PID=$!
    write_state
    py - "$TMP_DIR/gateway.port" "$ADMIN_TOKEN" "$GATEWAY_PID" "$TIMEOUT" <<'EOF' || die "the gateway did not become ready"
import os, sys, time, urllib.request
port_file, token, pid, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("test-postgres: the gateway exited during startup")
    try:
        port = int(open(port_file).read())
        request = urllib.request.Request(f"http://127.0.0.1:{port}/admin/stats", headers={"X-Gateway-Admin": token})
        with urllib.request.urlopen(request, timeout=2) as response:
            if response.status == 200:
                sys.exit(0)
    except (OSError, ValueError):
        pass
    time.sleep(0.1)
sys.exit(f"test-postgres: the gateway did not answer within {timeout:.0f}s")
EOF
    GATEWAY_PORT=$(cat "$TMP_DIR/gateway.port")
}

start() {
    local began=$SECONDS
    if [ -f "$STATE_FILE" ]; then
        log "an environment is already running: stopping it first"
        stop >&2
    fi
    ensure_postgres >&2
    ensure_python >&2
    TMP_DIR=$(mktemp -d "${SWITCHBOARD_TEST_PG_TMPDIR:-/tmp}/switchboard-pg.XXXXXX")
    GATEWAY_PID=""
    write_state
    trap start_failed EXIT
    local pg_password gateway_password
    pg_password=$(random_hex 16)
    gateway_password=$(random_hex 16)
    start_cluster "$pg_password"
    local superuser_dsn="postgresql://postgres:$pg_password@127.0.0.1:$PG_PORT/postgres"
    prepare_databases "$superuser_dsn" "$gateway_password"
    JWT_SECRET=$(random_hex 32)
    SERVICE_KEY=$(make_jwt "$JWT_SECRET" service_role)
    ANON_KEY=$(make_jwt "$JWT_SECRET" anon)
    ADMIN_TOKEN=$(random_hex 16)
    start_gateway "postgresql://$GATEWAY_ROLE:$gateway_password@127.0.0.1:$PG_PORT/$DEFAULT_DB"
    mkdir -p "$(dirname "$ENV_FILE")"
    (
        umask 077
        cat >"$ENV_FILE" <<EOF
# Written by scripts/test-postgres.sh start; removed by stop. Source it: . "$ENV_FILE"
export SWITCHBOARD_TEST_GATEWAY_URL='http://127.0.0.1:$GATEWAY_PORT'
export SWITCHBOARD_TEST_SUPABASE_KEY='$SERVICE_KEY'
export SWITCHBOARD_TEST_SUPABASE_ANON_KEY='$ANON_KEY'
export SWITCHBOARD_TEST_GATEWAY_ADMIN_TOKEN='$ADMIN_TOKEN'
export SWITCHBOARD_TEST_JWT_SECRET='$JWT_SECRET'
export SWITCHBOARD_TEST_PG_DSN='$superuser_dsn'
export SWITCHBOARD_TEST_PG_BIN='$PG_BIN'
export SWITCHBOARD_TEST_PYTHON='$VENV/bin/python'
EOF
    )
    trap - EXIT
    log "ready in $((SECONDS - began))s: PostgreSQL on 127.0.0.1:$PG_PORT ($TMP_DIR), gateway on" \
        "http://127.0.0.1:$GATEWAY_PORT (log $TMP_DIR/gateway.log)"
    echo "$ENV_FILE"
}

stop() {
    if [ ! -f "$STATE_FILE" ]; then
        log "nothing to stop"
        return 0
    fi
    local TMP_DIR="" PG_BIN="" GATEWAY_PID=""
    # shellcheck disable=SC1090
    source "$STATE_FILE"
    if [ -n "$GATEWAY_PID" ] && grep -qs postgrest_gateway.py "/proc/$GATEWAY_PID/cmdline"; then
        kill "$GATEWAY_PID" 2>/dev/null || true
        local waited=0
        while kill -0 "$GATEWAY_PID" 2>/dev/null && [ "$waited" -lt 50 ]; do
            sleep 0.1
            waited=$((waited + 1))
        done
        kill -0 "$GATEWAY_PID" 2>/dev/null && kill -9 "$GATEWAY_PID" 2>/dev/null || true
    fi
    if [ -n "$TMP_DIR" ] && [ -f "$TMP_DIR/data/postmaster.pid" ] && [ -n "$PG_BIN" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$TMP_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
            || log "pg_ctl stop failed (see $TMP_DIR/postgres.log)"
    fi
    case "$TMP_DIR" in
        */switchboard-pg.*) rm -rf "$TMP_DIR" ;;
    esac
    rm -f "$STATE_FILE" "$ENV_FILE"
    log "stopped"
}

run() {
    if [ "${1:-}" = "--" ]; then shift; fi
    [ "$#" -gt 0 ] || die "usage: scripts/test-postgres.sh run -- COMMAND [ARG…]"
    start >/dev/null
    trap 'stop' EXIT
    trap 'exit 130' INT TERM
    local status=0
    (
        # shellcheck disable=SC1090
        . "$ENV_FILE"
        PATH="$VENV/bin:$PATH" exec "$@"
    ) || status=$?
    exit "$status"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    run)
        shift
        run "$@"
        ;;
    status)
        [ -f "$STATE_FILE" ] && [ -f "$ENV_FILE" ] || die "not started"
        echo "$ENV_FILE"
        ;;
    *) die "usage: scripts/test-postgres.sh start|stop|status|run -- COMMAND [ARG…]" ;;
esac
