import Foundation
import SwitchboardCore
import Testing

/// A retrieval puts the retriever on the caller's call, as a claim puts the winner on it.
extension DeskStoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func aRetrievalPutsTheRetrieverOnTheCallersCallUntilThatCallEnds(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.mapNumber("+15550100", to: "acme")
            for identity in ["amy", "bob", "cat"] {
                try await store.upsertAgent(.new(identity, tenant: "acme"))
            }
            let parked = try await store.parkedByAmy("CA-1", in: "acme", at: Clock.at(0))
            #expect(try await store.availableIdentities(in: "acme", at: Clock.at(20)) == ["bob", "cat", "amy"])
            #expect(try await store.rung("+15550100", at: Clock.at(20)) == ["bob", "cat", "amy"])

            #expect(try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(30)).isRetrieved)
            let bob = try await store.agent(identity: "bob", in: "acme")
            #expect(bob.currentCallSid == "CA-1")
            #expect(bob.presence == .available)
            #expect(bob.wrapUpEndsAt == nil)
            #expect(bob.lastCallEndedAt == nil)
            // On the call, Bob is no longer rung, and a claim of another call finds him busy.
            #expect(try await store.availableIdentities(in: "acme", at: Clock.at(40)) == ["cat", "amy"])
            #expect(try await store.rung("+15550100", at: Clock.at(40)) == ["cat", "amy"])
            #expect(try await store.claimCall("CA-2", tenant: "acme", agentIdentity: "bob", at: Clock.at(41)) == .agentBusy(currentCallSid: "CA-1"))
            // His repeat changes nothing.
            #expect(try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(42)).isRetrieved)
            #expect(try await store.agent(identity: "bob", in: "acme") == bob)

            // Ending another call leaves him on the caller; ending the caller's call frees him after wrap-up.
            try await store.endCall("CA-other", at: Clock.at(50), wrapUpSeconds: 30)
            #expect(try await store.agent(identity: "bob", in: "acme") == bob)
            try await store.endCall("CA-1", at: Clock.at(100), wrapUpSeconds: 30)
            let freed = try await store.agent(identity: "bob", in: "acme")
            #expect(freed.currentCallSid == nil)
            #expect(freed.lastCallEndedAt == Clock.at(100))
            #expect(freed.wrapUpEndsAt == Clock.at(130))
            #expect(try await store.availableIdentities(in: "acme", at: Clock.at(129)) == ["cat", "amy"])
            #expect(try await store.availableIdentities(in: "acme", at: Clock.at(130)) == ["cat", "amy", "bob"])
            #expect(try await store.rung("+15550100", at: Clock.at(130)) == ["cat", "amy", "bob"])
            // The parked call keeps its retriever.
            #expect(try await store.parkedCall(id: parked.id, in: "acme").retrievedBy == "bob")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRetrievalWaitsUntilTheParkerIsOffTheCallAndParkingEndsOnlyTheParkersPart(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            // Amy worked for globex before: her record there is retired.
            try await store.upsertAgent(.new("amy", tenant: "globex"))
            try await store.moveAgent(.new("amy", tenant: "acme"), at: Clock.at(0))
            try await store.upsertAgent(.new("bob", tenant: "acme"))
            // Amy parks the caller, but Twilio has not moved it yet: she is still on the call.
            #expect(try await store.claimCall("CA-1", tenant: "acme", agentIdentity: "amy", at: Clock.at(0)) == .won)
            let parked = try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(10))
            let bob = try await store.agent(identity: "bob", in: "acme")
            #expect(
                try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(11))
                    == .parkInProgress(heldBy: "amy")
            )
            #expect(try await store.agent(identity: "bob", in: "acme") == bob)
            #expect(try await store.parkedCall(id: parked.id, in: "acme").retrievedBy == nil)

            // Not Amy's call, not her tenant, or not an agent: nothing changes.
            #expect(try await store.endCall("CA-other", of: "amy", in: "acme", at: Clock.at(20), wrapUpSeconds: 5) == false)
            #expect(try await store.endCall("CA-1", of: "amy", in: "globex", at: Clock.at(20), wrapUpSeconds: 5) == false)
            #expect(try await store.endCall("CA-1", of: "nobody", in: "acme", at: Clock.at(20), wrapUpSeconds: 5) == false)
            #expect(try await store.agent(identity: "amy", in: "acme").currentCallSid == "CA-1")
            #expect(try await store.agent(identity: "amy", in: "globex").currentCallSid == nil)

            #expect(try await store.endCall("CA-1", of: "amy", in: "acme", at: Clock.at(20), wrapUpSeconds: 5) == true)
            let amy = try await store.agent(identity: "amy", in: "acme")
            #expect(amy.currentCallSid == nil)
            #expect(amy.lastCallEndedAt == Clock.at(20))
            #expect(amy.wrapUpEndsAt == Clock.at(25))
            #expect(try await store.endCall("CA-1", of: "amy", in: "acme", at: Clock.at(30), wrapUpSeconds: 5) == false)
            #expect(try await store.agent(identity: "amy", in: "acme") == amy)

            // Off the call, she no longer holds it: Bob retrieves it, and ending her part again leaves him on it.
            #expect(try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(31)).isRetrieved)
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == "CA-1")
            #expect(try await store.endCall("CA-1", of: "amy", in: "acme", at: Clock.at(40), wrapUpSeconds: 5) == false)
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == "CA-1")
            await #expect(throws: StoreError.invalid) {
                try await store.endCall("CA-1", of: "bob", in: "acme", at: Clock.at(50), wrapUpSeconds: -1)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aReleasedRetrievalPutsTheCallBackInItsSlotForAnyAgent(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for identity in ["amy", "bob", "cat"] {
                try await store.upsertAgent(.new(identity, tenant: "acme"))
            }
            let parked = try await store.parkedByAmy("CA-1", in: "acme", at: Clock.at(0))
            let bobBefore = try await store.agent(identity: "bob", in: "acme")
            #expect(try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(20)).isRetrieved)
            let retrieved = try await store.parkedCall(id: parked.id, in: "acme")

            // Only the retriever's own retrieval, made at that instant, is undone: Cat's release, and Bob's
            // for a retrieval at another instant (a repeat's), change nothing.
            #expect(try await store.releaseRetrieval(id: parked.id, tenant: "acme", agentIdentity: "cat", retrievedAt: Clock.at(20)) == false)
            #expect(try await store.releaseRetrieval(id: parked.id, tenant: "acme", agentIdentity: "bob", retrievedAt: Clock.at(21)) == false)
            #expect(try await store.parkedCall(id: parked.id, in: "acme") == retrieved)
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == "CA-1")

            // Bob's leg could not be moved: the call waits again, as it was parked, and Bob is as he was.
            #expect(try await store.releaseRetrieval(id: parked.id, tenant: "acme", agentIdentity: "bob", retrievedAt: Clock.at(20)))
            #expect(try await store.parkedCall(id: parked.id, in: "acme") == parked)
            #expect(try await store.parkedCalls(in: "acme") == [parked])
            #expect(try await store.agent(identity: "bob", in: "acme") == bobBefore)
            #expect(try await store.availableIdentities(in: "acme", at: Clock.at(30)).contains("bob"))
            #expect(try await store.releaseRetrieval(id: parked.id, tenant: "acme", agentIdentity: "bob", retrievedAt: Clock.at(20)) == false)

            // Anyone may retrieve it now, Bob again included.
            #expect(try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "cat", at: Clock.at(40)).isRetrieved)
            #expect(try await store.agent(identity: "cat", in: "acme").currentCallSid == "CA-1")
            #expect(
                try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(41))
                    == .alreadyRetrieved(by: "cat")
            )

            // An unknown parked call, or one of another tenant, is not found.
            try await store.upsertAgent(.new("dan"))
            await #expect(throws: StoreError.notFound) {
                try await store.releaseRetrieval(id: UUID().uuidString.lowercased(), tenant: "acme", agentIdentity: "cat", retrievedAt: Clock.at(40))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.releaseRetrieval(id: parked.id, tenant: .default, agentIdentity: "dan", retrievedAt: Clock.at(40))
            }
            #expect(try await store.parkedCall(id: parked.id, in: "acme").retrievedBy == "cat")
        }
    }

    /// The retriever's record was retired meanwhile (a supervisor freed Bob, whose sign-in then moved to
    /// another tenant): the retrieval is still undone, so the call waits for any agent again rather than
    /// for nobody, as before the park's timeout.
    @Test(arguments: StoreKind.allCases)
    func aRetrievalByAnAgentRetiredSinceIsStillReleased(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let parked = try await store.parkedByAmyRetrievedByBob("CA-1", at: Clock.at(20))
            #expect(try await store.releaseAgent(identity: "bob", in: "acme", onCall: "CA-1", at: Clock.at(22)).isReleased)
            try await store.moveAgent(.new("bob", tenant: "globex"), at: Clock.at(25))
            #expect(try await store.agent(identity: "bob", in: "acme").isRetired)
            #expect(try await store.releaseRetrieval(id: parked.id, tenant: "acme", agentIdentity: "bob", retrievedAt: Clock.at(20)))
            #expect(try await store.parkedCalls(in: "acme") == [parked])
        }
    }

    /// Bob's leg reached the slot and dropped before the bridge: only the stranded release undoes his
    /// retrieval, with its arrival, so the call waits for any agent again and his next retrieval's leg
    /// records its own arrival. The latest arrival counts: a later leg of his (a new connect) may be
    /// the one being bridged. Another retrieval (another instant, another agent's) is left alone.
    @Test(arguments: StoreKind.allCases)
    func aRetrievalWhoseLegArrivedIsReleasedOnlyAsStranded(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let parked = try await store.parkedByAmyRetrievedByBob("CA-1", at: Clock.at(20))
            func release(retrievedAt: Int = 20, by agent: String = "bob", arrivedBefore: Int) async throws -> Bool {
                try await store.releaseStrandedRetrieval(
                    id: parked.id,
                    tenant: "acme",
                    agentIdentity: agent,
                    retrievedAt: Clock.at(retrievedAt),
                    arrivedBefore: Clock.at(arrivedBefore)
                )
            }
            #expect(try await store.confirmRetrieverArrival(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(22)))
            #expect(try await store.confirmRetrieverArrival(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(30)))
            #expect(try await store.confirmRetrieverArrival(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(25)))
            #expect(try await store.parkedCall(id: parked.id, in: "acme").retrieverArrivedAt == Clock.at(30), "the latest arrival")

            #expect(!(try await store.releaseRetrieval(id: parked.id, tenant: "acme", agentIdentity: "bob", retrievedAt: Clock.at(20))))
            #expect(!(try await release(arrivedBefore: 30)), "his latest leg arrived at 30, not before")
            #expect(!(try await release(retrievedAt: 21, arrivedBefore: 31)))
            #expect(!(try await release(by: "amy", arrivedBefore: 31)))
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == "CA-1")

            #expect(try await release(arrivedBefore: 31))
            #expect(try await store.parkedCalls(in: "acme") == [parked])
            #expect(try await store.parkedCall(id: parked.id, in: "acme").retrieverArrivedAt == nil)
            let bob = try await store.agent(identity: "bob", in: "acme")
            #expect(bob.currentCallSid == nil)
            #expect(bob.wrapUpEndsAt == nil, "he never spoke to the caller")
            #expect(!(try await release(arrivedBefore: 100)), "a repeat changes nothing")

            // His next retrieval is a new one: its leg's arrival is its own, and until it arrives the
            // stranded release leaves it alone.
            #expect(try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(40)).isRetrieved)
            #expect(try await store.parkedCall(id: parked.id, in: "acme").retrieverArrivedAt == nil)
            #expect(!(try await release(retrievedAt: 40, arrivedBefore: 100)))
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == "CA-1")
            #expect(try await store.confirmRetrieverArrival(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(51)))
            #expect(try await store.parkedCall(id: parked.id, in: "acme").retrieverArrivedAt == Clock.at(51))
            #expect(try await release(retrievedAt: 40, arrivedBefore: 52))
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anAgentOnAnotherCallIsRefusedAsBusyAndNothingChanges(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for identity in ["amy", "bob", "cat"] {
                try await store.upsertAgent(.new(identity))
            }
            #expect(try await store.claimCall("CA-bob", tenant: .default, agentIdentity: "bob", at: Clock.at(0)) == .won)
            let parked = try await store.parkCall("CA-1", tenant: .default, slot: "park", parkedBy: "amy", at: Clock.at(1))
            let before = try await store.agent(identity: "bob", in: .default)

            #expect(
                try await store.retrieveParkedCall(id: parked.id, tenant: .default, agentIdentity: "bob", at: Clock.at(2))
                    == .agentBusy(currentCallSid: "CA-bob")
            )
            #expect(try await store.agent(identity: "bob", in: .default) == before)
            #expect(try await store.parkedCall(id: parked.id, in: .default) == parked)
            #expect(try await store.parkedCalls(in: .default) == [parked])

            // The parked call's own state comes first: a busy agent learns who retrieved it, or that it ended.
            #expect(try await store.retrieveParkedCall(id: parked.id, tenant: .default, agentIdentity: "cat", at: Clock.at(3)).isRetrieved)
            #expect(
                try await store.retrieveParkedCall(id: parked.id, tenant: .default, agentIdentity: "bob", at: Clock.at(4))
                    == .alreadyRetrieved(by: "cat")
            )
            let gone = try await store.parkCall("CA-2", tenant: .default, slot: "park", parkedBy: "amy", at: Clock.at(5))
            try await store.endParkedCall("CA-2", at: Clock.at(6))
            #expect(try await store.retrieveParkedCall(id: gone.id, tenant: .default, agentIdentity: "bob", at: Clock.at(7)) == .ended)
            #expect(try await store.agent(identity: "bob", in: .default) == before)

            // Cat is on the call she retrieved, so she is busy too; once Bob's call ends, he may retrieve.
            let third = try await store.parkCall("CA-3", tenant: .default, slot: "park", parkedBy: "amy", at: Clock.at(8))
            #expect(
                try await store.retrieveParkedCall(id: third.id, tenant: .default, agentIdentity: "cat", at: Clock.at(9))
                    == .agentBusy(currentCallSid: "CA-1")
            )
            try await store.endCall("CA-bob", at: Clock.at(10), wrapUpSeconds: 600)
            #expect(try await store.retrieveParkedCall(id: third.id, tenant: .default, agentIdentity: "bob", at: Clock.at(11)).isRetrieved)
            #expect(try await store.agent(identity: "bob", in: .default).currentCallSid == "CA-3")
            #expect(try await store.agent(identity: "cat", in: .default).currentCallSid == "CA-1")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anAgentInWrapUpOrAwayOrStillOnTheParkedCallMayRetrieveIt(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            try await store.upsertAgent(.new("bob"))
            // Bob is in wrap-up and away: retrieving is his explicit choice, so neither stops it, and
            // neither changes.
            #expect(try await store.claimCall("CA-b", tenant: .default, agentIdentity: "bob", at: Clock.at(0)) == .won)
            try await store.endCall("CA-b", at: Clock.at(10), wrapUpSeconds: 600)
            try await store.setPresence(.away, identity: "bob", in: .default)
            let first = try await store.parkCall("CA-1", tenant: .default, slot: "park", parkedBy: "amy", at: Clock.at(20))
            #expect(try await store.retrieveParkedCall(id: first.id, tenant: .default, agentIdentity: "bob", at: Clock.at(30)).isRetrieved)
            let bob = try await store.agent(identity: "bob", in: .default)
            #expect(bob.currentCallSid == "CA-1")
            #expect(bob.presence == .away)
            #expect(bob.wrapUpEndsAt == Clock.at(610))
            #expect(bob.lastCallEndedAt == Clock.at(10))

            // Amy parked CA-2 and is still on it (the park route ends her part only once Twilio moved
            // the caller): the call she is on is this one, so she may take it back.
            #expect(try await store.claimCall("CA-2", tenant: .default, agentIdentity: "amy", at: Clock.at(40)) == .won)
            let second = try await store.parkCall("CA-2", tenant: .default, slot: "park", parkedBy: "amy", at: Clock.at(41))
            #expect(try await store.retrieveParkedCall(id: second.id, tenant: .default, agentIdentity: "amy", at: Clock.at(42)).isRetrieved)
            #expect(try await store.agent(identity: "amy", in: .default).currentCallSid == "CA-2")
        }
    }
}

extension DeskStore {
    /// Amy, an agent of `tenant`, answers `callSid` at `time` and parks it at `time` plus ten seconds,
    /// which ends her part in the call, as the park route does once Twilio has moved the caller.
    func parkedByAmy(_ callSid: String, in tenant: TenantID, at time: Date) async throws -> ParkedCall {
        #expect(try await claimCall(callSid, tenant: tenant, agentIdentity: "amy", at: time) == .won)
        let parked = try await parkCall(callSid, tenant: tenant, slot: "park", parkedBy: "amy", at: time.addingTimeInterval(10))
        #expect(try await endCall(callSid, of: "amy", in: tenant, at: time.addingTimeInterval(10), wrapUpSeconds: 0))
        return parked
    }

    /// Amy and Bob, agents of acme: Amy parks `callSid` (``parkedByAmy(_:in:at:)`` at 0) and Bob retrieves
    /// it at `retrieval`. The park as it was before the retrieval.
    func parkedByAmyRetrievedByBob(_ callSid: String, at retrieval: Date) async throws -> ParkedCall {
        for identity in ["amy", "bob"] {
            try await upsertAgent(.new(identity, tenant: "acme"))
        }
        let parked = try await parkedByAmy(callSid, in: "acme", at: Clock.at(0))
        #expect(try await retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: retrieval).isRetrieved)
        return parked
    }
}

extension CallStore {
    /// The identities the voice route would ring for a call to `number`, in order.
    func rung(_ number: String, at now: Date) async throws -> [String]? {
        try await routingSnapshot(forCalledNumber: number, at: now, limit: 100)?.agents.map(\.identity)
    }
}
