-- The agents' dashboard (Switchboard's DeskStore): when a call stopped ringing unanswered, and the
-- functions for the dashboard's atomic operations on the parked calls and chat handoffs that the
-- first migration created: parking, retrieving a parked call, picking up and releasing a handoff.
-- Safe to apply twice.
--
-- The functions raise PT404 (HTTP 404 through PostgREST) for a record that does not exist in the
-- tenant, and PT409 (HTTP 409) for a conflict, as claim_call_as does.

-- Calls ------------------------------------------------------------------------------------------

-- Set when the call stopped ringing without an answer (voicemail, or the caller hung up).
alter table public.calls add column if not exists finished_at timestamptz;

-- Serves the dashboard's list of ringing calls: a tenant's unanswered, unfinished calls, oldest first.
create index if not exists calls_ringing_by_tenant
    on public.calls (tenant_id, started_at, call_sid) where answered_by is null and finished_at is null;

-- Ring events ------------------------------------------------------------------------------------

-- Serves an agent's latest ring outcomes (how many rings in a row it missed), newest first.
create index if not exists ring_events_by_agent
    on public.ring_events (tenant_id, agent_identity, sequence desc);

-- Parked calls -----------------------------------------------------------------------------------

-- Parks a call and returns the parked call's row. In order: an agent that does not exist in the
-- tenant, or a call recorded for another tenant, raises PT404; a call already waiting in a slot (of
-- any tenant) raises PT409, as does a concurrent park of the same call (the unique index
-- parked_calls_one_open_per_call turns it into a unique violation, HTTP 409).
create or replace function public.park_call(
    p_call_sid text, p_tenant_id text, p_slot text, p_parked_by text, p_parked_at timestamptz
) returns jsonb
language plpgsql volatile as $$
declare
    v_call_tenant text;
    v_parked public.parked_calls;
begin
    perform 1 from public.agents where tenant_id = p_tenant_id and identity = p_parked_by;
    if not found then
        raise exception using errcode = 'PT404', message = format('No agent %s in tenant %s', p_parked_by, p_tenant_id);
    end if;
    select tenant_id into v_call_tenant from public.calls where call_sid = p_call_sid;
    if found and v_call_tenant <> p_tenant_id then
        raise exception using errcode = 'PT404', message = format('No call %s in tenant %s', p_call_sid, p_tenant_id);
    end if;
    perform 1 from public.parked_calls
    where call_sid = p_call_sid and retrieved_at is null and ended_at is null;
    if found then
        raise exception using errcode = 'PT409', message = format('Call %s is already parked', p_call_sid);
    end if;
    insert into public.parked_calls (tenant_id, call_sid, slot, parked_by, parked_at)
    values (p_tenant_id, p_call_sid, p_slot, p_parked_by, p_parked_at)
    returning * into v_parked;
    return to_jsonb(v_parked);
end;
$$;

-- Retrieves a parked call for an agent, atomically: the parked call's row is locked, so among
-- concurrent retrievals exactly one sets the retriever. Returns
-- {"outcome": "retrieved", "parked_call": <row>}, {"outcome": "already_retrieved", "retrieved_by":
-- <identity>} or {"outcome": "ended"}. In order: an unknown agent or parked call in the tenant raises
-- PT404; a repeat by the retriever returns the row unchanged; another agent's retrieval is named; an
-- ended park is ended; otherwise the agent retrieves it.
create or replace function public.retrieve_parked_call(
    p_id uuid, p_tenant_id text, p_agent_identity text, p_at timestamptz
) returns jsonb
language plpgsql volatile as $$
declare
    v_parked public.parked_calls;
begin
    perform 1 from public.agents where tenant_id = p_tenant_id and identity = p_agent_identity;
    if not found then
        raise exception using errcode = 'PT404', message = format('No agent %s in tenant %s', p_agent_identity, p_tenant_id);
    end if;
    select * into v_parked from public.parked_calls where id = p_id and tenant_id = p_tenant_id for update;
    if not found then
        raise exception using errcode = 'PT404', message = format('No parked call %s in tenant %s', p_id, p_tenant_id);
    end if;
    if v_parked.retrieved_by = p_agent_identity then
        return jsonb_build_object('outcome', 'retrieved', 'parked_call', to_jsonb(v_parked));
    end if;
    if v_parked.retrieved_by is not null then
        return jsonb_build_object('outcome', 'already_retrieved', 'retrieved_by', v_parked.retrieved_by);
    end if;
    if v_parked.ended_at is not null then
        return jsonb_build_object('outcome', 'ended');
    end if;
    update public.parked_calls set retrieved_by = p_agent_identity, retrieved_at = p_at
    where id = p_id
    returning * into v_parked;
    return jsonb_build_object('outcome', 'retrieved', 'parked_call', to_jsonb(v_parked));
end;
$$;

-- Chat handoffs ----------------------------------------------------------------------------------

-- Picks up a pending handoff for an agent, atomically, within the agent's chat capacity. The agent's
-- row is locked first, so one agent's pickups run one at a time and its count of active handoffs
-- cannot go stale before the pickup commits; the handoff's row is locked next, so among concurrent
-- pickups of one handoff exactly one takes it. Returns {"outcome": "picked_up", "handoff": <row>},
-- {"outcome": "already_picked_up", "picked_up_by": <identity>} or {"outcome": "at_capacity",
-- "active": <n>, "capacity": <n>}. In order: an unknown agent or handoff in the tenant raises PT404; a
-- handoff this agent holds is returned unchanged; one another agent has (or had) names that agent; an
-- agent whose active handoffs reach its capacity is at capacity; otherwise the agent picks it up.
create or replace function public.pick_up_handoff(
    p_id uuid, p_tenant_id text, p_agent_identity text, p_at timestamptz
) returns jsonb
language plpgsql volatile as $$
declare
    v_capacity integer;
    v_active integer;
    v_handoff public.chat_handoffs;
begin
    select chat_capacity into v_capacity
    from public.agents where tenant_id = p_tenant_id and identity = p_agent_identity
    for update;
    if not found then
        raise exception using errcode = 'PT404', message = format('No agent %s in tenant %s', p_agent_identity, p_tenant_id);
    end if;
    select * into v_handoff from public.chat_handoffs where id = p_id and tenant_id = p_tenant_id for update;
    if not found then
        raise exception using errcode = 'PT404', message = format('No handoff %s in tenant %s', p_id, p_tenant_id);
    end if;
    if v_handoff.picked_up_by is not null then
        if v_handoff.picked_up_by = p_agent_identity and v_handoff.status = 'active' then
            return jsonb_build_object('outcome', 'picked_up', 'handoff', to_jsonb(v_handoff));
        end if;
        return jsonb_build_object('outcome', 'already_picked_up', 'picked_up_by', v_handoff.picked_up_by);
    end if;
    select count(*) into v_active from public.chat_handoffs
    where tenant_id = p_tenant_id and picked_up_by = p_agent_identity and status = 'active';
    if v_active >= v_capacity then
        return jsonb_build_object('outcome', 'at_capacity', 'active', v_active, 'capacity', v_capacity);
    end if;
    update public.chat_handoffs set status = 'active', picked_up_by = p_agent_identity, picked_up_at = p_at
    where id = p_id
    returning * into v_handoff;
    return jsonb_build_object('outcome', 'picked_up', 'handoff', to_jsonb(v_handoff));
end;
$$;

-- Releases an agent's active handoff, giving its capacity back, and returns the handoff's row. An
-- unknown handoff in the tenant raises PT404; a handoff that is not active with this agent raises
-- PT409.
create or replace function public.release_handoff(
    p_id uuid, p_tenant_id text, p_agent_identity text, p_at timestamptz
) returns jsonb
language plpgsql volatile as $$
declare
    v_handoff public.chat_handoffs;
begin
    select * into v_handoff from public.chat_handoffs where id = p_id and tenant_id = p_tenant_id for update;
    if not found then
        raise exception using errcode = 'PT404', message = format('No handoff %s in tenant %s', p_id, p_tenant_id);
    end if;
    if v_handoff.status <> 'active' or v_handoff.picked_up_by is distinct from p_agent_identity then
        raise exception using errcode = 'PT409',
            message = format('Handoff %s is not active with agent %s', p_id, p_agent_identity);
    end if;
    update public.chat_handoffs set status = 'released', released_at = p_at
    where id = p_id
    returning * into v_handoff;
    return to_jsonb(v_handoff);
end;
$$;

-- Access -----------------------------------------------------------------------------------------
-- As in the first migration: row-level security on with no policies, the service role only.

alter table public.calls enable row level security;
alter table public.parked_calls enable row level security;
alter table public.chat_handoffs enable row level security;

grant select, insert, update, delete on public.calls, public.parked_calls, public.chat_handoffs to service_role;

revoke execute on function
    public.park_call(text, text, text, text, timestamptz),
    public.retrieve_parked_call(uuid, text, text, timestamptz),
    public.pick_up_handoff(uuid, text, text, timestamptz),
    public.release_handoff(uuid, text, text, timestamptz)
    from public, anon, authenticated;
grant execute on function
    public.park_call(text, text, text, text, timestamptz),
    public.retrieve_parked_call(uuid, text, text, timestamptz),
    public.pick_up_handoff(uuid, text, text, timestamptz),
    public.release_handoff(uuid, text, text, timestamptz)
    to service_role;
