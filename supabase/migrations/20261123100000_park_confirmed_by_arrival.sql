-- An agent parks a call, but Twilio's answer to the redirect never comes (a timeout, a connection
-- lost after the request was sent, a Twilio 5xx): Twilio may or may not have moved the caller. The
-- park is withdrawn, unless the caller has already reached the slot; a caller who reaches it later
-- restores the park. Either way no caller waits in a slot nobody may retrieve. Safe to apply twice.
--
-- parked_calls.arrived_at: when the caller reached the slot (Twilio requested /twilio/park for it).
alter table public.parked_calls add column if not exists arrived_at timestamptz;

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
    update public.parked_calls set ended_at = null, arrived_at = coalesce(arrived_at, p_at)
    where id = p_id
    returning * into v_parked;
    return jsonb_build_object('outcome', v_outcome, 'parked_call', to_jsonb(v_parked));
end;
$$;

-- Withdraws parked call p_id at p_at: ends it unless the caller has reached the slot, or it was
-- retrieved, or it has ended. Returns whether it was withdrawn. An unknown parked call in the tenant
-- raises PT404.
create or replace function public.withdraw_park(p_id uuid, p_tenant_id text, p_at timestamptz) returns boolean
language plpgsql volatile as $$
declare
    v_parked public.parked_calls;
begin
    v_parked := public.lock_parked_call(p_id, p_tenant_id);
    if v_parked.retrieved_at is not null or v_parked.ended_at is not null or v_parked.arrived_at is not null then
        return false;
    end if;
    update public.parked_calls set ended_at = p_at where id = p_id;
    return true;
end;
$$;

-- Access: the service role only, as for the other desk functions.
revoke execute on function public.confirm_park_arrival(uuid, text, text, timestamptz) from public, anon, authenticated;
grant execute on function public.confirm_park_arrival(uuid, text, text, timestamptz) to service_role;
revoke execute on function public.withdraw_park(uuid, text, timestamptz) from public, anon, authenticated;
grant execute on function public.withdraw_park(uuid, text, timestamptz) to service_role;
