import Foundation
import SwitchboardCore
import Testing

/// An end that happened before an agent got on a call (recorded late, once a failing store is back)
/// does not take them off it: not after a won claim, a retrieval, or a reclaimed ring-back.
extension DeskStoreContractTests {
    func onCall(_ store: some DeskStore, _ identity: String) async throws -> String? {
        try await store.agent(identity: identity, in: "acme").currentCallSid
    }

    @Test(arguments: StoreKind.allCases)
    func anEndFromBeforeTheAgentGotOnTheCallLeavesThemOnIt(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            try await store.upsertAgent(.new("bob", tenant: "acme"))
            try await store.recordRinging(RingingCall.ringing("CA-1", tenant: "acme", at: 0))
            #expect(try await store.claimCall("CA-1", tenant: "acme", agentIdentity: "amy", at: Clock.at(10)) == .won)
            try await store.endCall("CA-1", at: Clock.at(9), wrapUpSeconds: 30)
            #expect(try await store.endCall("CA-1", of: "amy", in: "acme", at: Clock.at(9), wrapUpSeconds: 30) == false)
            #expect(try await onCall(store, "amy") == "CA-1", "an end from before her claim")
            #expect(try await store.endCall("CA-1", of: "amy", in: "acme", at: Clock.at(10), wrapUpSeconds: 30), "an end at her claim's time")
            let amy = try await store.agent(identity: "amy", in: "acme")
            #expect(amy.currentCallSid == nil)
            #expect(amy.lastCallEndedAt == Clock.at(10))

            // Amy parks the call (her part ends); Bob retrieves it. The end of Amy's stretch, recorded late,
            // leaves Bob on it; the end of the call frees him.
            let parked = try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(20))
            #expect(try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(30)).isRetrieved)
            try await store.endCall("CA-1", at: Clock.at(25), wrapUpSeconds: 30)
            #expect(try await store.endCall("CA-1", of: "bob", in: "acme", at: Clock.at(29), wrapUpSeconds: 30) == false)
            #expect(try await onCall(store, "bob") == "CA-1")
            try await store.endCall("CA-1", at: Clock.at(40), wrapUpSeconds: 30)
            #expect(try await onCall(store, "bob") == nil)
            #expect(try await store.agent(identity: "bob", in: "acme").lastCallEndedAt == Clock.at(40))

            // Amy takes a second call, parks it, and reclaims it when its ring-back rings her.
            try await store.recordRinging(RingingCall.ringing("CA-2", tenant: "acme", at: 50))
            #expect(try await store.claimCall("CA-2", tenant: "acme", agentIdentity: "amy", at: Clock.at(50)) == .won)
            let second = try await store.parkCall("CA-2", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(60))
            #expect(try await store.endCall("CA-2", of: "amy", in: "acme", at: Clock.at(60), wrapUpSeconds: 30))
            #expect(try await store.endParkedCall("CA-2", at: Clock.at(70))?.id == second.id)
            #expect(try await store.reclaimParkedCall(id: second.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(75)) == .won)
            try await store.endCall("CA-2", at: Clock.at(60), wrapUpSeconds: 30)
            #expect(try await store.endCall("CA-2", of: "amy", in: "acme", at: Clock.at(61), wrapUpSeconds: 30) == false)
            #expect(try await onCall(store, "amy") == "CA-2", "the park's own end, recorded late")
            #expect(try await store.endCall("CA-2", of: "amy", in: "acme", at: Clock.at(90), wrapUpSeconds: 30))
            #expect(try await onCall(store, "amy") == nil)
        }
    }
}
