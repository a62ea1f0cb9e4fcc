-- One open handoff per conversation: creating a handoff of a conversation that already has one
-- pending or active in the tenant returns that one, unchanged, so a repeated request (a retry after a
-- lost response, a bot handing the same chat over twice) never puts one customer in front of two
-- agents. A released handoff does not count: the conversation can be handed over again.
--
-- Not a unique index: data from before this rule may hold several open handoffs of one conversation,
-- and an index would refuse to build. create_handoff serializes the creates of one conversation with
-- a transaction-scoped advisory lock instead (every instance, every connection), and answers the
-- oldest open one when there are several. A trigger holds inserts that bypass it to the same rule:
-- an instance of an earlier build during a rolling deploy (which inserts into the table itself), or
-- SQL run by hand. Apply this migration before starting the build that calls create_handoff.

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

-- Any insert of an open handoff takes the same lock (create_handoff's own insert already holds it)
-- and is refused with unique_violation (409 through PostgREST) when the conversation has an open
-- handoff already.
create or replace function public.chat_handoffs_one_open_per_conversation() returns trigger
language plpgsql as $$
begin
    if new.status in ('pending', 'active') then
        perform pg_advisory_xact_lock(hashtextextended(new.tenant_id || chr(31) || new.conversation_id, 20261124));
        if exists (
            select 1 from public.chat_handoffs
            where tenant_id = new.tenant_id and conversation_id = new.conversation_id
                and status in ('pending', 'active') and id <> new.id
        ) then
            raise exception using errcode = '23505',
                message = format('Conversation %s already has an open handoff in tenant %s', new.conversation_id, new.tenant_id);
        end if;
    end if;
    return new;
end;
$$;

drop trigger if exists chat_handoffs_one_open_per_conversation on public.chat_handoffs;
create trigger chat_handoffs_one_open_per_conversation before insert on public.chat_handoffs
    for each row execute function public.chat_handoffs_one_open_per_conversation();

revoke execute on function public.create_handoff(text, text, text, text, timestamptz) from public, anon, authenticated;
grant execute on function public.create_handoff(text, text, text, text, timestamptz) to service_role;
