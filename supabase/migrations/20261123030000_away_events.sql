-- Ring events may say the system set an agent away (kind 'away'; the detail says why, such as
-- "missed 3 rings in a row"). Safe to apply twice.
alter table public.ring_events drop constraint if exists ring_events_kind_check;
alter table public.ring_events add constraint ring_events_kind_check
    check (kind in ('ringing', 'answered', 'declined', 'missed', 'parked', 'retrieved', 'away'));
