import Foundation
import SwitchboardCore
import Testing

/// An end recorded late passes the time it happened (`joinedBy`), and does not take an agent off a
/// call they got on after it: not after a won claim, a retrieval, or a reclaimed ring-back. An end
/// recorded as it happens ends whoever is on the call.
extension DeskStoreContractTests {
    func onCall(_ store: some DeskStore, _ identity: String) async throws -> String? {
        try await store.agent(identity: identity, in: "acme").currentCallSid
    }

    @Test(arguments: StoreKind.allCases)
    func aLateEndFromBeforeTheAgentGotOnTheCallLeavesThemOnIt(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            try await store.upsertAgent(.new("bob", tenant: "acme"))
            try await store.recordRinging(RingingCall.ringing("CA-1", tenant: "acme", at: 0))
            #expect(try await store.claimCall("CA-1", tenant: "acme", agentIdentity: "amy", at: Clock.at(10)) == .won)
            try await store.endCall("CA-1", at: Clock.at(11), wrapUpSeconds: 30, joinedBy: Clock.at(9))
            #expect(try await store.endCall("CA-1", of: "amy", in: "acme", at: Clock.at(11), wrapUpSeconds: 30, joinedBy: Clock.at(9)) == false)
            #expect(try await onCall(store, "amy") == "CA-1", "a late end from before her claim")
            #expect(
                try await store.endCall("CA-1", of: "amy", in: "acme", at: Clock.at(12), wrapUpSeconds: 30, joinedBy: Clock.at(10)),
                "a late end at her claim's very time"
            )
            let amy = try await store.agent(identity: "amy", in: "acme")
            #expect(amy.currentCallSid == nil)
            #expect(amy.lastCallEndedAt == Clock.at(12))

            // Amy parks the call (her part ends); Bob retrieves it. The end of Amy's stretch, recorded late,
            // leaves Bob on it; the end of the call frees him.
            let parked = try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(20))
            #expect(try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(30)).isRetrieved)
            try await store.endCall("CA-1", at: Clock.at(35), wrapUpSeconds: 30, joinedBy: Clock.at(25))
            #expect(try await store.endCall("CA-1", of: "bob", in: "acme", at: Clock.at(35), wrapUpSeconds: 30, joinedBy: Clock.at(29)) == false)
            #expect(try await onCall(store, "bob") == "CA-1")
            try await store.endCall("CA-1", at: Clock.at(40), wrapUpSeconds: 30, joinedBy: Clock.at(40))
            #expect(try await onCall(store, "bob") == nil)
            #expect(try await store.agent(identity: "bob", in: "acme").lastCallEndedAt == Clock.at(40))

            // Amy takes a second call, parks it, and reclaims it when its ring-back rings her.
            try await store.recordRinging(RingingCall.ringing("CA-2", tenant: "acme", at: 50))
            #expect(try await store.claimCall("CA-2", tenant: "acme", agentIdentity: "amy", at: Clock.at(50)) == .won)
            let second = try await store.parkCall("CA-2", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(60))
            #expect(try await store.endCall("CA-2", of: "amy", in: "acme", at: Clock.at(60), wrapUpSeconds: 30))
            #expect(try await store.endParkedCall("CA-2", at: Clock.at(70))?.id == second.id)
            #expect(try await store.reclaimParkedCall(id: second.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(75)) == .won)
            try await store.endCall("CA-2", at: Clock.at(80), wrapUpSeconds: 30, joinedBy: Clock.at(60))
            #expect(try await store.endCall("CA-2", of: "amy", in: "acme", at: Clock.at(80), wrapUpSeconds: 30, joinedBy: Clock.at(61)) == false)
            #expect(try await onCall(store, "amy") == "CA-2", "the park's own end, recorded late")
            // Recorded as it happens, an end ends whoever is on the call.
            #expect(try await store.endCall("CA-2", of: "amy", in: "acme", at: Clock.at(61), wrapUpSeconds: 30))
            #expect(try await onCall(store, "amy") == nil)
        }
    }

    /// The park's end was never recorded (the store failed), so the parker is still on the call in the
    /// store when the ring-back rings them and they answer: reclaiming records that they got on it again,
    /// so the park's end, recorded late, leaves them on the live conversation.
    @Test(arguments: StoreKind.allCases)
    func aRingBackAnsweredWhileStillOnTheCallRecordsTheReturn(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            try await store.recordRinging(RingingCall.ringing("CA-3", tenant: "acme", at: 0))
            #expect(try await store.claimCall("CA-3", tenant: "acme", agentIdentity: "amy", at: Clock.at(0)) == .won)
            let parked = try await store.parkCall("CA-3", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(10))
            #expect(try await store.endParkedCall("CA-3", at: Clock.at(130))?.id == parked.id)
            #expect(try await store.reclaimParkedCall(id: parked.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(135)) == .won)
            try await store.endCall("CA-3", at: Clock.at(140), wrapUpSeconds: 30, joinedBy: Clock.at(10))
            #expect(try await store.endCall("CA-3", of: "amy", in: "acme", at: Clock.at(140), wrapUpSeconds: 30, joinedBy: Clock.at(10)) == false)
            #expect(try await onCall(store, "amy") == "CA-3")
        }
    }
}
