-- Picking up a released handoff says so: pick_up_handoff's "already_picked_up" answer now carries the
-- handoff's status, and "released" there means the handoff is closed (its holder finished it), where
-- the answer used to read as if that agent still had it, and told the releaser that they themselves had
-- already picked it up.
--
-- Additive: the outcome word is unchanged, so an instance of an earlier build, which ignores the new
-- key, answers as before during a rolling deploy; a build from before this migration's key reads a
-- project without it as before too.
--
-- As in 20261123020000, and: the "already_picked_up" answer has "status".

create or replace function public.pick_up_handoff(
    p_id uuid, p_tenant_id text, p_agent_identity text, p_at timestamptz
) returns jsonb
language plpgsql volatile as $$
declare
    v_capacity integer;
    v_active integer;
    v_handoff public.chat_handoffs;
begin
    select chat_capacity into v_capacity
    from public.agents where tenant_id = p_tenant_id and identity = p_agent_identity
    for update;
    if not found then
        raise exception using errcode = 'PT404', message = format('No agent %s in tenant %s', p_agent_identity, p_tenant_id);
    end if;
    select * into v_handoff from public.chat_handoffs where id = p_id and tenant_id = p_tenant_id for update;
    if not found then
        raise exception using errcode = 'PT404', message = format('No handoff %s in tenant %s', p_id, p_tenant_id);
    end if;
    if v_handoff.picked_up_by is not null then
        if v_handoff.picked_up_by = p_agent_identity and v_handoff.status = 'active' then
            return jsonb_build_object('outcome', 'picked_up', 'handoff', to_jsonb(v_handoff));
        end if;
        return jsonb_build_object(
            'outcome', 'already_picked_up', 'picked_up_by', v_handoff.picked_up_by, 'status', v_handoff.status
        );
    end if;
    select count(*) into v_active from public.chat_handoffs
    where tenant_id = p_tenant_id and picked_up_by = p_agent_identity and status = 'active';
    if v_active >= v_capacity then
        return jsonb_build_object('outcome', 'at_capacity', 'active', v_active, 'capacity', v_capacity);
    end if;
    update public.chat_handoffs set status = 'active', picked_up_by = p_agent_identity, picked_up_at = p_at
    where id = p_id
    returning * into v_handoff;
    return jsonb_build_object('outcome', 'picked_up', 'handoff', to_jsonb(v_handoff));
end;
$$;

revoke execute on function public.pick_up_handoff(uuid, text, text, timestamptz) from public, anon, authenticated;
grant execute on function public.pick_up_handoff(uuid, text, text, timestamptz) to service_role;
