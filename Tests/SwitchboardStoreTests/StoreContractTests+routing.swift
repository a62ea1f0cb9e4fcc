import Foundation
import SwitchboardCore
import Testing

/// `routingSnapshot` must answer exactly what `tenant(forCalledNumber:)` and `availableAgents` answer
/// together, on every store (SQLite answers it with one joined statement of its own).
extension StoreContractTests {
    func expectSnapshotMatchesTheTwoCalls(_ store: some CallStore, number: String, at now: Date, limit: Int) async throws {
        let snapshot = try await store.routingSnapshot(forCalledNumber: number, at: now, limit: limit)
        guard let tenant = try await store.tenant(forCalledNumber: number) else {
            #expect(snapshot == nil, "\(number) belongs to no tenant")
            return
        }
        let agents = try await store.availableAgents(in: tenant, at: now, limit: limit)
        #expect(snapshot == RoutingSnapshot(tenant: tenant, agents: agents), "\(number), limit \(limit)")
    }

    @Test(arguments: StoreKind.allCases)
    func theRoutingSnapshotUsesTheDefaultTenantWhileNoNumberIsMapped(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            try await store.upsertAgent(.new("bob", presence: .away))
            try await store.upsertAgent(.new("cat"))
            try await store.giveCall(to: "cat", endedAt: Clock.at(10))
            let snapshot = try await store.routingSnapshot(forCalledNumber: "+15005550006", at: Clock.at(3600), limit: 10)
            #expect(snapshot?.tenant == .default)
            #expect(snapshot?.agents.map(\.identity).contains("bob") == false)
            try await expectSnapshotMatchesTheTwoCalls(store, number: "+15005550006", at: Clock.at(3600), limit: 10)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theRoutingSnapshotFollowsNumberMappingsAndAvailability(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            #expect(try await store.numberMappings().isEmpty)
            try await store.mapNumber("+1666", to: "acme")
            try await store.mapNumber("+1555", to: "acme")
            try await store.mapNumber("+1666", to: "globex")
            let mappings = try await store.numberMappings()
            #expect(mappings.map(\.number) == ["+1555", "+1666"] && mappings.map(\.tenant) == ["acme", "globex"])
            for identity in ["amy", "ann", "abe"] { try await store.upsertAgent(.new(identity, tenant: "acme")) }
            try await store.upsertAgent(.new("gus", tenant: "globex", presence: .offline))
            try await store.giveCall(to: "ann", tenant: "acme", endedAt: Clock.at(5))
            let now = Clock.at(3600)
            for limit in [1, 2, 10] {
                try await expectSnapshotMatchesTheTwoCalls(store, number: "+1555", at: now, limit: limit)
            }
            #expect(try await store.routingSnapshot(forCalledNumber: "+1555", at: now, limit: 2)?.agents.count == 2)
            let globex = try await store.routingSnapshot(forCalledNumber: "+1666", at: now, limit: 10)
            #expect(globex == RoutingSnapshot(tenant: "globex", agents: []))
            #expect(try await store.routingSnapshot(forCalledNumber: "+1777", at: now, limit: 10) == nil)
            try await expectSnapshotMatchesTheTwoCalls(store, number: "+1777", at: now, limit: 10)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anUnmappedNumberBelongsToNoTenantUntilNoneIsMapped(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.mapNumber("+1555", to: "acme")
            try await store.mapNumber("+1666", to: "globex")
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            try await store.upsertAgent(.new("dee"))
            #expect(try await store.routingSnapshot(forCalledNumber: "+1555", at: Clock.start, limit: 10)?.tenant == "acme")

            #expect(try await store.unmapNumber("+1555") == "acme")
            #expect(try await store.numberMappings().map(\.number) == ["+1666"])
            #expect(try await store.routingSnapshot(forCalledNumber: "+1555", at: Clock.start, limit: 10) == nil)
            #expect(try await store.unmapNumber("+1555") == nil)

            #expect(try await store.unmapNumber("+1666") == "globex")
            #expect(try await store.numberMappings().isEmpty)
            let everyCall = try await store.routingSnapshot(forCalledNumber: "+1555", at: Clock.start, limit: 10)
            #expect(everyCall == RoutingSnapshot(tenant: .default, agents: [try await store.agent(identity: "dee", in: .default)]))
        }
    }
}
