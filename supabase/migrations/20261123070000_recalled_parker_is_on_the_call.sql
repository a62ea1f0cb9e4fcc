-- The agent who parked a call answers its ring-back (the park timed out, the caller left the slot
-- and the parker's client rang again): reclaim_parked_call puts that agent back on the call, as a
-- claim puts its winner on it, so it is not rung for new calls while it talks to the caller. Without
-- it the parker, whose part ended when the call was parked, looked available for the whole
-- conversation. Safe to apply twice.
--
-- The agent's row is locked first, then the parked call's (lock_agent_current_call and
-- lock_parked_call, from 20261123060000), as in retrieve_parked_call. Returns
-- {"outcome": "won"}, {"outcome": "already_answered", "answered_by": <identity>} or
-- {"outcome": "agent_busy", "current_call_sid": <call sid>}. In order: an unknown agent or parked
-- call in the tenant raises PT404; a call retrieved by another agent, or parked by another, names that
-- agent; an agent already on this call has won again; an agent on another call is busy; a call
-- another agent is on names it (agents_one_per_call); otherwise the agent is on the call.
create or replace function public.reclaim_parked_call(
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
    if v_parked.retrieved_by is not null and v_parked.retrieved_by <> p_agent_identity then
        return jsonb_build_object('outcome', 'already_answered', 'answered_by', v_parked.retrieved_by);
    end if;
    if v_parked.parked_by <> p_agent_identity then
        return jsonb_build_object('outcome', 'already_answered', 'answered_by', v_parked.parked_by);
    end if;
    if v_current_call is not null then
        if v_current_call = v_parked.call_sid then
            return jsonb_build_object('outcome', 'won');
        end if;
        return jsonb_build_object('outcome', 'agent_busy', 'current_call_sid', v_current_call);
    end if;
    select identity into v_holder from public.agents where current_call_sid = v_parked.call_sid limit 1;
    if found then
        return jsonb_build_object('outcome', 'already_answered', 'answered_by', v_holder);
    end if;
    update public.agents set current_call_sid = v_parked.call_sid
    where tenant_id = p_tenant_id and identity = p_agent_identity;
    return jsonb_build_object('outcome', 'won');
end;
$$;

-- Access: the service role only, as for the other desk functions.
revoke execute on function public.reclaim_parked_call(uuid, text, text, timestamptz) from public, anon, authenticated;
grant execute on function public.reclaim_parked_call(uuid, text, text, timestamptz) to service_role;
