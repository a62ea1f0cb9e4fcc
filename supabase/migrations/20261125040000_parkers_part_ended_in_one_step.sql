-- The end of a parker's part in one transaction with the check that she did not retrieve the park
-- herself: end_parkers_part. Before, the service read the park, then ended her part with a table
-- update; her own retrieval landing between the two (she took the call back while Twilio moved the
-- caller) was ended with it, so she talked to the caller while the store showed her free, and she was
-- rung for new calls.
--
-- Additive: a new function; an instance of an earlier build keeps its two steps.
--
-- The parker of parked call p_id is no longer with the caller: unless she retrieved the park herself,
-- her current call is cleared when it is the call's SID, with last_call_ended_at = p_at and
-- wrap_up_ends_at = p_wrap_up_ends_at (as the service's end of an agent's part does). Returns false,
-- changing nothing, when she retrieved it; true otherwise. An unknown parked call in the tenant raises
-- PT404.
--
-- Locks: the parker's row before the park's, as retrieve_parked_call does (a park's parker never
-- changes, so reading it first is safe).
create or replace function public.end_parkers_part(
    p_id uuid, p_tenant_id text, p_at timestamptz, p_wrap_up_ends_at timestamptz
) returns boolean
language plpgsql volatile as $$
declare
    v_parker text;
    v_parked public.parked_calls;
begin
    select parked_by into v_parker from public.parked_calls where id = p_id and tenant_id = p_tenant_id;
    if found then
        perform 1 from public.agents where tenant_id = p_tenant_id and identity = v_parker for update;
    end if;
    v_parked := public.lock_parked_call(p_id, p_tenant_id);
    if v_parked.retrieved_by = v_parked.parked_by then
        return false;
    end if;
    update public.agents
    set current_call_sid = null, last_call_ended_at = p_at, wrap_up_ends_at = p_wrap_up_ends_at
    where tenant_id = p_tenant_id and identity = v_parked.parked_by and current_call_sid = v_parked.call_sid;
    return true;
end;
$$;

-- Access: the service role only, as for the other desk functions.
revoke execute on function public.end_parkers_part(uuid, text, timestamptz, timestamptz) from public, anon, authenticated;
grant execute on function public.end_parkers_part(uuid, text, timestamptz, timestamptz) to service_role;
