import Foundation
import SwitchboardCore
import Testing

/// A caller who left the slot unbridged (the park's timeout, a hang-up while it waited, a failure of
/// the queue) ends the park and undoes its retrieval in one step, so a retrieval racing the exit cannot
/// keep the call, and the parker's ring-back finds nobody holding it.
extension DeskStoreContractTests {
    /// What Bob did before the timeout at 100: nothing, retrieved the call (his leg never arrived), or
    /// retrieved it and his leg reached the slot (and dropped before the bridge).
    enum RetrievalBeforeTimeout: CaseIterable, Sendable {
        case none, unreached, arrived
    }

    @Test(arguments: StoreKind.allCases, RetrievalBeforeTimeout.allCases)
    func aTimedOutParkEndsWithItsRetrievalUndoneAndItsParkerMayTakeTheCallBack(
        kind: StoreKind,
        retrieval: RetrievalBeforeTimeout
    ) async throws {
        try await kind.withStore { store async throws in
            let parked: ParkedCall
            switch retrieval {
            case .none:
                try await store.upsertAgent(.new("bob", tenant: "acme"))
                try await store.upsertAgent(.new("amy", tenant: "acme"))
                parked = try await store.parkedByAmy("CA-1", in: "acme", at: Clock.at(0))
            case .unreached, .arrived:
                parked = try await store.parkedByAmyRetrievedByBob("CA-1", at: Clock.at(20))
                if retrieval == .arrived {
                    #expect(try await store.confirmRetrieverArrival(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(22)))
                }
                #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == "CA-1")
            }
            let bobBefore = try await store.agent(identity: "bob", in: "acme")
            let before = try await store.parkedCall(id: parked.id, in: "acme")
            #expect((before.retrievedBy == nil) == (retrieval == .none))

            #expect(try await store.endUnbridgedPark(id: parked.id, tenant: "acme", callSid: "CA-1", at: Clock.at(100)) == before, "as it found it")
            var ended = parked
            ended.endedAt = Clock.at(100)
            #expect(try await store.parkedCall(id: parked.id, in: "acme") == ended, "ended, with no retriever")
            #expect(try await store.parkedCalls(in: "acme").isEmpty)
            var bobAfter = bobBefore
            bobAfter.currentCallSid = nil
            #expect(try await store.agent(identity: "bob", in: "acme") == bobAfter, "freed with no wrap-up: he never spoke to the caller")

            // A repeat changes nothing; a retrieval now finds the park ended; the parker takes the call back.
            #expect(try await store.endUnbridgedPark(id: parked.id, tenant: "acme", callSid: "CA-1", at: Clock.at(101)) == nil)
            #expect(try await store.parkedCall(id: parked.id, in: "acme") == ended)
            #expect(try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(102)) == .ended)
            #expect(try await store.reclaimParkedCall(id: parked.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(103)) == .won)
            #expect(try await store.agent(identity: "amy", in: "acme").currentCallSid == "CA-1")
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == nil)
        }
    }

    /// The timeout undoes the park's retrieval, but leaves its retriever on another call he has taken
    /// since, and ends a park whose retriever's record was retired since all the same.
    @Test(arguments: StoreKind.allCases)
    func aTimeoutLeavesTheRetrieverOnAnotherCallAndUndoesARetiredRetrieversRetrieval(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let first = try await store.parkedByAmyRetrievedByBob("CA-1", at: Clock.at(20))
            try await store.endCall("CA-1", at: Clock.at(30), wrapUpSeconds: 0)
            #expect(try await store.claimCall("CA-2", tenant: "acme", agentIdentity: "bob", at: Clock.at(40)) == .won)
            let bob = try await store.agent(identity: "bob", in: "acme")
            #expect(try await store.endUnbridgedPark(id: first.id, tenant: "acme", callSid: "CA-1", at: Clock.at(100))?.retrievedBy == "bob")
            #expect(try await store.parkedCall(id: first.id, in: "acme").retrievedBy == nil)
            #expect(try await store.agent(identity: "bob", in: "acme") == bob)
            #expect(bob.currentCallSid == "CA-2")

            try await store.upsertAgent(.new("cat", tenant: "acme"))
            let second = try await store.parkedByAmy("CA-3", in: "acme", at: Clock.at(200))
            #expect(try await store.retrieveParkedCall(id: second.id, tenant: "acme", agentIdentity: "cat", at: Clock.at(220)).isRetrieved)
            #expect(try await store.releaseAgent(identity: "cat", in: "acme", onCall: "CA-3", at: Clock.at(222)).isReleased)
            try await store.moveAgent(.new("cat", tenant: "globex"), at: Clock.at(225))
            #expect(try await store.agent(identity: "cat", in: "acme").isRetired)
            #expect(try await store.endUnbridgedPark(id: second.id, tenant: "acme", callSid: "CA-3", at: Clock.at(300))?.retrievedBy == "cat")
            let ended = try await store.parkedCall(id: second.id, in: "acme")
            #expect(ended.retrievedBy == nil)
            #expect(ended.endedAt == Clock.at(300))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aTimeoutOfAnUnknownParkAnotherCallOrAnotherTenantIsNotFoundAndOfAnEndedParkChangesNothing(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let parked = try await store.parkedByAmyRetrievedByBob("CA-1", at: Clock.at(20))
            for id in [UUID().uuidString, "not-a-uuid", ""] {
                await #expect(throws: StoreError.notFound) {
                    try await store.endUnbridgedPark(id: id, tenant: "acme", callSid: "CA-1", at: Clock.at(100))
                }
            }
            await #expect(throws: StoreError.notFound) {
                try await store.endUnbridgedPark(id: parked.id, tenant: "acme", callSid: "CA-other", at: Clock.at(100))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.endUnbridgedPark(id: parked.id, tenant: "globex", callSid: "CA-1", at: Clock.at(100))
            }
            #expect(try await store.parkedCall(id: parked.id, in: "acme").retrievedBy == "bob")
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == "CA-1")

            // A park that ended (here the caller hung up before anyone retrieved it) is left as it is.
            let hungUp = try await store.parkedByAmy("CA-2", in: "acme", at: Clock.at(30))
            let endedByHangup = try #require(try await store.endParkedCall("CA-2", at: Clock.at(50)))
            #expect(try await store.endUnbridgedPark(id: hungUp.id, tenant: "acme", callSid: "CA-2", at: Clock.at(100)) == nil)
            #expect(try await store.parkedCall(id: hungUp.id, in: "acme") == endedByHangup)
        }
    }

    /// A retrieval racing the timeout, through another store instance, lands either before it (and is
    /// undone) or after it (and finds the park ended): either way the park ends with no retriever and
    /// the agent is on no call.
    @Test(arguments: StoreKind.allCases)
    func aRetrievalRacingTheTimeoutNeverKeepsTheCall(kind: StoreKind) async throws {
        try await kind.withStores(instances: 2) { stores async throws in
            for identity in ["amy", "bob"] {
                try await stores[0].upsertAgent(.new(identity, tenant: "acme"))
            }
            var outcomes: [String] = []
            for round in 1...12 {
                let callSid = "CA-\(round)"
                let parked = try await stores[0].parkedByAmy(callSid, in: "acme", at: Clock.at(round * 100))
                let instant = Clock.at(round * 100 + 50)
                async let timedOut = stores[0].endUnbridgedPark(id: parked.id, tenant: "acme", callSid: callSid, at: instant)
                async let retrieved = stores[1].retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: instant)
                let (found, retrieval) = try await (timedOut, retrieved)
                #expect(retrieval.isRetrieved || retrieval == .ended, "round \(round): \(retrieval)")
                #expect(found?.retrievedBy == (retrieval.isRetrieved ? "bob" : nil), "round \(round)")
                outcomes.append(retrieval.isRetrieved ? "retrieved first" : "timed out first")
                for store in stores {
                    let now = try await store.parkedCall(id: parked.id, in: "acme")
                    #expect(now.retrievedBy == nil && now.endedAt == instant, "round \(round)")
                    #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == nil, "round \(round)")
                }
            }
            // Which one won each round is up to the scheduler; the rounds say which orders were seen.
            print("retrieval racing the timeout: \(Dictionary(grouping: outcomes) { $0 }.mapValues(\.count))")
        }
    }

    /// Bob's retrieval and its repeat (a double click), through two more instances, race the timeout
    /// (the race means most on PostgreSQL, whose transactions do overlap):
    /// none of the three fails (on PostgreSQL, the timeout must not deadlock with the repeat, which holds
    /// Bob's row and waits for the park), and the call ends up timed out with Bob on no call.
    @Test(arguments: StoreKind.allCases)
    func aRetrievalAndItsRepeatRacingTheTimeoutAllAnswer(kind: StoreKind) async throws {
        try await kind.withStores(instances: 3) { stores async throws in
            for identity in ["amy", "bob"] {
                try await stores[0].upsertAgent(.new(identity, tenant: "acme"))
            }
            for round in 1...15 {
                let callSid = "CA-\(round)"
                let parked = try await stores[0].parkedByAmy(callSid, in: "acme", at: Clock.at(round * 100))
                let instant = Clock.at(round * 100 + 50)
                async let retrieval = stores[1].retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: instant)
                async let timedOut = stores[0].endUnbridgedPark(id: parked.id, tenant: "acme", callSid: callSid, at: instant)
                async let repeated = stores[2].retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: instant)
                let outcomes = try await [retrieval, repeated]
                #expect(try await timedOut != nil, "round \(round)")
                for outcome in outcomes {
                    #expect(outcome.isRetrieved || outcome == .ended, "round \(round): \(outcome)")
                }
                let now = try await stores[1].parkedCall(id: parked.id, in: "acme")
                #expect(now.retrievedBy == nil && now.endedAt == instant, "round \(round)")
                #expect(try await stores[2].agent(identity: "bob", in: "acme").currentCallSid == nil, "round \(round)")
            }
        }
    }
}

/// Parking ends the parker's part in the call once Twilio has moved the caller, unless she took the
/// call back herself meanwhile, in one step with that check.
extension DeskStoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func theParkersPartEndsWithWrapUpUnlessSheRetrievedTheParkHerself(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for identity in ["amy", "bob"] {
                try await store.upsertAgent(.new(identity, tenant: "acme"))
            }
            #expect(try await store.claimCall("CA-1", tenant: "acme", agentIdentity: "amy", at: Clock.at(0)) == .won)
            let first = try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(10))
            #expect(try await store.agent(identity: "amy", in: "acme").currentCallSid == "CA-1")
            await #expect(throws: StoreError.invalid) {
                try await store.endParkersPart(id: first.id, tenant: "acme", at: Clock.at(11), wrapUpSeconds: -1)
            }
            #expect(try await store.agent(identity: "amy", in: "acme").currentCallSid == "CA-1")
            #expect(try await store.endParkersPart(id: first.id, tenant: "acme", at: Clock.at(12), wrapUpSeconds: 30))
            let amy = try await store.agent(identity: "amy", in: "acme")
            #expect(amy.currentCallSid == nil)
            #expect(amy.lastCallEndedAt == Clock.at(12))
            #expect(amy.wrapUpEndsAt == Clock.at(42))
            #expect(try await store.endParkersPart(id: first.id, tenant: "acme", at: Clock.at(13), wrapUpSeconds: 30), "a repeat")
            #expect(try await store.agent(identity: "amy", in: "acme") == amy, "changes nothing")

            // Bob retrieves the call; Amy's part stays over, and Bob stays on the call.
            #expect(try await store.retrieveParkedCall(id: first.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(20)).isRetrieved)
            #expect(try await store.endParkersPart(id: first.id, tenant: "acme", at: Clock.at(21), wrapUpSeconds: 30))
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == "CA-1")
            #expect(try await store.agent(identity: "amy", in: "acme") == amy)

            // Amy parks another call and takes it back before Twilio has moved the caller: she stays on it.
            #expect(try await store.claimCall("CA-2", tenant: "acme", agentIdentity: "amy", at: Clock.at(60)) == .won)
            let second = try await store.parkCall("CA-2", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(70))
            #expect(try await store.retrieveParkedCall(id: second.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(71)).isRetrieved)
            let onIt = try await store.agent(identity: "amy", in: "acme")
            #expect(onIt.currentCallSid == "CA-2")
            #expect(!(try await store.endParkersPart(id: second.id, tenant: "acme", at: Clock.at(72), wrapUpSeconds: 30)))
            #expect(try await store.agent(identity: "amy", in: "acme") == onIt)
            await #expect(throws: StoreError.invalid, "a negative wrap-up is refused first, on every store") {
                try await store.endParkersPart(id: second.id, tenant: "acme", at: Clock.at(73), wrapUpSeconds: -1)
            }

            for id in [UUID().uuidString, "not-a-uuid"] {
                await #expect(throws: StoreError.notFound) {
                    try await store.endParkersPart(id: id, tenant: "acme", at: Clock.at(80), wrapUpSeconds: 30)
                }
            }
            await #expect(throws: StoreError.notFound) {
                try await store.endParkersPart(id: second.id, tenant: "globex", at: Clock.at(80), wrapUpSeconds: 30)
            }
            #expect(try await store.agent(identity: "amy", in: "acme") == onIt)
        }
    }

    /// The parker takes the call back, through another store instance, while her part in it is being
    /// ended: whichever lands first, she ends up the park's retriever and on the call. (The memory store
    /// and SQLite's write transactions run one at a time; the race means most on PostgreSQL.)
    @Test(arguments: StoreKind.allCases)
    func aParkerRetrievingHerParkAsHerPartEndsEndsUpOnTheCall(kind: StoreKind) async throws {
        try await kind.withStores(instances: 2) { stores async throws in
            try await stores[0].upsertAgent(.new("amy", tenant: "acme"))
            var outcomes: [String] = []
            for round in 1...12 {
                let callSid = "CA-\(round)"
                #expect(try await stores[0].claimCall(callSid, tenant: "acme", agentIdentity: "amy", at: Clock.at(round * 100)) == .won)
                let parked = try await stores[0].parkCall(callSid, tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(round * 100 + 10))
                let instant = Clock.at(round * 100 + 20)
                async let ended = stores[0].endParkersPart(id: parked.id, tenant: "acme", at: instant, wrapUpSeconds: 30)
                async let retrieved = stores[1].retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "amy", at: instant)
                let (endedFirst, retrieval) = try await (ended, retrieved)
                #expect(retrieval.isRetrieved, "round \(round): \(retrieval)")
                outcomes.append(endedFirst ? "part ended first" : "retrieved first")
                for store in stores {
                    #expect(try await store.agent(identity: "amy", in: "acme").currentCallSid == callSid, "round \(round)")
                    #expect(try await store.parkedCall(id: parked.id, in: "acme").retrievedBy == "amy", "round \(round)")
                }
                try await stores[0].endCall(callSid, at: Clock.at(round * 100 + 50), wrapUpSeconds: 0)
            }
            // Which one won each round is up to the scheduler; the rounds say which orders were seen.
            print("a parker's retrieval racing the end of her part: \(Dictionary(grouping: outcomes) { $0 }.mapValues(\.count))")
        }
    }
}
