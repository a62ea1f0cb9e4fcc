import Foundation
import SwitchboardCore
import Testing

/// The parker who answers a park's ring-back is on the call again, as a claim's winner is.
extension DeskStoreContractTests {
    /// Amy answers and parks `callSid`; the park ends her part, then times out (the caller leaves the
    /// slot). The parked call.
    func parkedAndTimedOut(_ callSid: String, by identity: String, _ store: any DeskStore, at second: Int) async throws -> ParkedCall {
        #expect(try await store.claimCall(callSid, tenant: "acme", agentIdentity: identity, at: Clock.at(second)) == .won)
        let parked = try await store.parkCall(callSid, tenant: "acme", slot: "park", parkedBy: identity, at: Clock.at(second + 1))
        #expect(try await store.endCall(callSid, of: identity, in: "acme", at: Clock.at(second + 1), wrapUpSeconds: 0))
        #expect(try await store.endParkedCall(callSid, at: Clock.at(second + 2)) != nil)
        return parked
    }

    @Test(arguments: StoreKind.allCases)
    func theParkerWhoAnswersTheRingBackIsOnTheCallAgain(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for identity in ["amy", "bob"] {
                try await store.upsertAgent(.new(identity, tenant: "acme"))
            }
            let parked = try await parkedAndTimedOut("CA-1", by: "amy", store, at: 0)
            #expect(try await store.availableIdentities(in: "acme", at: Clock.at(10)).contains("amy"))

            // Only the parker takes its ring-back.
            let bob = try await store.agent(identity: "bob", in: "acme")
            #expect(
                try await store.reclaimParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(11))
                    == .alreadyAnswered(by: "amy")
            )
            #expect(try await store.agent(identity: "bob", in: "acme") == bob)

            #expect(try await store.reclaimParkedCall(id: parked.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(12)) == .won)
            let amy = try await store.agent(identity: "amy", in: "acme")
            #expect(amy.currentCallSid == "CA-1")
            #expect(try await store.availableIdentities(in: "acme", at: Clock.at(13)) == ["bob"])
            #expect(try await store.claimCall("CA-2", tenant: "acme", agentIdentity: "amy", at: Clock.at(14)) == .agentBusy(currentCallSid: "CA-1"))
            // A repeat changes nothing; the end of the conversation frees her.
            #expect(try await store.reclaimParkedCall(id: parked.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(15)) == .won)
            #expect(try await store.agent(identity: "amy", in: "acme") == amy)
            try await store.endCall("CA-1", at: Clock.at(20), wrapUpSeconds: 0)
            #expect(try await store.agent(identity: "amy", in: "acme").currentCallSid == nil)

            // Unknown parked calls and agents.
            await #expect(throws: StoreError.notFound) {
                try await store.reclaimParkedCall(id: UUID().uuidString.lowercased(), tenant: "acme", agentIdentity: "amy", at: Clock.at(30))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.reclaimParkedCall(id: parked.id, tenant: "acme", agentIdentity: "nobody", at: Clock.at(30))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.reclaimParkedCall(id: parked.id, tenant: "globex", agentIdentity: "amy", at: Clock.at(30))
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aBusyParkerOrARetrievedCallIsNotReclaimed(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for identity in ["amy", "bob", "cat"] {
                try await store.upsertAgent(.new(identity, tenant: "acme"))
            }
            // Bob retrieved Amy's park before it timed out: Amy's ring-back cannot take it from him.
            let retrieved = try await store.parkedByAmy("CA-1", in: "acme", at: Clock.at(0))
            #expect(try await store.retrieveParkedCall(id: retrieved.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(12)).isRetrieved)
            #expect(
                try await store.reclaimParkedCall(id: retrieved.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(13))
                    == .alreadyAnswered(by: "bob")
            )
            #expect(try await store.agent(identity: "amy", in: "acme").currentCallSid == nil)

            // Cat answered another caller before her ring-back: busy, and nothing changes.
            let parked = try await parkedAndTimedOut("CA-3", by: "cat", store, at: 10)
            #expect(try await store.claimCall("CA-4", tenant: "acme", agentIdentity: "cat", at: Clock.at(20)) == .won)
            #expect(
                try await store.reclaimParkedCall(id: parked.id, tenant: "acme", agentIdentity: "cat", at: Clock.at(21))
                    == .agentBusy(currentCallSid: "CA-4")
            )
            #expect(try await store.agent(identity: "cat", in: "acme").currentCallSid == "CA-4")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRetrieverWhoParksTheCallAgainTakesItsOwnRingBack(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            _ = try await store.parkedByAmyRetrievedByBob("CA-1", at: Clock.at(12))
            // Bob parks the caller again; that park times out and rings him, not Amy, the call's first winner.
            let second = try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "bob", at: Clock.at(13))
            #expect(try await store.endParkersPart(id: second.id, tenant: "acme", at: Clock.at(13), wrapUpSeconds: 0))
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == nil)
            #expect(try await store.endParkedCall("CA-1", at: Clock.at(14))?.id == second.id)
            #expect(
                try await store.reclaimParkedCall(id: second.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(15))
                    == .alreadyAnswered(by: "bob")
            )
            #expect(try await store.reclaimParkedCall(id: second.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(16)) == .won)
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == "CA-1")
            #expect(try await store.agent(identity: "amy", in: "acme").currentCallSid == nil)
            // The ring-back's dial ends his part: he got on the call through it, after his retrieval of the
            // first park (a leg's end shares that rule).
            try await store.endAnsweredDial("CA-1", at: Clock.at(20), wrapUpSeconds: 0, joinedBy: nil)
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == nil)
        }
    }

    /// Amy parks, and takes the call back herself before Twilio reports the end of her first leg and of
    /// the dial (both ended as she parked): neither report may take her off the call she is talking on,
    /// recorded as it happens or late. The same for Bob once he retrieved a park; the call's end (the
    /// park slot's) ends both.
    @Test(arguments: StoreKind.allCases)
    func aRingLegsLateEndLeavesAnAgentWhoRetrievedTheCallOnIt(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for identity in ["amy", "bob"] {
                try await store.upsertAgent(.new(identity, tenant: "acme"))
            }
            let parked = try await store.parkedByAmy("CA-1", in: "acme", at: Clock.at(0))
            #expect(try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(12)).isRetrieved)
            let amy = try await store.agent(identity: "amy", in: "acme")
            #expect(amy.currentCallSid == "CA-1")
            #expect(try await store.endCall("CA-1", of: "amy", in: "acme", at: Clock.at(13), wrapUpSeconds: 30) == false)
            #expect(try await store.endCall("CA-1", of: "amy", in: "acme", at: Clock.at(13), wrapUpSeconds: 30, joinedBy: Clock.at(13)) == false)
            try await store.endAnsweredDial("CA-1", at: Clock.at(13), wrapUpSeconds: 30, joinedBy: nil)
            try await store.endAnsweredDial("CA-1", at: Clock.at(13), wrapUpSeconds: 30, joinedBy: Clock.at(13))
            #expect(try await store.agent(identity: "amy", in: "acme") == amy)
            try await store.endCall("CA-1", at: Clock.at(40), wrapUpSeconds: 0)
            #expect(try await store.agent(identity: "amy", in: "acme").currentCallSid == nil)

            let second = try await store.parkedByAmy("CA-2", in: "acme", at: Clock.at(100))
            #expect(try await store.retrieveParkedCall(id: second.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(120)).isRetrieved)
            #expect(try await store.endCall("CA-2", of: "bob", in: "acme", at: Clock.at(121), wrapUpSeconds: 0) == false)
            try await store.endAnsweredDial("CA-2", at: Clock.at(121), wrapUpSeconds: 0, joinedBy: nil)
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == "CA-2")
            // The park slot's end (the plain end of the call) frees him.
            try await store.endCall("CA-2", at: Clock.at(130), wrapUpSeconds: 0)
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == nil)

            // An agent on a call through a claim (no park): the dial's end ends her part, with wrap-up,
            // and only that call's.
            #expect(try await store.claimCall("CA-3", tenant: "acme", agentIdentity: "amy", at: Clock.at(200)) == .won)
            #expect(try await store.claimCall("CA-4", tenant: "acme", agentIdentity: "bob", at: Clock.at(200)) == .won)
            try await store.endAnsweredDial("CA-3", at: Clock.at(260), wrapUpSeconds: 30, joinedBy: nil)
            let ended = try await store.agent(identity: "amy", in: "acme")
            #expect(ended.currentCallSid == nil && ended.lastCallEndedAt == Clock.at(260) && ended.wrapUpEndsAt == Clock.at(290))
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == "CA-4")
            // Recorded late, it spares an agent who got on the call after it.
            try await store.endAnsweredDial("CA-4", at: Clock.at(150), wrapUpSeconds: 30, joinedBy: Clock.at(150))
            #expect(try await store.agent(identity: "bob", in: "acme").currentCallSid == "CA-4")
        }
    }
}
