import Foundation
import SwitchboardCore
import Testing

extension StoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func recordingARingingCallIsIdempotentByCallSid(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let call = RingingCall(
                callSid: "CA-1",
                tenant: "acme",
                caller: "+15550001",
                called: "+15550100",
                agentsRung: ["bob", "amy"],
                startedAt: Clock.at(5)
            )
            try await store.recordRinging(call)
            var retry = call
            retry.caller = "+15559999"
            retry.agentsRung = ["zed"]
            try await store.recordRinging(retry)

            let expected = RingingCall(
                callSid: "CA-1",
                tenant: "acme",
                caller: "+15550001",
                called: "+15550100",
                agentsRung: ["bob", "amy"],
                startedAt: Clock.at(5)
            )
            #expect(try await store.ringingCall("CA-1") == expected)
            #expect(try await store.ringingCall("CA-2") == nil)
            #expect(try await store.callWinner("CA-1") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theFirstClaimWinsAndLaterClaimsNameTheWinner(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for identity in ["amy", "bob", "cat"] {
                try await store.upsertAgent(.new(identity))
            }
            try await store.recordRinging(
                RingingCall(callSid: "CA-1", tenant: .default, caller: "+1", called: "+2", agentsRung: ["amy", "bob", "cat"], startedAt: Clock.start)
            )
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "bob", at: Clock.at(3)) == .won)
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "amy", at: Clock.at(4)) == .alreadyAnswered(by: "bob"))
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "cat", at: Clock.at(5)) == .alreadyAnswered(by: "bob"))
            // The winner's retry wins again and changes nothing.
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "bob", at: Clock.at(6)) == .won)

            #expect(try await store.callWinner("CA-1") == "bob")
            #expect(try await store.agent(identity: "bob", in: .default).currentCallSid == "CA-1")
            #expect(try await store.agent(identity: "amy", in: .default).currentCallSid == nil)
            #expect(try await store.agent(identity: "cat", in: .default).currentCallSid == nil)
            #expect(try await store.availableIdentities(at: Clock.at(7)) == ["amy", "cat"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anAgentOnAnotherCallIsBusy(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            try await store.upsertAgent(.new("bob"))
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "amy", at: Clock.at(1)) == .won)
            #expect(try await store.claimCall("CA-2", tenant: .default, agentIdentity: "amy", at: Clock.at(2)) == .agentBusy(currentCallSid: "CA-1"))
            #expect(try await store.callWinner("CA-2") == nil)
            #expect(try await store.claimCall("CA-2", tenant: .default, agentIdentity: "bob", at: Clock.at(3)) == .won)
            #expect(try await store.agent(identity: "amy", in: .default).currentCallSid == "CA-1")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aClaimOfAnUnrecordedCallWinsIt(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            try await store.upsertAgent(.new("bob"))
            #expect(try await store.claimCall("CA-9", tenant: .default, agentIdentity: "amy", at: Clock.at(1)) == .won)
            #expect(try await store.claimCall("CA-9", tenant: .default, agentIdentity: "bob", at: Clock.at(2)) == .alreadyAnswered(by: "amy"))
            #expect(try await store.callWinner("CA-9") == "amy")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aClaimByAnUnknownAgentThrowsNotFoundNamingAgentAndTenant(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            let error = await #expect(throws: StoreError.notFound) {
                try await store.claimCall("CA-1", tenant: "acme", agentIdentity: "ghost", at: Clock.start)
            }
            #expect(error?.message.contains("ghost") == true)
            #expect(error?.message.contains("acme") == true)
            #expect(try await store.callWinner("CA-1") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func thirtyConcurrentClaimsHaveOneWinner(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await Self.raceClaims(stores: [store], rounds: 3)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func thirtyConcurrentClaimsThroughTwoStoreInstancesHaveOneWinner(kind: StoreKind) async throws {
        try await kind.withStores(instances: 2) { stores async throws in
            try await Self.raceClaims(stores: stores, rounds: 5)
        }
    }

    /// Thirty distinct agents claim one call at once, spread over `stores`, `rounds` times (a fresh call
    /// each round, the previous one ended so no agent is busy).
    private static func raceClaims(stores: [any CallStore], rounds: Int) async throws {
        let identities = (1...30).map { "agent\($0)" }
        for identity in identities {
            try await stores[0].upsertAgent(.new(identity))
        }
        for round in 1...rounds {
            let callSid = "CA-race-\(round)"
            let outcomes = try await withThrowingTaskGroup(of: (String, ClaimOutcome).self) { group in
                for (index, identity) in identities.enumerated() {
                    let store = stores[index % stores.count]
                    group.addTask {
                        (identity, try await store.claimCall(callSid, tenant: .default, agentIdentity: identity, at: Clock.at(round)))
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            let winners = outcomes.filter { $0.value == .won }.map(\.key)
            try #require(winners.count == 1, "round \(round): winners \(winners.sorted())")
            let winner = winners[0]
            for (identity, outcome) in outcomes where identity != winner {
                #expect(outcome == .alreadyAnswered(by: winner), "round \(round): \(identity) got \(outcome)")
            }
            for store in stores {
                #expect(try await store.callWinner(callSid) == winner)
            }
            let onTheCall = try await stores[0].agents(in: .default).filter { $0.currentCallSid == callSid }.map(\.identity)
            #expect(onTheCall == [winner])
            try await stores[stores.count - 1].endCall(callSid, at: Clock.at(round), wrapUpSeconds: 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func endingACallClearsItAndStartsWrapUpThenTheAgentRingsLast(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let created = try await store.upsertAgent(.new("amy"))
            try await store.upsertAgent(.new("bob"))
            try await store.upsertAgent(.new("cat"))
            try await store.giveCall(to: "bob", endedAt: Clock.at(-500))

            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "amy", at: Clock.at(0)) == .won)
            #expect(try await store.availableIdentities(at: Clock.at(1)) == ["cat", "bob"])
            try await store.endCall("CA-1", at: Clock.at(60), wrapUpSeconds: 30)

            let expected = Agent(
                id: created.id,
                identity: "amy",
                name: "Agent amy",
                email: "amy@example.com",
                presence: .available,
                currentCallSid: nil,
                wrapUpEndsAt: Clock.at(90),
                lastCallEndedAt: Clock.at(60),
                chatCapacity: 5
            )
            #expect(try await store.agent(identity: "amy", in: .default) == expected)
            #expect(try await store.callWinner("CA-1") == "amy")
            #expect(try await store.availableIdentities(at: Clock.at(89)) == ["cat", "bob"])
            #expect(try await store.availableIdentities(at: Clock.at(90)) == ["cat", "bob", "amy"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func endingACallNobodyIsOnChangesNothing(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "amy", at: Clock.at(0)) == .won)
            let before = try await store.agents(in: nil)
            try await store.endCall("CA-other", at: Clock.at(60), wrapUpSeconds: 30)
            #expect(try await store.agents(in: nil) == before)
            #expect(before.map(\.currentCallSid) == ["CA-1"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aNegativeWrapUpIsInvalid(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "amy", at: Clock.at(0)) == .won)
            await #expect(throws: StoreError.invalid) { try await store.endCall("CA-1", at: Clock.at(60), wrapUpSeconds: -1) }
            #expect(try await store.agent(identity: "amy", in: .default).currentCallSid == "CA-1")
        }
    }
}
