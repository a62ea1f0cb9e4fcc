#!/usr/bin/env bash
# Applies every supabase/migrations/*.sql (file-name order, each in one transaction) twice to a fresh
# database and checks that the second pass succeeds and changes no schema: `pg_dump --schema-only`
# after the first and after the second pass must be identical. Fails when there are no migrations.
#
#   scripts/test-migrations.sh      uses the running test cluster (scripts/test-postgres.sh), or starts
#                                   one just for this check and stops it afterwards
#
# The scratch database gets what a fresh Supabase database has first (Tests/Gateway/sql/
# database_setup.sql: extensions schema, API role grants, auth helpers); the roles are the cluster's.
# SWITCHBOARD_MIGRATIONS_DIR overrides the directory (default supabase/migrations).
set -euo pipefail
cd "$(dirname "$0")/.."
MIGRATIONS_DIR=${SWITCHBOARD_MIGRATIONS_DIR:-$PWD/supabase/migrations}

die() {
    echo "test-migrations: FAILED: $*" >&2
    exit 1
}

mapfile -t files < <([ -d "$MIGRATIONS_DIR" ] && find "$MIGRATIONS_DIR" -maxdepth 1 -type f -name '*.sql' | LC_ALL=C sort)
[ "${#files[@]}" -gt 0 ] || die "no migrations in $MIGRATIONS_DIR (expected supabase/migrations/*.sql)"

if [ -z "${SWITCHBOARD_TEST_PG_DSN:-}" ] || [ -z "${SWITCHBOARD_TEST_PG_BIN:-}" ]; then
    if env_file=$(scripts/test-postgres.sh status 2>/dev/null); then
        # shellcheck disable=SC1090
        . "$env_file"
    else
        exec scripts/test-postgres.sh run -- "$0" "$@"
    fi
fi

PSQL=("$SWITCHBOARD_TEST_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1)
database=sb_migration_check_$$_$RANDOM
base=${SWITCHBOARD_TEST_PG_DSN%/*}
dsn=$base/$database
work=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-migrations.XXXXXX")
cleanup() {
    "${PSQL[@]}" "$SWITCHBOARD_TEST_PG_DSN" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

"${PSQL[@]}" "$SWITCHBOARD_TEST_PG_DSN" -c "CREATE DATABASE $database" >/dev/null
"${PSQL[@]}" "$dsn" -v gateway_role=switchboard_gateway -f Tests/Gateway/sql/database_setup.sql >/dev/null

apply_all() {
    local pass=$1 file
    for file in "${files[@]}"; do
        if ! "${PSQL[@]}" "$dsn" --single-transaction -f "$file" >"$work/psql.log" 2>&1; then
            cat "$work/psql.log" >&2
            die "pass $pass: $(basename "$file") failed"
        fi
    done
}

dump() {
    # \restrict / \unrestrict lines (pg_dump 15.14+) carry a random key: not schema.
    "$SWITCHBOARD_TEST_PG_BIN/pg_dump" --schema-only --no-owner "$dsn" \
        | grep -v -e '^\\restrict ' -e '^\\unrestrict ' -e '^-- Dumped from' -e '^-- Dumped by' >"$1"
}

apply_all 1
dump "$work/first.sql"
apply_all 2
dump "$work/second.sql"
if ! diff -u "$work/first.sql" "$work/second.sql" >"$work/schema.diff"; then
    cat "$work/schema.diff" >&2
    die "the second application changed the schema (diff above)"
fi
echo "test-migrations: ${#files[@]} migration file(s) applied twice; the second pass succeeded and changed no schema"

# A migration that changes data: on a fresh database, the migrations before it, then data written
# before it (`$2`, SQL), then it and the rest; `$3` (a query giving one line) must then give `$4`.
check_on_data() {
    local migration=$1 data=$2 query=$3 expected=$4 file found
    [ -f "$MIGRATIONS_DIR/$migration" ] || die "$migration is missing"
    "${PSQL[@]}" "$SWITCHBOARD_TEST_PG_DSN" -c "DROP DATABASE $database WITH (FORCE)" >/dev/null
    "${PSQL[@]}" "$SWITCHBOARD_TEST_PG_DSN" -c "CREATE DATABASE $database" >/dev/null
    "${PSQL[@]}" "$dsn" -v gateway_role=switchboard_gateway -f Tests/Gateway/sql/database_setup.sql >/dev/null
    for file in "${files[@]}"; do
        [[ $(basename "$file") < $migration ]] && apply_file "$file"
    done
    "${PSQL[@]}" "$dsn" -c "$data" >/dev/null
    for file in "${files[@]}"; do
        [[ $(basename "$file") < $migration ]] || apply_file "$file"
    done
    found=$("${PSQL[@]}" "$dsn" -At -c "$query")
    [ "$found" = "$expected" ] || die "after $migration on data: expected '$expected', found '$found'"
}
apply_file() {
    "${PSQL[@]}" "$dsn" --single-transaction -f "$1" >"$work/psql.log" 2>&1 || { cat "$work/psql.log" >&2; die "$(basename "$1") failed on data"; }
}

# Data written before 20261124030000_one_tenant_per_identity may hold one identity current in several
# tenants. The record most in use must stay current (on a call, then not offline, then created last)
# and the others be retired and offline; an identity in one tenant is untouched.
identity_migration=20261124030000_one_tenant_per_identity.sql
expected="acme/amy/offline/true globex/amy/away/false initech/amy/offline/true acme/bob/available/false"
expected+=" acme/cy/offline/false globex/cy/offline/true acme/dee/away/false globex/dee/offline/true"
check_on_data "$identity_migration" "
    insert into public.agents (tenant_id, identity, name, email, presence, current_call_sid, created_at) values
        ('acme', 'amy', 'Amy', 'a@x', 'available', null, '2026-01-01'),
        ('globex', 'amy', 'Amy', 'a@x', 'away', null, '2026-01-03'),
        ('initech', 'amy', 'Amy', 'a@x', 'available', null, '2026-01-02'),
        ('acme', 'bob', 'Bob', 'b@x', 'available', null, '2026-01-01'),
        ('acme', 'cy', 'Cy', 'c@x', 'offline', 'CA-live', '2026-01-01'),
        ('globex', 'cy', 'Cy', 'c@x', 'available', null, '2026-01-02'),
        ('acme', 'dee', 'Dee', 'd@x', 'away', null, '2026-01-01'),
        ('globex', 'dee', 'Dee', 'd@x', 'offline', null, '2026-01-02')" "
    select string_agg(tenant_id || '/' || identity || '/' || presence || '/' || (retired_at is not null)::text, ' '
        order by identity, tenant_id) from public.agents" "$expected"
echo "test-migrations: $identity_migration on data kept each identity's record most in use current and retired the others"

# Voicemails stored before 20261125010000_voicemails_without_caller, before any record of their call,
# name no caller. Those whose call has a record naming one get its caller, and its tenant in place of
# the default one (a tenant the URL named stays); those of a call with no record, or one a claim
# recorded (no caller), stay as they are.
voicemail_migration=20261125010000_voicemails_without_caller.sql
expected="default/RE-claimed/- default/RE-none/- acme/RE-late/+15550001 beta/RE-named/+15550001"
expected+=" default/RE-caller/+15550009"
check_on_data "$voicemail_migration" "
    insert into public.calls (call_sid, tenant_id, caller, called, started_at) values
        ('CA-late', 'acme', '+15550001', '+15005550006', '2026-01-01'),
        ('CA-claimed', 'default', '', '', '2026-01-01');
    insert into public.voicemails (recording_sid, call_sid, tenant_id, caller, recording_url, received_at) values
        ('RE-late', 'CA-late', 'default', null, 'https://api.twilio.com/RE-late', '2026-01-01'),
        ('RE-named', 'CA-late', 'beta', null, 'https://api.twilio.com/RE-named', '2026-01-01'),
        ('RE-caller', 'CA-late', 'default', '+15550009', 'https://api.twilio.com/RE-caller', '2026-01-01'),
        ('RE-none', 'CA-none', 'default', null, 'https://api.twilio.com/RE-none', '2026-01-01'),
        ('RE-claimed', 'CA-claimed', 'default', null, 'https://api.twilio.com/RE-claimed', '2026-01-01')" "
    select string_agg(tenant_id || '/' || recording_sid || '/' || coalesce(caller, '-'), ' '
        order by caller nulls first, tenant_id, recording_sid) from public.voicemails" "$expected"
echo "test-migrations: $voicemail_migration on data gave voicemails stored before their call's record its caller and tenant"
plan=$("${PSQL[@]}" "$dsn" -At -c "set enable_seqscan = off;
    explain select recording_sid from public.voicemails where call_sid = 'CA-none' and caller is null")
[[ $plan == *voicemails_without_caller* ]] || die "the voicemails of a call with no caller are not found through voicemails_without_caller: $plan"
echo "test-migrations: the voicemails of a call with no caller are found through voicemails_without_caller"
