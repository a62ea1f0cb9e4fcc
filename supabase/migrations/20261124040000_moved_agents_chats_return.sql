-- A moved agent's chats go back to the queue: move_agent, which retires the identity's record in its
-- old tenant, also returns that record's active chat handoffs to pending there, for a colleague to pick
-- up. Before, they stayed active with the retired record, and nobody could release them: the old
-- tenant's token is refused once the record is retired, the new tenant cannot see them, and a release
-- is its holder's only. Their conversations could never be handed over again either.
--
-- As in 20261124030000, and: the answer's "chats_returned" counts the handoffs returned.

create or replace function public.move_agent(
    p_id text, p_tenant_id text, p_identity text, p_name text, p_email text, p_presence text,
    p_current_call_sid text, p_wrap_up_ends_at timestamptz, p_last_call_ended_at timestamptz,
    p_chat_capacity integer, p_retired_at timestamptz
) returns jsonb
language plpgsql volatile as $$
declare
    v_agent public.agents;
    v_retired_in text;
    v_call_sid text;
    v_returned integer := 0;
begin
    perform pg_advisory_xact_lock(hashtextextended('agent identity' || chr(31) || p_identity, 20261124));
    select tenant_id, current_call_sid into v_retired_in, v_call_sid from public.agents
    where identity = p_identity and tenant_id <> p_tenant_id and retired_at is null
    for update;
    if v_call_sid is not null then
        raise exception using errcode = 'PT409',
            message = format('Agent %s is on call %s in tenant %s: move it when that call ends', p_identity, v_call_sid, v_retired_in);
    end if;
    update public.agents
    set presence = 'offline', retired_at = p_retired_at
    where identity = p_identity and tenant_id <> p_tenant_id and retired_at is null
    returning tenant_id into v_retired_in;
    if v_retired_in is not null then
        update public.chat_handoffs
        set status = 'pending', picked_up_by = null, picked_up_at = null
        where tenant_id = v_retired_in and picked_up_by = p_identity and status = 'active';
        get diagnostics v_returned = row_count;
    end if;
    v_agent := public.upsert_agent(
        p_id, p_tenant_id, p_identity, p_name, p_email, p_presence,
        p_current_call_sid, p_wrap_up_ends_at, p_last_call_ended_at, p_chat_capacity
    );
    return jsonb_build_object('agent', to_jsonb(v_agent), 'retired_in', v_retired_in, 'chats_returned', v_returned);
end;
$$;

revoke execute on function public.move_agent(text, text, text, text, text, text, text, timestamptz, timestamptz, integer, timestamptz)
    from public, anon, authenticated;
grant execute on function public.move_agent(text, text, text, text, text, text, text, timestamptz, timestamptz, integer, timestamptz)
    to service_role;
