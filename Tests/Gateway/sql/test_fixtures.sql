-- Fixtures for the gateway's own tests, after PostgREST's test suite (test/spec/fixtures) where the
-- reference quotes it: items, simple_pk, no_pk, tiobe_pls, single_unique, w_or_wo_comma_names,
-- add_them, sayhello, getitemrange, ret_void, ret_null, problem, raise_pt402 …, plus a few of our own.
-- Loaded as the bootstrap superuser into a fresh copy of the template (default privileges there give
-- anon, authenticated and service_role access to what is created in public).

create table items (id bigserial primary key);
insert into items select generate_series(1, 15);
select setval('items_id_seq', 15);

create table simple_pk (k varchar primary key, extra varchar not null);
insert into simple_pk values ('xyyx', 'u'), ('xYYx', 'v');

create table no_pk (a varchar, b varchar);
insert into no_pk values (null, null), ('1', '0'), ('2', '0');

create table tiobe_pls (name text primary key, rank smallint);
insert into tiobe_pls values ('Java', 1), ('C', 2), ('Python', 4);

create table single_unique (unique_key integer unique not null, value text);
insert into single_unique values (1, 'A');

create table w_or_wo_comma_names (name text);
insert into w_or_wo_comma_names values
  ('Hebdon, John'), ('Williams, Mary'), ('Smith, Joseph'), ('David White'), ('Larry Thompson'),
  ('Double"Quote"McGraw"'), ('\'), ('parent v1-1'), ('a+b'), ('Anna (x)'), ('"a,b"');

create table typed (id integer primary key, int_data integer, text_data text, bool_data boolean,
                    ts timestamptz, payload jsonb, tags text[], num numeric);
insert into typed values
  (1, 1, 'one', true, '2024-05-01 12:34:56.789123+00', '{"a": 1}', '{x,y}', 1.50),
  (2, 2, 'two', false, '2024-05-01 00:00:00+00', null, '{}', 100000000000000000000.000001),
  (3, null, null, null, null, null, null, null);

create table with_defaults (id bigserial primary key, label text not null default 'unnamed',
                            n integer default 7, made uuid default gen_random_uuid());

create table test_agents (
  id uuid primary key default gen_random_uuid(),
  identity text unique not null,
  is_available boolean not null default true,
  current_call_id uuid,
  last_call_ended_at timestamptz
);
create table call_events (
  id bigserial primary key,
  call_id uuid not null,
  agent_id uuid references test_agents (id),
  kind text not null check (kind <> ''),
  payload jsonb,
  created_at timestamptz default now()
);

create table authors_only (id integer primary key, secret text);
insert into authors_only values (1, 'hidden');
revoke all on authors_only from anon, authenticated;

create table "per%cent" ("odd col" integer, "quo""te" text);
insert into "per%cent" values (1, 'x'), (2, 'y');

create schema other;
grant usage on schema other to anon, authenticated, service_role;
create table other.things (id integer primary key, label text);
grant all on other.things to anon, authenticated, service_role;
insert into other.things values (1, 'from other');

create sequence counter_seq;

create type point_2d as (x integer, y integer);

create function add_them(a integer, b integer) returns integer language sql immutable as $$ select a + b $$;
create function sayhello(name text) returns text language sql immutable as $$ select 'Hello, ' || name $$;
create function getitemrange(min bigint, max bigint) returns setof items language sql stable
  as $$ select * from items where id > min and id <= max order by id $$;
create function ret_void() returns void language plpgsql as $$ begin end $$;
create function ret_null() returns integer language sql as $$ select null::integer $$;
create function ret_point_2d() returns point_2d language sql as $$ select row(10, 5)::point_2d $$;
create function single_out_param(num integer, out num_plus_one integer) language sql as $$ select num + 1 $$;
create function ret_setof_integers() returns setof integer language sql as $$ values (1), (2), (3) $$;
create function ret_array() returns integer[] language sql as $$ select '{1,2,3}'::integer[] $$;
create function ret_jsonb() returns jsonb language sql as $$ select '{"a": [1, 2], "b": null}'::jsonb $$;
create function ret_table(n integer) returns table (i integer, label text) language sql
  as $$ select g, 'row ' || g from generate_series(1, n) g $$;
create function is_valid_isbn(input text) returns boolean language sql immutable
  as $$ select input ~ '^[0-9-]{13,17}$' $$;
create function problem() returns void language plpgsql as $$ begin raise 'bad thing'; end $$;
create function raise_pt402() returns void language plpgsql as $$
begin
  raise sqlstate 'PT402' using message = 'Payment Required', detail = 'Quota exceeded', hint = 'Upgrade your plan';
end $$;
create function refuse() returns void language plpgsql as $$
begin
  raise exception 'I refuse!' using detail = 'Pretty simple', hint = 'There is nothing you can do.';
end $$;
create function raise_unique() returns void language plpgsql as $$
begin
  raise exception 'duplicate thing' using errcode = 'unique_violation';
end $$;
create function raise_custom() returns void language plpgsql as $$
begin
  raise sqlstate 'PGRST' using message = '{"code":"123","message":"Payment Required","details":"Quota","hint":"Upgrade"}',
    detail = '{"status":402,"headers":{"X-Powered-By":"Nerd Rage"}}';
end $$;
create function callcounter() returns bigint language sql volatile as $$ select nextval('counter_seq') $$;
create function insert_item(p_id bigint) returns bigint language sql volatile
  as $$ insert into items values (p_id) returning id $$;
create function sneaky_stable_writer() returns bigint language sql stable
  as $$ select nextval('counter_seq') $$;
create function mult_them(json) returns integer language sql
  as $$ select ($1 ->> 'x')::integer * ($1 ->> 'y')::integer $$;
create function named_json(param json) returns json language sql as $$ select param $$;
create function overloaded(a integer) returns text language sql as $$ select 'integer' $$;
create function overloaded(a text) returns text language sql as $$ select 'text' $$;
create function with_default(a integer, b integer default 10) returns integer language sql as $$ select a + b $$;
create function echo_args(p_uuid uuid, p_ts timestamptz, p_tags text[], p_doc jsonb, p_n numeric)
  returns jsonb language sql
  as $$ select jsonb_build_object('uuid', p_uuid, 'ts', p_ts, 'tags', p_tags, 'doc', p_doc, 'n', p_n) $$;
create function whoami() returns jsonb language sql stable as $$
  select jsonb_build_object(
    'current_user', current_user,
    'claims', nullif(current_setting('request.jwt.claims', true), '')::jsonb,
    'uid', auth.uid(),
    'search_path', current_setting('search_path'),
    'method', current_setting('request.method', true),
    'path', current_setting('request.path', true),
    'read_only', current_setting('transaction_read_only'),
    'timezone', current_setting('timezone'))
$$;
create function whoami_volatile() returns jsonb language sql volatile as $$
  select jsonb_build_object('read_only', current_setting('transaction_read_only'))
$$;
create function other.hello() returns text language sql as $$ select 'hello from other' $$;
grant execute on function other.hello() to anon, authenticated, service_role;
