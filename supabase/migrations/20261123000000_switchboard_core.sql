-- Switchboard's schema for a Supabase project: tenants and their numbers, agents, calls and their
-- claims, ring events, voicemails, parked calls and chat handoffs, with the functions for every
-- operation that must be atomic. Apply with `supabase db push` (or psql). Safe to apply twice.
--
-- Identifiers that Switchboard orders by (tenant ids, agent identities, recording SIDs) use the "C"
-- collation: byte order, the same order the embedded SQLite store and the service's own code use.
-- Times are timestamptz, kept to the microsecond.

-- Tenants ----------------------------------------------------------------------------------------

create table if not exists public.tenants (
    id text collate "C" primary key check (length(id) between 1 and 128),
    name text not null default '',
    created_at timestamptz not null default now()
);

-- Every table that names a tenant creates it on first use, so the foreign keys below always hold
-- without a separate "create tenant" step.
create or replace function public.switchboard_ensure_tenant() returns trigger
language plpgsql as $$
begin
    insert into public.tenants (id) values (new.tenant_id) on conflict (id) do nothing;
    return new;
end;
$$;

create table if not exists public.phone_numbers (
    number text primary key check (length(number) between 1 and 64),
    tenant_id text collate "C" not null references public.tenants (id) on delete cascade
);

-- Agents -----------------------------------------------------------------------------------------

create table if not exists public.agents (
    id uuid primary key default gen_random_uuid(),
    tenant_id text collate "C" not null references public.tenants (id) on delete cascade,
    -- The Voice SDK client identity: 1 to 256 ASCII letters, digits or underscores.
    identity text collate "C" not null check (length(identity) between 1 and 256 and identity ~ '^[A-Za-z0-9_]+$'),
    name text not null,
    email text not null,
    -- Set by the agent.
    presence text not null default 'available' check (presence in ('available', 'away', 'offline')),
    -- Set by the system.
    current_call_sid text,
    wrap_up_ends_at timestamptz,
    last_call_ended_at timestamptz,
    chat_capacity integer not null default 5 check (chat_capacity >= 0),
    created_at timestamptz not null default now(),
    unique (tenant_id, identity)
);

-- One agent per call: a second agent on the same call is an impossible state.
create unique index if not exists agents_one_per_call
    on public.agents (current_call_sid) where current_call_sid is not null;

-- Serves the voice route's read: a tenant's ringable agents, already in ring order (longest idle
-- first, never-called agents first, ties by identity).
create index if not exists agents_ringable
    on public.agents (tenant_id, last_call_ended_at asc nulls first, identity)
    where presence = 'available' and current_call_sid is null;

-- Calls and their claims -------------------------------------------------------------------------

create table if not exists public.calls (
    call_sid text primary key check (length(call_sid) between 1 and 64),
    tenant_id text collate "C" not null references public.tenants (id) on delete cascade,
    caller text not null default '',
    called text not null default '',
    agents_rung text[] not null default '{}',
    started_at timestamptz not null,
    answered_by text collate "C",
    answered_at timestamptz,
    -- A call is answered by an agent of its own tenant, and has an answer time exactly when it has
    -- a winner.
    foreign key (tenant_id, answered_by) references public.agents (tenant_id, identity) on update cascade,
    check ((answered_by is null) = (answered_at is null))
);

-- Ring events ------------------------------------------------------------------------------------

create table if not exists public.ring_events (
    sequence bigint generated always as identity primary key,
    call_sid text not null,
    tenant_id text collate "C" not null references public.tenants (id) on delete cascade,
    agent_identity text collate "C" not null,
    kind text not null check (kind in ('ringing', 'answered', 'declined', 'missed', 'parked', 'retrieved')),
    occurred_at timestamptz not null,
    detail text,
    -- Twilio retries a callback: the same event twice is stored once.
    unique (call_sid, agent_identity, kind)
);

create index if not exists ring_events_by_tenant on public.ring_events (tenant_id, sequence);

-- Voicemails -------------------------------------------------------------------------------------

create table if not exists public.voicemails (
    recording_sid text collate "C" primary key check (length(recording_sid) between 1 and 64),
    call_sid text not null,
    tenant_id text collate "C" not null references public.tenants (id) on delete cascade,
    caller text,
    recording_url text not null,
    duration_seconds integer check (duration_seconds >= 0),
    received_at timestamptz not null
);

create index if not exists voicemails_by_tenant on public.voicemails (tenant_id, received_at desc, recording_sid);

-- Parked calls -----------------------------------------------------------------------------------

create table if not exists public.parked_calls (
    id uuid primary key default gen_random_uuid(),
    tenant_id text collate "C" not null references public.tenants (id) on delete cascade,
    call_sid text not null,
    slot text not null,
    parked_by text collate "C" not null,
    parked_at timestamptz not null,
    retrieved_by text collate "C",
    retrieved_at timestamptz,
    -- Set when the caller hangs up or the call goes to voicemail while parked.
    ended_at timestamptz,
    foreign key (tenant_id, parked_by) references public.agents (tenant_id, identity) on update cascade,
    foreign key (tenant_id, retrieved_by) references public.agents (tenant_id, identity) on update cascade,
    check ((retrieved_by is null) = (retrieved_at is null)),
    check (retrieved_at is null or ended_at is null)
);

-- A call is parked at most once at a time.
create unique index if not exists parked_calls_one_open_per_call
    on public.parked_calls (call_sid) where retrieved_at is null and ended_at is null;
create index if not exists parked_calls_open_by_tenant
    on public.parked_calls (tenant_id, parked_at) where retrieved_at is null and ended_at is null;

-- Chat handoffs ----------------------------------------------------------------------------------

create table if not exists public.chat_handoffs (
    id uuid primary key default gen_random_uuid(),
    tenant_id text collate "C" not null references public.tenants (id) on delete cascade,
    conversation_id text not null,
    customer_name text,
    summary text,
    status text not null default 'pending' check (status in ('pending', 'active', 'released')),
    picked_up_by text collate "C",
    picked_up_at timestamptz,
    released_at timestamptz,
    created_at timestamptz not null default now(),
    foreign key (tenant_id, picked_up_by) references public.agents (tenant_id, identity) on update cascade,
    -- Pending handoffs have no agent; active and released ones have the agent who picked them up.
    check ((status = 'pending') = (picked_up_by is null)),
    check ((picked_up_by is null) = (picked_up_at is null)),
    check ((status = 'released') = (released_at is not null))
);

create index if not exists chat_handoffs_by_status on public.chat_handoffs (tenant_id, status, created_at);
create index if not exists chat_handoffs_active_by_agent
    on public.chat_handoffs (tenant_id, picked_up_by) where status = 'active';

-- Tenant triggers --------------------------------------------------------------------------------

do $$
declare
    t text;
begin
    foreach t in array array['phone_numbers', 'agents', 'calls', 'ring_events', 'voicemails', 'parked_calls', 'chat_handoffs'] loop
        execute format('drop trigger if exists switchboard_ensure_tenant on public.%I', t);
        execute format(
            'create trigger switchboard_ensure_tenant before insert or update of tenant_id on public.%I '
            'for each row execute function public.switchboard_ensure_tenant()', t);
    end loop;
end;
$$;

-- Functions --------------------------------------------------------------------------------------

-- The tenant that owns a called number. While no number is mapped at all, every number belongs to
-- the tenant 'default'; once any is mapped, an unmapped number has no tenant (null).
create or replace function public.tenant_for_number(p_number text) returns text
language sql stable as $$
    select coalesce(
        (select tenant_id from public.phone_numbers where number = p_number),
        case when exists (select 1 from public.phone_numbers) then null else 'default' end
    );
$$;

-- The voice route's one read: the tenant owning the called number and its agents who can be rung at
-- p_at (available, on no call, out of wrap-up), longest idle first, at most p_limit. Null when no
-- tenant owns the number.
create or replace function public.routing_snapshot(p_called_number text, p_at timestamptz, p_limit integer)
returns jsonb
language sql stable as $$
    with tenant as (select public.tenant_for_number(p_called_number) as id)
    select case when tenant.id is null then null else jsonb_build_object(
        'tenant', tenant.id,
        'agents', coalesce((
            select jsonb_agg(to_jsonb(ringable) order by ringable.last_call_ended_at asc nulls first, ringable.identity)
            from (
                select * from public.agents
                where tenant_id = tenant.id
                  and presence = 'available'
                  and current_call_sid is null
                  and (wrap_up_ends_at is null or wrap_up_ends_at <= p_at)
                order by last_call_ended_at asc nulls first, identity
                limit greatest(p_limit, 0)
            ) ringable
        ), '[]'::jsonb)
    ) end
    from tenant;
$$;

-- Creates an agent, or updates the one with the same tenant and identity: name, email, presence and
-- chat capacity change; its id and the system-set call fields stay, and p_id is ignored. A new agent
-- is stored whole (system fields included, for seeding), with p_id as its id (a UUID; null or empty
-- makes a new one).
create or replace function public.upsert_agent(
    p_id text, p_tenant_id text, p_identity text, p_name text, p_email text, p_presence text,
    p_current_call_sid text, p_wrap_up_ends_at timestamptz, p_last_call_ended_at timestamptz,
    p_chat_capacity integer
) returns public.agents
language plpgsql volatile as $$
declare
    v_agent public.agents;
begin
    update public.agents
    set name = p_name, email = p_email, presence = p_presence, chat_capacity = p_chat_capacity
    where tenant_id = p_tenant_id and identity = p_identity
    returning * into v_agent;
    if found then
        return v_agent;
    end if;
    -- New, unless a concurrent upsert created it a moment ago: then this one updates it.
    insert into public.agents (
        id, tenant_id, identity, name, email, presence,
        current_call_sid, wrap_up_ends_at, last_call_ended_at, chat_capacity
    ) values (
        case when coalesce(p_id, '') = '' then gen_random_uuid() else p_id::uuid end,
        p_tenant_id, p_identity, p_name, p_email, p_presence,
        p_current_call_sid, p_wrap_up_ends_at, p_last_call_ended_at, p_chat_capacity
    )
    on conflict (tenant_id, identity) do update set
        name = excluded.name, email = excluded.email, presence = excluded.presence,
        chat_capacity = excluded.chat_capacity
    returning * into v_agent;
    return v_agent;
end;
$$;

-- Claims a call for an agent, atomically: among any number of concurrent claims of one call,
-- exactly one wins, and the winner's current call is set in the same transaction. Returns
-- {"outcome": "won"}, {"outcome": "already_answered", "answered_by": <identity>} or
-- {"outcome": "agent_busy", "current_call_sid": <sid>}. In order: an unknown agent, or a call
-- recorded for another tenant, raises PT404 (HTTP 404 through PostgREST); a repeat by the winner
-- wins again and changes nothing; an agent on another call is busy; a call with a winner is already
-- answered; otherwise the agent wins, and a call not yet recorded is recorded with its winner.
create or replace function public.claim_call_as(
    p_call_sid text, p_tenant_id text, p_agent_identity text, p_claimed_at timestamptz
) returns jsonb
language plpgsql volatile as $$
declare
    v_current_call text;
    v_call_tenant text;
    v_winner text;
begin
    -- Locks the agent's row: one agent cannot win two calls at once.
    select current_call_sid into v_current_call
    from public.agents where tenant_id = p_tenant_id and identity = p_agent_identity
    for update;
    if not found then
        raise exception using errcode = 'PT404',
            message = format('No agent %s in tenant %s', p_agent_identity, p_tenant_id);
    end if;

    select tenant_id, answered_by into v_call_tenant, v_winner from public.calls where call_sid = p_call_sid;
    if found and v_call_tenant <> p_tenant_id then
        raise exception using errcode = 'PT404', message = format('No call %s in tenant %s', p_call_sid, p_tenant_id);
    end if;
    if v_winner = p_agent_identity then
        return jsonb_build_object('outcome', 'won');
    end if;
    if v_current_call is not null and v_current_call <> p_call_sid then
        return jsonb_build_object('outcome', 'agent_busy', 'current_call_sid', v_current_call);
    end if;
    if v_winner is not null then
        return jsonb_build_object('outcome', 'already_answered', 'answered_by', v_winner);
    end if;

    -- The claim itself: concurrent claimers queue on the call's row; the first sets the winner and
    -- the condition fails for every later one.
    insert into public.calls as c (call_sid, tenant_id, started_at, answered_by, answered_at)
    values (p_call_sid, p_tenant_id, p_claimed_at, p_agent_identity, p_claimed_at)
    on conflict (call_sid) do update set answered_by = excluded.answered_by, answered_at = excluded.answered_at
        where c.answered_by is null and c.tenant_id = excluded.tenant_id
    returning answered_by into v_winner;

    if v_winner is null then
        select tenant_id, answered_by into v_call_tenant, v_winner from public.calls where call_sid = p_call_sid;
        if v_call_tenant <> p_tenant_id then
            raise exception using errcode = 'PT404', message = format('No call %s in tenant %s', p_call_sid, p_tenant_id);
        end if;
        return jsonb_build_object('outcome', 'already_answered', 'answered_by', v_winner);
    end if;

    update public.agents set current_call_sid = p_call_sid
    where tenant_id = p_tenant_id and identity = p_agent_identity;
    return jsonb_build_object('outcome', 'won');
end;
$$;

-- The claim as the original system named it: true when this agent won the call (or had already
-- won it), false when another agent answered first or this agent is on another call.
-- `select claim_call('CA…', '<agent id>')` works from any SQL client.
create or replace function public.claim_call(p_call_sid text, p_agent_id uuid) returns boolean
language plpgsql volatile as $$
declare
    v_agent public.agents;
begin
    select * into v_agent from public.agents where id = p_agent_id;
    if not found then
        raise exception using errcode = 'PT404', message = format('No agent with id %s', p_agent_id);
    end if;
    return public.claim_call_as(p_call_sid, v_agent.tenant_id, v_agent.identity, now()) ->> 'outcome' = 'won';
end;
$$;

-- Stores a ring event and returns its sequence, or null when the same event (call, agent, kind) is
-- already stored. Sequences of one tenant are assigned under a per-tenant lock held to commit, so a
-- reader that has seen sequence n never later finds a new event below n: resuming "after n" loses
-- nothing.
create or replace function public.record_ring_event(
    p_call_sid text, p_tenant_id text, p_agent_identity text, p_kind text, p_occurred_at timestamptz,
    p_detail text
) returns bigint
language plpgsql volatile as $$
declare
    v_sequence bigint;
begin
    perform pg_advisory_xact_lock(hashtext('switchboard.ring_events'), hashtext(p_tenant_id));
    insert into public.ring_events (call_sid, tenant_id, agent_identity, kind, occurred_at, detail)
    values (p_call_sid, p_tenant_id, p_agent_identity, p_kind, p_occurred_at, p_detail)
    on conflict (call_sid, agent_identity, kind) do nothing
    returning sequence into v_sequence;
    return v_sequence;
end;
$$;

-- Access -----------------------------------------------------------------------------------------
-- The service uses the service-role key, which bypasses row-level security. Row-level security is on
-- with no policies, so the anon and authenticated roles (a browser's keys) read and write nothing.

alter table public.tenants enable row level security;
alter table public.phone_numbers enable row level security;
alter table public.agents enable row level security;
alter table public.calls enable row level security;
alter table public.ring_events enable row level security;
alter table public.voicemails enable row level security;
alter table public.parked_calls enable row level security;
alter table public.chat_handoffs enable row level security;

grant usage on schema public to service_role;
grant select, insert, update, delete on
    public.tenants, public.phone_numbers, public.agents, public.calls, public.ring_events,
    public.voicemails, public.parked_calls, public.chat_handoffs
    to service_role;

revoke execute on function
    public.switchboard_ensure_tenant(),
    public.tenant_for_number(text),
    public.routing_snapshot(text, timestamptz, integer),
    public.upsert_agent(text, text, text, text, text, text, text, timestamptz, timestamptz, integer),
    public.claim_call_as(text, text, text, timestamptz),
    public.claim_call(text, uuid),
    public.record_ring_event(text, text, text, text, timestamptz, text)
    from public, anon, authenticated;
grant execute on function
    public.switchboard_ensure_tenant(),
    public.tenant_for_number(text),
    public.routing_snapshot(text, timestamptz, integer),
    public.upsert_agent(text, text, text, text, text, text, text, timestamptz, timestamptz, integer),
    public.claim_call_as(text, text, text, timestamptz),
    public.claim_call(text, uuid),
    public.record_ring_event(text, text, text, text, timestamptz, text)
    to service_role;
