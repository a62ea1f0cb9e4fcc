import Foundation
import SwitchboardCore
import Testing

/// Ring events that really happen more than once for one agent and call (a park's ring-back, a call
/// parked or retrieved again) are told apart by their occurrence; a retried callback is not.
extension StoreContractTests {
    static func event(
        _ kind: RingEvent.Kind,
        _ occurrence: String,
        agent: String = "amy",
        call: String = "CA-1",
        at seconds: Int
    ) -> RingEvent {
        RingEvent(callSid: call, tenant: "acme", agentIdentity: agent, kind: kind, occurredAt: Clock.at(seconds), occurrence: occurrence)
    }

    @Test(arguments: StoreKind.allCases)
    func aParksRingBackAndASecondParkAreStoredWhileRepeatsAreNot(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            // Amy's first leg rings and she answers it, then parks the call (park p-1).
            #expect(try await store.recordRingEvent(Self.event(.ringing, "CL-1", at: 1)))
            #expect(try await store.recordRingEvent(Self.event(.answered, "CL-1", at: 2)))
            #expect(try await store.recordRingEvent(Self.event(.answered, "CL-1", at: 3)) == false, "Twilio retried the callback")
            #expect(try await store.recordRingEvent(Self.event(.parked, "p-1", at: 4)))
            #expect(try await store.recordRingEvent(Self.event(.parked, "p-1", at: 5)) == false, "the same park recorded again")
            // The park times out and rings her again, on a new leg, which she answers.
            #expect(try await store.recordRingEvent(Self.event(.ringing, "CL-2", at: 6)))
            #expect(try await store.recordRingEvent(Self.event(.answered, "CL-2", at: 7)))
            #expect(try await store.recordRingEvent(Self.event(.ringing, "CL-1", at: 8)) == false, "a late ringing of a leg that ended")
            #expect(try await store.recordRingEvent(Self.event(.ringing, "CL-2", at: 9)) == false, "a late ringing of the ring-back")
            // She parks it again; Bob retrieves both parks in turn.
            #expect(try await store.recordRingEvent(Self.event(.parked, "p-2", at: 10)))
            #expect(try await store.recordRingEvent(Self.event(.retrieved, "p-1", agent: "bob", at: 11)))
            #expect(try await store.recordRingEvent(Self.event(.retrieved, "p-2", agent: "bob", at: 12)))
            #expect(try await store.recordRingEvent(Self.event(.retrieved, "p-2", agent: "bob", at: 13)) == false, "a double click")
            // Misses on two legs set her away twice.
            #expect(try await store.recordRingEvent(Self.event(.away, "CL-3", at: 14)))
            #expect(try await store.recordRingEvent(Self.event(.away, "CL-4", at: 15)))

            let stored = try await store.ringEvents(in: "acme", after: 0, limit: 100)
            #expect(
                stored.map { "\($0.agentIdentity):\($0.kind.rawValue):\($0.occurrence)" } == [
                    "amy:ringing:CL-1", "amy:answered:CL-1", "amy:parked:p-1", "amy:ringing:CL-2", "amy:answered:CL-2", "amy:parked:p-2",
                    "bob:retrieved:p-1", "bob:retrieved:p-2", "amy:away:CL-3", "amy:away:CL-4",
                ]
            )
            #expect(stored.map(\.occurredAt) == [1, 2, 4, 6, 7, 10, 11, 12, 14, 15].map(Clock.at))
            #expect(try await store.ringEvents(forCall: "CA-1", in: "acme").count == 10)
        }
    }

    /// The agents' API's Answer and Decline name no leg: such an end ends every leg's ring of that call
    /// for that agent, until the agent parks the call (its ring-back is a new ring).
    @Test(arguments: StoreKind.allCases)
    func anEndWithNoOccurrenceEndsTheAgentsRingUntilTheyParkTheCall(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            #expect(try await store.recordRingEvent(Self.event(.declined, "", call: "CA-2", at: 1)))
            #expect(try await store.recordRingEvent(Self.event(.ringing, "CL-5", call: "CA-2", at: 2)) == false, "a late ringing after a decline")
            #expect(try await store.recordRingEvent(Self.event(.ringing, "CL-5", agent: "bob", call: "CA-2", at: 2)), "another agent")

            #expect(try await store.recordRingEvent(Self.event(.answered, "", call: "CA-3", at: 3)))
            #expect(try await store.recordRingEvent(Self.event(.ringing, "CL-6", call: "CA-3", at: 4)) == false)
            #expect(try await store.recordRingEvent(Self.event(.parked, "p-3", agent: "bob", call: "CA-3", at: 5)))
            #expect(try await store.recordRingEvent(Self.event(.ringing, "CL-6", call: "CA-3", at: 6)) == false, "only the agent's own park")
            #expect(try await store.recordRingEvent(Self.event(.parked, "p-4", call: "CA-3", at: 7)))
            #expect(try await store.recordRingEvent(Self.event(.ringing, "CL-7", call: "CA-3", at: 8)), "the ring-back after her park")
            #expect(try await store.recordRingEvent(Self.event(.answered, "CL-7", call: "CA-3", at: 9)))
            #expect(try await store.recordRingEvent(Self.event(.ringing, "CL-7", call: "CA-3", at: 10)) == false, "its own end still counts")

            let stored = try await store.ringEvents(in: "acme", after: 0, limit: 100)
            #expect(
                stored.filter { $0.kind == .ringing }.map { "\($0.callSid):\($0.agentIdentity):\($0.occurrence)" } == [
                    "CA-2:bob:CL-5", "CA-3:amy:CL-7",
                ]
            )
        }
    }
}
