import SQLiteNIO
import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SQLiteCallStore {
    public func recordRinging(_ call: RingingCall) async throws(StoreError) {
        // Batched with the other inbound calls' records (group commit): the voice route writes one per call.
        let (sql, binds) = Self.ringingInsert(call)
        try await session.batchedWrite(sql, binds)
    }

    /// Queued in the same batches as ``recordRinging(_:)``, on the writer that makes every later write of
    /// this store, so those come after it.
    public func recordRinging(_ call: RingingCall, then: @escaping @Sendable (StoreError?) -> Void) {
        let (sql, binds) = Self.ringingInsert(call)
        session.batchedWrite(sql, binds, then: then)
    }

    /// The statement that records a ringing call, kept as it was when first recorded.
    private static func ringingInsert(_ call: RingingCall) -> (String, [SQLiteData]) {
        let sql = """
            INSERT INTO calls (call_sid, tenant, caller, called, agents_rung, started_at, finished_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (call_sid) DO NOTHING
            """
        let binds: [SQLiteData] = [
            .text(call.callSid), .text(call.tenant.rawValue), .text(call.caller), .text(call.called),
            .text(JSONStringList.encode(call.agentsRung)), SQLiteData(call.startedAt),
            call.agentsRung.isEmpty ? SQLiteData(call.startedAt) : .null,
        ]
        return (sql, binds)
    }

    /// One `UPDATE` that fills each missing field (see the protocol).
    @discardableResult
    public func completeCall(_ call: RingingCall) async throws(StoreError) -> Bool {
        let rows = try await session.transaction { (runner) throws(StoreError) in
            try runner.rows(
                """
                UPDATE calls SET
                    caller = CASE WHEN caller = '' THEN ?2 ELSE caller END,
                    called = CASE WHEN called = '' THEN ?3 ELSE called END,
                    agents_rung = CASE WHEN agents_rung = '[]' THEN ?4 ELSE agents_rung END,
                    started_at = min(started_at, ?5)
                WHERE call_sid = ?1
                    AND ((caller = '' AND ?2 != '') OR (called = '' AND ?3 != '') OR (agents_rung = '[]' AND ?4 != '[]') OR started_at > ?5)
                RETURNING call_sid
                """,
                [
                    .text(call.callSid), .text(call.caller), .text(call.called), .text(JSONStringList.encode(call.agentsRung)),
                    SQLiteData(call.startedAt),
                ]
            )
        }
        return !rows.isEmpty
    }

    public func ringingCall(_ callSid: String) async throws(StoreError) -> RingingCall? {
        let rows = try await session.read { (runner) throws(StoreError) in
            try runner.rows(
                "SELECT call_sid, tenant, caller, called, agents_rung, started_at FROM calls WHERE call_sid = ?1",
                [.text(callSid)]
            )
        }
        return try rows.first.map { (row) throws(StoreError) in try SQLiteRowReader(table: "calls", row: row).ringingCall() }
    }

    /// Claims the call in one `BEGIN IMMEDIATE` transaction (see the type's documentation). In order:
    /// an unknown agent, or a call recorded for another tenant, is ``StoreError/notFound``; a repeat by
    /// the winner is `.won`; an agent on another call gets `.agentBusy`; a call with a winner gets
    /// `.alreadyAnswered(by:)`; a finished call `.callEnded`; otherwise the agent wins, and a call not yet recorded is recorded with
    /// its winner (caller and called unknown, empty).
    public func claimCall(_ callSid: String, tenant: TenantID, agentIdentity: String, at now: Date) async throws(StoreError) -> ClaimOutcome {
        try await session.transaction { (runner) throws(StoreError) -> ClaimOutcome in
            let currentCallSid = try Self.currentCall(ofAgent: agentIdentity, in: tenant, runner)

            let callRows = try runner.rows("SELECT tenant, answered_by, finished_at FROM calls WHERE call_sid = ?1", [.text(callSid)])
            let callRow = callRows.first.map { SQLiteRowReader(table: "calls", row: $0) }
            if let callRow, try callRow.text("tenant") != tenant.rawValue {
                throw .notFound("No call \(callSid) in tenant \(tenant)")
            }
            let winner = try callRow?.optionalText("answered_by")
            if winner == agentIdentity { return .won }
            if let currentCallSid, currentCallSid != callSid { return .agentBusy(currentCallSid: currentCallSid) }
            if let winner { return .alreadyAnswered(by: winner) }
            if try callRow?.optionalUnixSeconds("finished_at") != nil { return .callEnded }

            let claimed = try runner.rows(
                """
                INSERT INTO calls (call_sid, tenant, caller, called, started_at, answered_by, answered_at)
                VALUES (?1, ?2, '', '', ?3, ?4, ?3)
                ON CONFLICT (call_sid) DO UPDATE SET answered_by = excluded.answered_by, answered_at = excluded.answered_at
                    WHERE calls.answered_by IS NULL AND calls.finished_at IS NULL
                RETURNING answered_by
                """,
                [.text(callSid), .text(tenant.rawValue), SQLiteData(now), .text(agentIdentity)]
            )
            // The write lock held since BEGIN IMMEDIATE makes this unreachable; checked all the same.
            guard claimed.count == 1 else {
                throw .conflict("Call \(callSid) was answered while agent \(agentIdentity) was claiming it")
            }
            try Self.put(agentIdentity, in: tenant, on: callSid, since: now, runner)
            return .won
        }
    }

    public func callWinner(_ callSid: String) async throws(StoreError) -> String? {
        let rows = try await session.read { (runner) throws(StoreError) in
            try runner.rows("SELECT answered_by FROM calls WHERE call_sid = ?1", [.text(callSid)])
        }
        return try rows.first.flatMap { (row) throws(StoreError) in try SQLiteRowReader(table: "calls", row: row).optionalText("answered_by") }
    }

    public func endAnsweredDial(_ callSid: String, at now: Date, wrapUpSeconds: Int, joinedBy: Date?) async throws(StoreError) {
        try await endParts(in: callSid, at: now, wrapUpSeconds: wrapUpSeconds, joinedBy: joinedBy, sparingRetrievers: true)
    }

    public func endCall(_ callSid: String, at now: Date, wrapUpSeconds: Int, joinedBy: Date?) async throws(StoreError) {
        try await endParts(in: callSid, at: now, wrapUpSeconds: wrapUpSeconds, joinedBy: joinedBy, sparingRetrievers: false)
    }

    /// Ends the part of every agent on `callSid` (with `joinedBy`, who got on it by then; with
    /// `sparingRetrievers`, not one whose time on it began with a retrieval, ``joinedByRetrieval``).
    private func endParts(
        in callSid: String,
        at now: Date,
        wrapUpSeconds: Int,
        joinedBy: Date?,
        sparingRetrievers: Bool
    ) async throws(StoreError) {
        let wrapUpEnd = try Agent.wrapUpEnd(afterCallEndedAt: now, seconds: wrapUpSeconds)
        try await session.exclusively { (runner) throws(StoreError) in
            try runner.execute(
                """
                UPDATE agents SET current_call_sid = NULL, last_call_ended_at = ?1, wrap_up_ends_at = ?2
                WHERE current_call_sid = ?3 AND (?4 IS NULL OR current_call_since IS NULL OR current_call_since <= ?4)
                    AND (?5 = 0 OR NOT \(Self.joinedByRetrieval))
                """,
                [SQLiteData(now), SQLiteData(wrapUpEnd), .text(callSid), SQLiteData(joinedBy), .integer(sparingRetrievers ? 1 : 0)]
            )
        }
    }
}
