import Foundation
import SwitchboardCore
import Testing

/// A call recorded as ringing long ago is over, though its end was never recorded: the ringing list
/// for a start bound leaves it out.
extension DeskStoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func ringingCallsStartedBeforeABoundAreLeftOut(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.recordRinging(RingingCall.ringing("CA-old", tenant: "acme", at: 0))
            try await store.recordRinging(RingingCall.ringing("CA-edge", tenant: "acme", at: 100))
            try await store.recordRinging(RingingCall.ringing("CA-new", tenant: "acme", at: 200))
            #expect(try await store.ringingCalls(in: "acme").map(\.callSid) == ["CA-old", "CA-edge", "CA-new"])
            #expect(try await store.ringingCalls(in: "acme", startedSince: nil).map(\.callSid) == ["CA-old", "CA-edge", "CA-new"])
            #expect(try await store.ringingCalls(in: "acme", startedSince: Clock.at(100)).map(\.callSid) == ["CA-edge", "CA-new"])
            #expect(try await store.ringingCalls(in: "acme", startedSince: Clock.at(201)).isEmpty)
        }
    }
}
