-- An agent retrieves a parked call, but Twilio refuses to move the agent's leg to the slot (the leg
-- has hung up, or Twilio's API fails): release_retrieval undoes that agent's retrieval, so the caller
-- does not wait in a slot nobody may retrieve until the park times out. The call waits again for any
-- agent; the agent is off it, with no wrap-up and no last-call time (it never spoke to the caller).
-- Safe to apply twice.
--
-- The agent's row is locked first, then the parked call's (lock_agent_current_call and
-- lock_parked_call, from 20261123060000), as in retrieve_parked_call. Returns true when it undid the
-- agent's retrieval, made at p_retrieved_at (the p_at given to retrieve_parked_call), of a park that
-- has not ended; false, changing nothing, otherwise: a repeat of the retrieval, made later, cannot undo
-- the first one, whose leg may be on its way to the caller. An unknown agent or parked call in the
-- tenant raises PT404.
create or replace function public.release_retrieval(
    p_id uuid, p_tenant_id text, p_agent_identity text, p_retrieved_at timestamptz
) returns boolean
language plpgsql volatile as $$
declare
    v_current_call text;
    v_parked public.parked_calls;
begin
    v_current_call := public.lock_agent_current_call(p_tenant_id, p_agent_identity);
    v_parked := public.lock_parked_call(p_id, p_tenant_id);
    if v_parked.retrieved_by is distinct from p_agent_identity
        or v_parked.retrieved_at is distinct from p_retrieved_at
        or v_parked.ended_at is not null then
        return false;
    end if;
    update public.parked_calls set retrieved_by = null, retrieved_at = null where id = p_id;
    if v_current_call = v_parked.call_sid then
        update public.agents set current_call_sid = null
        where tenant_id = p_tenant_id and identity = p_agent_identity;
    end if;
    return true;
end;
$$;

-- Access: the service role only, as for the other desk functions.
revoke execute on function public.release_retrieval(uuid, text, text, timestamptz) from public, anon, authenticated;
grant execute on function public.release_retrieval(uuid, text, text, timestamptz) to service_role;
