import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The dashboard's call operations (``DeskStore``), each one plain table request (ring events of a
/// call take two); parking and chat handoffs are in their own files.
extension PostgRESTCallStore: DeskStore {
    /// The tenant's unanswered, unfinished calls, oldest first; ties by call SID.
    public func ringingCalls(in tenant: TenantID, startedSince: Date?) async throws(StoreError) -> [RingingCall] {
        let since = startedSince.map { [PostgRESTFilter.compare("started_at", .gte, PostgRESTTimestamp.format($0))] } ?? []
        let query = PostgRESTQuery(
            "calls",
            select: CallRow.columns,
            filters: [.eq("tenant_id", tenant.rawValue), .is("answered_by", .null), .is("finished_at", .null)] + since,
            order: [PostgRESTOrder("started_at"), PostgRESTOrder("call_sid")]
        )
        return try await client.allRows(query, as: CallRow.self, key: \.call_sid, operation: "reading the ringing calls of tenant \(tenant)")
            .map(\.ringingCall)
    }

    /// One conditional update: only a call neither answered nor finished gets the time, so a repeat
    /// keeps the first, and the row it returns says this request finished it. Claims (`claim_call_as`)
    /// queue on the same row, so one of the two is first and the other sees it. Otherwise the call is
    /// read: once finished unanswered it stays so, and answered stays answered. A call that is neither
    /// was recorded between the update and the read (its ringing record, retried from a failing store
    /// or made by another instance), and the update is made again, once.
    @discardableResult
    public func finishCall(_ callSid: String, at now: Date) async throws(StoreError) -> CallFinish {
        let operation = "finishing call \(callSid)"
        for _ in 0..<2 {
            let response = try await client.update(
                PostgRESTQuery(
                    "calls",
                    select: ["call_sid"],
                    filters: [.eq("call_sid", callSid), .is("finished_at", .null), .is("answered_by", .null)]
                ),
                ["finished_at": PostgRESTTimestamp.format(now)],
                preferences: PostgRESTPreferences(returning: .representation),
                operation: operation
            )
            if !(try client.decode([FinishedRow].self, from: response, operation: operation)).isEmpty { return .finishedNow }
            let rows = try await client.rows(
                PostgRESTQuery("calls", select: ["answered_by", "finished_at"], filters: [.eq("call_sid", callSid)]),
                as: FinishRow.self,
                operation: operation
            )
            guard let row = rows.first else { return .unknown }
            if row.answered_by != nil { return .notFinished }
            if row.finished_at != nil { return .finishedBefore }
        }
        // Still neither answered nor finished after a second update, which should have matched it (an
        // update the project refuses without an error, say): not finished, as before this re-update,
        // so an answered end still frees the call's agents.
        return .notFinished
    }

    public func ringEvents(forCall callSid: String, in tenant: TenantID) async throws(StoreError) -> [RingEvent] {
        let operation = "reading the ring events of call \(callSid)"
        let calls = try await client.rows(
            PostgRESTQuery("calls", select: ["tenant_id"], filters: [.eq("call_sid", callSid)]),
            as: CallTenantRow.self,
            operation: operation
        )
        if let call = calls.first, call.tenant_id != tenant.rawValue {
            throw .notFound("No call \(callSid) in tenant \(tenant)")
        }
        let query = PostgRESTQuery(
            "ring_events",
            select: RingEventRow.columns,
            filters: [.eq("call_sid", callSid), .eq("tenant_id", tenant.rawValue)],
            order: [PostgRESTOrder("sequence")]
        )
        return try await client.rows(query, as: RingEventRow.self, operation: operation).map { (row) throws(StoreError) in try row.ringEvent() }
    }

    public func ringOutcomes(of identity: String, in tenant: TenantID, limit: Int) async throws(StoreError) -> [RingEvent] {
        guard limit > 0 else { return [] }
        let outcomes: [RingEvent.Kind] = [.answered, .declined, .missed]
        let query = PostgRESTQuery(
            "ring_events",
            select: RingEventRow.columns,
            filters: [.eq("tenant_id", tenant.rawValue), .eq("agent_identity", identity), .in("kind", outcomes.map(\.rawValue))],
            order: [PostgRESTOrder("sequence", ascending: false)],
            limit: limit
        )
        return try await client.rows(query, as: RingEventRow.self, operation: "reading the ring outcomes of agent \(identity)")
            .map { (row) throws(StoreError) in try row.ringEvent() }
    }

    /// The `release_agent` SQL function, which locks the agent's row
    /// (`supabase/migrations/20261125060000_supervisor_release_in_one_step.sql`). Not retried on an
    /// unknown outcome: a release that landed would find no call on a retry and answer that it changed.
    public func releaseAgent(identity: String, in tenant: TenantID, onCall callSid: String?, at now: Date) async throws(StoreError) -> AgentRelease {
        let operation = "releasing agent \(identity)"
        let result = try await client.rpc(
            "release_agent",
            ReleaseAgentArguments(p_tenant_id: tenant.rawValue, p_identity: identity, p_call_sid: callSid, p_now: now),
            as: ReleaseAgentResult.self,
            idempotent: false,
            operation: operation
        )
        let agent = try result.agent.agent()
        switch result.outcome {
        case "released": return .released(agent)
        case "call_changed": return .callChanged(agent)
        default: throw .corrupt("release_agent answered an unknown outcome \(result.outcome) \(operation)")
        }
    }

    /// One update whose filters are the condition, so atomic; a second read tells a missing agent.
    public func setAwayIfFree(identity: String, in tenant: TenantID) async throws(StoreError) -> Agent? {
        let operation = "setting agent \(identity) away"
        let response = try await client.update(
            PostgRESTQuery(
                "agents",
                select: AgentRow.columns,
                filters: [
                    .eq("tenant_id", tenant.rawValue), .eq("identity", identity), .is("retired_at", .null),
                    .eq("presence", Presence.available.rawValue),
                    .is("current_call_sid", .null),
                ]
            ),
            ["presence": Presence.away.rawValue],
            preferences: PostgRESTPreferences(returning: .representation),
            operation: operation
        )
        if let row = try client.decode([AgentRow].self, from: response, operation: operation).first { return try row.agent() }
        _ = try await agent(identity: identity, in: tenant)
        return nil
    }

    /// `true` when `id` can name a row of a table keyed by UUID; anything else names none, and the
    /// database would refuse it as invalid rather than not found.
    static func isUUID(_ id: String) -> Bool {
        UUID(uuidString: id) != nil
    }
}

private struct CallTenantRow: Decodable {
    var tenant_id: String
}

/// `release_agent`'s arguments; every key is sent, a null call included, because PostgREST picks a
/// function by its full set of argument names.
private struct ReleaseAgentArguments: Encodable {
    var p_tenant_id: String
    var p_identity: String
    var p_call_sid: String?
    var p_now: Date

    enum CodingKeys: String, CodingKey { case p_tenant_id, p_identity, p_call_sid, p_now }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(p_tenant_id, forKey: .p_tenant_id)
        try container.encode(p_identity, forKey: .p_identity)
        try container.encode(p_call_sid, forKey: .p_call_sid)
        try container.encode(p_now, forKey: .p_now)
    }
}

/// `release_agent`'s answer: `released` or `call_changed`, and the agent as stored after it.
private struct ReleaseAgentResult: Decodable {
    var outcome: String
    var agent: AgentRow
}

/// Whether a call was answered or finished.
private struct FinishRow: Decodable {
    var answered_by: String?
    var finished_at: String?
}

/// The row `finishCall`'s update returns when it finished the call.
private struct FinishedRow: Decodable {
    var call_sid: String
}
