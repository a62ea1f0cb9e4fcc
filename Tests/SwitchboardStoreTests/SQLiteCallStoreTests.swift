import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

/// What only the SQLite store promises: a file that outlives the store, a schema created once, and
/// failures that arrive as `StoreError` values.
@Suite("SQLiteCallStore")
struct SQLiteCallStoreTests {
    @Test func reopeningAFileKeepsEverything() async throws {
        try await TemporaryDatabase.with { path in
            let first = try await SQLiteCallStore(path: path)
            try await first.mapNumber("+15550100", to: "acme")
            let amy = try await first.upsertAgent(.new("amy", tenant: "acme"))
            let call = RingingCall(callSid: "CA-1", tenant: "acme", caller: "+1", called: "+15550100", agentsRung: ["amy"], startedAt: Clock.start)
            try await first.recordRinging(call)
            #expect(try await first.claimCall("CA-1", tenant: "acme", agentIdentity: "amy", at: Clock.at(1)) == .won)
            let event = RingEvent(callSid: "CA-1", tenant: "acme", agentIdentity: "amy", kind: .answered, occurredAt: Clock.at(1))
            try await first.recordRingEvent(event)
            let voicemail = Voicemail(
                recordingSid: "RE-1",
                callSid: "CA-2",
                tenant: "acme",
                caller: "+1",
                recordingURL: "https://example.com/RE-1",
                durationSeconds: 7,
                receivedAt: Clock.at(2)
            )
            try await first.saveVoicemail(voicemail)
            try await first.close()

            let second = try await SQLiteCallStore(path: path)
            #expect(try await second.tenant(forCalledNumber: "+15550100") == TenantID("acme"))
            #expect(try await second.tenant(forCalledNumber: "+15550999") == nil)
            var onCall = amy
            onCall.currentCallSid = "CA-1"
            #expect(try await second.agents(in: nil) == [onCall])
            #expect(try await second.ringingCall("CA-1") == call)
            #expect(try await second.callWinner("CA-1") == "amy")
            #expect(try await second.ringEvents(in: "acme", after: 0, limit: 10).map(\.kind) == [.answered])
            #expect(try await second.voicemails(in: "acme") == [voicemail])
            try await second.close()
        }
    }

    @Test func openingAgainCreatesNoSecondSchemaAndRecordsTheCurrentVersion() async throws {
        try await TemporaryDatabase.with { path in
            for _ in 0..<3 {
                let store = try await SQLiteCallStore(path: path)
                try await store.upsertAgent(.new("amy"))
                #expect(try await store.agents(in: nil).count == 1)
                #expect(try await Self.integer("PRAGMA user_version", in: store) == 9)
                #expect(try await Self.integer("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'agents'", in: store) == 1)
                try await store.close()
            }
        }
    }

    @Test func theFileIsInWALMode() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            #expect(try await store.diagnosticRows("PRAGMA journal_mode") == [["journal_mode": "wal"]])
            try await store.close()
        }
    }

    @Test func aSchemaNewerThanThisBuildIsRefused() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            _ = try await store.diagnosticRows("PRAGMA user_version = 99")
            try await store.close()
            let error = await #expect(throws: StoreError.unavailable) { try await SQLiteCallStore(path: path) }
            #expect(error?.description.contains("99") == true)
        }
    }

    @Test func aFileThatIsNotADatabaseIsUnavailable() async throws {
        try await TemporaryDatabase.with { path in
            try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
            await #expect(throws: StoreError.unavailable) { try await SQLiteCallStore(path: path) }
        }
    }

    @Test func aPathThatCannotBeCreatedIsUnavailable() async throws {
        try await TemporaryDatabase.with { path in
            await #expect(throws: StoreError.unavailable) { try await SQLiteCallStore(path: path + "/no/such/directory/store.sqlite") }
            // A directory where the file should be.
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            await #expect(throws: StoreError.unavailable) { try await SQLiteCallStore(path: path) }
        }
    }

    @Test func anInMemoryDatabaseWorks() async throws {
        let store = try await SQLiteCallStore(path: ":memory:")
        try await store.upsertAgent(.new("amy"))
        #expect(try await store.availableIdentities(at: Clock.start) == ["amy"])
        try await store.close()
    }

    @Test func aClosedStoreIsUnavailableAndClosesAgainQuietly() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            try await store.close()
            await #expect(throws: StoreError.unavailable) { try await store.checkReady() }
            await #expect(throws: StoreError.unavailable) { try await store.agents(in: nil) }
            try await store.close()
        }
    }

    @Test func aStoreDroppedWithoutClosingLetsGoOfTheFile() async throws {
        try await TemporaryDatabase.with { path in
            do {
                let dropped = try await SQLiteCallStore(path: path)
                try await dropped.upsertAgent(.new("amy"))
            }
            let store = try await SQLiteCallStore(path: path, configuration: .init(busyTimeout: .seconds(2)))
            try await store.upsertAgent(.new("bob"))
            #expect(try await store.agents(in: nil).map(\.identity) == ["amy", "bob"])
            try await store.close()
        }
    }

    @Test func anUnreadableRowIsCorrupt() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            try await store.upsertAgent(.new("amy"))
            _ = try await store.diagnosticRows("UPDATE agents SET wrap_up_ends_at = 'tomorrow'")
            let error = await #expect(throws: StoreError.corrupt) { try await store.agent(identity: "amy", in: .default) }
            #expect(error?.message.contains("wrap_up_ends_at") == true)
            try await store.close()
        }
    }

    /// Opening a file whose schema is current only reads, so another connection's write lock does not
    /// stop it (a new file, which needs its schema written, waits for the lock: see the serve tests).
    @Test func aCurrentFileOpensWhileAnotherConnectionHoldsTheWriteLock() async throws {
        try await TemporaryDatabase.with { path in
            let holder = try await SQLiteCallStore(path: path)
            _ = try await holder.diagnosticRows("BEGIN IMMEDIATE")
            let opened = try await SQLiteCallStore(path: path, configuration: .init(busyTimeout: .milliseconds(200)))
            #expect(try await opened.agents(in: nil) == [])
            _ = try await holder.diagnosticRows("ROLLBACK")
            try await opened.close()
            try await holder.close()
        }
    }

    @Test func aWriterWaitsForTheBusyTimeoutThenTimesOut() async throws {
        try await TemporaryDatabase.with { path in
            let holder = try await SQLiteCallStore(path: path)
            let waiter = try await SQLiteCallStore(path: path, configuration: .init(busyTimeout: .milliseconds(200)))
            // The holder's connection keeps the write lock after the gate is released.
            _ = try await holder.diagnosticRows("BEGIN IMMEDIATE")

            let started = ContinuousClock.now
            await #expect(throws: StoreError.timeout) { try await waiter.upsertAgent(.new("amy")) }
            // Readers are not blocked by the writer in WAL mode.
            #expect(try await waiter.agents(in: nil) == [])
            #expect(ContinuousClock.now - started < .seconds(30))

            _ = try await holder.diagnosticRows("ROLLBACK")
            try await waiter.upsertAgent(.new("amy"))
            try await holder.close()
            try await waiter.close()
        }
    }

    @Test func availableAgentsIsServedByTheIndexWithoutSorting() async throws {
        let store = try await SQLiteCallStore(path: ":memory:")
        let plan = try await store.diagnosticRows(
            """
            EXPLAIN QUERY PLAN SELECT \(SQLiteRowReader.agentColumns) FROM agents
            WHERE tenant = CAST('default' AS TEXT) AND presence = 'available' AND current_call_sid IS NULL
                AND (wrap_up_ends_at IS NULL OR wrap_up_ends_at <= 0.5)
            ORDER BY last_call_ended_at, identity LIMIT 5
            """
        )
        let details = plan.compactMap { $0["detail"] }
        #expect(details.contains { $0.contains("USING INDEX agents_by_availability") }, "\(details)")
        #expect(!details.contains { $0.contains("TEMP B-TREE") }, "\(details)")
        try await store.close()
    }

    @Test func theVoiceRouteStatementsArePreparedOnceNotPerCall() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            try await store.upsertAgent(.new("amy"))
            // One warm-up round: a statement first prepared before the schema was created is prepared
            // again once, legitimately.
            var counts: [[String: Int]] = []
            for second in 0..<6 {
                if second == 1 { counts.append(try await store.statementReprepares()) }
                let now = Clock.at(second)
                #expect(try await store.routingSnapshot(forCalledNumber: "+15550100", at: now, limit: 100)?.agents.count == 1)
                try await store.recordRinging(
                    RingingCall(callSid: "CA-\(second)", tenant: .default, caller: "+1", called: "+15550100", agentsRung: ["amy"], startedAt: now)
                )
                #expect(try await store.availableAgents(in: .default, at: now, limit: 10).count == 1)
                #expect(try await store.ringingCall("CA-\(second)")?.agentsRung == ["amy"])
                #expect(try await store.claimCall("CA-\(second)", tenant: .default, agentIdentity: "amy", at: now) == .won)
                try await store.endCall("CA-\(second)", at: now, wrapUpSeconds: 0)
            }
            // SQLite prepares a statement again when a parameter its plan depends on (a LIMIT, say) changes.
            counts.append(try await store.statementReprepares())
            #expect(counts[1] == counts[0], "\(counts)")
            try await store.close()
        }
    }

    @Test func aPresenceChangeInAnotherStoreIsSeenByTheNextRoutingRead() async throws {
        try await TemporaryDatabase.with { path in
            let router = try await SQLiteCallStore(path: path)
            let admin = try await SQLiteCallStore(path: path)
            try await admin.upsertAgent(.new("amy"))
            try await admin.upsertAgent(.new("bob"))
            for round in 0..<20 {
                let away = round.isMultiple(of: 2) ? "amy" : "bob"
                try await admin.setPresence(.away, identity: away, in: .default)
                let rung = try await router.routingSnapshot(forCalledNumber: "+15550100", at: Clock.start, limit: 100)?.agents.map(\.identity)
                #expect(rung == [away == "amy" ? "bob" : "amy"], "round \(round)")
                try await admin.setPresence(.available, identity: away, in: .default)
            }
            try await router.close()
            try await admin.close()
        }
    }

    /// Rebuilding `agents` (as tools do to change a column) drops its triggers with it, and with them the
    /// routing version's bumps, so routing caches would keep ringing agents set away. The next open puts
    /// them back, and bumps the version once, so a cache filled before sees what changed meanwhile.
    @Test func theNextOpenPutsBackTheRoutingTriggersARebuildDropped() async throws {
        try await TemporaryDatabase.with { path in
            let running = try await SQLiteCallStore(path: path)
            try await running.upsertAgent(.new("amy"))
            try await running.upsertAgent(.new("bob"))
            func rung(_ store: SQLiteCallStore) async throws -> [String]? {
                try await store.routingSnapshot(forCalledNumber: "+15550100", at: Clock.start, limit: 100)?.agents.map(\.identity)
            }
            #expect(try await rung(running) == ["amy", "bob"])
            for event in ["insert", "update", "delete"] {
                _ = try await running.diagnosticRows("DROP TRIGGER agents_\(event)_bumps_routing_version")
            }
            // Unseen by the running store's cache: nothing bumps the version now.
            _ = try await running.setPresence(.away, identity: "bob", in: .default)
            #expect(try await rung(running) == ["amy", "bob"])

            let next = try await SQLiteCallStore(path: path)
            let triggers = try await next.diagnosticRows("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger'")
            #expect(triggers.first?["n"] == "\(SQLiteSchema.routingTriggers.count)")
            // The repair's bump reaches the cache filled before it, and the triggers bump again after it.
            #expect(try await rung(running) == ["amy"])
            _ = try await next.setPresence(.away, identity: "amy", in: .default)
            #expect(try await rung(running) == [])
            try await next.close()
            try await running.close()
        }
    }

    @Test func concurrentReadsAndWritesOnOneStoreAllSucceedAndAgree() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            for index in 0..<10 { try await store.upsertAgent(.new("agent_\(index)")) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        if index.isMultiple(of: 4) {
                            try await store.setPresence(.away, identity: "agent_\(index / 4 % 10)", in: .default)
                        } else {
                            let snapshot = try await store.routingSnapshot(forCalledNumber: "+15550100", at: Clock.start, limit: 100)
                            #expect(snapshot?.tenant == .default)
                        }
                    }
                }
                try await group.waitForAll()
            }
            // Every agent was set away at least once, and every read after that sees it.
            #expect(try await store.routingSnapshot(forCalledNumber: "+15550100", at: Clock.start, limit: 100)?.agents == [])
            try await store.close()
        }
    }

    private static func integer(_ sql: String, in store: SQLiteCallStore) async throws -> Int? {
        try await store.diagnosticRows(sql).first?.values.first.flatMap { Int($0) }
    }
}
