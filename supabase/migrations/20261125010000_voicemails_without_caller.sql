-- Voicemails stored before their call's record name no caller (the recording's status callback carries
-- none), and those of a call whose tenant was never known are filed under the default tenant. When the
-- record comes (retried from a failing store, or made from the <Record action> callback), Switchboard
-- gives them its caller, and its tenant in place of the default one: this index finds them by call
-- without a scan of the tenant's voicemails. Partial, so the voicemails with a caller, nearly all of
-- them, cost it nothing.
--
-- The update gives the voicemails stored that way before this migration what their calls' records
-- hold now, by the same rule. Additive: an instance of an earlier build runs as before beside it
-- during a rolling deploy; applied again, it changes nothing.

create index if not exists voicemails_without_caller on public.voicemails (call_sid) where caller is null;

update public.voicemails as v
set caller = c.caller,
    tenant_id = case when v.tenant_id = 'default' then c.tenant_id else v.tenant_id end
from public.calls as c
where v.caller is null and c.call_sid = v.call_sid and c.caller <> '';
