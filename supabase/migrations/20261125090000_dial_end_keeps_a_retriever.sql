-- The answered dial's end leaves an agent whose time on the call began with a retrieval on it:
-- end_answered_dial. And end_agent_leg (migration 20261125080000) locks the agent's row before it
-- checks how the agent got on the call.
--
-- A park moves the caller out of the <Dial>, which Twilio reports to the <Dial action> as an answered
-- end, 0.1 to 2 s later. Before, the service ended every agent on the call with a table update: a
-- parker who took the call back herself, or a colleague who retrieved it, in that time was taken off
-- the call while talking to the caller, shown free, and rung. The dial ends once, so its end never
-- ends a retrieval's part; the park slot's end (/twilio/park-status) does, with a plain update.
--
-- end_agent_leg as first written read the retrievals in its UPDATE's condition. Under READ COMMITTED,
-- an update that waited for a retrieval's lock on the agent's row (a parker still on the call
-- retrieving her own park) re-checked the row but not that sub-select, which still saw the park
-- unretrieved, and ended her. Both functions now lock the agent's row first, then check in a new
-- statement, which sees the retrieval.
--
-- An agent's time on the call began with a retrieval when one of the call's parks names the agent as
-- its retriever with retrieved_at equal to the agent's current_call_since: a retrieval sets both to
-- the same instant. (A retrieved park never ends: the check on parked_calls keeps ended_at null once
-- retrieved_at is set. An agent who got on the call again since, by a ring-back after another park,
-- has a later current_call_since.)
--
-- Additive: new functions, and end_agent_leg replaced with the same arguments and answers; an
-- instance of an earlier build keeps its table update for the dial's end.
create or replace function public.joined_by_retrieval(
    p_call_sid text, p_tenant_id text, p_identity text, p_since timestamptz
) returns boolean
language sql stable as $$
    select exists (
        select 1 from public.parked_calls
        where call_sid = p_call_sid and tenant_id = p_tenant_id and retrieved_by = p_identity and retrieved_at = p_since
    );
$$;

-- Serves joined_by_retrieval: a call's retrieved parks.
create index if not exists parked_calls_retrieved_by_call
    on public.parked_calls (call_sid, retrieved_by) where retrieved_at is not null;

-- Ends agent p_identity's part in call p_call_sid of tenant p_tenant_id: clears its current call when
-- it is p_call_sid, with last_call_ended_at = p_at and wrap_up_ends_at = p_wrap_up_ends_at; with
-- p_joined_by, only for an agent who got on the call at or before it; never for one whose time on the
-- call began with a retrieval. Returns whether the part ended. Locks: the agent's row.
create or replace function public.end_agent_leg(
    p_call_sid text, p_tenant_id text, p_identity text, p_at timestamptz, p_wrap_up_ends_at timestamptz,
    p_joined_by timestamptz
) returns boolean
language plpgsql volatile as $$
declare
    v_agent public.agents;
begin
    select * into v_agent from public.agents
    where current_call_sid = p_call_sid and tenant_id = p_tenant_id and identity = p_identity
    for update;
    if not found
        or (p_joined_by is not null and v_agent.current_call_since > p_joined_by)
        or public.joined_by_retrieval(p_call_sid, p_tenant_id, p_identity, v_agent.current_call_since) then
        return false;
    end if;
    update public.agents
    set current_call_sid = null, last_call_ended_at = p_at, wrap_up_ends_at = p_wrap_up_ends_at
    where id = v_agent.id;
    return true;
end;
$$;

-- Ends the part of the agent on call p_call_sid (one at most: agents_one_per_call), as the service's
-- end of an answered dial: with p_joined_by, only an agent who got on the call at or before it; never
-- one whose time on the call began with a retrieval. Returns whether a part ended. Locks: that
-- agent's row.
create or replace function public.end_answered_dial(
    p_call_sid text, p_at timestamptz, p_wrap_up_ends_at timestamptz, p_joined_by timestamptz
) returns boolean
language plpgsql volatile as $$
declare
    v_agent public.agents;
begin
    select * into v_agent from public.agents where current_call_sid = p_call_sid for update;
    if not found
        or (p_joined_by is not null and v_agent.current_call_since > p_joined_by)
        or public.joined_by_retrieval(p_call_sid, v_agent.tenant_id, v_agent.identity, v_agent.current_call_since) then
        return false;
    end if;
    update public.agents
    set current_call_sid = null, last_call_ended_at = p_at, wrap_up_ends_at = p_wrap_up_ends_at
    where id = v_agent.id;
    return true;
end;
$$;

-- Access: the service role only, as for the other functions.
revoke execute on function public.joined_by_retrieval(text, text, text, timestamptz) from public, anon, authenticated;
grant execute on function public.joined_by_retrieval(text, text, text, timestamptz) to service_role;
revoke execute on function public.end_agent_leg(text, text, text, timestamptz, timestamptz, timestamptz)
    from public, anon, authenticated;
grant execute on function public.end_agent_leg(text, text, text, timestamptz, timestamptz, timestamptz) to service_role;
revoke execute on function public.end_answered_dial(text, timestamptz, timestamptz, timestamptz) from public, anon, authenticated;
grant execute on function public.end_answered_dial(text, timestamptz, timestamptz, timestamptz) to service_role;
