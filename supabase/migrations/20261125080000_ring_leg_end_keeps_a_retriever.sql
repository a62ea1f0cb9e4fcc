-- The end of a leg that rang an agent leaves an agent who retrieved one of the call's parks on the
-- call: end_agent_leg. Before, the service ended the agent's part with a table update guarded only by
-- the agent's current call. A parker who took the call back herself before Twilio reported the end of
-- her first leg (which ends as she parks; the report comes 0.1 to 2 s later) was taken off the call by
-- that report: she talked to the caller while the store showed her free, and she was rung for new
-- calls.
--
-- Additive: a new function; an instance of an earlier build keeps its table update.
--
-- Ends agent p_identity's part in call p_call_sid of tenant p_tenant_id, as that update did: clears
-- its current call when it is p_call_sid, with last_call_ended_at = p_at and wrap_up_ends_at =
-- p_wrap_up_ends_at; with p_joined_by, only for an agent who got on the call at or before it
-- (current_call_since). Not for an agent who got on the call through a retrieval of one of its parks
-- that has not ended (retrieved_at at or after current_call_since; a retrieval sets both to the same
-- instant): a retrieval puts the agent on the call through a leg of their own, and the call's end
-- ends that part. An agent who got on the call since (a ring-back answered after a second park)
-- is ended as before.
-- Returns whether the part ended.
--
-- Locks: the agent's row (the update). A retrieval changes the agent's current call in the same
-- transaction as the park, so a retrieval committing during this update is seen: the agent was on no
-- call before it.
create or replace function public.end_agent_leg(
    p_call_sid text, p_tenant_id text, p_identity text, p_at timestamptz, p_wrap_up_ends_at timestamptz,
    p_joined_by timestamptz
) returns boolean
language plpgsql volatile as $$
begin
    update public.agents a
    set current_call_sid = null, last_call_ended_at = p_at, wrap_up_ends_at = p_wrap_up_ends_at
    where a.current_call_sid = p_call_sid and a.tenant_id = p_tenant_id and a.identity = p_identity
        and (p_joined_by is null or a.current_call_since is null or a.current_call_since <= p_joined_by)
        and not exists (
            select 1 from public.parked_calls p
            where p.call_sid = p_call_sid and p.tenant_id = p_tenant_id and p.retrieved_by = p_identity
                and p.ended_at is null and p.retrieved_at >= a.current_call_since
        );
    return found;
end;
$$;

-- Access: the service role only, as for the other functions.
revoke execute on function public.end_agent_leg(text, text, text, timestamptz, timestamptz, timestamptz)
    from public, anon, authenticated;
grant execute on function public.end_agent_leg(text, text, text, timestamptz, timestamptz, timestamptz) to service_role;
