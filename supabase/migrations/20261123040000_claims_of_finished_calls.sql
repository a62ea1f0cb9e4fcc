-- A call finished without an answer (every agent declined; the caller went to voicemail) can no
-- longer be claimed: claim_call_as answers 'call_ended' and leaves the agent free. A claim and a
-- finish racing each other queue on the call's row, so one of them is first and the other sees it.
-- Otherwise as in 20261123000000_switchboard_core.sql. Safe to apply twice.
create or replace function public.claim_call_as(
    p_call_sid text, p_tenant_id text, p_agent_identity text, p_claimed_at timestamptz
) returns jsonb
language plpgsql volatile as $$
declare
    v_current_call text;
    v_call_tenant text;
    v_winner text;
    v_finished_at timestamptz;
begin
    -- Locks the agent's row: one agent cannot win two calls at once.
    select current_call_sid into v_current_call
    from public.agents where tenant_id = p_tenant_id and identity = p_agent_identity
    for update;
    if not found then
        raise exception using errcode = 'PT404',
            message = format('No agent %s in tenant %s', p_agent_identity, p_tenant_id);
    end if;

    select tenant_id, answered_by, finished_at into v_call_tenant, v_winner, v_finished_at
    from public.calls where call_sid = p_call_sid;
    if found and v_call_tenant <> p_tenant_id then
        raise exception using errcode = 'PT404', message = format('No call %s in tenant %s', p_call_sid, p_tenant_id);
    end if;
    if v_winner = p_agent_identity then
        return jsonb_build_object('outcome', 'won');
    end if;
    if v_current_call is not null and v_current_call <> p_call_sid then
        return jsonb_build_object('outcome', 'agent_busy', 'current_call_sid', v_current_call);
    end if;
    if v_winner is not null then
        return jsonb_build_object('outcome', 'already_answered', 'answered_by', v_winner);
    end if;
    if v_finished_at is not null then
        return jsonb_build_object('outcome', 'call_ended');
    end if;

    -- The claim itself: concurrent claimers (and a concurrent finish) queue on the call's row; the
    -- first claimer sets the winner, and the condition fails for every later one and after a finish.
    insert into public.calls as c (call_sid, tenant_id, started_at, answered_by, answered_at)
    values (p_call_sid, p_tenant_id, p_claimed_at, p_agent_identity, p_claimed_at)
    on conflict (call_sid) do update set answered_by = excluded.answered_by, answered_at = excluded.answered_at
        where c.answered_by is null and c.finished_at is null and c.tenant_id = excluded.tenant_id
    returning answered_by into v_winner;

    if v_winner is null then
        select tenant_id, answered_by into v_call_tenant, v_winner from public.calls where call_sid = p_call_sid;
        if v_call_tenant <> p_tenant_id then
            raise exception using errcode = 'PT404', message = format('No call %s in tenant %s', p_call_sid, p_tenant_id);
        end if;
        if v_winner is null then
            return jsonb_build_object('outcome', 'call_ended');
        end if;
        return jsonb_build_object('outcome', 'already_answered', 'answered_by', v_winner);
    end if;

    update public.agents set current_call_sid = p_call_sid
    where tenant_id = p_tenant_id and identity = p_agent_identity;
    return jsonb_build_object('outcome', 'won');
end;
$$;
