import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

/// Migration 2 (the dashboard's columns and tables) on a file that already has data under version 1.
@Suite("SQLite schema migrations")
struct SQLiteSchemaMigrationTests {
    @Test func aVersionOneFileIsMigratedToVersionTwoKeepingItsData() async throws {
        try await TemporaryDatabase.with { path in
            let first = try await SQLiteCallStore(path: path)
            let amy = try await first.upsertAgent(.new("amy"))
            try await first.recordRinging(.ringing("CA-1", tenant: .default, at: 0))
            // Takes the file back to version 1: what migration 2 added is removed.
            for statement in [
                "DROP TABLE parked_calls", "DROP TABLE chat_handoffs", "DROP INDEX calls_by_tenant", "DROP INDEX ring_events_by_agent",
                "ALTER TABLE calls DROP COLUMN finished_at", "PRAGMA user_version = 1",
            ] {
                _ = try await first.diagnosticRows(statement)
            }
            try await first.close()

            let second = try await SQLiteCallStore(path: path)
            #expect(try await second.diagnosticRows("PRAGMA user_version") == [["user_version": "3"]])
            #expect(try await second.agents(in: nil) == [amy])
            #expect(try await second.ringingCalls(in: .default).map(\.callSid) == ["CA-1"])
            try await second.finishCall("CA-1", at: Clock.at(5))
            #expect(try await second.ringingCalls(in: .default) == [])
            let parked = try await second.parkCall("CA-2", tenant: .default, slot: "park", parkedBy: "amy", at: Clock.at(6))
            #expect(try await second.parkedCalls(in: .default) == [parked])
            let handoff = try await second.createHandoff(tenant: .default, conversationID: "conv-1", customerName: nil, summary: nil, at: Clock.at(7))
            #expect(try await second.handoffs(in: .default, status: .pending) == [handoff])
            try await second.close()
        }
    }

    @Test func theDashboardsQueriesUseTheirIndexes() async throws {
        let store = try await SQLiteCallStore(path: ":memory:")
        let plans = [
            "SELECT call_sid FROM calls WHERE tenant = 'a' AND answered_by IS NULL AND finished_at IS NULL ORDER BY started_at, call_sid":
                "calls_by_tenant",
            "SELECT sequence FROM ring_events WHERE tenant = 'a' AND agent_identity = 'amy' ORDER BY sequence DESC LIMIT 5":
                "ring_events_by_agent",
            "SELECT id FROM parked_calls WHERE tenant = 'a' AND retrieved_at IS NULL AND ended_at IS NULL ORDER BY parked_at, call_sid":
                "parked_calls_open_by_tenant",
            "SELECT id FROM parked_calls WHERE call_sid = 'CA-1' AND retrieved_at IS NULL AND ended_at IS NULL":
                "parked_calls_one_open_per_call",
            "SELECT count(*) FROM chat_handoffs WHERE tenant = 'a' AND picked_up_by = 'amy' AND status = 'active'":
                "chat_handoffs_active_by_agent",
            "SELECT id FROM chat_handoffs WHERE tenant = 'a' AND status = 'pending' ORDER BY created_at, id":
                "chat_handoffs_by_status",
        ]
        for (sql, index) in plans {
            let plan = try await store.diagnosticRows("EXPLAIN QUERY PLAN \(sql)").compactMap { $0["detail"] }.joined(separator: "; ")
            #expect(plan.contains("USING INDEX \(index)") || plan.contains("USING COVERING INDEX \(index)"), "\(sql): \(plan)")
        }
        try await store.close()
    }
}
