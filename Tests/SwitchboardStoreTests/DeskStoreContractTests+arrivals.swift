import Foundation
import SwitchboardCore
import Testing

/// A park withdrawn because Twilio's answer to its redirect never came, and the caller's arrival in the
/// slot, which confirms a park or restores a withdrawn one.
extension DeskStoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func anArrivalConfirmsAWaitingParkOnceAndAWithdrawalThenLeavesItStanding(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            let parked = try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(0))

            var arrived = parked
            arrived.arrivedAt = Clock.at(5)
            #expect(try await store.confirmParkArrival(id: parked.id, tenant: "acme", callSid: "CA-1", at: Clock.at(5)) == .confirmed(arrived))
            // A repeated request keeps the first arrival.
            let repeated = try await store.confirmParkArrival(id: parked.id.uppercased(), tenant: "acme", callSid: "CA-1", at: Clock.at(6))
            #expect(repeated == .confirmed(arrived))
            #expect(try await store.withdrawPark(id: parked.id, tenant: "acme", at: Clock.at(7)) == .callerArrived)
            #expect(try await store.parkedCalls(in: "acme") == [arrived])
            #expect(try await store.parkedCall(id: parked.id, in: "acme") == arrived)
        }
    }

    /// Listed with a time, a waiting park shows when its caller arrived, or when it was parked at or
    /// after that time; a park whose caller never arrived and that is older is left out (the caller
    /// hung up on the way). Without a time, every waiting park shows.
    @Test(arguments: StoreKind.allCases)
    func parksWhoseCallersNeverArrivedAreLeftOutOnceOlderThanTheTimeGiven(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            let lost = try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(0))
            let waiting = try await store.parkCall("CA-2", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(1))
            let fresh = try await store.parkCall("CA-3", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(100))
            let atTheLimit = try await store.parkCall("CA-4", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(50))
            guard case .confirmed(let arrived) = try await store.confirmParkArrival(id: waiting.id, tenant: "acme", callSid: "CA-2", at: Clock.at(3))
            else {
                Issue.record("the arrival was not confirmed")
                return
            }
            #expect(try await store.parkedCalls(in: "acme", arrivedOrParkedSince: Clock.at(50)) == [arrived, atTheLimit, fresh])
            #expect(try await store.parkedCalls(in: "acme") == [lost, arrived, atTheLimit, fresh])
            #expect(try await store.parkedCalls(in: "globex", arrivedOrParkedSince: Clock.at(50)) == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aWithdrawnParkEndsAndIsRestoredWhenItsCallerArrivesAfterAll(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            try await store.upsertAgent(.new("bob", tenant: "acme"))
            let parked = try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(0))

            #expect(try await store.withdrawPark(id: parked.id, tenant: "acme", at: Clock.at(2)) == .withdrawn)
            var withdrawn = parked
            withdrawn.endedAt = Clock.at(2)
            #expect(try await store.parkedCall(id: parked.id, in: "acme") == withdrawn)
            #expect(try await store.parkedCalls(in: "acme") == [])
            #expect(try await store.withdrawPark(id: parked.id, tenant: "acme", at: Clock.at(3)) == .notWaiting)
            #expect(try await store.parkedCall(id: parked.id, in: "acme") == withdrawn)

            var restored = parked
            restored.arrivedAt = Clock.at(4)
            #expect(try await store.confirmParkArrival(id: parked.id, tenant: "acme", callSid: "CA-1", at: Clock.at(4)) == .restored(restored))
            #expect(try await store.parkedCalls(in: "acme") == [restored])
            #expect(try await store.confirmParkArrival(id: parked.id, tenant: "acme", callSid: "CA-1", at: Clock.at(5)) == .confirmed(restored))
            // A restored park is an ordinary one: retrieved once, and not withdrawn.
            #expect(try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(6)).isRetrieved)
            #expect(try await store.withdrawPark(id: parked.id, tenant: "acme", at: Clock.at(7)) == .notWaiting)
            #expect(try await store.parkedCall(id: parked.id, in: "acme").retrievedBy == "bob")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anArrivalRestoresNothingOnceTheCallerLeftOrAnotherParkOfTheCallWaits(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            try await store.upsertAgent(.new("bob", tenant: "acme"))

            // The caller arrived, then hung up: a late duplicate of the arrival does not bring it back.
            let hungUp = try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(0))
            _ = try await store.confirmParkArrival(id: hungUp.id, tenant: "acme", callSid: "CA-1", at: Clock.at(1))
            #expect(try await store.endParkedCall("CA-1", at: Clock.at(2)) != nil)
            #expect(try await store.confirmParkArrival(id: hungUp.id, tenant: "acme", callSid: "CA-1", at: Clock.at(3)) == .notWaiting)
            #expect(try await store.parkedCall(id: hungUp.id, in: "acme").endedAt == Clock.at(2))

            // Withdrawn, then parked again: the first park's late arrival leaves the second one alone.
            let first = try await store.parkCall("CA-2", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(10))
            #expect(try await store.withdrawPark(id: first.id, tenant: "acme", at: Clock.at(11)) == .withdrawn)
            let second = try await store.parkCall("CA-2", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(12))
            #expect(try await store.confirmParkArrival(id: first.id, tenant: "acme", callSid: "CA-2", at: Clock.at(13)) == .notWaiting)
            #expect(try await store.parkedCalls(in: "acme") == [second])
            #expect(try await store.parkedCall(id: first.id, in: "acme").endedAt == Clock.at(11))

            // Retrieved before the caller's arrival was heard of: the arrival is recorded, nothing else changes.
            let taken = try await store.parkCall("CA-3", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(20))
            #expect(try await store.retrieveParkedCall(id: taken.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(21)).isRetrieved)
            guard case .confirmed(let confirmed) = try await store.confirmParkArrival(id: taken.id, tenant: "acme", callSid: "CA-3", at: Clock.at(22))
            else {
                Issue.record("a retrieved park's arrival is not confirmed")
                return
            }
            #expect(confirmed.retrievedBy == "bob")
            #expect(confirmed.arrivedAt == Clock.at(22))
            #expect(try await store.withdrawPark(id: taken.id, tenant: "acme", at: Clock.at(23)) == .notWaiting)
            // An ended park is not withdrawn either.
            #expect(try await store.withdrawPark(id: hungUp.id, tenant: "acme", at: Clock.at(24)) == .notWaiting)
            #expect(try await store.parkedCall(id: hungUp.id, in: "acme").endedAt == Clock.at(2))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anArrivalOrAWithdrawalOfAnUnknownParkAnotherCallOrAnotherTenantIsNotFound(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            let parked = try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(0))
            for id in [UUID().uuidString, "not-a-uuid", ""] {
                await #expect(throws: StoreError.notFound) {
                    try await store.confirmParkArrival(id: id, tenant: "acme", callSid: "CA-1", at: Clock.at(1))
                }
                await #expect(throws: StoreError.notFound) { try await store.withdrawPark(id: id, tenant: "acme", at: Clock.at(1)) }
            }
            await #expect(throws: StoreError.notFound) {
                try await store.confirmParkArrival(id: parked.id, tenant: "acme", callSid: "CA-other", at: Clock.at(1))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.confirmParkArrival(id: parked.id, tenant: "globex", callSid: "CA-1", at: Clock.at(1))
            }
            await #expect(throws: StoreError.notFound) { try await store.withdrawPark(id: parked.id, tenant: "globex", at: Clock.at(1)) }
            #expect(try await store.parkedCalls(in: "acme") == [parked])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRetrieverWhoseLegReachedTheSlotIsRecordedAndNeverReleasedAsUnreached(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for identity in ["amy", "bob", "cat"] {
                try await store.upsertAgent(.new(identity, tenant: "acme"))
            }
            let parked = try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(0))
            // Not retrieved yet, or by another agent: nothing to record.
            #expect(try await store.confirmRetrieverArrival(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(1)) == false)
            #expect(try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(2)).isRetrieved)
            #expect(try await store.confirmRetrieverArrival(id: parked.id, tenant: "acme", agentIdentity: "cat", at: Clock.at(3)) == false)
            #expect(try await store.parkedCall(id: parked.id, in: "acme").retrieverArrivedAt == nil)

            #expect(try await store.confirmRetrieverArrival(id: parked.id.uppercased(), tenant: "acme", agentIdentity: "bob", at: Clock.at(4)))
            #expect(try await store.confirmRetrieverArrival(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(5)))
            let arrived = try await store.parkedCall(id: parked.id, in: "acme")
            #expect(arrived.retrieverArrivedAt == Clock.at(5), "the latest leg's arrival")
            #expect(arrived.retrievedBy == "bob")
            // Bob may be talking to the caller: his own release, at the retrieval's instant, changes nothing.
            #expect(try await store.releaseRetrieval(id: parked.id, tenant: "acme", agentIdentity: "bob", retrievedAt: Clock.at(2)) == false)
            #expect(try await store.parkedCall(id: parked.id, in: "acme") == arrived)
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == "CA-1")

            // An ended park records nothing.
            let hungUp = try await store.parkCall("CA-2", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(10))
            #expect(try await store.endParkedCall("CA-2", at: Clock.at(11)) != nil)
            #expect(try await store.confirmRetrieverArrival(id: hungUp.id, tenant: "acme", agentIdentity: "cat", at: Clock.at(12)) == false)
            await #expect(throws: StoreError.notFound) {
                try await store.confirmRetrieverArrival(id: parked.id, tenant: "globex", agentIdentity: "bob", at: Clock.at(13))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.confirmRetrieverArrival(id: UUID().uuidString, tenant: "acme", agentIdentity: "bob", at: Clock.at(13))
            }
        }
    }

    /// Twilio's answer to a park's redirect is lost while the caller reaches the slot: the API's withdrawal
    /// and the caller's arrival run at once, through two instances. Whichever comes first, the caller ends
    /// up in a waiting park whose arrival is recorded.
    @Test(arguments: StoreKind.allCases)
    func aWithdrawalRacingTheCallersArrivalAlwaysLeavesTheParkWaiting(kind: StoreKind) async throws {
        try await kind.withStores(instances: 2) { stores async throws in
            try await stores[0].upsertAgent(.new("amy"))
            for round in 1...6 {
                let callSid = "CA-race-\(round)"
                let parked = try await stores[0].parkCall(callSid, tenant: .default, slot: "park", parkedBy: "amy", at: Clock.at(round))
                async let withdrawal = stores[round % 2].withdrawPark(id: parked.id, tenant: .default, at: Clock.at(round * 10))
                async let arrival = stores[(round + 1) % 2].confirmParkArrival(
                    id: parked.id,
                    tenant: .default,
                    callSid: callSid,
                    at: Clock.at(round * 10 + 1)
                )
                let (withdrawn, arrived) = try await (withdrawal, arrival)
                switch (withdrawn, arrived) {
                case (.withdrawn, .restored), (.callerArrived, .confirmed): break
                default: Issue.record("round \(round): \(withdrawn) and \(arrived)")
                }
                let after = try await stores[0].parkedCall(id: parked.id, in: .default)
                #expect(after.isWaiting, "round \(round)")
                #expect(after.arrivedAt == Clock.at(round * 10 + 1), "round \(round)")
            }
        }
    }

    /// The retriever's leg reaches the slot while the API releases the retrieval (its redirect was
    /// refused), through two instances: exactly one of them wins, never both.
    @Test(arguments: StoreKind.allCases)
    func aReleaseRacingTheRetrieversArrivalHasOneWinner(kind: StoreKind) async throws {
        try await kind.withStores(instances: 2) { stores async throws in
            try await stores[0].upsertAgent(.new("amy"))
            try await stores[0].upsertAgent(.new("bob"))
            for round in 1...6 {
                let callSid = "CA-leg-\(round)"
                let parked = try await stores[0].parkCall(callSid, tenant: .default, slot: "park", parkedBy: "amy", at: Clock.at(round))
                let retrievedAt = Clock.at(round * 10)
                #expect(try await stores[0].retrieveParkedCall(id: parked.id, tenant: .default, agentIdentity: "bob", at: retrievedAt).isRetrieved)
                async let release = stores[round % 2].releaseRetrieval(
                    id: parked.id,
                    tenant: .default,
                    agentIdentity: "bob",
                    retrievedAt: retrievedAt
                )
                async let arrival = stores[(round + 1) % 2].confirmRetrieverArrival(
                    id: parked.id,
                    tenant: .default,
                    agentIdentity: "bob",
                    at: Clock.at(round * 10 + 1)
                )
                let (released, arrived) = try await (release, arrival)
                #expect(released != arrived, "round \(round): released \(released), arrived \(arrived)")
                let after = try await stores[0].parkedCall(id: parked.id, in: .default)
                #expect(after.retrievedBy == (arrived ? "bob" : nil), "round \(round)")
                #expect((after.retrieverArrivedAt != nil) == arrived, "round \(round)")
                #expect(try await stores[0].agent(identity: "bob", in: .default).currentCallSid == (arrived ? callSid : nil), "round \(round)")
                if arrived { try await stores[0].endCall(callSid, at: Clock.at(round * 10 + 2), wrapUpSeconds: 0) }
            }
        }
    }
}
