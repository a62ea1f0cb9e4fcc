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
            try await store.upsertAgent(.new("abe", tenant: "globex"))

            #expect(try await store.agents(in: "acme").map(\.identity) == ["amy", "zed"])
            #expect(try await store.agents(in: "globex").map(\.identity) == ["abe", "bob"])
            #expect(try await store.agents(in: "initech") == [])
            let all = try await store.agents(in: nil)
            #expect(all.map { "\($0.tenant)/\($0.identity)" } == ["acme/amy", "acme/zed", "globex/abe", "globex/bob"])
        }
    }

    /// A Twilio client name is account-wide: an identity current in two tenants would ring, and could
    /// answer, both tenants' calls.
    @Test(arguments: StoreKind.allCases)
    func anIdentityIsACurrentAgentOfOneTenantOnly(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let acme = try await store.upsertAgent(.new("amy", tenant: "acme"))
            let refusal = await #expect(throws: StoreError.conflict) { try await store.upsertAgent(.new("amy", tenant: "globex")) }
            #expect(refusal?.message.contains("tenant acme") == true, "\(String(describing: refusal))")
            #expect(try await store.agents(in: "globex") == [])
            #expect(try await store.agents(in: nil) == [acme])
            #expect(try await store.availableIdentities(in: "globex", at: Clock.start) == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func movingAnIdentityRetiresItsRecordInTheOtherTenant(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let acme = try await store.upsertAgent(.new("amy", tenant: "acme"))
            try await store.upsertAgent(.new("bob", tenant: "acme"))

            let move = try await store.moveAgent(.new("amy", tenant: "globex"), at: Clock.at(10))
            #expect(move.retiredIn == "acme")
            #expect(move.agent.tenant == "globex" && move.agent.presence == .available && !move.agent.isRetired)
            #expect(move.agent.id != acme.id)

            let retired = try await store.agent(identity: "amy", in: "acme")
            var expected = acme
            expected.presence = .offline
            expected.retiredAt = Clock.at(10)
            #expect(retired == expected, "kept, offline, retired at the move")
            #expect(try await store.availableIdentities(in: "acme", at: Clock.at(11)) == ["bob"])
            #expect(try await store.availableIdentities(in: "globex", at: Clock.at(11)) == ["amy"])

            let presence = await #expect(throws: StoreError.conflict) { try await store.setPresence(.available, identity: "amy", in: "acme") }
            #expect(presence?.message.contains("retired") == true, "\(String(describing: presence))")
            #expect(try await store.agent(identity: "amy", in: "acme") == expected)
            await #expect(throws: StoreError.conflict) { try await store.upsertAgent(.new("amy", tenant: "acme")) }
            #expect(try await store.agent(identity: "amy", in: "acme") == expected)
            #expect(try await store.setPresence(.away, identity: "amy", in: "globex").presence == .away)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func movingBackMakesTheRetiredRecordCurrentAgain(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let acme = try await store.upsertAgent(.new("amy", tenant: "acme"))
            let globex = try await store.moveAgent(.new("amy", tenant: "globex"), at: Clock.at(10)).agent

            // The retired record as read, given back with a presence: its retiredAt is ignored.
            var record = try await store.agent(identity: "amy", in: "acme")
            #expect(record.isRetired)
            record.presence = .away
            let back = try await store.moveAgent(record, at: Clock.at(20))
            #expect(back.retiredIn == "globex")
            #expect(back.agent.id == acme.id && back.agent.presence == .away && !back.agent.isRetired)
            let retired = try await store.agent(identity: "amy", in: "globex")
            #expect(retired.id == globex.id && retired.presence == .offline && retired.retiredAt == Clock.at(20))
            #expect(try await store.setPresence(.available, identity: "amy", in: "acme").presence == .available)
            #expect(try await store.availableIdentities(in: "acme", at: Clock.at(21)) == ["amy"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aMoveWithinItsOwnTenantRetiresNothing(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let first = try await store.moveAgent(.new("amy", tenant: "acme"), at: Clock.at(1))
            #expect(first.retiredIn == nil)
            var renamed = Agent.new("amy", tenant: "acme", presence: .away)
            renamed.name = "Amy Renamed"
            let second = try await store.moveAgent(renamed, at: Clock.at(2))
            #expect(second.retiredIn == nil)
            #expect(second.agent.id == first.agent.id && second.agent.name == "Amy Renamed" && second.agent.presence == .away)
            #expect(try await store.agents(in: nil).count == 1)
        }
    }

    /// A record on a call is not retired under it: the agent would be free, and rung, in the new tenant
    /// while still talking in the old one. Once the call ends, the move goes through.
    @Test(arguments: StoreKind.allCases)
    func aMoveWaitsUntilTheRecordToRetireIsOffItsCall(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            #expect(try await store.claimCall("CA-1", tenant: "acme", agentIdentity: "amy", at: Clock.at(0)) == .won)
            let busy = try await store.agent(identity: "amy", in: "acme")

            let refusal = await #expect(throws: StoreError.conflict) { try await store.moveAgent(.new("amy", tenant: "globex"), at: Clock.at(5)) }
            #expect(refusal?.message.contains("CA-1") == true, "\(String(describing: refusal))")
            #expect(try await store.agents(in: nil) == [busy])

            try await store.endCall("CA-1", at: Clock.at(10), wrapUpSeconds: 0)
            let move = try await store.moveAgent(.new("amy", tenant: "globex"), at: Clock.at(11))
            #expect(move.retiredIn == "acme")
            #expect(try await store.agent(identity: "amy", in: "acme").retiredAt == Clock.at(11))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aMoveThatFailsRetiresNothing(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let acme = try await store.upsertAgent(.new("amy", tenant: "acme"))
            let bob = try await store.upsertAgent(.new("bob", tenant: "globex"))
            // The new record would take Bob's id: the store refuses it after the retirement was written.
            var clash = Agent.new("amy", tenant: "globex")
            clash.id = bob.id
            await #expect(throws: StoreError.conflict) { try await store.moveAgent(clash, at: Clock.at(10)) }
            #expect(try await store.agents(in: nil) == [acme, bob])
            #expect(try await store.availableIdentities(in: "acme", at: Clock.at(11)) == ["amy"])
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
