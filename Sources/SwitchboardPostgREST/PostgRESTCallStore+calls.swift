import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PostgRESTCallStore {
    /// An insert that ignores an existing row with the same call SID, so Twilio's retries change
    /// nothing.
    public func recordRinging(_ call: RingingCall) async throws(StoreError) {
        _ = try await client.insert(
            PostgRESTQuery("calls"),
            CallRow(call),
            preferences: PostgRESTPreferences(returning: .minimal, resolution: .ignoreDuplicates),
            operation: "recording call \(call.callSid) ringing"
        )
    }

    /// The call's record read, then one update for each field it lacks, each guarded by that field's
    /// being still missing (or later, for the start), so an update another instance made meanwhile is
    /// never replaced: fields fill independently, and only one value ever fills each.
    @discardableResult
    public func completeCall(_ call: RingingCall) async throws(StoreError) -> Bool {
        guard let record = try await ringingCall(call.callSid) else { return false }
        let start = PostgRESTTimestamp.format(call.startedAt)
        var updates: [(filter: PostgRESTFilter, changes: CallCompletion)] = []
        if record.caller.isEmpty, !call.caller.isEmpty { updates.append((.eq("caller", ""), CallCompletion(caller: call.caller))) }
        if record.called.isEmpty, !call.called.isEmpty { updates.append((.eq("called", ""), CallCompletion(called: call.called))) }
        if record.agentsRung.isEmpty, !call.agentsRung.isEmpty {
            updates.append((.eq("agents_rung", "{}"), CallCompletion(agents_rung: call.agentsRung)))
        }
        if call.startedAt < record.startedAt { updates.append((.compare("started_at", .gt, start), CallCompletion(started_at: call.startedAt))) }
        let operation = "completing the record of call \(call.callSid)"
        var changed = false
        for update in updates {
            let response = try await client.update(
                PostgRESTQuery("calls", select: ["call_sid"], filters: [.eq("call_sid", call.callSid), update.filter]),
                update.changes,
                preferences: PostgRESTPreferences(returning: .representation),
                operation: operation
            )
            changed = try !client.decode([CallSidRow].self, from: response, operation: operation).isEmpty || changed
        }
        return changed
    }

    public func ringingCall(_ callSid: String) async throws(StoreError) -> RingingCall? {
        try await client.rows(
            PostgRESTQuery("calls", select: CallRow.columns, filters: [.eq("call_sid", callSid)]),
            as: CallRow.self,
            operation: "reading call \(callSid)"
        ).first?.ringingCall
    }

    /// The `claim_call_as` SQL function: the claim and the winner's current call in one transaction.
    public func claimCall(_ callSid: String, tenant: TenantID, agentIdentity: String, at now: Date) async throws(StoreError) -> ClaimOutcome {
        let result = try await client.rpc(
            "claim_call_as",
            ClaimArguments(p_call_sid: callSid, p_tenant_id: tenant.rawValue, p_agent_identity: agentIdentity, p_claimed_at: now),
            as: ClaimResult.self,
            idempotent: false,
            operation: "claiming call \(callSid) for agent \(agentIdentity)"
        )
        return try result.claimOutcome(from: "claim_call_as", for: "call \(callSid)")
    }

    public func callWinner(_ callSid: String) async throws(StoreError) -> String? {
        try await client.rows(
            PostgRESTQuery("calls", select: ["answered_by"], filters: [.eq("call_sid", callSid)]),
            as: WinnerRow.self,
            operation: "reading the winner of call \(callSid)"
        ).first?.answered_by
    }

    /// The `end_answered_dial` SQL function, which locks the agent on the call before it checks how they
    /// got on it (`supabase/migrations/20261125090000_dial_end_keeps_a_retriever.sql`).
    public func endAnsweredDial(_ callSid: String, at now: Date, wrapUpSeconds: Int, joinedBy: Date?) async throws(StoreError) {
        let wrapUpEnd = try Agent.wrapUpEnd(afterCallEndedAt: now, seconds: wrapUpSeconds)
        _ = try await client.rpc(
            "end_answered_dial",
            AnsweredDialEndArguments(p_call_sid: callSid, p_at: now, p_wrap_up_ends_at: wrapUpEnd, p_joined_by: joinedBy),
            as: Bool.self,
            idempotent: true,
            operation: "ending the answered dial of call \(callSid)"
        )
    }

    public func endCall(_ callSid: String, at now: Date, wrapUpSeconds: Int, joinedBy: Date?) async throws(StoreError) {
        let wrapUpEnd = try Agent.wrapUpEnd(afterCallEndedAt: now, seconds: wrapUpSeconds)
        _ = try await client.update(
            PostgRESTQuery("agents", filters: [.eq("current_call_sid", callSid)] + Self.joined(by: joinedBy)),
            EndCallChanges(last_call_ended_at: now, wrap_up_ends_at: wrapUpEnd),
            preferences: PostgRESTPreferences(returning: .minimal),
            operation: "ending call \(callSid)"
        )
    }
}

extension PostgRESTCallStore {
    /// Agents who got on their current call at or before `time` (or when is unknown): an end that
    /// happened before an agent got on the call is not theirs. No filter without a time.
    static func joined(by time: Date?) -> [PostgRESTFilter] {
        guard let time else { return [] }
        return [.or([.is("current_call_since", .null), .compare("current_call_since", .lte, PostgRESTTimestamp.format(time))])]
    }
}

private struct ClaimArguments: Encodable {
    var p_call_sid: String
    var p_tenant_id: String
    var p_agent_identity: String
    var p_claimed_at: Date
}

/// What `claim_call_as` and `reclaim_parked_call` answer.
struct ClaimResult: Decodable {
    var outcome: String
    var answered_by: String?
    var current_call_sid: String?

    /// The outcome; an answer `function` should not give (about `subject`) is ``StoreError/corrupt``.
    func claimOutcome(from function: String, for subject: String) throws(StoreError) -> ClaimOutcome {
        switch (outcome, answered_by, current_call_sid) {
        case ("won", _, _): return .won
        case ("already_answered", let winner?, _): return .alreadyAnswered(by: winner)
        case ("agent_busy", _, let current?): return .agentBusy(currentCallSid: current)
        case ("call_ended", _, _): return .callEnded
        default: throw .corrupt("\(function) answered an unknown outcome \(outcome) for \(subject)")
        }
    }
}

private struct WinnerRow: Decodable {
    var answered_by: String?
}

/// Clears the current call (an explicit null) and sets the call end and wrap-up.
struct EndCallChanges: Encodable {
    var last_call_ended_at: Date
    var wrap_up_ends_at: Date

    enum CodingKeys: String, CodingKey { case current_call_sid, last_call_ended_at, wrap_up_ends_at }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeNil(forKey: .current_call_sid)
        try container.encode(last_call_ended_at, forKey: .last_call_ended_at)
        try container.encode(wrap_up_ends_at, forKey: .wrap_up_ends_at)
    }
}

/// The fields ``PostgRESTCallStore/completeCall(_:)`` fills, one at a time (a nil one is not sent).
private struct CallCompletion: Encodable {
    var caller: String?
    var called: String?
    var agents_rung: [String]?
    var started_at: Date?
}

private struct CallSidRow: Decodable {
    var call_sid: String
}

/// `end_answered_dial`'s arguments; every key is sent, a null `p_joined_by` included, because PostgREST
/// picks a function by its full set of argument names.
private struct AnsweredDialEndArguments: Encodable {
    var p_call_sid: String
    var p_at: Date
    var p_wrap_up_ends_at: Date
    var p_joined_by: Date?

    enum CodingKeys: String, CodingKey { case p_call_sid, p_at, p_wrap_up_ends_at, p_joined_by }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(p_call_sid, forKey: .p_call_sid)
        try container.encode(p_at, forKey: .p_at)
        try container.encode(p_wrap_up_ends_at, forKey: .p_wrap_up_ends_at)
        try container.encode(p_joined_by, forKey: .p_joined_by)
    }
}
