-- park_call refuses a call another agent is on. Before, it checked only that the call was not waiting
-- in a slot. A repeat of a park (a double click) whose request stalled while the first park went on,
-- the caller reached the slot and a colleague retrieved it found no waiting park, parked the call
-- again, and the service redirected the caller out of that colleague's conversation into the slot.
--
-- Replaces park_call with the same arguments and answers, and one more check; an instance of an
-- earlier build gets the check as well.
--
-- Parks a call and returns the parked call's row. In order: an agent that does not exist in the
-- tenant, or a call recorded for another tenant, raises PT404; a call already waiting in a slot (of
-- any tenant) raises PT409, as does a concurrent park of the same call (the unique index
-- parked_calls_one_open_per_call turns it into a unique violation, HTTP 409); so does a call another
-- agent is on (current_call_sid; a retrieval sets it). The waiting park is checked before the agents:
-- a retrieval ends the park's waiting and puts its agent on the call in one transaction, so a
-- retrieval committing between the two reads is seen by the second.
--
-- Locks: none taken before the insert (as before).
create or replace function public.park_call(
    p_call_sid text, p_tenant_id text, p_slot text, p_parked_by text, p_parked_at timestamptz
) returns jsonb
language plpgsql volatile as $$
declare
    v_call_tenant text;
    v_holder text;
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
    select identity into v_holder from public.agents
    where current_call_sid = p_call_sid and not (tenant_id = p_tenant_id and identity = p_parked_by)
    limit 1;
    if found then
        raise exception using errcode = 'PT409', message = format('Call %s is with agent %s, who retrieved it', p_call_sid, v_holder);
    end if;
    insert into public.parked_calls (tenant_id, call_sid, slot, parked_by, parked_at)
    values (p_tenant_id, p_call_sid, p_slot, p_parked_by, p_parked_at)
    returning * into v_parked;
    return to_jsonb(v_parked);
end;
$$;

-- Access: the service role only, as before.
revoke execute on function public.park_call(text, text, text, text, timestamptz) from public, anon, authenticated;
grant execute on function public.park_call(text, text, text, text, timestamptz) to service_role;
