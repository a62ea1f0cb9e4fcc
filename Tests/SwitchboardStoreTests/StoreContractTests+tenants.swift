import Foundation
import SwitchboardCore
import Testing

extension StoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func agentsAreListedPerTenantOrAllByTenantThenIdentity(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("zed", tenant: "acme"))
            try await store.upsertAgent(.new("bob", tenant: "globex"))
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            try await store.upsertAgent(.new("amy", tenant: "globex"))

            #expect(try await store.agents(in: "acme").map(\.identity) == ["amy", "zed"])
            #expect(try await store.agents(in: "globex").map(\.identity) == ["amy", "bob"])
            #expect(try await store.agents(in: "initech") == [])
            let all = try await store.agents(in: nil)
            #expect(all.map { "\($0.tenant)/\($0.identity)" } == ["acme/amy", "acme/zed", "globex/amy", "globex/bob"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theSameIdentityInTwoTenantsIsTwoAgents(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let acme = try await store.upsertAgent(.new("amy", tenant: "acme"))
            let globex = try await store.upsertAgent(.new("amy", tenant: "globex"))
            #expect(acme.id != globex.id)

            try await store.setPresence(.offline, identity: "amy", in: "acme")
            #expect(try await store.agent(identity: "amy", in: "acme").presence == .offline)
            #expect(try await store.agent(identity: "amy", in: "globex").presence == .available)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func noReadOrWriteReachesAnotherTenantsAgents(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("bob", tenant: "acme"))
            try await store.upsertAgent(.new("gus", tenant: "globex"))

            await #expect(throws: StoreError.notFound) { try await store.agent(identity: "bob", in: "globex") }
            await #expect(throws: StoreError.notFound) { try await store.setPresence(.away, identity: "bob", in: "globex") }
            await #expect(throws: StoreError.notFound) {
                try await store.claimCall("CA-1", tenant: "globex", agentIdentity: "bob", at: Clock.start)
            }
            #expect(try await store.agent(identity: "bob", in: "acme").presence == .available)
            #expect(try await store.callWinner("CA-1") == nil)
            #expect(try await store.availableIdentities(in: "acme", at: Clock.start) == ["bob"])
            #expect(try await store.availableIdentities(in: "globex", at: Clock.start) == ["gus"])
            #expect(try await store.availableIdentities(in: .default, at: Clock.start) == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aCallRecordedForOneTenantCannotBeClaimedFromAnother(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("gus", tenant: "globex"))
            try await store.recordRinging(
                RingingCall(callSid: "CA-1", tenant: "acme", caller: "+1555", called: "+1666", agentsRung: [], startedAt: Clock.start)
            )
            await #expect(throws: StoreError.notFound) {
                try await store.claimCall("CA-1", tenant: "globex", agentIdentity: "gus", at: Clock.start)
            }
            #expect(try await store.callWinner("CA-1") == nil)
            #expect(try await store.agent(identity: "gus", in: "globex").currentCallSid == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func ringEventsAndVoicemailsAreReadPerTenant(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for (index, tenant) in [TenantID("acme"), "globex", "acme"].enumerated() {
                try await store.recordRingEvent(
                    RingEvent(callSid: "CA-\(index)", tenant: tenant, agentIdentity: "amy", kind: .ringing, occurredAt: Clock.at(index))
                )
                try await store.saveVoicemail(
                    Voicemail(
                        recordingSid: "RE-\(index)",
                        callSid: "CA-\(index)",
                        tenant: tenant,
                        caller: nil,
                        recordingURL: "https://example.com/RE-\(index)",
                        durationSeconds: nil,
                        receivedAt: Clock.at(index)
                    )
                )
            }
            #expect(try await store.ringEvents(in: "acme", after: 0, limit: 10).map(\.callSid) == ["CA-0", "CA-2"])
            #expect(try await store.ringEvents(in: "globex", after: 0, limit: 10).map(\.callSid) == ["CA-1"])
            #expect(try await store.ringEvents(in: "initech", after: 0, limit: 10) == [])
            #expect(try await store.voicemails(in: "acme").map(\.recordingSid) == ["RE-2", "RE-0"])
            #expect(try await store.voicemails(in: "globex").map(\.recordingSid) == ["RE-1"])
            #expect(try await store.voicemails(in: "initech") == [])
        }
    }
}
