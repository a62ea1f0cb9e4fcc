-- One tenant per identity: an identity (a Twilio Voice SDK client name) is a current agent of one
-- tenant at most. Client names are account-wide at Twilio, and every tenant of a Switchboard shares
-- one account, so an identity current in two tenants was rung by both tenants' calls and could
-- answer either: a user moved from one tenant to another kept taking the first one's callers, and
-- two people given one identity in two tenants took each other's.
--
-- A record of the identity in another tenant is retired, not deleted: the history of calls, parks
-- and handoffs refers to it. A retired record is offline (a CHECK holds it there, so no build, old
-- or new, can ring it again) and the service refuses presence changes to it. move_agent retires the
-- identity's record elsewhere and stores the new one in one transaction; upsert_agent refuses an
-- identity current in another tenant, and makes a retired record it updates current again.
--
-- A retired record takes no call and no chat: the triggers below refuse to put it on a call (a claim,
-- a retrieval, a recalled parker), to park with it, or to give it a handoff, with PT404 as for an
-- unknown agent, whatever build or function tries.
--
-- Data from before this rule may hold an identity current in several tenants. This migration keeps
-- the record most in use current (on a call, then not offline, then created last) and retires the
-- others now, so the index below can build; `switchboard agents list` shows which, and
-- `agents import --move` moves an identity back. Apply it before starting the build that reads
-- retired_at.

alter table public.agents add column if not exists retired_at timestamptz;

with ranked as (
    select id, row_number() over (
        partition by identity
        order by (current_call_sid is not null) desc, (presence <> 'offline') desc, created_at desc, id desc
    ) as rank
    from public.agents
    where retired_at is null
)
update public.agents as agent
set presence = 'offline', retired_at = now()
from ranked
where agent.id = ranked.id and ranked.rank > 1;

do $$
begin
    if not exists (
        select 1 from pg_constraint where conname = 'agents_retired_offline' and conrelid = 'public.agents'::regclass
    ) then
        alter table public.agents add constraint agents_retired_offline check (retired_at is null or presence = 'offline');
    end if;
end;
$$;

create unique index if not exists agents_one_current_tenant_per_identity
    on public.agents (identity) where retired_at is null;

-- As before, and: an identity current in another tenant is refused with PT409 (HTTP 409) naming
-- that tenant; a retired record it updates is current again. The lock serializes the upserts and
-- moves of one identity, so the check and the write see the same state (the unique index would
-- otherwise turn a race into a bare unique violation).
create or replace function public.upsert_agent(
    p_id text, p_tenant_id text, p_identity text, p_name text, p_email text, p_presence text,
    p_current_call_sid text, p_wrap_up_ends_at timestamptz, p_last_call_ended_at timestamptz,
    p_chat_capacity integer
) returns public.agents
language plpgsql volatile as $$
declare
    v_agent public.agents;
    v_elsewhere text;
begin
    perform pg_advisory_xact_lock(hashtextextended('agent identity' || chr(31) || p_identity, 20261124));
    select tenant_id into v_elsewhere from public.agents
    where identity = p_identity and tenant_id <> p_tenant_id and retired_at is null
    limit 1;
    if found then
        raise exception using errcode = 'PT409',
            message = format(
                'Identity %s is already a current agent of tenant %s: a Twilio client name rings in every tenant '
                    || 'that holds it, so it can be current in one tenant only',
                p_identity, v_elsewhere
            );
    end if;
    update public.agents
    set name = p_name, email = p_email, presence = p_presence, chat_capacity = p_chat_capacity, retired_at = null
    where tenant_id = p_tenant_id and identity = p_identity
    returning * into v_agent;
    if found then
        return v_agent;
    end if;
    insert into public.agents (
        id, tenant_id, identity, name, email, presence,
        current_call_sid, wrap_up_ends_at, last_call_ended_at, chat_capacity
    ) values (
        case when coalesce(p_id, '') = '' then gen_random_uuid() else p_id::uuid end,
        p_tenant_id, p_identity, p_name, p_email, p_presence,
        p_current_call_sid, p_wrap_up_ends_at, p_last_call_ended_at, p_chat_capacity
    )
    returning * into v_agent;
    return v_agent;
end;
$$;

-- Retires the identity's current record in any other tenant (offline, retired at p_retired_at), then
-- stores the agent as upsert_agent does, in one transaction. Returns
-- {"agent": <row>, "retired_in": <tenant id or null>}. A record to retire that is on a call raises
-- PT409 and changes nothing: the agent would be free, and rung, in the new tenant while still talking
-- in the old one.
create or replace function public.move_agent(
    p_id text, p_tenant_id text, p_identity text, p_name text, p_email text, p_presence text,
    p_current_call_sid text, p_wrap_up_ends_at timestamptz, p_last_call_ended_at timestamptz,
    p_chat_capacity integer, p_retired_at timestamptz
) returns jsonb
language plpgsql volatile as $$
declare
    v_agent public.agents;
    v_retired_in text;
    v_call_sid text;
begin
    perform pg_advisory_xact_lock(hashtextextended('agent identity' || chr(31) || p_identity, 20261124));
    select tenant_id, current_call_sid into v_retired_in, v_call_sid from public.agents
    where identity = p_identity and tenant_id <> p_tenant_id and retired_at is null
    for update;
    if v_call_sid is not null then
        raise exception using errcode = 'PT409',
            message = format('Agent %s is on call %s in tenant %s: move it when that call ends', p_identity, v_call_sid, v_retired_in);
    end if;
    update public.agents
    set presence = 'offline', retired_at = p_retired_at
    where identity = p_identity and tenant_id <> p_tenant_id and retired_at is null
    returning tenant_id into v_retired_in;
    v_agent := public.upsert_agent(
        p_id, p_tenant_id, p_identity, p_name, p_email, p_presence,
        p_current_call_sid, p_wrap_up_ends_at, p_last_call_ended_at, p_chat_capacity
    );
    return jsonb_build_object('agent', to_jsonb(v_agent), 'retired_in', v_retired_in);
end;
$$;

revoke execute on function public.move_agent(text, text, text, text, text, text, text, timestamptz, timestamptz, integer, timestamptz)
    from public, anon, authenticated;
grant execute on function public.move_agent(text, text, text, text, text, text, text, timestamptz, timestamptz, integer, timestamptz)
    to service_role;

create or replace function public.agents_retired_take_no_call() returns trigger
language plpgsql as $$
begin
    if new.retired_at is not null and new.current_call_sid is not null
        and new.current_call_sid is distinct from old.current_call_sid then
        raise exception using errcode = 'PT404',
            message = format('No current agent %s in tenant %s: its record is retired', new.identity, new.tenant_id);
    end if;
    return new;
end;
$$;

drop trigger if exists agents_retired_take_no_call on public.agents;
create trigger agents_retired_take_no_call before update of current_call_sid on public.agents
    for each row execute function public.agents_retired_take_no_call();

-- Raises PT404 when the tenant's record of the identity is retired; the triggers below share it.
create or replace function public.refuse_retired_agent(p_tenant_id text, p_identity text) returns void
language plpgsql as $$
begin
    if exists (
        select 1 from public.agents
        where tenant_id = p_tenant_id and identity = p_identity and retired_at is not null
    ) then
        raise exception using errcode = 'PT404',
            message = format('No current agent %s in tenant %s: its record is retired', p_identity, p_tenant_id);
    end if;
end;
$$;

revoke execute on function public.refuse_retired_agent(text, text) from public, anon, authenticated;
grant execute on function public.refuse_retired_agent(text, text) to service_role;

create or replace function public.parked_calls_parker_is_current() returns trigger
language plpgsql as $$
begin
    perform public.refuse_retired_agent(new.tenant_id, new.parked_by);
    return new;
end;
$$;

drop trigger if exists parked_calls_parker_is_current on public.parked_calls;
create trigger parked_calls_parker_is_current before insert on public.parked_calls
    for each row execute function public.parked_calls_parker_is_current();

create or replace function public.chat_handoffs_holder_is_current() returns trigger
language plpgsql as $$
begin
    if new.picked_up_by is not null and new.picked_up_by is distinct from old.picked_up_by then
        perform public.refuse_retired_agent(new.tenant_id, new.picked_up_by);
    end if;
    return new;
end;
$$;

drop trigger if exists chat_handoffs_holder_is_current on public.chat_handoffs;
create trigger chat_handoffs_holder_is_current before update of picked_up_by on public.chat_handoffs
    for each row execute function public.chat_handoffs_holder_is_current();
