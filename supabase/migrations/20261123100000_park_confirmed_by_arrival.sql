-- An agent parks a call, but Twilio's answer to the redirect never comes (a timeout, a connection
-- lost after the request was sent, a Twilio 5xx): Twilio may or may not have moved the caller. The
-- park is withdrawn, unless the caller has already reached the slot; a caller who reaches it later
-- restores the park. Either way no caller waits in a slot nobody may retrieve. Safe to apply twice.
--
-- The same holds for a retrieval: a retriever's leg that reached the slot may be talking to the caller,
-- so its retrieval is never released.
--
-- parked_calls.arrived_at: when the caller reached the slot (Twilio requested /twilio/park for it).
-- parked_calls.retriever_arrived_at: when the retriever's leg reached it (/twilio/retrieve).
alter table public.parked_calls add column if not exists arrived_at timestamptz;
alter table public.parked_calls add column if not exists retriever_arrived_at timestamptz;

-- The caller of parked call p_id (call p_call_sid) reached its slot. Locks the parked call's row
-- (lock_parked_call, from 20261123060000). Returns {"outcome": "confirmed", "parked_call": <row>} for
-- a park that has not ended (arrived_at set if it was not), {"outcome": "restored", "parked_call":
-- <row>} for a park withdrawn before any arrival, never retrieved, of a call with no other park
-- waiting (it waits again: ended_at cleared, arrived_at set), and {"outcome": "not_waiting"},
-- changing nothing, otherwise. An unknown parked call in the tenant, or one of another call, raises
-- PT404.
create or replace function public.confirm_park_arrival(
    p_id uuid, p_tenant_id text, p_call_sid text, p_at timestamptz
) returns jsonb
language plpgsql volatile as $$
declare
    v_parked public.parked_calls;
    v_outcome text;
begin
    v_parked := public.lock_parked_call(p_id, p_tenant_id);
    if v_parked.call_sid <> p_call_sid then
        raise exception using errcode = 'PT404',
            message = format('No parked call %s of call %s in tenant %s', p_id, p_call_sid, p_tenant_id);
    end if;
    if v_parked.ended_at is null then
        v_outcome := 'confirmed';
    else
        if v_parked.arrived_at is not null or v_parked.retrieved_at is not null then
            return jsonb_build_object('outcome', 'not_waiting');
        end if;
        perform 1 from public.parked_calls
        where call_sid = p_call_sid and retrieved_at is null and ended_at is null;
        if found then
            return jsonb_build_object('outcome', 'not_waiting');
        end if;
        v_outcome := 'restored';
    end if;
    begin
        update public.parked_calls set ended_at = null, arrived_at = coalesce(arrived_at, p_at)
        where id = p_id
        returning * into v_parked;
    exception when unique_violation then
        -- Another instance parked the call again meanwhile (its row was not committed when checked).
        return jsonb_build_object('outcome', 'not_waiting');
    end;
    return jsonb_build_object('outcome', v_outcome, 'parked_call', to_jsonb(v_parked));
end;
$$;

-- Withdraws parked call p_id at p_at. Returns 'not_waiting' for a park retrieved or ended,
-- 'caller_arrived' (changing nothing: the park stands) once the caller has reached the slot, and
-- otherwise ends it and returns 'withdrawn'. An unknown parked call in the tenant raises PT404.
create or replace function public.withdraw_park(p_id uuid, p_tenant_id text, p_at timestamptz) returns text
language plpgsql volatile as $$
declare
    v_parked public.parked_calls;
begin
    v_parked := public.lock_parked_call(p_id, p_tenant_id);
    if v_parked.retrieved_at is not null or v_parked.ended_at is not null then
        return 'not_waiting';
    end if;
    if v_parked.arrived_at is not null then
        return 'caller_arrived';
    end if;
    update public.parked_calls set ended_at = p_at where id = p_id;
    return 'withdrawn';
end;
$$;

-- The retriever's leg reached the slot of parked call p_id: records when (once), if p_agent_identity
-- retrieved the call and the park has not ended. Returns whether that agent's retrieval stands. An
-- unknown parked call in the tenant raises PT404.
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
    update public.parked_calls set retriever_arrived_at = coalesce(retriever_arrived_at, p_at) where id = p_id;
    return true;
end;
$$;

-- release_retrieval (20261123090000), now never for a retriever whose leg reached the slot.
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
        or v_parked.ended_at is not null
        or v_parked.retriever_arrived_at is not null then
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
revoke execute on function public.confirm_park_arrival(uuid, text, text, timestamptz) from public, anon, authenticated;
grant execute on function public.confirm_park_arrival(uuid, text, text, timestamptz) to service_role;
revoke execute on function public.withdraw_park(uuid, text, timestamptz) from public, anon, authenticated;
grant execute on function public.withdraw_park(uuid, text, timestamptz) to service_role;
revoke execute on function public.confirm_retriever_arrival(uuid, text, text, timestamptz) from public, anon, authenticated;
grant execute on function public.confirm_retriever_arrival(uuid, text, text, timestamptz) to service_role;
