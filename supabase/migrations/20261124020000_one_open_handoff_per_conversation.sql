-- One open handoff per conversation: creating a handoff of a conversation that already has one
-- pending or active in the tenant returns that one, unchanged, so a repeated request (a retry after a
-- lost response, a bot handing the same chat over twice) never puts one customer in front of two
-- agents. A released handoff does not count: the conversation can be handed over again.
--
-- Not a unique index: data from before this rule may hold several open handoffs of one conversation,
-- and an index would refuse to build. create_handoff serializes the creates of one conversation with
-- a transaction-scoped advisory lock instead (every instance, every connection), and answers the
-- oldest open one when there are several.

create index if not exists chat_handoffs_open_by_conversation
    on public.chat_handoffs (tenant_id, conversation_id) where status in ('pending', 'active');

-- Returns {"outcome": "created", "handoff": <row>} or {"outcome": "already_open", "handoff": <row>}.
create or replace function public.create_handoff(
    p_tenant_id text, p_conversation_id text, p_customer_name text, p_summary text, p_at timestamptz
) returns jsonb
language plpgsql volatile as $$
declare
    v_handoff public.chat_handoffs;
begin
    perform pg_advisory_xact_lock(hashtextextended(p_tenant_id || chr(31) || p_conversation_id, 20261124));
    select * into v_handoff from public.chat_handoffs
    where tenant_id = p_tenant_id and conversation_id = p_conversation_id and status in ('pending', 'active')
    order by created_at, id
    limit 1;
    if found then
        return jsonb_build_object('outcome', 'already_open', 'handoff', to_jsonb(v_handoff));
    end if;
    insert into public.chat_handoffs (tenant_id, conversation_id, customer_name, summary, status, created_at)
    values (p_tenant_id, p_conversation_id, p_customer_name, p_summary, 'pending', p_at)
    returning * into v_handoff;
    return jsonb_build_object('outcome', 'created', 'handoff', to_jsonb(v_handoff));
end;
$$;

revoke execute on function public.create_handoff(text, text, text, text, timestamptz) from public, anon, authenticated;
grant execute on function public.create_handoff(text, text, text, text, timestamptz) to service_role;
