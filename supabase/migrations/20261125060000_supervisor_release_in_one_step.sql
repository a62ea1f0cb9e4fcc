-- A supervisor's release in one transaction with the check that the agent is still on the call the
-- supervisor saw: release_agent. Before, the service cleared the agent's current call with a table
-- update, whatever the call, then set the presence available with a second update: acting on what it
-- had read, a release could clear a call the agent had answered since (the agent talking while shown
-- free, and rung for new calls), or overwrite an away or offline the agent set in between.
--
-- Additive: a new function; an instance of an earlier build keeps its two updates.
--
-- Releases agent p_identity of tenant p_tenant_id when its current call is p_call_sid (null: on no
-- call): clears the current call and the wrap-up, and makes the agent available when it was held (on a
-- call, or in wrap-up at p_now) and did not sign off (offline); an agent held by nothing keeps its
-- presence. The same rule as the service's Agent.released(at:). Returns
-- {"outcome": "released", "agent": <the row after>}, or {"outcome": "call_changed", "agent": <the row>},
-- changing nothing, when the agent's current call is another. An unknown agent raises PT404, a retired
-- one PT409.
--
-- Locks: the agent's row only.
create or replace function public.release_agent(
    p_tenant_id text, p_identity text, p_call_sid text, p_now timestamptz
) returns jsonb
language plpgsql volatile as $$
declare
    v_agent public.agents;
begin
    select * into v_agent from public.agents where tenant_id = p_tenant_id and identity = p_identity for update;
    if not found then
        raise exception using errcode = 'PT404', message = format('No agent %s in tenant %s', p_identity, p_tenant_id);
    end if;
    if v_agent.retired_at is not null then
        raise exception using errcode = 'PT409',
            message = format('Agent %s in tenant %s is retired: its identity moved to another tenant', p_identity, p_tenant_id);
    end if;
    if v_agent.current_call_sid is distinct from p_call_sid then
        return jsonb_build_object('outcome', 'call_changed', 'agent', to_jsonb(v_agent));
    end if;
    update public.agents
    set presence = case
            when presence <> 'offline' and (current_call_sid is not null or wrap_up_ends_at > p_now) then 'available'
            else presence
        end,
        current_call_sid = null,
        wrap_up_ends_at = null
    where id = v_agent.id
    returning * into v_agent;
    return jsonb_build_object('outcome', 'released', 'agent', to_jsonb(v_agent));
end;
$$;

-- Access: the service role only, as for the other desk functions.
revoke execute on function public.release_agent(text, text, text, timestamptz) from public, anon, authenticated;
grant execute on function public.release_agent(text, text, text, timestamptz) to service_role;
