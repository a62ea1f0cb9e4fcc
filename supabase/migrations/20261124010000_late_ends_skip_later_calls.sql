-- Agents record when they got on their current call (`current_call_since`: a won claim, a retrieval,
-- a reclaimed ring-back, at the time the service passed), and an end that happened before that is not
-- theirs when it is recorded late: the service's `PATCH`es that record such an end add
-- `or=(current_call_since.is.null,current_call_since.lte.<end>)`. So an end recorded late, once a
-- failing store is back (the service keeps such ends and records them again), does not take an agent
-- off a call they got back on since.
-- NULL (an agent on a call when this is applied) means unknown: any end of that call ends it.
-- The three functions are as in 20261123040000_claims_of_finished_calls.sql,
-- 20261123060000_retrieval_sets_current_call.sql and 20261123070000_recalled_parker_is_on_the_call.sql,
-- each now setting `current_call_since` with `current_call_sid` (and reclaim_parked_call also when the
-- parker is still on the call, the park's end not recorded); same signatures, so their grants stand
-- (restated below). Safe to apply twice.
alter table public.agents add column if not exists current_call_since timestamptz;

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

    update public.agents set current_call_sid = p_call_sid, current_call_since = p_claimed_at
    where tenant_id = p_tenant_id and identity = p_agent_identity;
    return jsonb_build_object('outcome', 'won');
end;
$$;

create or replace function public.retrieve_parked_call(
    p_id uuid, p_tenant_id text, p_agent_identity text, p_at timestamptz
) returns jsonb
language plpgsql volatile as $$
declare
    v_current_call text;
    v_holder text;
    v_parked public.parked_calls;
begin
    v_current_call := public.lock_agent_current_call(p_tenant_id, p_agent_identity);
    v_parked := public.lock_parked_call(p_id, p_tenant_id);
    if v_parked.retrieved_by = p_agent_identity then
        return jsonb_build_object('outcome', 'retrieved', 'parked_call', to_jsonb(v_parked));
    end if;
    if v_parked.retrieved_by is not null then
        return jsonb_build_object('outcome', 'already_retrieved', 'retrieved_by', v_parked.retrieved_by);
    end if;
    if v_parked.ended_at is not null then
        return jsonb_build_object('outcome', 'ended');
    end if;
    if v_current_call is not null and v_current_call <> v_parked.call_sid then
        return jsonb_build_object('outcome', 'agent_busy', 'current_call_sid', v_current_call);
    end if;
    select identity into v_holder from public.agents
    where current_call_sid = v_parked.call_sid and not (tenant_id = p_tenant_id and identity = p_agent_identity)
    limit 1;
    if found then
        return jsonb_build_object('outcome', 'park_in_progress', 'held_by', v_holder);
    end if;
    update public.parked_calls set retrieved_by = p_agent_identity, retrieved_at = p_at
    where id = p_id
    returning * into v_parked;
    update public.agents set current_call_sid = v_parked.call_sid, current_call_since = p_at
    where tenant_id = p_tenant_id and identity = p_agent_identity;
    return jsonb_build_object('outcome', 'retrieved', 'parked_call', to_jsonb(v_parked));
end;
$$;

create or replace function public.reclaim_parked_call(
    p_id uuid, p_tenant_id text, p_agent_identity text, p_at timestamptz
) returns jsonb
language plpgsql volatile as $$
declare
    v_current_call text;
    v_holder text;
    v_parked public.parked_calls;
begin
    v_current_call := public.lock_agent_current_call(p_tenant_id, p_agent_identity);
    v_parked := public.lock_parked_call(p_id, p_tenant_id);
    if v_parked.retrieved_by is not null and v_parked.retrieved_by <> p_agent_identity then
        return jsonb_build_object('outcome', 'already_answered', 'answered_by', v_parked.retrieved_by);
    end if;
    if v_parked.parked_by <> p_agent_identity then
        return jsonb_build_object('outcome', 'already_answered', 'answered_by', v_parked.parked_by);
    end if;
    if v_current_call is not null then
        if v_current_call = v_parked.call_sid then
            -- Still on the call here (the park's end was not recorded): they got on it again now.
            update public.agents set current_call_since = p_at
            where tenant_id = p_tenant_id and identity = p_agent_identity;
            return jsonb_build_object('outcome', 'won');
        end if;
        return jsonb_build_object('outcome', 'agent_busy', 'current_call_sid', v_current_call);
    end if;
    select identity into v_holder from public.agents where current_call_sid = v_parked.call_sid limit 1;
    if found then
        return jsonb_build_object('outcome', 'already_answered', 'answered_by', v_holder);
    end if;
    update public.agents set current_call_sid = v_parked.call_sid, current_call_since = p_at
    where tenant_id = p_tenant_id and identity = p_agent_identity;
    return jsonb_build_object('outcome', 'won');
end;
$$;

revoke execute on function
    public.claim_call_as(text, text, text, timestamptz),
    public.retrieve_parked_call(uuid, text, text, timestamptz),
    public.reclaim_parked_call(uuid, text, text, timestamptz)
    from public, anon, authenticated;
grant execute on function
    public.claim_call_as(text, text, text, timestamptz),
    public.retrieve_parked_call(uuid, text, text, timestamptz),
    public.reclaim_parked_call(uuid, text, text, timestamptz)
    to service_role;
