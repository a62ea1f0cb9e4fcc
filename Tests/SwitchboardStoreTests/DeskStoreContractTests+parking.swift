import Foundation
import SwitchboardCore
import Testing

extension DeskStoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func parkingRecordsAWaitingCallAndTheListIsOldestFirstTiesByCallSid(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            try await store.upsertAgent(.new("bob", tenant: "acme"))
            let second = try await store.parkCall("CA-2", tenant: "acme", slot: "park-acme", parkedBy: "amy", at: Clock.at(20))
            let first = try await store.parkCall("CA-1", tenant: "acme", slot: "park-acme", parkedBy: "bob", at: Clock.at(10))
            let tied = try await store.parkCall("CA-0", tenant: "acme", slot: "park-b", parkedBy: "bob", at: Clock.at(20))

            #expect(UUID(uuidString: first.id) != nil)
            #expect(Set([first.id, second.id, tied.id]).count == 3)
            let expected = ParkedCall(id: first.id, tenant: "acme", callSid: "CA-1", slot: "park-acme", parkedBy: "bob", parkedAt: Clock.at(10))
            #expect(first == expected)
            #expect(first.isWaiting)
            #expect(try await store.parkedCall(id: first.id, in: "acme") == expected)
            // An id is a UUID, whatever the case of its letters (as it may come back from a URL).
            #expect(try await store.parkedCall(id: first.id.uppercased(), in: "acme") == expected)
            #expect(try await store.parkedCall(id: first.id.lowercased(), in: "acme") == expected)
            #expect(try await store.parkedCalls(in: "acme").map(\.callSid) == ["CA-1", "CA-0", "CA-2"])
            #expect(try await store.parkedCalls(in: "acme").first == expected)
            #expect(try await store.parkedCalls(in: "globex") == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func parkingACallThatIsWaitingIsAConflictButOnceItLeftItCanBeParkedAgain(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            try await store.upsertAgent(.new("bob"))
            let parked = try await store.parkCall("CA-1", tenant: .default, slot: "park", parkedBy: "amy", at: Clock.at(0))
            await #expect(throws: StoreError.conflict) {
                try await store.parkCall("CA-1", tenant: .default, slot: "other", parkedBy: "bob", at: Clock.at(1))
            }
            #expect(try await store.parkedCalls(in: .default) == [parked])

            #expect(try await store.retrieveParkedCall(id: parked.id, tenant: .default, agentIdentity: "bob", at: Clock.at(2)).isRetrieved)
            let again = try await store.parkCall("CA-1", tenant: .default, slot: "park", parkedBy: "bob", at: Clock.at(3))
            #expect(again.id != parked.id)
            #expect(try await store.endParkersPart(id: again.id, tenant: .default, at: Clock.at(3), wrapUpSeconds: 0))
            #expect(try await store.endParkedCall("CA-1", at: Clock.at(4))?.id == again.id)
            let third = try await store.parkCall("CA-1", tenant: .default, slot: "park", parkedBy: "amy", at: Clock.at(5))
            #expect(try await store.parkedCalls(in: .default).map(\.id) == [third.id])
        }
    }

    /// A late repeat of Amy's park (a double click whose request stalled) after Bob retrieved the call
    /// would redirect the caller out of Bob's conversation: the store refuses it. Bob, on the call, may
    /// park it again.
    @Test(arguments: StoreKind.allCases)
    func parkingACallAnotherAgentRetrievedIsAConflict(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let parked = try await store.parkedByAmyRetrievedByBob("CA-1", at: Clock.at(30))
            let retrieved = try await store.parkedCall(id: parked.id, in: "acme")
            await #expect(throws: StoreError.conflict) {
                try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(31))
            }
            #expect(try await store.parkedCall(id: parked.id, in: "acme") == retrieved)
            #expect(try await store.parkedCalls(in: "acme") == [])
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == "CA-1")
            let again = try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "bob", at: Clock.at(40))
            #expect(try await store.parkedCalls(in: "acme") == [again])
        }
    }

    /// Amy's late repeat races Bob's retrieval of her waiting park through another instance: it finds
    /// the park waiting, or Bob on the call; it never parks the call again.
    @Test(arguments: StoreKind.allCases)
    func aRepeatedParkRacingARetrievalIsAlwaysRefused(kind: StoreKind) async throws {
        try await kind.withStores(instances: 2) { stores async throws in
            for identity in ["amy", "bob"] {
                try await stores[0].upsertAgent(.new(identity, tenant: "acme"))
            }
            for round in 1...12 {
                let callSid = "CA-\(round)"
                let parked = try await stores[0].parkedByAmy(callSid, in: "acme", at: Clock.at(round * 100))
                let instant = Clock.at(round * 100 + 50)
                async let retrieval = stores[0].retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: instant)
                async let repeated: StoreError? = {
                    do {
                        _ = try await stores[1].parkCall(callSid, tenant: "acme", slot: "park", parkedBy: "amy", at: instant)
                        return nil
                    } catch let error as StoreError {
                        return error
                    } catch {
                        return .corrupt("not a store error: \(error)")
                    }
                }()
                let (retrieved, refusal) = try await (retrieval, repeated)
                #expect(retrieved.isRetrieved, "round \(round)")
                #expect(refusal == .conflict, "round \(round): \(String(describing: refusal))")
                #expect(try await stores[1].parkedCalls(in: "acme") == [], "round \(round)")
                try await stores[0].endCall(callSid, at: instant.addingTimeInterval(10), wrapUpSeconds: 0)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func parkingByAnUnknownAgentOrACallOfAnotherTenantIsNotFound(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            try await store.upsertAgent(.new("gus", tenant: "globex"))
            try await store.recordRinging(.ringing("CA-acme", tenant: "acme", at: 0))
            await #expect(throws: StoreError.notFound) {
                try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "ghost", at: Clock.at(1))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "gus", at: Clock.at(1))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.parkCall("CA-acme", tenant: "globex", slot: "park", parkedBy: "gus", at: Clock.at(1))
            }
            #expect(try await store.parkedCalls(in: "acme") == [])
            #expect(try await store.parkedCalls(in: "globex") == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theFirstRetrievalWinsLaterOnesNameTheRetrieverAndTheRetrieverMayRepeatIt(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for identity in ["amy", "bob", "cat"] {
                try await store.upsertAgent(.new(identity, tenant: "acme"))
            }
            let parked = try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(0))

            let expected = ParkedCall(
                id: parked.id,
                tenant: "acme",
                callSid: "CA-1",
                slot: "park",
                parkedBy: "amy",
                parkedAt: Clock.at(0),
                retrievedBy: "bob",
                retrievedAt: Clock.at(30)
            )
            #expect(try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(30)) == .retrieved(expected))
            #expect(
                try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "cat", at: Clock.at(31))
                    == .alreadyRetrieved(by: "bob")
            )
            #expect(
                try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(32))
                    == .alreadyRetrieved(by: "bob")
            )
            // The retriever's repeat changes nothing.
            #expect(try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(33)) == .retrieved(expected))

            #expect(try await store.parkedCall(id: parked.id, in: "acme") == expected)
            #expect(try await store.parkedCalls(in: "acme") == [])
            // A retrieved call is not waiting, so it cannot be ended.
            #expect(try await store.endParkedCall("CA-1", at: Clock.at(40)) == nil)
            #expect(try await store.parkedCall(id: parked.id, in: "acme") == expected)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func endingAParkedCallReturnsItOnceAndThenItCannotBeRetrieved(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            try await store.upsertAgent(.new("bob"))
            let parked = try await store.parkCall("CA-1", tenant: .default, slot: "park", parkedBy: "amy", at: Clock.at(0))
            let other = try await store.parkCall("CA-2", tenant: .default, slot: "park", parkedBy: "amy", at: Clock.at(1))

            var expected = parked
            expected.endedAt = Clock.at(90)
            #expect(try await store.endParkedCall("CA-1", at: Clock.at(90)) == expected)
            #expect(try await store.endParkedCall("CA-1", at: Clock.at(91)) == nil)
            #expect(try await store.endParkedCall("CA-unknown", at: Clock.at(92)) == nil)
            #expect(try await store.parkedCall(id: parked.id, in: .default) == expected)
            #expect(try await store.parkedCall(id: parked.id, in: .default).isWaiting == false)
            #expect(try await store.parkedCalls(in: .default) == [other])

            #expect(try await store.retrieveParkedCall(id: parked.id, tenant: .default, agentIdentity: "bob", at: Clock.at(93)) == .ended)
            #expect(try await store.parkedCall(id: parked.id, in: .default) == expected)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func retrievingAnUnknownParkedCallOrByAnUnknownAgentIsNotFound(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            let parked = try await store.parkCall("CA-1", tenant: .default, slot: "park", parkedBy: "amy", at: Clock.at(0))
            for id in [UUID().uuidString, "not-a-uuid", ""] {
                await #expect(throws: StoreError.notFound) {
                    try await store.retrieveParkedCall(id: id, tenant: .default, agentIdentity: "amy", at: Clock.at(1))
                }
                await #expect(throws: StoreError.notFound) { try await store.parkedCall(id: id, in: .default) }
            }
            await #expect(throws: StoreError.notFound) {
                try await store.retrieveParkedCall(id: parked.id, tenant: .default, agentIdentity: "ghost", at: Clock.at(1))
            }
            #expect(try await store.parkedCalls(in: .default) == [parked])
        }
    }
}

extension RetrievalOutcome {
    /// Whether this is ``retrieved(_:)``.
    var isRetrieved: Bool {
        if case .retrieved = self { return true }
        return false
    }
}
