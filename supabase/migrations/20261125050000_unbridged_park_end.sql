-- The end of a park whose caller left the slot unbridged, in one transaction: end_unbridged_park ends the
-- park and undoes its retrieval together, at QueueResult leave (the park's timeout), hangup, queue-full,
-- error and system-error. It replaces time_out_park (20261125030000), which the service called only at
-- leave. When the caller hung up in the slot, or its queue failed, the service ended the retriever's
-- call (with wrap-up) and the waiting park side by side: another agent's retrieval landing between the
-- two left the park retrieved and not ended, and that agent "on a call" whose caller was gone.
--
-- time_out_park is dropped: only builds of 2026-11-25 from e64eb45 to 6b5b61c call it, and none was
-- released. Its first version (e64eb45) could deadlock with a repeated retrieval; this one cannot.
--
-- The caller of parked call p_id (call p_call_sid) left the slot without being bridged (QueueResult
-- leave, hangup, queue-full, error or system-error), so any retrieval is undone: its agent's current call
-- is cleared when it is the call's SID (no wrap-up, no last-call time: it never spoke to the caller),
-- and the park ends at p_at with no retriever. Returns {"outcome": "ended_now", "parked_call": <row as
-- this found it>} (its retriever, if any, is the one undone), or {"outcome": "ended"}, changing nothing,
-- for a park that had ended. An unknown parked call in the tenant, or one of another call, raises PT404.
--
-- Locks: the retriever's row before the park's, as retrieve_parked_call and release_retrieval do. The
-- retriever is read first without a lock. When another retrieval committed between that read and the
-- park's lock, the attempt is rolled back to its savepoint (which releases its locks) and made again
-- with the new retriever: holding the park while waiting for that agent's row could deadlock with a
-- second retrieval of the same agent, which holds the agent's row and waits for the park.
create or replace function public.end_unbridged_park(
    p_id uuid, p_tenant_id text, p_call_sid text, p_at timestamptz
) returns jsonb
language plpgsql volatile as $$
declare
    v_retriever text;
    v_parked public.parked_calls;
    v_attempts integer := 0;
begin
    loop
        v_attempts := v_attempts + 1;
        begin
            select retrieved_by into v_retriever from public.parked_calls where id = p_id and tenant_id = p_tenant_id;
            if v_retriever is not null then
                perform 1 from public.agents where tenant_id = p_tenant_id and identity = v_retriever for update;
            end if;
            v_parked := public.lock_parked_call(p_id, p_tenant_id);
            if v_parked.retrieved_by is not null and v_parked.retrieved_by is distinct from v_retriever then
                raise exception using errcode = 'SB409', message = 'the park was retrieved meanwhile';
            end if;
            exit;
        exception when sqlstate 'SB409' then
            if v_attempts >= 50 then
                raise exception using errcode = '40001',
                    message = format('Parked call %s kept changing retriever while it ended', p_id);
            end if;
        end;
    end loop;
    if v_parked.call_sid <> p_call_sid then
        raise exception using errcode = 'PT404',
            message = format('No parked call %s of call %s in tenant %s', p_id, p_call_sid, p_tenant_id);
    end if;
    if v_parked.ended_at is not null then
        return jsonb_build_object('outcome', 'ended');
    end if;
    if v_parked.retrieved_by is not null then
        update public.agents set current_call_sid = null
        where tenant_id = p_tenant_id and identity = v_parked.retrieved_by and current_call_sid = p_call_sid;
    end if;
    update public.parked_calls
    set ended_at = p_at, retrieved_by = null, retrieved_at = null, retriever_arrived_at = null
    where id = p_id;
    return jsonb_build_object('outcome', 'ended_now', 'parked_call', to_jsonb(v_parked));
end;
$$;

-- Access: the service role only, as for the other desk functions.
revoke execute on function public.end_unbridged_park(uuid, text, text, timestamptz) from public, anon, authenticated;
grant execute on function public.end_unbridged_park(uuid, text, text, timestamptz) to service_role;

drop function if exists public.time_out_park(uuid, text, text, timestamptz);
