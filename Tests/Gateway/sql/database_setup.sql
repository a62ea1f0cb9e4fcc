-- What a fresh Supabase database has before a project's migrations run, applied to the template
-- database (and by scripts/test-migrations.sh to its scratch database). psql variable: gateway_role.
-- Mirrors supabase/postgres's initial schema: the extensions schema with uuid-ossp and pgcrypto,
-- USAGE on public for the API roles and default privileges so that tables, functions and sequences
-- created later by migrations are reachable through the API (service_role gets everything), plus
-- Supabase's auth.uid() / auth.role() / auth.jwt() helpers, which read the claims the gateway sets.
\set ON_ERROR_STOP 1

create schema if not exists extensions;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;

grant usage on schema public to anon, authenticated, service_role;
grant usage on schema extensions to anon, authenticated, service_role;

-- Default privileges belong to the role that creates the objects: the migrations run as the
-- bootstrap superuser (postgres, like on Supabase); test fixtures may be created by the gateway role.
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges for role :"gateway_role" in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges for role :"gateway_role" in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges for role :"gateway_role" in schema public grant all on sequences to anon, authenticated, service_role;

create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

create or replace function auth.uid() returns uuid language sql stable as $$
  select nullif(coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                         nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'), '')::uuid
$$;

create or replace function auth.role() returns text language sql stable as $$
  select nullif(coalesce(nullif(current_setting('request.jwt.claim.role', true), ''),
                         nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'), '')::text
$$;

create or replace function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim', true), ''),
                  nullif(current_setting('request.jwt.claims', true), ''))::jsonb
$$;
