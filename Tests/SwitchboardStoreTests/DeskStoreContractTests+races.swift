import Foundation
import SwitchboardCore
import Testing

extension DeskStoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func twoAgentsRetrievingOneParkedCallAtOnceHaveOneWinner(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await Self.raceRetrievals(stores: [store], agents: 2, rounds: 5)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func tenAgentsRetrievingOneParkedCallThroughThreeStoreInstancesHaveOneWinner(kind: StoreKind) async throws {
        try await kind.withStores(instances: 3) { stores async throws in
            try await Self.raceRetrievals(stores: stores, agents: 10, rounds: 3)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anAgentRetrievingSixParkedCallsAtOnceThroughThreeInstancesGetsOne(kind: StoreKind) async throws {
        try await kind.withStores(instances: 3) { stores async throws in
            try await stores[0].upsertAgent(.new("amy"))
            try await stores[0].upsertAgent(.new("bob"))
            var parked: [ParkedCall] = []
            for index in 1...6 {
                parked.append(try await stores[0].parkCall("CA-\(index)", tenant: .default, slot: "park", parkedBy: "bob", at: Clock.at(index)))
            }
            let outcomes = try await withThrowingTaskGroup(of: (String, RetrievalOutcome).self) { group in
                for (index, call) in parked.enumerated() {
                    let store = stores[index % stores.count]
                    group.addTask {
                        (call.callSid, try await store.retrieveParkedCall(id: call.id, tenant: .default, agentIdentity: "amy", at: Clock.at(100)))
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            let retrieved = outcomes.filter { $0.value.isRetrieved }.map(\.key)
            try #require(retrieved.count == 1, "retrieved \(retrieved.sorted())")
            for (callSid, outcome) in outcomes where callSid != retrieved[0] {
                #expect(outcome == .agentBusy(currentCallSid: retrieved[0]), "\(callSid) got \(outcome)")
            }
            for store in stores {
                #expect(try await store.agent(identity: "amy", in: .default).currentCallSid == retrieved[0])
                #expect(try await store.parkedCalls(in: .default).map(\.callSid) == parked.map(\.callSid).filter { $0 != retrieved[0] })
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anAgentAnsweringAndRetrievingAtOnceEndsUpOnOneCall(kind: StoreKind) async throws {
        try await kind.withStores(instances: 2) { stores async throws in
            try await stores[0].upsertAgent(.new("amy"))
            try await stores[0].upsertAgent(.new("bob"))
            for round in 1...5 {
                let ringing = "CA-ringing-\(round)"
                let parked = try await stores[0].parkCall("CA-parked-\(round)", tenant: .default, slot: "park", parkedBy: "bob", at: Clock.at(round))
                async let claim = stores[0].claimCall(ringing, tenant: .default, agentIdentity: "amy", at: Clock.at(round * 10))
                async let retrieval = stores[1].retrieveParkedCall(id: parked.id, tenant: .default, agentIdentity: "amy", at: Clock.at(round * 10))
                let (claimed, retrieved) = try await (claim, retrieval)
                let current = try await stores[0].agent(identity: "amy", in: .default).currentCallSid
                if claimed == .won {
                    #expect(retrieved == .agentBusy(currentCallSid: ringing), "round \(round)")
                    #expect(current == ringing, "round \(round)")
                    #expect(try await stores[1].parkedCall(id: parked.id, in: .default).isWaiting, "round \(round)")
                } else {
                    #expect(claimed == .agentBusy(currentCallSid: parked.callSid), "round \(round)")
                    #expect(retrieved.isRetrieved, "round \(round)")
                    #expect(current == parked.callSid, "round \(round)")
                    #expect(try await stores[1].callWinner(ringing) == nil, "round \(round)")
                }
                try await stores[0].endCall(try #require(current), at: Clock.at(round * 10 + 5), wrapUpSeconds: 0)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func twoAgentsPickingUpOneHandoffAtOnceHaveOneWinner(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await Self.racePickups(stores: [store], agents: 2, rounds: 5)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func tenAgentsPickingUpOneHandoffThroughThreeStoreInstancesHaveOneWinner(kind: StoreKind) async throws {
        try await kind.withStores(instances: 3) { stores async throws in
            try await Self.racePickups(stores: stores, agents: 10, rounds: 3)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anAgentPickingUpTwelveHandoffsAtOnceThroughThreeInstancesStopsAtItsCapacity(kind: StoreKind) async throws {
        try await kind.withStores(instances: 3) { stores async throws in
            var amy = Agent.new("amy")
            amy.chatCapacity = 3
            try await stores[0].upsertAgent(amy)
            var ids: [String] = []
            for index in 1...12 {
                ids.append(
                    try await stores[0].createHandoff(
                        tenant: .default,
                        conversationID: "conv-\(index)",
                        customerName: nil,
                        summary: nil,
                        at: Clock.at(index)
                    ).handoff.id
                )
            }
            let outcomes = try await withThrowingTaskGroup(of: PickupOutcome.self) { group in
                for (index, id) in ids.enumerated() {
                    let store = stores[index % stores.count]
                    group.addTask { try await store.pickUpHandoff(id: id, tenant: .default, agentIdentity: "amy", at: Clock.at(100)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.count { $0.isPickedUp } == 3)
            #expect(outcomes.count { $0 == .atCapacity(active: 3, capacity: 3) } == 9)
            #expect(try await stores[1].handoffs(in: .default, status: .active).count == 3)
            #expect(try await stores[2].handoffs(in: .default, status: .pending).count == 9)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func twelveCreatesOfOneConversationAtOnceThroughThreeInstancesCreateOneHandoff(kind: StoreKind) async throws {
        try await kind.withStores(instances: 3) { stores async throws in
            // Rounds, each on a conversation of its own, so the creates' race has more than one chance.
            for round in 1...10 {
                let conversation = "conv-\(round)"
                let creations = try await withThrowingTaskGroup(of: HandoffCreation.self) { group in
                    for index in 0..<12 {
                        let store = stores[index % stores.count]
                        group.addTask {
                            try await store.createHandoff(
                                tenant: .default,
                                conversationID: conversation,
                                customerName: "Ada \(index)",
                                summary: nil,
                                at: Clock.at(round * 100 + index)
                            )
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let created = creations.compactMap { creation -> ChatHandoff? in
                    if case .created(let handoff) = creation { return handoff }
                    return nil
                }
                try #require(created.count == 1, "round \(round): created \(created.count)")
                #expect(creations.allSatisfy { $0.handoff == created[0] }, "every other create found the one created")
            }
            let stored = try await stores[1].handoffs(in: .default, status: nil)
            #expect(stored.map(\.conversationID).sorted() == (1...10).map { "conv-\($0)" }.sorted())
        }
    }

    @Test(arguments: StoreKind.allCases)
    func tenAgentsParkingOneCallAtOnceThroughThreeInstancesParkItOnce(kind: StoreKind) async throws {
        try await kind.withStores(instances: 3) { stores async throws in
            let identities = (1...10).map { "agent\($0)" }
            for identity in identities {
                try await stores[0].upsertAgent(.new(identity))
            }
            let outcomes = try await withThrowingTaskGroup(of: (String, Result<ParkedCall, StoreError>).self) { group in
                for (index, identity) in identities.enumerated() {
                    let store = stores[index % stores.count]
                    group.addTask {
                        do {
                            return (
                                identity,
                                .success(try await store.parkCall("CA-1", tenant: .default, slot: "park", parkedBy: identity, at: Clock.at(index)))
                            )
                        } catch let error as StoreError {
                            return (identity, .failure(error))
                        }
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            let parked = outcomes.values.compactMap { try? $0.get() }
            try #require(parked.count == 1, "parked by \(parked.map(\.parkedBy).sorted())")
            for (identity, outcome) in outcomes where identity != parked[0].parkedBy {
                #expect(throws: StoreError.conflict, "\(identity)") { try outcome.get() }
            }
            for store in stores {
                #expect(try await store.parkedCalls(in: .default) == parked)
            }
        }
    }

    /// `agents` agents retrieve one parked call at once, spread over `stores`, `rounds` times (a fresh
    /// parked call each round). The winner is on the call until it ends, as Twilio's park status ends it
    /// after each round.
    private static func raceRetrievals(stores: [any DeskStore], agents: Int, rounds: Int) async throws {
        let identities = (1...agents).map { "agent\($0)" }
        for identity in identities {
            try await stores[0].upsertAgent(.new(identity))
        }
        for round in 1...rounds {
            let parked = try await stores[0].parkCall("CA-park-\(round)", tenant: .default, slot: "park", parkedBy: "agent1", at: Clock.at(round))
            let outcomes = try await withThrowingTaskGroup(of: (String, RetrievalOutcome).self) { group in
                for (index, identity) in identities.enumerated() {
                    let store = stores[index % stores.count]
                    group.addTask {
                        (
                            identity,
                            try await store.retrieveParkedCall(id: parked.id, tenant: .default, agentIdentity: identity, at: Clock.at(round * 10))
                        )
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            let winners = outcomes.filter { $0.value.isRetrieved }.map(\.key)
            try #require(winners.count == 1, "round \(round): winners \(winners.sorted())")
            let winner = winners[0]
            var expected = parked
            expected.retrievedBy = winner
            expected.retrievedAt = Clock.at(round * 10)
            #expect(outcomes[winner] == .retrieved(expected))
            for (identity, outcome) in outcomes where identity != winner {
                #expect(outcome == .alreadyRetrieved(by: winner), "round \(round): \(identity) got \(outcome)")
            }
            for store in stores {
                #expect(try await store.parkedCall(id: parked.id, in: .default) == expected)
                let onTheCall = try await store.agents(in: .default).filter { $0.currentCallSid == parked.callSid }.map(\.identity)
                #expect(onTheCall == [winner], "round \(round)")
            }
            try await stores[0].endCall(parked.callSid, at: Clock.at(round * 10 + 5), wrapUpSeconds: 0)
            #expect(try await stores[0].agents(in: .default).allSatisfy { $0.currentCallSid == nil }, "round \(round)")
        }
    }

    /// `agents` agents pick up one handoff at once, spread over `stores`, `rounds` times (a fresh
    /// handoff each round).
    private static func racePickups(stores: [any DeskStore], agents: Int, rounds: Int) async throws {
        let identities = (1...agents).map { "agent\($0)" }
        for identity in identities {
            try await stores[0].upsertAgent(.new(identity))
        }
        for round in 1...rounds {
            let handoff = try await stores[0].createHandoff(
                tenant: .default,
                conversationID: "conv-\(round)",
                customerName: nil,
                summary: nil,
                at: Clock.at(round)
            ).handoff
            let outcomes = try await withThrowingTaskGroup(of: (String, PickupOutcome).self) { group in
                for (index, identity) in identities.enumerated() {
                    let store = stores[index % stores.count]
                    group.addTask {
                        (identity, try await store.pickUpHandoff(id: handoff.id, tenant: .default, agentIdentity: identity, at: Clock.at(round * 10)))
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            let winners = outcomes.filter { $0.value.isPickedUp }.map(\.key)
            try #require(winners.count == 1, "round \(round): winners \(winners.sorted())")
            let winner = winners[0]
            var expected = handoff
            expected.status = .active
            expected.pickedUpBy = winner
            expected.pickedUpAt = Clock.at(round * 10)
            #expect(outcomes[winner] == .pickedUp(expected))
            for (identity, outcome) in outcomes where identity != winner {
                #expect(outcome == .alreadyPickedUp(by: winner), "round \(round): \(identity) got \(outcome)")
            }
            for store in stores {
                #expect(try await store.handoffs(in: .default, status: .active).filter { $0.id == handoff.id } == [expected])
            }
        }
    }
}
