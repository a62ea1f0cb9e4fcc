import Foundation
import SwitchboardCore
import Testing

/// A supervisor's release (``DeskStore/releaseAgent(identity:in:onCall:at:)``) and the missed-rings
/// rule's away (``DeskStore/setAwayIfFree(identity:in:)``): each one step with its check.
extension DeskStoreContractTests {
    // MARK: Releasing agents

    @Test(arguments: StoreKind.allCases)
    func releasingAnAgentOnTheCallSeenClearsItsCallAndWrapUpAndMakesThemAvailable(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let created = try await store.upsertAgent(.new("amy"))
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "amy", at: Clock.at(0)) == .won)
            try await store.endCall("CA-1", at: Clock.at(60), wrapUpSeconds: 600)
            #expect(try await store.claimCall("CA-2", tenant: .default, agentIdentity: "amy", at: Clock.at(100)) == .won)
            try await store.setPresence(.away, identity: "amy", in: .default)

            // Held on a call and away: freed and made available.
            let expected = Agent(
                id: created.id,
                identity: "amy",
                name: "Agent amy",
                email: "amy@example.com",
                presence: .available,
                currentCallSid: nil,
                wrapUpEndsAt: nil,
                lastCallEndedAt: Clock.at(60),
                chatCapacity: 5
            )
            #expect(try await store.releaseAgent(identity: "amy", in: .default, onCall: "CA-2", at: Clock.at(120)) == .released(expected))
            #expect(try await store.agent(identity: "amy", in: .default) == expected)
            // The call the agent was released from keeps its winner.
            #expect(try await store.callWinner("CA-2") == "amy")

            // Held by wrap-up alone (seen on no call): rung at once after the release.
            #expect(try await store.claimCall("CA-3", tenant: .default, agentIdentity: "amy", at: Clock.at(200)) == .won)
            try await store.endCall("CA-3", at: Clock.at(210), wrapUpSeconds: 600)
            #expect(try await store.availableIdentities(at: Clock.at(220)) == [])
            let fromWrapUp = try await store.releaseAgent(identity: "amy", in: .default, onCall: nil, at: Clock.at(220))
            #expect(fromWrapUp.isReleased)
            #expect(fromWrapUp.agent.wrapUpEndsAt == nil && fromWrapUp.agent.lastCallEndedAt == Clock.at(210))
            #expect(try await store.availableIdentities(at: Clock.at(220)) == ["amy"])
        }
    }

    /// Whoever is not held keeps the presence they set; one who signed off stays offline.
    @Test(arguments: StoreKind.allCases)
    func aReleaseMakesAvailableOnlyAnAgentWhoWasHeldAndNotSignedOff(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme", presence: .away))
            try await store.upsertAgent(.new("bob", tenant: "acme"))
            try await store.upsertAgent(.new("cat", tenant: "acme"))

            // Held by nothing, away: stays away.
            let idle = try await store.releaseAgent(identity: "amy", in: "acme", onCall: nil, at: Clock.at(10))
            #expect(idle.isReleased && idle.agent.presence == .away)

            // On a call, then signed off: freed, still offline.
            #expect(try await store.claimCall("CA-1", tenant: "acme", agentIdentity: "bob", at: Clock.at(0)) == .won)
            try await store.setPresence(.offline, identity: "bob", in: "acme")
            let gone = try await store.releaseAgent(identity: "bob", in: "acme", onCall: "CA-1", at: Clock.at(10))
            #expect(gone.isReleased && gone.agent.presence == .offline && gone.agent.currentCallSid == nil)
            #expect(try await store.agent(identity: "bob", in: "acme").presence == .offline)

            // A wrap-up already over at the release holds nobody: an away agent stays away.
            #expect(try await store.claimCall("CA-2", tenant: "acme", agentIdentity: "cat", at: Clock.at(0)) == .won)
            try await store.endCall("CA-2", at: Clock.at(5), wrapUpSeconds: 10)
            try await store.setPresence(.away, identity: "cat", in: "acme")
            let over = try await store.releaseAgent(identity: "cat", in: "acme", onCall: nil, at: Clock.at(15))
            #expect(over.isReleased && over.agent.presence == .away && over.agent.wrapUpEndsAt == nil)
        }
    }

    /// The release checks the call in its own step: acting on a read from before the agent's latest
    /// answer (or end), it changes nothing and answers the agent as stored.
    @Test(arguments: StoreKind.allCases)
    func aReleaseNamingACallTheAgentIsNotOnChangesNothing(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            #expect(try await store.claimCall("CA-1", tenant: "acme", agentIdentity: "amy", at: Clock.at(0)) == .won)
            try await store.endCall("CA-1", at: Clock.at(10), wrapUpSeconds: 60)
            #expect(try await store.claimCall("CA-2", tenant: "acme", agentIdentity: "amy", at: Clock.at(20)) == .won)
            let onSecond = try await store.agent(identity: "amy", in: "acme")
            #expect(onSecond.currentCallSid == "CA-2")

            #expect(try await store.releaseAgent(identity: "amy", in: "acme", onCall: "CA-1", at: Clock.at(30)) == .callChanged(onSecond))
            #expect(try await store.releaseAgent(identity: "amy", in: "acme", onCall: nil, at: Clock.at(30)) == .callChanged(onSecond))
            #expect(try await store.agent(identity: "amy", in: "acme") == onSecond)

            // Seen on a call she has ended since: her wrap-up stands.
            try await store.endCall("CA-2", at: Clock.at(40), wrapUpSeconds: 60)
            let inWrapUp = try await store.agent(identity: "amy", in: "acme")
            #expect(try await store.releaseAgent(identity: "amy", in: "acme", onCall: "CA-2", at: Clock.at(50)) == .callChanged(inWrapUp))
            #expect(try await store.agent(identity: "amy", in: "acme").wrapUpEndsAt == Clock.at(100))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func releasingAnUnknownAnotherTenantsOrARetiredAgentIsRefused(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            #expect(try await store.claimCall("CA-1", tenant: "acme", agentIdentity: "amy", at: Clock.at(0)) == .won)
            await #expect(throws: StoreError.notFound) { try await store.releaseAgent(identity: "ghost", in: "acme", onCall: nil, at: Clock.at(1)) }
            await #expect(throws: StoreError.notFound) {
                try await store.releaseAgent(identity: "amy", in: "globex", onCall: "CA-1", at: Clock.at(1))
            }
            #expect(try await store.agent(identity: "amy", in: "acme").currentCallSid == "CA-1")

            try await store.upsertAgent(.new("bob", tenant: "acme"))
            try await store.moveAgent(.new("bob", tenant: "globex"), at: Clock.at(2))
            await #expect(throws: StoreError.agentRetired("bob", tenant: "acme")) {
                try await store.releaseAgent(identity: "bob", in: "acme", onCall: nil, at: Clock.at(3))
            }
        }
    }

    /// A release acting on a read from before a claim races that claim through another instance: the
    /// claim lands first (and the release changes nothing) or after it; either way the agent stays on
    /// the call the claim won.
    @Test(arguments: StoreKind.allCases)
    func aReleaseRacingAClaimNeverClearsTheClaimedCall(kind: StoreKind) async throws {
        try await kind.withStores(instances: 2) { stores async throws in
            try await stores[0].upsertAgent(.new("amy", tenant: "acme"))
            var outcomes: [String] = []
            for round in 1...12 {
                let callSid = "CA-\(round)"
                let instant = Clock.at(round * 100)
                async let released = stores[0].releaseAgent(identity: "amy", in: "acme", onCall: nil, at: instant)
                async let claimed = stores[1].claimCall(callSid, tenant: "acme", agentIdentity: "amy", at: instant)
                let (release, claim) = try await (released, claimed)
                #expect(claim == .won, "round \(round)")
                #expect(release.isReleased || release.agent.currentCallSid == callSid, "round \(round): \(release)")
                outcomes.append(release.isReleased ? "release first" : "claim first")
                for store in stores {
                    #expect(try await store.agent(identity: "amy", in: "acme").currentCallSid == callSid, "round \(round)")
                }
                try await stores[0].endCall(callSid, at: instant.addingTimeInterval(10), wrapUpSeconds: 0)
            }
            // Which one won each round is up to the scheduler; the rounds say which orders were seen.
            print("release racing a claim: \(Dictionary(grouping: outcomes) { $0 }.mapValues(\.count))")
        }
    }

    // MARK: The missed-rings rule's away

    @Test(arguments: StoreKind.allCases)
    func settingAwayIfFreeSetsAwayOnlyAnAvailableAgentOnNoCall(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for identity in ["amy", "bob", "cat", "dan"] {
                try await store.upsertAgent(.new(identity, tenant: "acme"))
            }
            let away = try #require(try await store.setAwayIfFree(identity: "amy", in: "acme"))
            #expect(away.presence == .away)
            #expect(try await store.agent(identity: "amy", in: "acme") == away)
            // Already away: nothing to do.
            #expect(try await store.setAwayIfFree(identity: "amy", in: "acme") == nil)

            // On a call (she answered after the rule read her rings): stays available.
            #expect(try await store.claimCall("CA-1", tenant: "acme", agentIdentity: "bob", at: Clock.at(0)) == .won)
            #expect(try await store.setAwayIfFree(identity: "bob", in: "acme") == nil)
            #expect(try await store.agent(identity: "bob", in: "acme").presence == .available)

            // Signed off since: stays offline.
            try await store.setPresence(.offline, identity: "cat", in: "acme")
            #expect(try await store.setAwayIfFree(identity: "cat", in: "acme") == nil)
            #expect(try await store.agent(identity: "cat", in: "acme").presence == .offline)

            // Retired: unchanged; unknown or another tenant's: not found.
            try await store.moveAgent(.new("dan", tenant: "globex"), at: Clock.at(1))
            #expect(try await store.setAwayIfFree(identity: "dan", in: "acme") == nil)
            #expect(try await store.agent(identity: "dan", in: "acme").presence == .offline)
            await #expect(throws: StoreError.notFound) { try await store.setAwayIfFree(identity: "ghost", in: "acme") }
            await #expect(throws: StoreError.notFound) { try await store.setAwayIfFree(identity: "bob", in: "globex") }
        }
    }
}
