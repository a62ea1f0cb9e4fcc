-- Ring events carry an occurrence: the SID of the agent's leg for what Twilio reports of a ring (and
-- for an `away` a missed ring caused), the park's id for `parked` and `retrieved`, empty for the
-- agents' API's Answer and Decline. One event is kept per (call, agent, kind, occurrence) instead of
-- per (call, agent, kind), so a park's ring-back (a new leg to its parker), a second park of one call
-- and its second retrieval reach the dashboards; a callback Twilio retries (same leg) is still stored
-- once. Not null with '' for "none": nulls are distinct in a unique index, and would never collapse.
--
-- Apply before deploying the build that reads `occurrence`. During a rolling deploy, instances still
-- calling `record_ring_event` with six arguments get the default '' (their events collapse as before).
-- Safe to apply twice.
alter table public.ring_events add column if not exists occurrence text collate "C" not null default '';

-- A park's events take its id, which their detail holds.
update public.ring_events set occurrence = detail
where kind in ('parked', 'retrieved') and occurrence = '' and detail is not null;

create unique index if not exists ring_events_occurrence_key
    on public.ring_events (call_sid, agent_identity, kind, occurrence);
alter table public.ring_events drop constraint if exists ring_events_call_sid_agent_identity_kind_key;

-- Stores a ring event and returns its sequence, or null when the same event (call, agent, kind,
-- occurrence) is already stored, or when a `ringing` comes after that agent's ring ended: an end of the
-- same occurrence (leg), or an end with none (the agents' API's) that no later `parked` by that agent of
-- that call follows (a park's timeout rings its parker again, on a new leg). Sequences of one tenant are
-- assigned under a per-tenant lock held to commit, as before.
drop function if exists public.record_ring_event(text, text, text, text, timestamptz, text);
create or replace function public.record_ring_event(
    p_call_sid text, p_tenant_id text, p_agent_identity text, p_kind text, p_occurred_at timestamptz,
    p_detail text, p_occurrence text default ''
) returns bigint
language plpgsql volatile as $$
declare
    v_sequence bigint;
begin
    perform pg_advisory_xact_lock(hashtext('switchboard.ring_events'), hashtext(p_tenant_id));
    if p_kind = 'ringing' and exists (
        select 1 from public.ring_events ended
        where ended.call_sid = p_call_sid and ended.agent_identity = p_agent_identity
            and ended.kind in ('answered', 'declined', 'missed')
            and (ended.occurrence = p_occurrence or (ended.occurrence = '' and ended.sequence > (
                select coalesce(max(parked.sequence), 0) from public.ring_events parked
                where parked.call_sid = p_call_sid and parked.agent_identity = p_agent_identity
                    and parked.kind = 'parked'
            )))
    ) then
        return null;
    end if;
    insert into public.ring_events (call_sid, tenant_id, agent_identity, kind, occurred_at, detail, occurrence)
    values (p_call_sid, p_tenant_id, p_agent_identity, p_kind, p_occurred_at, p_detail, p_occurrence)
    on conflict (call_sid, agent_identity, kind, occurrence) do nothing
    returning sequence into v_sequence;
    return v_sequence;
end;
$$;

revoke execute on function public.record_ring_event(text, text, text, text, timestamptz, text, text)
    from public, anon, authenticated;
grant execute on function public.record_ring_event(text, text, text, text, timestamptz, text, text)
    to service_role;
