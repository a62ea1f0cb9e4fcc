-- Retrieving a parked call puts the retriever on it: in the same transaction the agent's
-- current_call_sid becomes the parked call's call_sid (the caller's), so an agent talking to a
-- retrieved caller is no longer available and is not rung for new calls; ending that call
-- (end_call, as for any answered call) frees the agent again. An agent already on another call is
-- refused and nothing changes: {"outcome": "agent_busy", "current_call_sid": <the call it is on>},
-- named as claim_call_as names it. Presence and wrap-up are not checked: retrieving is the agent's
-- explicit choice, as answering is. Otherwise as in 20261123020000_desk.sql. Safe to apply twice.
--
-- The agent's row is locked first, then the parked call's (as pick_up_handoff and claim_call_as
-- lock the agent first), so one agent's retrievals and claims run one at a time: an agent retrieving
-- several calls at once, or retrieving while answering, ends up on one call at most. Returns
-- {"outcome": "retrieved", "parked_call": <row>}, {"outcome": "already_retrieved", "retrieved_by":
-- <identity>}, {"outcome": "ended"}, {"outcome": "agent_busy", "current_call_sid": <call sid>} or
-- {"outcome": "park_in_progress", "held_by": <identity>}. In order: an unknown agent or parked call in
-- the tenant raises PT404; a repeat by the retriever returns the row unchanged; another agent's
-- retrieval is named; an ended park is ended; an agent on another call is busy; a call another agent
-- is still on (the parker, before Twilio moved the caller into the slot; agents_one_per_call allows
-- one agent per call) is in progress; otherwise the agent retrieves it and is on the call.
-- The first steps of the desk's functions on a parked call: the agent's row is locked first, then
-- the parked call's. lock_agent_current_call answers the agent's current call; lock_parked_call the
-- parked call's row. Each raises PT404 (HTTP 404 through PostgREST) when the tenant has no such row.
create or replace function public.lock_agent_current_call(p_tenant_id text, p_agent_identity text) returns text
language plpgsql volatile as $$
declare
    v_current_call text;
begin
    select current_call_sid into v_current_call
    from public.agents where tenant_id = p_tenant_id and identity = p_agent_identity
    for update;
    if not found then
        raise exception using errcode = 'PT404', message = format('No agent %s in tenant %s', p_agent_identity, p_tenant_id);
    end if;
    return v_current_call;
end;
$$;

create or replace function public.lock_parked_call(p_id uuid, p_tenant_id text) returns public.parked_calls
language plpgsql volatile as $$
declare
    v_parked public.parked_calls;
begin
    select * into v_parked from public.parked_calls where id = p_id and tenant_id = p_tenant_id for update;
    if not found then
        raise exception using errcode = 'PT404', message = format('No parked call %s in tenant %s', p_id, p_tenant_id);
    end if;
    return v_parked;
end;
$$;

create or replace function public.retrieve_parked_call(
    p_id uuid, p_tenant_id text, p_agent_identity text, p_at timestamptz
) returns jsonb
language plpgsql volatile as $$
declare
    v_current_call text;
    v_holder text;
    v_parked public.parked_calls;
begin
    v_current_call := public.lock_agent_current_call(p_tenant_id, p_agent_identity);
    v_parked := public.lock_parked_call(p_id, p_tenant_id);
    if v_parked.retrieved_by = p_agent_identity then
        return jsonb_build_object('outcome', 'retrieved', 'parked_call', to_jsonb(v_parked));
    end if;
    if v_parked.retrieved_by is not null then
        return jsonb_build_object('outcome', 'already_retrieved', 'retrieved_by', v_parked.retrieved_by);
    end if;
    if v_parked.ended_at is not null then
        return jsonb_build_object('outcome', 'ended');
    end if;
    if v_current_call is not null and v_current_call <> v_parked.call_sid then
        return jsonb_build_object('outcome', 'agent_busy', 'current_call_sid', v_current_call);
    end if;
    select identity into v_holder from public.agents
    where current_call_sid = v_parked.call_sid and not (tenant_id = p_tenant_id and identity = p_agent_identity)
    limit 1;
    if found then
        return jsonb_build_object('outcome', 'park_in_progress', 'held_by', v_holder);
    end if;
    update public.parked_calls set retrieved_by = p_agent_identity, retrieved_at = p_at
    where id = p_id
    returning * into v_parked;
    update public.agents set current_call_sid = v_parked.call_sid
    where tenant_id = p_tenant_id and identity = p_agent_identity;
    return jsonb_build_object('outcome', 'retrieved', 'parked_call', to_jsonb(v_parked));
end;
$$;

-- Access: as before, the service role only. `create or replace` keeps the function's privileges;
-- they are restated so this file says them on its own.
revoke execute on function public.retrieve_parked_call(uuid, text, text, timestamptz) from public, anon, authenticated;
grant execute on function public.retrieve_parked_call(uuid, text, text, timestamptz) to service_role;
revoke execute on function public.lock_agent_current_call(text, text) from public, anon, authenticated;
grant execute on function public.lock_agent_current_call(text, text) to service_role;
revoke execute on function public.lock_parked_call(uuid, text) from public, anon, authenticated;
grant execute on function public.lock_parked_call(uuid, text) to service_role;
