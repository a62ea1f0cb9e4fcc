import Foundation
import SwitchboardCore
import Testing

/// The `CallStore` contract (see its documentation), run against every ``StoreKind``. Expected values
/// are written out by hand, never computed by the store under test.
@Suite("CallStore contract")
struct StoreContractTests {
    // MARK: Numbers and tenants

    @Test(arguments: StoreKind.allCases)
    func everyNumberBelongsToTheDefaultTenantWhileNoneIsMapped(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            #expect(try await store.tenant(forCalledNumber: "+15550100") == TenantID("default"))
            #expect(try await store.tenant(forCalledNumber: "") == TenantID("default"))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func mappedNumbersResolveAndUnmappedOnesReturnNil(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.mapNumber("+15550100", to: "acme")
            try await store.mapNumber("+15550200", to: "globex")
            #expect(try await store.tenant(forCalledNumber: "+15550100") == TenantID("acme"))
            #expect(try await store.tenant(forCalledNumber: "+15550200") == TenantID("globex"))
            #expect(try await store.tenant(forCalledNumber: "+15550300") == nil)

            try await store.mapNumber("+15550100", to: "globex")
            #expect(try await store.tenant(forCalledNumber: "+15550100") == TenantID("globex"))
        }
    }

    // MARK: Availability

    @Test(arguments: StoreKind.allCases)
    func availableAgentsLeaveOutAwayOfflineOnACallAndInWrapUp(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for identity in ["ready", "away", "offline", "onCall", "inWrapUp", "wrapUpOver"] {
                try await store.upsertAgent(.new(identity))
            }
            try await store.setPresence(.away, identity: "away", in: .default)
            try await store.setPresence(.offline, identity: "offline", in: .default)
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "onCall", at: Clock.at(-5)) == .won)
            #expect(try await store.claimCall("CA-2", tenant: .default, agentIdentity: "inWrapUp", at: Clock.at(-50)) == .won)
            try await store.endCall("CA-2", at: Clock.at(-10), wrapUpSeconds: 30)  // wrap-up ends at +20
            #expect(try await store.claimCall("CA-3", tenant: .default, agentIdentity: "wrapUpOver", at: Clock.at(-200)) == .won)
            try await store.endCall("CA-3", at: Clock.at(-100), wrapUpSeconds: 30)  // wrap-up ended at -70

            #expect(try await store.availableIdentities(at: Clock.start) == ["ready", "wrapUpOver"])
            #expect(try await store.availableIdentities(at: Clock.at(19)) == ["ready", "wrapUpOver"])
            // Wrap-up ending exactly now counts as over.
            #expect(try await store.availableIdentities(at: Clock.at(20)) == ["ready", "wrapUpOver", "inWrapUp"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func availableAgentsComeLongestIdleFirstNeverCalledFirstTiesByIdentity(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for identity in ["mia", "bob", "zoe", "al", "carl", "dee"] {
                try await store.upsertAgent(.new(identity))
            }
            try await store.giveCall(to: "mia", endedAt: Clock.at(-100))
            try await store.giveCall(to: "carl", endedAt: Clock.at(-300))
            try await store.giveCall(to: "bob", endedAt: Clock.at(-100))
            try await store.giveCall(to: "dee", endedAt: Clock.at(-99))

            #expect(try await store.availableIdentities(at: Clock.start) == ["al", "zoe", "carl", "bob", "mia", "dee"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func availableAgentsReturnAtMostTheLimit(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for identity in ["d", "c", "b", "a"] {
                try await store.upsertAgent(.new(identity))
            }
            #expect(try await store.availableIdentities(at: Clock.start, limit: 2) == ["a", "b"])
            #expect(try await store.availableIdentities(at: Clock.start, limit: 1) == ["a"])
            #expect(try await store.availableIdentities(at: Clock.start, limit: 0) == [])
            #expect(try await store.availableIdentities(at: Clock.start, limit: -1) == [])
        }
    }

    // MARK: Agents

    @Test(arguments: StoreKind.allCases)
    func upsertCreatesAnAgentWithAUUIDAndReadsBackTheSame(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let stored = try await store.upsertAgent(
                Agent(id: "", identity: "alice", name: "Alice Liddell", email: "alice@example.com", presence: .away, chatCapacity: 3)
            )
            #expect(UUID(uuidString: stored.id) != nil)
            #expect(stored.identity == "alice")
            #expect(stored.name == "Alice Liddell")
            #expect(stored.email == "alice@example.com")
            #expect(stored.presence == .away)
            #expect(stored.chatCapacity == 3)
            #expect(stored.currentCallSid == nil && stored.wrapUpEndsAt == nil && stored.lastCallEndedAt == nil)
            #expect(try await store.agent(identity: "alice", in: .default) == stored)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func upsertUpdatesTheAgentKeepingItsIdAndSystemFields(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let created = try await store.upsertAgent(.new("alice"))
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "alice", at: Clock.at(0)) == .won)
            try await store.endCall("CA-1", at: Clock.at(60), wrapUpSeconds: 30)
            #expect(try await store.claimCall("CA-2", tenant: .default, agentIdentity: "alice", at: Clock.at(100)) == .won)

            let edit = Agent(
                id: "not-the-stored-id",
                identity: "alice",
                name: "Alice L.",
                email: "al@example.org",
                presence: .offline,
                currentCallSid: nil,
                wrapUpEndsAt: nil,
                lastCallEndedAt: nil,
                chatCapacity: 9
            )
            let updated = try await store.upsertAgent(edit)
            let expected = Agent(
                id: created.id,
                identity: "alice",
                name: "Alice L.",
                email: "al@example.org",
                presence: .offline,
                currentCallSid: "CA-2",
                wrapUpEndsAt: Clock.at(90),
                lastCallEndedAt: Clock.at(60),
                chatCapacity: 9
            )
            #expect(updated == expected)
            #expect(try await store.agent(identity: "alice", in: .default) == expected)
            #expect(try await store.agents(in: nil).count == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func upsertRejectsAnIdentityThatBreaksTheRules(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for identity in ["", "has space", "dash-ed", "é", String(repeating: "a", count: 257)] {
                await #expect(throws: StoreError.invalid) { try await store.upsertAgent(.new(identity)) }
            }
            var negative = Agent.new("negative")
            negative.chatCapacity = -1
            await #expect(throws: StoreError.invalid) { try await store.upsertAgent(negative) }
            #expect(try await store.agents(in: nil) == [])

            let longest = String(repeating: "a", count: 256)
            #expect(try await store.upsertAgent(.new(longest)).identity == longest)
            #expect(try await store.upsertAgent(.new("Under_score_09")).identity == "Under_score_09")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func upsertOfANewAgentWithAnotherAgentsIdIsAConflict(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let alice = try await store.upsertAgent(.new("alice"))
            var bob = Agent.new("bob")
            bob.id = alice.id
            await #expect(throws: StoreError.conflict) { try await store.upsertAgent(bob) }
            #expect(try await store.agents(in: nil).map(\.identity) == ["alice"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func setPresenceUpdatesAndReturnsTheAgent(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let created = try await store.upsertAgent(.new("alice"))
            let updated = try await store.setPresence(.away, identity: "alice", in: .default)
            var expected = created
            expected.presence = .away
            #expect(updated == expected)
            #expect(try await store.agent(identity: "alice", in: .default) == expected)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func setPresenceOnAMissingAgentThrowsNotFound(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            await #expect(throws: StoreError.notFound) { try await store.setPresence(.away, identity: "ghost", in: .default) }
            await #expect(throws: StoreError.notFound) { try await store.agent(identity: "ghost", in: .default) }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func checkReadySucceeds(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.checkReady()
        }
    }
}
