import Foundation
import SwitchboardCore
import Testing

/// The `DeskStore` contract (see its documentation), run against every ``StoreKind``. Expected values
/// are written out by hand, never computed by the store under test.
@Suite("DeskStore contract")
struct DeskStoreContractTests {
    // MARK: Ringing and finished calls

    @Test(arguments: StoreKind.allCases)
    func ringingCallsAreTheTenantsUnansweredUnfinishedCallsOldestFirstTiesByCallSid(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            try await store.recordRinging(.ringing("CA-3", tenant: "acme", at: 30))
            try await store.recordRinging(.ringing("CA-2", tenant: "acme", at: 10))
            try await store.recordRinging(.ringing("CA-1", tenant: "acme", at: 10))
            try await store.recordRinging(.ringing("CA-answered", tenant: "acme", at: 1))
            try await store.recordRinging(.ringing("CA-finished", tenant: "acme", at: 2))
            try await store.recordRinging(.ringing("CA-globex", tenant: "globex", at: 3))
            #expect(try await store.claimCall("CA-answered", tenant: "acme", agentIdentity: "amy", at: Clock.at(40)) == .won)
            try await store.endCall("CA-answered", at: Clock.at(41), wrapUpSeconds: 0)
            // A claim of a call never recorded as ringing does not make it ring.
            #expect(try await store.claimCall("CA-unrecorded", tenant: "acme", agentIdentity: "amy", at: Clock.at(42)) == .won)
            try await store.finishCall("CA-finished", at: Clock.at(50))

            let ringing = try await store.ringingCalls(in: "acme")
            #expect(ringing.map(\.callSid) == ["CA-1", "CA-2", "CA-3"])
            #expect(
                ringing.first
                    == RingingCall(
                        callSid: "CA-1",
                        tenant: "acme",
                        caller: "+15550001",
                        called: "+15550100",
                        agentsRung: ["amy", "bob"],
                        startedAt: Clock.at(10)
                    )
            )
            #expect(try await store.ringingCalls(in: "globex").map(\.callSid) == ["CA-globex"])
            #expect(try await store.ringingCalls(in: "initech") == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func finishingACallStopsItRingingIsIdempotentAndIgnoresUnknownCalls(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.recordRinging(.ringing("CA-1", tenant: .default, at: 0))
            try await store.recordRinging(.ringing("CA-2", tenant: .default, at: 1))
            try await store.finishCall("CA-1", at: Clock.at(5))
            try await store.finishCall("CA-1", at: Clock.at(6))
            try await store.finishCall("CA-unknown", at: Clock.at(7))

            #expect(try await store.ringingCalls(in: .default).map(\.callSid) == ["CA-2"])
            // The finished call stays recorded; the unknown one is not created.
            #expect(try await store.ringingCall("CA-1")?.startedAt == Clock.at(0))
            #expect(try await store.ringingCall("CA-unknown") == nil)
            #expect(try await store.ringingCalls(in: .default).count == 1)
        }
    }

    // MARK: Ring events

    @Test(arguments: StoreKind.allCases)
    func ringEventsOfACallAreThatCallsOnlyOldestFirst(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.recordRinging(.ringing("CA-1", tenant: "acme", at: 0))
            try await store.record("CA-1", "acme", "amy", .ringing, at: 1)
            try await store.record("CA-2", "acme", "amy", .ringing, at: 2)
            try await store.record("CA-1", "acme", "bob", .ringing, at: 3)
            try await store.record("CA-1", "acme", "bob", .declined, at: 4, detail: "busy")
            try await store.record("CA-2", "acme", "bob", .ringing, at: 5)
            try await store.record("CA-1", "acme", "amy", .answered, at: 6)

            let events = try await store.ringEvents(forCall: "CA-1", in: "acme")
            #expect(events.map { "\($0.agentIdentity) \($0.kind)" } == ["amy ringing", "bob ringing", "bob declined", "amy answered"])
            #expect(events.map(\.occurredAt) == [Clock.at(1), Clock.at(3), Clock.at(4), Clock.at(6)])
            #expect(events.map(\.detail) == [nil, nil, "busy", nil])
            #expect(events.allSatisfy { $0.callSid == "CA-1" && $0.tenant == "acme" && $0.sequence > 0 })
            #expect(events.map(\.sequence) == events.map(\.sequence).sorted())
            #expect(Set(events.map(\.sequence)).count == 4)

            // A call with events but no ringing record, and a call with neither.
            #expect(try await store.ringEvents(forCall: "CA-2", in: "acme").map(\.agentIdentity) == ["amy", "bob"])
            #expect(try await store.ringEvents(forCall: "CA-none", in: "acme") == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func ringEventsOfAnotherTenantsCallAreNotFound(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.recordRinging(.ringing("CA-1", tenant: "acme", at: 0))
            try await store.record("CA-1", "acme", "amy", .ringing, at: 1)
            await #expect(throws: StoreError.notFound) { try await store.ringEvents(forCall: "CA-1", in: "globex") }
            #expect(try await store.ringEvents(forCall: "CA-1", in: "acme").count == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func ringOutcomesAreTheAgentsAnswersDeclinesAndMissesNewestFirstAtMostTheLimit(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.record("CA-1", "acme", "amy", .ringing, at: 1)
            try await store.record("CA-1", "acme", "amy", .missed, at: 2, detail: "no-answer")
            try await store.record("CA-1", "acme", "bob", .missed, at: 2)
            try await store.record("CA-2", "acme", "amy", .ringing, at: 3)
            try await store.record("CA-2", "acme", "amy", .declined, at: 4)
            try await store.record("CA-9", "globex", "amy", .missed, at: 5)
            try await store.record("CA-3", "acme", "amy", .answered, at: 6)
            try await store.record("CA-3", "acme", "amy", .parked, at: 7)
            try await store.record("CA-4", "acme", "amy", .retrieved, at: 8)

            let outcomes = try await store.ringOutcomes(of: "amy", in: "acme", limit: 10)
            #expect(outcomes.map { "\($0.callSid) \($0.kind)" } == ["CA-3 answered", "CA-2 declined", "CA-1 missed"])
            #expect(outcomes.last?.detail == "no-answer")
            #expect(outcomes.last?.occurredAt == Clock.at(2))
            #expect(try await store.ringOutcomes(of: "amy", in: "acme", limit: 2).map(\.callSid) == ["CA-3", "CA-2"])
            #expect(try await store.ringOutcomes(of: "amy", in: "globex", limit: 10).map(\.callSid) == ["CA-9"])
            #expect(try await store.ringOutcomes(of: "bob", in: "acme", limit: 10).map(\.kind) == [.missed])
            #expect(try await store.ringOutcomes(of: "cat", in: "acme", limit: 10) == [])
            #expect(try await store.ringOutcomes(of: "amy", in: "acme", limit: 0) == [])
            #expect(try await store.ringOutcomes(of: "amy", in: "acme", limit: -1) == [])
        }
    }
}

extension RingingCall {
    /// A ringing call from +15550001 to +15550100 that rang amy and bob, started `seconds` after the start.
    static func ringing(_ callSid: String, tenant: TenantID, at seconds: Int) -> RingingCall {
        RingingCall(
            callSid: callSid,
            tenant: tenant,
            caller: "+15550001",
            called: "+15550100",
            agentsRung: ["amy", "bob"],
            startedAt: Clock.at(seconds)
        )
    }
}

extension CallStore {
    /// Records a ring event and fails unless it is new.
    func record(
        _ callSid: String,
        _ tenant: TenantID,
        _ identity: String,
        _ kind: RingEvent.Kind,
        at seconds: Int,
        detail: String? = nil
    ) async throws {
        let event = RingEvent(callSid: callSid, tenant: tenant, agentIdentity: identity, kind: kind, occurredAt: Clock.at(seconds), detail: detail)
        guard try await recordRingEvent(event) else { throw FixtureError("\(callSid) \(identity) \(kind) was already recorded") }
    }
}
