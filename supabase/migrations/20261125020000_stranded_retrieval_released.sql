-- A retrieval whose leg reached the park slot but was never bridged to the caller can be undone:
-- release_stranded_retrieval, beside release_retrieval (20261123100000), which never undoes such a
-- retrieval. The retriever's leg asked for /twilio/retrieve (its arrival recorded) and dropped before
-- Twilio bridged it (the agent hung up, its connection broke); the caller then waited in the slot,
-- retrieved by nobody, until the park timed out, and went to voicemail rather than back to its parker.
-- The service calls it only when the caller's side shows the bridge never happened: a hold-music
-- request long after the leg's arrival (p_arrived_before), or the park's timeout (null: any).
--
-- confirm_retriever_arrival (20261123100000) now keeps the latest arrival rather than the first: a
-- later leg of the same agent (a new connect after the first one dropped) may be the one being
-- bridged, and the hold-music rule must measure from it.
--
-- Additive: a new function, and an arrival that only moves later; an instance of an earlier build
-- never calls the new function and reads an arrival only as set or not.
--
-- As release_retrieval, and: a retriever whose leg arrived (before p_arrived_before, when given) is
-- undone too, and the arrival is cleared with the retrieval, so the next retrieval's leg records its own.

create or replace function public.confirm_retriever_arrival(
    p_id uuid, p_tenant_id text, p_agent_identity text, p_at timestamptz
) returns boolean
language plpgsql volatile as $$
declare
    v_parked public.parked_calls;
begin
    v_parked := public.lock_parked_call(p_id, p_tenant_id);
    if v_parked.retrieved_by is distinct from p_agent_identity or v_parked.ended_at is not null then
        return false;
    end if;
    update public.parked_calls set retriever_arrived_at = greatest(retriever_arrived_at, p_at) where id = p_id;
    return true;
end;
$$;

create or replace function public.release_stranded_retrieval(
    p_id uuid, p_tenant_id text, p_agent_identity text, p_retrieved_at timestamptz, p_arrived_before timestamptz
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
        or v_parked.ended_at is not null
        or (p_arrived_before is not null
            and (v_parked.retriever_arrived_at is null or v_parked.retriever_arrived_at >= p_arrived_before)) then
        return false;
    end if;
    update public.parked_calls set retrieved_by = null, retrieved_at = null, retriever_arrived_at = null
    where id = p_id;
    if v_current_call = v_parked.call_sid then
        update public.agents set current_call_sid = null
        where tenant_id = p_tenant_id and identity = p_agent_identity;
    end if;
    return true;
end;
$$;

-- Access: the service role only, as for the other desk functions.
revoke execute on function public.release_stranded_retrieval(uuid, text, text, timestamptz, timestamptz)
    from public, anon, authenticated;
grant execute on function public.release_stranded_retrieval(uuid, text, text, timestamptz, timestamptz) to service_role;
