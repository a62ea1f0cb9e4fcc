import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

/// The SQLite store keeps the voice route's routing reads in memory; these check that no change, made
/// by any connection in any way, is ever missed, and that the time of the call is still applied.
@Suite struct SQLiteRoutingCacheTests {
    /// What the route must see: the store contract's two separate reads, on a store without a warm cache.
    static func truth(_ store: SQLiteCallStore, _ number: String, at now: Date, limit: Int = 100) async throws -> RoutingSnapshot? {
        guard let tenant = try await store.tenant(forCalledNumber: number) else { return nil }
        return RoutingSnapshot(tenant: tenant, agents: try await store.availableAgents(in: tenant, at: now, limit: limit))
    }

    @Test func everyKindOfChangeByAnotherConnectionIsSeenAtOnce() async throws {
        try await TemporaryDatabase.with { path in
            let router = try await SQLiteCallStore(path: path)
            let admin = try await SQLiteCallStore(path: path)
            for identity in ["amy", "bob", "cy"] { try await admin.upsertAgent(.new(identity)) }
            let number = "+15550100"
            var step = 0
            func check(at now: Date = Clock.start, _ change: () async throws -> Void) async throws {
                // Warm the router's entry, change something elsewhere, read again.
                _ = try await router.routingSnapshot(forCalledNumber: number, at: now, limit: 100)
                try await change()
                step += 1
                let seen = try await router.routingSnapshot(forCalledNumber: number, at: now, limit: 100)
                #expect(seen == (try await Self.truth(admin, number, at: now)), "step \(step)")
            }
            try await check { try await admin.setPresence(.away, identity: "amy", in: .default) }
            try await check { try await admin.setPresence(.available, identity: "amy", in: .default) }
            try await check { try await admin.upsertAgent(.new("dee")) }
            try await check { _ = try await admin.claimCall("CA-1", tenant: .default, agentIdentity: "bob", at: Clock.at(1)) }
            try await check { try await admin.endCall("CA-1", at: Clock.at(10), wrapUpSeconds: 60) }
            try await check { _ = try await admin.diagnosticRows("UPDATE agents SET presence = 'offline' WHERE identity = 'cy'") }
            try await check { _ = try await admin.diagnosticRows("DELETE FROM agents WHERE identity = 'dee'") }
            try await check { try await admin.mapNumber("+15559999", to: "acme") }
            #expect(try await router.routingSnapshot(forCalledNumber: number, at: Clock.start, limit: 100) == nil)
            try await check { try await admin.mapNumber(number, to: "default") }
            try await router.close()
            try await admin.close()
        }
    }

    @Test func theWrapUpEndIsAppliedAtTheTimeOfEachCallWithoutAnyChange() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            for identity in ["amy", "bob"] { try await store.upsertAgent(.new(identity)) }
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "amy", at: Clock.at(0)) == .won)
            try await store.endCall("CA-1", at: Clock.at(10), wrapUpSeconds: 60)
            for second in [10, 69, 70, 71, 500] {
                let seen = try await store.routingSnapshot(forCalledNumber: "+15550100", at: Clock.at(second), limit: 100)
                #expect(seen == (try await Self.truth(store, "+15550100", at: Clock.at(second))), "at \(second) s")
            }
            // Until the wrap-up ends (at 70 s) only bob; from then on both, amy after bob (her last call is
            // more recent).
            #expect(try await store.routingSnapshot(forCalledNumber: "+1", at: Clock.at(69), limit: 100)?.agents.map(\.identity) == ["bob"])
            #expect(try await store.routingSnapshot(forCalledNumber: "+1", at: Clock.at(70), limit: 100)?.agents.map(\.identity) == ["bob", "amy"])
            #expect(try await store.routingSnapshot(forCalledNumber: "+1", at: Clock.at(70), limit: 1)?.agents.map(\.identity) == ["bob"])
            try await store.close()
        }
    }

    @Test func aFileAtSchemaVersionTwoGetsTheRoutingVersionWhenOpened() async throws {
        try await TemporaryDatabase.with { path in
            let first = try await SQLiteCallStore(path: path)
            try await first.upsertAgent(.new("amy"))
            let triggers = try await first.diagnosticRows("SELECT name FROM sqlite_schema WHERE type = 'trigger'").compactMap { $0["name"] }
            #expect(triggers.count == 6)
            for trigger in triggers { _ = try await first.diagnosticRows("DROP TRIGGER \(trigger)") }
            _ = try await first.diagnosticRows("DROP TABLE routing_version")
            // And what migrations 5, 7 and 9 added, which come after (6 rebuilt ring_events, which stays as it is).
            _ = try await first.diagnosticRows("DROP INDEX agents_one_current_tenant_per_identity")
            _ = try await first.diagnosticRows("ALTER TABLE agents DROP COLUMN retired_at")
            _ = try await first.diagnosticRows("ALTER TABLE agents DROP COLUMN current_call_since")
            _ = try await first.diagnosticRows("ALTER TABLE parked_calls DROP COLUMN arrived_at")
            _ = try await first.diagnosticRows("ALTER TABLE parked_calls DROP COLUMN retriever_arrived_at")
            _ = try await first.diagnosticRows("PRAGMA user_version = 2")
            try await first.close()

            let router = try await SQLiteCallStore(path: path)
            let admin = try await SQLiteCallStore(path: path)
            #expect(try await router.diagnosticRows("PRAGMA user_version") == [["user_version": "9"]])
            #expect(try await router.routingSnapshot(forCalledNumber: "+1", at: Clock.start, limit: 10)?.agents.map(\.identity) == ["amy"])
            try await admin.setPresence(.away, identity: "amy", in: .default)
            #expect(try await router.routingSnapshot(forCalledNumber: "+1", at: Clock.start, limit: 10)?.agents == [])
            try await router.close()
            try await admin.close()
        }
    }

    @Test func aTenantTooLargeToKeepIsReadInFull() async throws {
        let store = try await SQLiteCallStore(path: ":memory:")
        let count = SQLiteRoutingCache.maximumCandidates + 5
        for index in 0..<count {
            try await store.upsertAgent(.new(String(format: "agent_%05d", index)))
        }
        try await store.setPresence(.away, identity: "agent_00000", in: .default)
        let seen = try await store.routingSnapshot(forCalledNumber: "+1", at: Clock.start, limit: 10)
        #expect(seen?.agents.map(\.identity) == (1...10).map { String(format: "agent_%05d", $0) })
        #expect(seen == (try await Self.truth(store, "+1", at: Clock.start, limit: 10)))
        try await store.close()
    }
}
