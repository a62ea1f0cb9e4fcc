import Foundation
import HTTPTypes
import HummingbirdTesting
import SwitchboardCore
import SwitchboardTwilioREST
import Testing

/// Claiming, declining and listing ringing calls.
@Suite struct CallsAPITests {
    @Test(arguments: StoreUnderTest.all)
    func ringingCallsListWhoIsRung(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await store.recordRinging(DeskHarness.ringing("CAone", agents: [DeskHarness.ann, DeskHarness.bob]))
            try await store.recordRinging(DeskHarness.ringing("CAother", tenant: "globex", agents: [DeskHarness.eve]))
            try await DeskHarness.app(store: store).test(.router) { client in
                let response = try await client.api(.get, "/api/calls/ringing", token: DeskHarness.annToken)
                #expect(response.status == .ok)
                let calls = try #require(try DeskHarness.object(response)["calls"] as? [[String: Any]])
                #expect(calls.count == 1)
                #expect(calls.first?["callSid"] as? String == "CAone")
                #expect(calls.first?["agentsRung"] as? [String] == [DeskHarness.ann, DeskHarness.bob])
                #expect(calls.first?["caller"] as? String == "+14155551234")
            }
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func theFirstClaimWinsAndTheSecondLearnsWho(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await store.recordRinging(DeskHarness.ringing("CAclaim", agents: [DeskHarness.ann, DeskHarness.bob]))
            try await DeskHarness.app(store: store).test(.router) { client in
                let won = try await client.api(.post, "/api/calls/CAclaim/claim", token: DeskHarness.annToken)
                #expect(won.status == .ok)
                #expect(try DeskHarness.object(won)["callSid"] as? String == "CAclaim")
                let lost = try await client.api(.post, "/api/calls/CAclaim/claim", token: DeskHarness.bobToken)
                #expect(lost.status == .conflict)
                let body = try DeskHarness.object(lost)
                #expect(body["error"] as? String == "already_answered")
                #expect(body["answeredBy"] as? String == DeskHarness.ann)
                #expect((body["message"] as? String)?.contains(DeskHarness.ann) == true)
                // The winner's repeat is still a win; the call no longer rings.
                #expect(try await client.api(.post, "/api/calls/CAclaim/claim", token: DeskHarness.annToken).status == .ok)
                let ringing = try DeskHarness.object(try await client.api(.get, "/api/calls/ringing", token: DeskHarness.bobToken))
                #expect((ringing["calls"] as? [Any])?.isEmpty == true)
            }
            #expect(try await store.callWinner("CAclaim") == DeskHarness.ann)
            #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == "CAclaim")
            let kinds = try await store.ringEvents(forCall: "CAclaim", in: "acme").map(\.kind)
            #expect(kinds == [.answered])
        }
    }

    /// Twelve free agents, ten rung: the supervisor (one left out, in the same tenant) sees the call on
    /// the dashboard but has no leg in its dial. Their win would turn away Ann and Bob, who are ringing.
    @Test(arguments: StoreUnderTest.all)
    func anAgentTheCallDoesNotRingCannotAnswerOrDeclineIt(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await store.recordRinging(DeskHarness.ringing("CAnotyou", agents: [DeskHarness.ann, DeskHarness.bob]))
            try await DeskHarness.app(store: store).test(.router) { client in
                for action in ["claim", "decline"] {
                    let refused = try await client.api(.post, "/api/calls/CAnotyou/\(action)", token: DeskHarness.supToken)
                    #expect(refused.status == .conflict, "\(action)")
                    #expect(try DeskHarness.errorCode(refused) == "not_rung", "\(action)")
                }
                #expect(try await client.api(.post, "/api/calls/CAnotyou/claim", token: DeskHarness.bobToken).status == .ok)
            }
            #expect(try await store.callWinner("CAnotyou") == DeskHarness.bob)
            #expect(try await store.agent(identity: DeskHarness.sup, in: "acme").currentCallSid == nil)
            #expect(try await store.ringEvents(forCall: "CAnotyou", in: "acme").map(\.agentIdentity) == [DeskHarness.bob])
        }
    }

    /// A call recorded as ringing ten minutes ago, whose end the store never got, is over (a dial rings
    /// for its timeout, 20 s here): the dashboard neither lists it nor lets anyone answer it.
    @Test(arguments: StoreUnderTest.all)
    func aCallRingingLongerThanADialCanRingIsNeitherListedNorAnswered(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            var stale = DeskHarness.ringing("CAstale", agents: [DeskHarness.ann, DeskHarness.bob])
            stale.startedAt = Date().addingTimeInterval(-600)
            try await store.recordRinging(stale)
            try await store.recordRinging(DeskHarness.ringing("CAfresh", agents: [DeskHarness.ann, DeskHarness.bob]))
            try await DeskHarness.app(store: store).test(.router) { client in
                let listed = try DeskHarness.object(try await client.api(.get, "/api/calls/ringing", token: DeskHarness.annToken))
                #expect((listed["calls"] as? [[String: Any]])?.compactMap { $0["callSid"] as? String } == ["CAfresh"])
                let claim = try await client.api(.post, "/api/calls/CAstale/claim", token: DeskHarness.annToken)
                #expect(claim.status == .conflict)
                #expect(try DeskHarness.errorCode(claim) == "call_not_ringing")
                #expect(try await client.api(.post, "/api/calls/CAfresh/claim", token: DeskHarness.annToken).status == .ok)
            }
            #expect(try await store.callWinner("CAstale") == nil)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func twoAgentsClaimingAtOnceHaveOneWinner(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await store.recordRinging(DeskHarness.ringing("CArace", agents: [DeskHarness.ann, DeskHarness.bob]))
            try await DeskHarness.app(store: store).test(.router) { client in
                // Both records exist before the race, so the race is the claim itself. In process, both
                // requests run through the responder at the same time (one loopback connection would
                // serialize them).
                _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken)
                _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.bobToken)
                let results = try await withThrowingTaskGroup(of: (agent: String, status: Int, error: String?, answeredBy: String?).self) { group in
                    for (identity, token) in [(DeskHarness.ann, DeskHarness.annToken), (DeskHarness.bob, DeskHarness.bobToken)] {
                        group.addTask {
                            let response = try await client.api(.post, "/api/calls/CArace/claim", token: token)
                            let body = try DeskHarness.object(response)
                            return (identity, response.status.code, body["error"] as? String, body["answeredBy"] as? String)
                        }
                    }
                    var all: [(agent: String, status: Int, error: String?, answeredBy: String?)] = []
                    for try await result in group { all.append(result) }
                    return all
                }
                let winners = results.filter { $0.status == 200 }
                let losers = results.filter { $0.status == 409 }
                #expect(winners.count == 1)
                #expect(losers.count == 1)
                let winner = try #require(winners.first?.agent)
                #expect(losers.first?.error == "already_answered")
                #expect(losers.first?.answeredBy == winner)
                #expect(try await store.callWinner("CArace") == winner)
            }
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func eightAgentsRacingForEachOfFiveCallsHaveOneWinnerEach(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            // Agents d0…d7; their identities written out from the UUID rule by hand.
            let users = (0..<8).map { index in
                (token: TokenMinter.user("dddddddd-0000-4000-8000-00000000000\(index)"), identity: "agent_dddddddd00004000800000000000000\(index)")
            }
            try await DeskHarness.app(store: store).test(.router) { client in
                for user in users { #expect(try await client.api(.post, "/api/agents/sync", token: user.token).status == .ok) }
                for round in 0..<5 {
                    let callSid = "CAround\(round)"
                    try await store.recordRinging(DeskHarness.ringing(callSid, agents: users.map(\.identity)))
                    let results = try await withThrowingTaskGroup(of: (agent: String, status: Int, answeredBy: String?).self) { group in
                        for user in users {
                            group.addTask {
                                let response = try await client.api(.post, "/api/calls/\(callSid)/claim", token: user.token)
                                return (user.identity, response.status.code, try DeskHarness.object(response)["answeredBy"] as? String)
                            }
                        }
                        var all: [(agent: String, status: Int, answeredBy: String?)] = []
                        for try await result in group { all.append(result) }
                        return all
                    }
                    let winners = results.filter { $0.status == 200 }.map(\.agent)
                    #expect(winners.count == 1, "round \(round): \(results)")
                    let losers = results.filter { $0.status != 200 }
                    #expect(losers.allSatisfy { $0.status == 409 && $0.answeredBy == winners.first }, "round \(round): \(results)")
                    // The winner is on the call now; release it for the next round.
                    if let winner = winners.first {
                        #expect(try await store.releaseAgent(identity: winner, in: "acme", onCall: callSid, at: Date()).isReleased)
                    }
                }
            }
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func anAgentOnAnotherCallIsBusy(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await store.recordRinging(DeskHarness.ringing("CAfirst", agents: [DeskHarness.ann]))
            try await store.recordRinging(DeskHarness.ringing("CAsecond", agents: [DeskHarness.ann]))
            try await DeskHarness.app(store: store).test(.router) { client in
                #expect(try await client.api(.post, "/api/calls/CAfirst/claim", token: DeskHarness.annToken).status == .ok)
                let busy = try await client.api(.post, "/api/calls/CAsecond/claim", token: DeskHarness.annToken)
                #expect(busy.status == .conflict)
                let body = try DeskHarness.object(busy)
                #expect(body["error"] as? String == "agent_busy")
                #expect(body["currentCallSid"] as? String == "CAfirst")
            }
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func unknownAndFinishedCallsCannotBeClaimed(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await store.recordRinging(DeskHarness.ringing("CAdone", agents: [DeskHarness.ann]))
            try await store.finishCall("CAdone", at: Date())
            try await DeskHarness.app(store: store).test(.router) { client in
                let unknown = try await client.api(.post, "/api/calls/CAnope/claim", token: DeskHarness.annToken)
                #expect(unknown.status == .notFound)
                #expect(try DeskHarness.errorCode(unknown) == "call_not_found")
                let finished = try await client.api(.post, "/api/calls/CAdone/claim", token: DeskHarness.annToken)
                #expect(finished.status == .conflict)
                #expect(try DeskHarness.errorCode(finished) == "call_not_ringing")
            }
            #expect(try await store.callWinner("CAdone") == nil)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func aDeclineLetsTheOthersRingAndTheLastSendsTheCallerToVoicemail(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await store.recordRinging(DeskHarness.ringing("CAdecline", agents: [DeskHarness.ann, DeskHarness.bob]))
            let twilio = RecordingRedirector()
            try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
                let first = try await client.api(.post, "/api/calls/CAdecline/decline", token: DeskHarness.annToken)
                #expect(first.status == .ok)
                #expect(try DeskHarness.object(first)["sentToVoicemail"] as? Bool == false)
                #expect(await twilio.redirects.isEmpty)
                let stillRinging = try DeskHarness.object(try await client.api(.get, "/api/calls/ringing", token: DeskHarness.bobToken))
                #expect((stillRinging["calls"] as? [[String: Any]])?.first?["callSid"] as? String == "CAdecline")

                let last = try await client.api(.post, "/api/calls/CAdecline/decline", token: DeskHarness.bobToken)
                #expect(last.status == .ok)
                #expect(try DeskHarness.object(last)["sentToVoicemail"] as? Bool == true)
                let redirects = await twilio.redirects
                #expect(redirects.count == 1)
                #expect(redirects.first?.callSid == "CAdecline")
                #expect(redirects.first?.url == "https://switchboard.example.com/twilio/desk-voicemail?tenant=acme")
                let ringing = try DeskHarness.object(try await client.api(.get, "/api/calls/ringing", token: DeskHarness.bobToken))
                #expect((ringing["calls"] as? [Any])?.isEmpty == true)
                // Declining again, or after the end, is a conflict.
                let again = try await client.api(.post, "/api/calls/CAdecline/decline", token: DeskHarness.bobToken)
                #expect(again.status == .conflict)
                #expect(try DeskHarness.errorCode(again) == "call_not_ringing")
            }
            let kinds = try await store.ringEvents(forCall: "CAdecline", in: "acme").map(\.kind)
            #expect(kinds == [.declined, .declined])
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func aMissAndADeclineTogetherAlsoSendTheCallerToVoicemail(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await store.recordRinging(DeskHarness.ringing("CAmix", agents: [DeskHarness.ann, DeskHarness.bob]))
            try await store.recordRingEvent(
                RingEvent(callSid: "CAmix", tenant: "acme", agentIdentity: DeskHarness.bob, kind: .missed, occurredAt: Date())
            )
            let twilio = RecordingRedirector()
            try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
                let response = try await client.api(.post, "/api/calls/CAmix/decline", token: DeskHarness.annToken)
                #expect(try DeskHarness.object(response)["sentToVoicemail"] as? Bool == true)
            }
            #expect(await twilio.redirects.map(\.callSid) == ["CAmix"])
        }
    }

    @Test func aDeclineOfAnAnsweredCallNamesWhoAnswered() async throws {
        let store = InMemoryCallStore()
        try await store.recordRinging(DeskHarness.ringing("CAans", agents: [DeskHarness.ann, DeskHarness.bob]))
        try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.router) { client in
            _ = try await client.api(.post, "/api/calls/CAans/claim", token: DeskHarness.annToken)
            let response = try await client.api(.post, "/api/calls/CAans/decline", token: DeskHarness.bobToken)
            #expect(response.status == .conflict)
            #expect(try DeskHarness.object(response)["answeredBy"] as? String == DeskHarness.ann)
        }
    }

    @Test func aTwilioFailureOnTheLastDeclineIs502() async throws {
        let store = InMemoryCallStore()
        try await store.recordRinging(DeskHarness.ringing("CAfail", agents: [DeskHarness.ann]))
        let twilio = RecordingRedirector(failure: .init(status: 404, message: "The requested resource was not found"))
        try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
            let response = try await client.api(.post, "/api/calls/CAfail/decline", token: DeskHarness.annToken)
            #expect(response.status == .badGateway)
            #expect(try DeskHarness.errorCode(response) == "twilio_failed")
        }
    }

    @Test func withoutTwilioTheLastDeclineLeavesTheCallToTheDialTimeout() async throws {
        let store = InMemoryCallStore()
        try await store.recordRinging(DeskHarness.ringing("CAnotwilio", agents: [DeskHarness.ann]))
        try await DeskHarness.app(store: store, redirector: nil).test(.router) { client in
            let response = try await client.api(.post, "/api/calls/CAnotwilio/decline", token: DeskHarness.annToken)
            #expect(response.status == .ok)
            #expect(try DeskHarness.object(response)["sentToVoicemail"] as? Bool == false)
        }
    }

    @Test func claimAndDeclineWorkOverRealLoopback() async throws {
        let store = InMemoryCallStore()
        try await store.recordRinging(DeskHarness.ringing("CAlive", agents: [DeskHarness.ann, DeskHarness.bob]))
        try await store.recordRinging(DeskHarness.ringing("CAlive2", agents: [DeskHarness.ann, DeskHarness.bob]))
        try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.live) { client in
            #expect(try await client.api(.get, "/api/calls/ringing", token: DeskHarness.annToken).status == .ok)
            #expect(try await client.api(.post, "/api/calls/CAlive2/decline", token: DeskHarness.bobToken).status == .ok)
            #expect(try await client.api(.post, "/api/calls/CAlive/claim", token: DeskHarness.annToken).status == .ok)
            let lost = try await client.api(.post, "/api/calls/CAlive/claim", token: DeskHarness.bobToken)
            #expect(lost.status == .conflict)
            #expect(try DeskHarness.object(lost)["answeredBy"] as? String == DeskHarness.ann)
        }
    }
}
