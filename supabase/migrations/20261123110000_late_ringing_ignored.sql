-- A `ringing` event that comes after the agent's ring of the call ended (answered, declined or
-- missed) is not stored: Twilio does not promise the order of its status callbacks, and a late
-- `ringing` would make the dashboard's card ring again. Same signature, so the grants of
-- 20261123000000_switchboard_core.sql still apply. Safe to apply twice.
create or replace function public.record_ring_event(
    p_call_sid text, p_tenant_id text, p_agent_identity text, p_kind text, p_occurred_at timestamptz,
    p_detail text
) returns bigint
language plpgsql volatile as $$
declare
    v_sequence bigint;
begin
    perform pg_advisory_xact_lock(hashtext('switchboard.ring_events'), hashtext(p_tenant_id));
    if p_kind = 'ringing' and exists (
        select 1 from public.ring_events
        where call_sid = p_call_sid and agent_identity = p_agent_identity
            and kind in ('answered', 'declined', 'missed')
    ) then
        return null;
    end if;
    insert into public.ring_events (call_sid, tenant_id, agent_identity, kind, occurred_at, detail)
    values (p_call_sid, p_tenant_id, p_agent_identity, p_kind, p_occurred_at, p_detail)
    on conflict (call_sid, agent_identity, kind) do nothing
    returning sequence into v_sequence;
    return v_sequence;
end;
$$;
