import SQLiteNIO
import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The dashboard's call operations (``DeskStore``); parking and chat handoffs are in their own files.
extension SQLiteCallStore: DeskStore {
    /// The tenant's unanswered, unfinished calls, oldest first; ties by call SID.
    public func ringingCalls(in tenant: TenantID, startedSince: Date?) async throws(StoreError) -> [RingingCall] {
        let rows = try await session.exclusively { (runner) throws(StoreError) in
            try runner.rows(
                """
                SELECT \(SQLiteRowReader.ringingCallColumns) FROM calls
                WHERE tenant = ?1 AND answered_by IS NULL AND finished_at IS NULL AND (?2 IS NULL OR started_at >= ?2)
                ORDER BY started_at, call_sid
                """,
                [.text(tenant.rawValue), SQLiteData(startedSince)]
            )
        }
        return try rows.records(from: "calls") { (row) throws(StoreError) in try row.ringingCall() }
    }

    /// Sets the finish time of an unanswered call once (later calls keep the first), in one
    /// transaction with the check, as claims are.
    @discardableResult
    public func finishCall(_ callSid: String, at now: Date) async throws(StoreError) -> CallFinish {
        try await session.transaction { (runner) throws(StoreError) -> CallFinish in
            let updated = try runner.rows(
                "UPDATE calls SET finished_at = ?2 WHERE call_sid = ?1 AND finished_at IS NULL AND answered_by IS NULL RETURNING call_sid",
                [.text(callSid), SQLiteData(now)]
            )
            if !updated.isEmpty { return .finishedNow }
            let rows = try runner.rows("SELECT answered_by, finished_at FROM calls WHERE call_sid = ?1", [.text(callSid)])
            guard let row = rows.first.map({ SQLiteRowReader(table: "calls", row: $0) }) else { return .unknown }
            let answered = try row.optionalText("answered_by") != nil
            let finished = try row.optionalUnixSeconds("finished_at") != nil
            return finished && !answered ? .finishedBefore : .notFinished
        }
    }

    public func ringEvents(forCall callSid: String, in tenant: TenantID) async throws(StoreError) -> [RingEvent] {
        let rows = try await session.exclusively { (runner) throws(StoreError) in
            let calls = try runner.rows("SELECT tenant FROM calls WHERE call_sid = ?1", [.text(callSid)])
            if let call = calls.first, try SQLiteRowReader(table: "calls", row: call).text("tenant") != tenant.rawValue {
                throw .notFound("No call \(callSid) in tenant \(tenant)")
            }
            return try runner.rows(
                """
                SELECT \(SQLiteRowReader.ringEventColumns) FROM ring_events
                WHERE call_sid = ?1 AND tenant = ?2 ORDER BY sequence
                """,
                [.text(callSid), .text(tenant.rawValue)]
            )
        }
        return try rows.records(from: "ring_events") { (row) throws(StoreError) in try row.ringEvent() }
    }

    public func ringOutcomes(of identity: String, in tenant: TenantID, limit: Int) async throws(StoreError) -> [RingEvent] {
        guard limit > 0 else { return [] }  // SQLite reads a negative LIMIT as "no limit".
        let rows = try await session.exclusively { (runner) throws(StoreError) in
            try runner.rows(
                """
                SELECT \(SQLiteRowReader.ringEventColumns) FROM ring_events
                WHERE tenant = ?1 AND agent_identity = ?2 AND kind IN ('answered', 'declined', 'missed')
                ORDER BY sequence DESC LIMIT ?3
                """,
                [.text(tenant.rawValue), .text(identity), .integer(limit)]
            )
        }
        return try rows.records(from: "ring_events") { (row) throws(StoreError) in try row.ringEvent() }
    }

    /// One transaction: reads the agent, checks its call, and writes what ``Agent/released(at:)`` says.
    public func releaseAgent(identity: String, in tenant: TenantID, onCall callSid: String?, at now: Date) async throws(StoreError) -> AgentRelease {
        try await session.transaction { (runner) throws(StoreError) in
            let key: [SQLiteData] = [.text(tenant.rawValue), .text(identity)]
            let rows = try runner.rows("SELECT \(SQLiteRowReader.agentColumns) FROM agents WHERE tenant = ?1 AND identity = ?2", key)
            guard let row = rows.first else { throw .notFound("No agent \(identity) in tenant \(tenant)") }
            let agent = try SQLiteRowReader(table: "agents", row: row).agent()
            guard !agent.isRetired else { throw .agentRetired(identity, tenant: tenant) }
            guard agent.currentCallSid == callSid else { return .callChanged(agent) }
            let updated = try runner.rows(
                """
                UPDATE agents SET presence = ?3, current_call_sid = NULL, wrap_up_ends_at = NULL WHERE tenant = ?1 AND identity = ?2
                RETURNING \(SQLiteRowReader.agentColumns)
                """,
                key + [.text(agent.released(at: now).presence.rawValue)]
            )
            guard let stored = updated.first else {
                throw .corrupt("SQLite released agent \(identity) in tenant \(tenant) but returned no row")
            }
            return .released(try SQLiteRowReader(table: "agents", row: stored).agent())
        }
    }

    public func setAwayIfFree(identity: String, in tenant: TenantID) async throws(StoreError) -> Agent? {
        try await session.transaction { (runner) throws(StoreError) in
            let key: [SQLiteData] = [.text(tenant.rawValue), .text(identity)]
            let rows = try runner.rows(
                """
                UPDATE agents SET presence = 'away'
                WHERE tenant = ?1 AND identity = ?2 AND retired_at IS NULL AND presence = 'available' AND current_call_sid IS NULL
                RETURNING \(SQLiteRowReader.agentColumns)
                """,
                key
            )
            if let row = rows.first { return try SQLiteRowReader(table: "agents", row: row).agent() }
            guard try !runner.rows("SELECT 1 FROM agents WHERE tenant = ?1 AND identity = ?2", key).isEmpty else {
                throw .notFound("No agent \(identity) in tenant \(tenant)")
            }
            return nil
        }
    }
}
