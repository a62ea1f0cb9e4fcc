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

    /// One update that sets the current call and wrap-up to null.
    @discardableResult
    public func releaseAgent(identity: String, in tenant: TenantID) async throws(StoreError) -> Agent {
        let operation = "releasing agent \(identity)"
        let response = try await client.update(
            PostgRESTQuery("agents", select: AgentRow.columns, filters: [.eq("tenant_id", tenant.rawValue), .eq("identity", identity)]),
            ReleaseAgentChanges(),
            preferences: PostgRESTPreferences(returning: .representation),
            operation: operation
        )
        guard let row = try client.decode([AgentRow].self, from: response, operation: operation).first else {
            throw .notFound("No agent \(identity) in tenant \(tenant)")
        }
        return try row.agent()
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

/// Explicit nulls for the current call and wrap-up.
private struct ReleaseAgentChanges: Encodable {
    enum CodingKeys: String, CodingKey { case current_call_sid, wrap_up_ends_at }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeNil(forKey: .current_call_sid)
        try container.encodeNil(forKey: .wrap_up_ends_at)
    }
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
