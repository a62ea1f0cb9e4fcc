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
                "DROP INDEX agents_one_current_tenant_per_identity", "ALTER TABLE agents DROP COLUMN retired_at",
                "ALTER TABLE agents DROP COLUMN current_call_since", "ALTER TABLE calls DROP COLUMN finished_at", "PRAGMA user_version = 1",
            ] {
                _ = try await first.diagnosticRows(statement)
            }
            try await first.close()

            let second = try await SQLiteCallStore(path: path)
            #expect(try await second.diagnosticRows("PRAGMA user_version") == [["user_version": "9"]])
            #expect(try await second.agents(in: nil) == [amy])
            #expect(try await second.ringingCalls(in: .default).map(\.callSid) == ["CA-1"])
            try await second.finishCall("CA-1", at: Clock.at(5))
            #expect(try await second.ringingCalls(in: .default) == [])
            let parked = try await second.parkCall("CA-2", tenant: .default, slot: "park", parkedBy: "amy", at: Clock.at(6))
            #expect(try await second.parkedCalls(in: .default) == [parked])
            let handoff = try await second.createHandoff(tenant: .default, conversationID: "conv-1", customerName: nil, summary: nil, at: Clock.at(7))
                .handoff
            #expect(try await second.handoffs(in: .default, status: .pending) == [handoff])
            try await second.close()
        }
    }

    @Test func aVersionFourFileKeepsItsParkedCallsAndRecordsArrivals() async throws {
        try await TemporaryDatabase.with { path in
            let first = try await SQLiteCallStore(path: path)
            try await first.upsertAgent(.new("amy"))
            let parked = try await first.parkCall("CA-1", tenant: .default, slot: "park", parkedBy: "amy", at: Clock.at(1))
            // Takes the file back to version 4: parked calls without their arrival.
            for statement in [
                "ALTER TABLE parked_calls DROP COLUMN arrived_at", "ALTER TABLE parked_calls DROP COLUMN retriever_arrived_at",
                "DROP INDEX agents_one_current_tenant_per_identity", "ALTER TABLE agents DROP COLUMN retired_at",
                "ALTER TABLE agents DROP COLUMN current_call_since", "PRAGMA user_version = 4",
            ] {
                _ = try await first.diagnosticRows(statement)
            }
            try await first.close()

            let second = try await SQLiteCallStore(path: path)
            #expect(try await second.diagnosticRows("PRAGMA user_version") == [["user_version": "9"]])
            #expect(try await second.parkedCalls(in: .default) == [parked])
            var arrived = parked
            arrived.arrivedAt = Clock.at(2)
            #expect(try await second.confirmParkArrival(id: parked.id, tenant: .default, callSid: "CA-1", at: Clock.at(2)) == .confirmed(arrived))
            try await second.close()
        }
    }

    @Test func aVersionThreeFileKeepsItsRingEventsAndAcceptsAwayEvents() async throws {
        try await TemporaryDatabase.with { path in
            let first = try await SQLiteCallStore(path: path)
            // Takes ring_events back to version 3's CHECK, which has no 'away'.
            for statement in [
                """
                CREATE TABLE ring_events_v3 (sequence INTEGER PRIMARY KEY AUTOINCREMENT, call_sid TEXT NOT NULL, tenant TEXT NOT NULL,
                agent_identity TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('ringing', 'answered', 'declined', 'missed', 'parked', 'retrieved')),
                occurred_at REAL NOT NULL, detail TEXT, UNIQUE (call_sid, agent_identity, kind))
                """,
                "DROP TABLE ring_events", "ALTER TABLE ring_events_v3 RENAME TO ring_events",
                "ALTER TABLE parked_calls DROP COLUMN arrived_at", "ALTER TABLE parked_calls DROP COLUMN retriever_arrived_at",
                "DROP INDEX agents_one_current_tenant_per_identity", "ALTER TABLE agents DROP COLUMN retired_at",
                "ALTER TABLE agents DROP COLUMN current_call_since", "PRAGMA user_version = 3",
                // Rows as a version 3 build wrote them.
                """
                INSERT INTO ring_events (call_sid, tenant, agent_identity, kind, occurred_at, detail)
                VALUES ('CA-1', 'acme', 'amy', 'missed', \(Clock.at(1).timeIntervalSince1970), NULL),
                    ('CA-2', 'acme', 'amy', 'missed', \(Clock.at(2).timeIntervalSince1970), NULL)
                """,
            ] {
                _ = try await first.diagnosticRows(statement)
            }
            await #expect(throws: StoreError.self, "version 3 refuses an away event") {
                try await first.diagnosticRows(
                    "INSERT INTO ring_events (call_sid, tenant, agent_identity, kind, occurred_at) VALUES ('CA-2', 'acme', 'amy', 'away', 3)"
                )
            }
            try await first.close()
            let old = RingEvent(callSid: "CA-1", tenant: "acme", agentIdentity: "amy", kind: .missed, occurredAt: Clock.at(1))

            let second = try await SQLiteCallStore(path: path)
            #expect(try await second.diagnosticRows("PRAGMA user_version") == [["user_version": "9"]])
            let kept = try await second.ringEvents(in: "acme", after: 0, limit: 10)
            #expect(kept.map(\.sequence) == [1, 2])
            #expect(kept.map(\.callSid) == ["CA-1", "CA-2"])
            let away = RingEvent(
                callSid: "CA-2",
                tenant: "acme",
                agentIdentity: "amy",
                kind: .away,
                occurredAt: Clock.at(3),
                detail: "missed 2 rings in a row"
            )
            #expect(try await second.recordRingEvent(away))
            #expect(try await second.ringEvents(in: "acme", after: 2, limit: 10).map(\.sequence) == [3], "sequences continue after the rebuild")
            #expect(try await second.recordRingEvent(old) == false, "the rebuilt table keeps its uniqueness")
            try await second.close()
        }
    }

    @Test func aVersionFiveFileKeepsItsRingEventsAndTellsAParksRingBackApart() async throws {
        try await TemporaryDatabase.with { path in
            let first = try await SQLiteCallStore(path: path)
            // Takes ring_events back to version 5: one event per (call, agent, kind), no occurrence.
            for statement in [
                """
                CREATE TABLE ring_events_v5 (sequence INTEGER PRIMARY KEY AUTOINCREMENT, call_sid TEXT NOT NULL, tenant TEXT NOT NULL,
                agent_identity TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('ringing', 'answered', 'declined', 'missed', 'parked', 'retrieved', 'away')),
                occurred_at REAL NOT NULL, detail TEXT, UNIQUE (call_sid, agent_identity, kind))
                """,
                "DROP TABLE ring_events", "ALTER TABLE ring_events_v5 RENAME TO ring_events",
                "DROP INDEX agents_one_current_tenant_per_identity", "ALTER TABLE agents DROP COLUMN retired_at",
                "ALTER TABLE agents DROP COLUMN current_call_since", "PRAGMA user_version = 5",
                // Amy answered CA-1 and parked it (park p-1), as a version 5 build recorded it.
                """
                INSERT INTO ring_events (call_sid, tenant, agent_identity, kind, occurred_at, detail)
                VALUES ('CA-1', 'acme', 'amy', 'ringing', 1, 'ringing'), ('CA-1', 'acme', 'amy', 'answered', 2, 'in-progress'),
                    ('CA-1', 'acme', 'amy', 'parked', 3, 'p-1')
                """,
            ] {
                _ = try await first.diagnosticRows(statement)
            }
            try await first.close()

            let second = try await SQLiteCallStore(path: path)
            #expect(try await second.diagnosticRows("PRAGMA user_version") == [["user_version": "9"]])
            let kept = try await second.ringEvents(in: "acme", after: 0, limit: 10)
            #expect(kept.map(\.sequence) == [1, 2, 3])
            #expect(kept.map(\.occurrence) == ["", "", "p-1"], "a park's event takes the park's id from its detail")
            // The park's ring-back rings Amy on a new leg, and she answers it.
            let ringBack = RingEvent(
                callSid: "CA-1",
                tenant: "acme",
                agentIdentity: "amy",
                kind: .ringing,
                occurredAt: Clock.at(4),
                occurrence: "CL-2"
            )
            #expect(try await second.recordRingEvent(ringBack))
            var answered = ringBack
            answered.kind = .answered
            #expect(try await second.recordRingEvent(answered))
            #expect(try await second.recordRingEvent(answered) == false, "the rebuilt table keeps its uniqueness")
            var parkedAgain = kept[2]
            parkedAgain.sequence = 0
            #expect(try await second.recordRingEvent(parkedAgain) == false, "the backfilled park keeps its id")
            #expect(try await second.ringEvents(in: "acme", after: 3, limit: 10).map(\.sequence) == [4, 5], "sequences continue")
            try await second.close()
        }
    }

    @Test func aVersionEightFileKeepsEachIdentitysRecordMostInUseCurrentAndRetiresTheOthers() async throws {
        try await TemporaryDatabase.with { path in
            let first = try await SQLiteCallStore(path: path)
            let amy = try await first.upsertAgent(.new("amy", tenant: "acme"))
            let bob = try await first.upsertAgent(.new("bob", tenant: "acme"))
            // Takes the file back to version 8, where one identity could be current in several tenants,
            // and stores such records as a version 8 build would have, in this order: Amy (none on a call,
            // none offline) again in globex and then initech; Cy on a call (offline) in acme, then
            // available in globex; Dee away in acme, then offline in globex.
            for statement in [
                "DROP INDEX agents_one_current_tenant_per_identity", "ALTER TABLE agents DROP COLUMN retired_at", "PRAGMA user_version = 8",
                """
                INSERT INTO agents (id, tenant, identity, name, email, presence, current_call_sid, chat_capacity)
                VALUES ('amy-globex', 'globex', 'amy', 'Amy G', 'amy@globex.test', 'available', NULL, 5),
                    ('amy-initech', 'initech', 'amy', 'Amy I', 'amy@initech.test', 'away', NULL, 5),
                    ('cy-acme', 'acme', 'cy', 'Cy', 'cy@acme.test', 'offline', 'CA-live', 5),
                    ('cy-globex', 'globex', 'cy', 'Cy', 'cy@globex.test', 'available', NULL, 5),
                    ('dee-acme', 'acme', 'dee', 'Dee', 'dee@acme.test', 'away', NULL, 5),
                    ('dee-globex', 'globex', 'dee', 'Dee', 'dee@globex.test', 'offline', NULL, 5)
                """,
            ] {
                _ = try await first.diagnosticRows(statement)
            }
            try await first.close()

            let before = Date()
            let second = try await SQLiteCallStore(path: path)
            #expect(try await second.diagnosticRows("PRAGMA user_version") == [["user_version": "9"]])
            let all = try await second.agents(in: nil)
            #expect(
                all.map { "\($0.tenant)/\($0.identity)/\($0.presence.rawValue)/\($0.isRetired)" } == [
                    "acme/amy/offline/true", "acme/bob/available/false", "acme/cy/offline/false", "acme/dee/away/false",
                    "globex/amy/offline/true", "globex/cy/offline/true", "globex/dee/offline/true", "initech/amy/away/false",
                ]
            )
            for retired in all where retired.isRetired {
                #expect(retired.retiredAt.map { $0 >= before.addingTimeInterval(-1) && $0 <= Date().addingTimeInterval(1) } == true)
            }
            #expect(all.first { $0.tenant == "acme" && $0.identity == "amy" }?.id == amy.id, "retired, not replaced")
            #expect(all.first { $0.identity == "bob" } == bob)
            #expect(try await second.availableIdentities(in: "acme", at: Clock.start) == ["bob"])
            #expect(try await second.availableIdentities(in: "globex", at: Clock.start) == [])
            await #expect(throws: StoreError.conflict) { try await second.upsertAgent(.new("amy", tenant: "acme")) }
            try await second.close()
        }
    }

    /// A file without the index of voicemails with no caller (one an earlier build made or last opened,
    /// which stored such voicemails with no way to give them their caller later) gets it at open, with
    /// no new schema version (an earlier build still opens the file), and those voicemails get what their
    /// calls' records hold now.
    @Test func aFileWithoutTheVoicemailsIndexGetsItAndItsVoicemailsWithoutACallerTheirCallsCaller() async throws {
        try await TemporaryDatabase.with { path in
            let first = try await SQLiteCallStore(path: path)
            try await first.upsertAgent(.new("amy"))
            try await first.recordRinging(
                RingingCall(callSid: "CA-late", tenant: "acme", caller: "+15550001", called: "+15005550006", agentsRung: [], startedAt: Clock.at(1))
            )
            #expect(try await first.claimCall("CA-claimed", tenant: .default, agentIdentity: "amy", at: Clock.at(2)) == .won)
            _ = try await first.diagnosticRows("DROP INDEX voicemails_without_caller")
            // As an earlier build stored them: no caller, in the default tenant but for one whose URL
            // named its tenant; one of a call with no record, one of a call a claim recorded.
            for (recordingSid, callSid, tenant) in [
                ("RE-late", "CA-late", "default"), ("RE-named", "CA-late", "beta"), ("RE-none", "CA-none", "default"),
                ("RE-claimed", "CA-claimed", "default"),
            ] {
                #expect(
                    try await first.saveVoicemail(
                        Voicemail(
                            recordingSid: recordingSid,
                            callSid: callSid,
                            tenant: TenantID(tenant),
                            caller: nil,
                            recordingURL: "https://api.twilio.com/\(recordingSid)",
                            durationSeconds: 4,
                            receivedAt: Clock.at(10)
                        )
                    )
                )
            }
            try await first.close()

            let second = try await SQLiteCallStore(path: path)
            #expect(try await second.diagnosticRows("PRAGMA user_version") == [["user_version": "9"]])
            #expect(try await second.voicemails(in: "acme").map { "\($0.recordingSid) \($0.caller ?? "-")" } == ["RE-late +15550001"])
            #expect(try await second.voicemails(in: "beta").map { "\($0.recordingSid) \($0.caller ?? "-")" } == ["RE-named +15550001"])
            #expect(try await second.voicemails(in: .default).map { "\($0.recordingSid) \($0.caller ?? "-")" } == ["RE-claimed -", "RE-none -"])
            let plan = try await second.diagnosticRows(
                "EXPLAIN QUERY PLAN SELECT recording_sid FROM voicemails WHERE call_sid = 'CA-none' AND caller IS NULL"
            )
            #expect(plan.contains { $0["detail"]?.contains("voicemails_without_caller") == true }, "\(plan)")
            try await second.close()
        }
    }

    /// A tool that rebuilds the agents table drops its indexes; one that then writes an identity into a
    /// second tenant breaks the rule. The next open retires the duplicate and puts the index back.
    @Test func aDroppedIdentityIndexIsRebuiltAtOpenRetiringWhatWasWrittenMeanwhile() async throws {
        try await TemporaryDatabase.with { path in
            let first = try await SQLiteCallStore(path: path)
            try await first.upsertAgent(.new("amy", tenant: "acme"))
            _ = try await first.diagnosticRows("DROP INDEX agents_one_current_tenant_per_identity")
            _ = try await first.diagnosticRows(
                """
                INSERT INTO agents (id, tenant, identity, name, email, presence, chat_capacity)
                VALUES ('amy-globex', 'globex', 'amy', 'Amy G', 'amy@globex.test', 'available', 5)
                """
            )
            try await first.close()

            let second = try await SQLiteCallStore(path: path)
            let all = try await second.agents(in: nil)
            #expect(all.map { "\($0.tenant)/\($0.isRetired)" } == ["acme/true", "globex/false"])
            let indexes = try await second.diagnosticRows(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'agents_one_current_tenant_per_identity'"
            )
            #expect(indexes.count == 1)
            await #expect(throws: (any Error).self) {
                try await second.diagnosticRows(
                    """
                    INSERT INTO agents (id, tenant, identity, name, email, presence, chat_capacity)
                    VALUES ('amy-initech', 'initech', 'amy', 'Amy I', 'amy@initech.test', 'available', 5)
                    """
                )
            }
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

    /// The index of retrieved parks is added to a file without it (an earlier build's) at the next open,
    /// with no new schema version (an earlier build still opens the file), and serves the check of how
    /// an agent got on a call.
    @Test func theRetrievedParksIndexIsAddedWithoutANewVersion() async throws {
        try await TemporaryDatabase.with { path in
            let first = try await SQLiteCallStore(path: path)
            _ = try await first.diagnosticRows("DROP INDEX parked_calls_retrieved_by_call")
            try await first.close()

            let second = try await SQLiteCallStore(path: path)
            #expect(try await second.diagnosticRows("PRAGMA user_version") == [["user_version": "9"]])
            let plan = try await second.diagnosticRows(
                "EXPLAIN QUERY PLAN SELECT 1 FROM parked_calls WHERE call_sid = 'CA-1' AND retrieved_by = 'amy' AND retrieved_at = 12.5"
            )
            #expect(plan.contains { $0["detail"]?.contains("parked_calls_retrieved_by_call") == true }, "\(plan)")
            try await second.close()
        }
    }
}
