-- Roles of a Supabase project, once per test cluster (psql variables: gateway_role, gateway_password).
-- Mirrors supabase/postgres migrations/db/init-scripts/00000000000000-initial-schema.sql: anon and
-- authenticated are NOLOGIN NOINHERIT, service_role also BYPASSRLS, and all three are granted to the
-- login role PostgREST connects as (Supabase's "authenticator"; here the gateway's role, which is a
-- superuser because it also runs CREATE DATABASE for the admin API).
\set ON_ERROR_STOP 1

create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;

create role :"gateway_role" login superuser noinherit password :'gateway_password';
grant anon to :"gateway_role";
grant authenticated to :"gateway_role";
grant service_role to :"gateway_role";

-- PostgREST applies these when it switches role (Supabase's defaults).
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
