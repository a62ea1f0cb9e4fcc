import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardCore
import SwitchboardDesk
import SwitchboardTwilioREST
import SwitchboardWebhooks
import Testing

/// The agent who retrieves a parked call is on it: not rung, busy for other retrievals, until the
/// caller leaves the slot and Twilio requests `/twilio/park-status`.
@Suite struct ParkingRetrieverTests {
    /// Ann answers and parks `callSid`, and Bob retrieves it; the parked call's id.
    static func retrievedByBob(_ callSid: String, store: some DeskStore, client: some TestClientProtocol) async throws -> String {
        try await ParkingAPITests.answered(callSid, store: store, client: client)
        let id = try await ParkingAPITests.park(callSid, client: client)
        let retrieved = try await client.api(.post, "/api/parked/\(id)/retrieve", token: DeskHarness.bobToken)
        #expect(retrieved.status == .ok)
        return id
    }

    /// Bob retrieves parked call `id`, asking for `leg` to be moved, and Twilio's answer to the redirect
    /// never comes (504 `twilio_outcome_unknown`): the retrieval stands. Later redirects fail the same way
    /// until the test says otherwise.
    static func retrievalWithUnknownOutcome(
        _ id: String,
        leg: String,
        twilio: RecordingRedirector,
        client: some TestClientProtocol
    ) async throws -> TestResponse {
        await twilio.fail(with: .init(status: nil, message: "timed out: 5 s", mayHaveBeenApplied: true))
        let unknown = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: leg, client: client)
        #expect(unknown.status == .gatewayTimeout)
        return unknown
    }

    /// Bob's leg requests `/twilio/retrieve` for parked call `id`: it is put through to the slot, and the
    /// store records its arrival.
    static func bobsLegReachesTheSlot(of id: String, store: some DeskStore, client: some TestClientProtocol) async throws {
        let dial = try await client.twilio(
            "/twilio/retrieve?tenant=acme&parked=\(id)",
            ["CallSid": "CAbobleg", "From": "client:\(DeskHarness.bob)"]
        )
        #expect(String(buffer: dial.body).contains("<Dial><Queue>"))
        #expect(try await store.parkedCall(id: id, in: "acme").retrieverArrivedAt != nil)
    }

    /// Bob's agent record.
    static func bob(_ store: some DeskStore) async throws -> Agent {
        try await store.agent(identity: DeskHarness.bob, in: "acme")
    }

    /// Runs `body` on an app over each store of `kind` in which Bob has an agent record and Ann answered
    /// `callSid` and parked it: with the store, the Twilio fake, the client and the parked call's ID.
    static func withCallParkedByAnn(
        _ kind: StoreUnderTest,
        _ callSid: String,
        _ body: @escaping @Sendable (any DeskStore, RecordingRedirector, any TestClientProtocol, String) async throws -> Void
    ) async throws {
        try await kind.withStore { store in
            let twilio = RecordingRedirector(legs: DeskHarness.legs)
            try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
                #expect(try await client.api(.get, "/api/agents/me", token: DeskHarness.bobToken).status == .ok)
                try await ParkingAPITests.answered(callSid, store: store, client: client)
                let id = try await ParkingAPITests.park(callSid, client: client)
                try await body(store, twilio, client, id)
            }
        }
    }

    /// While Twilio is still moving the caller into the slot, the parker is on the call and a
    /// retrieval is refused as in progress; once the park is done it succeeds.
    @Test(arguments: StoreUnderTest.all)
    func aRetrievalDuringTheParksRedirectWaitsForThePark(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            let twilio = RecordingRedirector { callSid, url in
                guard callSid == "CAmid", let id = ParkingAPITests.parkedID(in: url)
                else { return }
                let outcome = try? await store.retrieveParkedCall(id: id, tenant: "acme", agentIdentity: DeskHarness.bob, at: Date())
                #expect(outcome == .parkInProgress(heldBy: DeskHarness.ann))
            }
            try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
                // Bob's first request provisions his agent record.
                #expect(try await client.api(.get, "/api/agents/me", token: DeskHarness.bobToken).status == .ok)
                try await ParkingAPITests.answered("CAmid", store: store, client: client)
                let id = try await ParkingAPITests.park("CAmid", client: client)
                #expect(try await Self.bob(store).currentCallSid == nil)
                let ann = try await store.agent(identity: DeskHarness.ann, in: "acme")
                #expect(ann.currentCallSid == nil)
                #expect(ann.lastCallEndedAt != nil)
                #expect(try await client.api(.post, "/api/parked/\(id)/retrieve", token: DeskHarness.bobToken).status == .ok)
                #expect(try await Self.bob(store).currentCallSid == "CAmid")
            }
        }
    }

    /// The parker may take the call back while Twilio is still moving the caller into the slot (nobody
    /// else holds it): once the park is done, the parker stays on the call, which they got back on after
    /// parking it, rather than being taken off it as the parker who left the caller.
    @Test(arguments: StoreUnderTest.all)
    func aParkerWhoRetrievesTheirCallDuringTheParksRedirectStaysOnIt(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            let twilio = RecordingRedirector { callSid, url in
                guard callSid == "CAown", let id = ParkingAPITests.parkedID(in: url) else { return }
                let outcome = try? await store.retrieveParkedCall(id: id, tenant: "acme", agentIdentity: DeskHarness.ann, at: Date())
                #expect(outcome.map { if case .retrieved = $0 { true } else { false } } == true, "\(String(describing: outcome))")
            }
            try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
                try await ParkingAPITests.answered("CAown", store: store, client: client)
                _ = try await ParkingAPITests.park("CAown", client: client)
                let ann = try await store.agent(identity: DeskHarness.ann, in: "acme")
                #expect(ann.currentCallSid == "CAown", "the parker who took the call back was taken off it")
            }
        }
    }

    /// Twilio refuses to move the retriever's leg (here, a leg that has hung up): the retrieval is undone,
    /// so the caller is not stranded in a slot nobody may retrieve, and the retriever is free again.
    @Test(arguments: StoreUnderTest.all)
    func aRetrievalWhoseLegCannotBeMovedIsUndone(store kind: StoreUnderTest) async throws {
        try await Self.withCallParkedByAnn(kind, "CAlost") { store, twilio, client, id in
            let bobBefore = try await Self.bob(store)
            await twilio.fail(with: .init(status: 404, message: "The requested resource was not found"))

            let failed = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: "CAgone", client: client)
            #expect(failed.status == .badGateway)
            #expect(try DeskHarness.errorCode(failed) == "twilio_failed")
            #expect(try await Self.bob(store) == bobBefore)
            #expect(try await store.parkedCall(id: id, in: "acme").retrievedBy == nil)
            #expect(try await store.parkedCalls(in: "acme").map(\.id) == [id])
            let events = try await store.ringEvents(forCall: "CAlost", in: "acme")
            #expect(!events.contains { $0.kind == .retrieved })

            // Ann, through the TwiML URL instead of a redirect, retrieves it, and her leg reaches the slot.
            let retrieved = try await client.api(.post, "/api/parked/\(id)/retrieve", token: DeskHarness.annToken)
            #expect(retrieved.status == .ok)
            #expect(try await store.parkedCall(id: id, in: "acme").retrievedBy == DeskHarness.ann)
            let retrieveRoute = "/twilio/retrieve?tenant=acme&parked=\(id)"
            let dial = try await client.twilio(retrieveRoute, ["CallSid": "CAannleg", "From": "client:\(DeskHarness.ann)"])
            #expect(String(buffer: dial.body).contains("<Queue>park_CAlost</Queue>"))
            #expect(try await store.parkedCall(id: id, in: "acme").retrieverArrivedAt != nil)
            // Her leg reached the caller: a repeat, redirectAgain or not, leaves it there, and the call hers.
            let repeated = try await ParkingAPITests.retrieve(id, token: DeskHarness.annToken, redirecting: "CAx", again: true, client: client)
            #expect(repeated.status == .ok)
            #expect(try DeskHarness.object(repeated)["redirected"] as? Bool == false)
            #expect(try await store.parkedCall(id: id, in: "acme").retrievedBy == DeskHarness.ann)
            #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == "CAlost")
        }
    }

    /// A retrieval left standing by a redirect whose outcome was unknown, then retried with
    /// `redirectAgain` and refused for certain (the leg is gone), never reached the caller: it is
    /// released, so the caller does not wait in a slot nobody may retrieve until the park times out.
    @Test(arguments: StoreUnderTest.all)
    func aStandingRetrievalWhoseRetryIsRefusedIsReleased(store kind: StoreUnderTest) async throws {
        try await Self.withCallParkedByAnn(kind, "CAstuck") { store, twilio, client, id in
            let bobBefore = try await Self.bob(store)
            _ = try await Self.retrievalWithUnknownOutcome(id, leg: "CAbob", twilio: twilio, client: client)
            #expect(try await store.parkedCall(id: id, in: "acme").retrievedBy == DeskHarness.bob)

            await twilio.fail(with: .init(status: 404, message: "The requested resource was not found"))
            let refused = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: "CAbob", again: true, client: client)
            #expect(refused.status == .badGateway)
            #expect(try DeskHarness.errorCode(refused) == "twilio_failed")
            #expect(try await store.parkedCall(id: id, in: "acme").retrievedBy == nil)
            #expect(try await store.parkedCalls(in: "acme").map(\.id) == [id])
            #expect(try await Self.bob(store) == bobBefore)

            // A late arrival of Bob's first leg is turned away; Ann can have the call.
            let retrieveRoute = "/twilio/retrieve?tenant=acme&parked=\(id)"
            let late = try await client.twilio(retrieveRoute, ["CallSid": "CAbob", "From": "client:\(DeskHarness.bob)"])
            #expect(String(buffer: late.body).contains("This call is no longer parked."))
            await twilio.fail(with: nil)
            #expect(try await client.api(.post, "/api/parked/\(id)/retrieve", token: DeskHarness.annToken).status == .ok)
        }
    }

    /// Once the retriever's leg has reached the slot it may be talking to the caller: a repeat with
    /// `redirectAgain` leaves it there, where a second redirect would take it off the call.
    @Test(arguments: StoreUnderTest.all)
    func aLegThatReachedTheSlotIsNeverRedirectedAgain(store kind: StoreUnderTest) async throws {
        try await Self.withCallParkedByAnn(kind, "CAtalking") { store, twilio, client, id in
            let first = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: "CAbobleg", client: client)
            #expect(first.status == .ok)
            let redirects = await twilio.redirects.count
            let retrieveRoute = "/twilio/retrieve?tenant=acme&parked=\(id)"
            _ = try await client.twilio(retrieveRoute, ["CallSid": "CAbobleg", "From": "client:\(DeskHarness.bob)"])

            let again = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: "CAbobleg", again: true, client: client)
            #expect(again.status == .ok)
            #expect(try DeskHarness.object(again)["redirected"] as? Bool == false)
            #expect(await twilio.redirects.count == redirects)
            #expect(try await store.parkedCall(id: id, in: "acme").retrievedBy == DeskHarness.bob)
        }
    }

    /// A repeat's redirect refused for a reason that says nothing about the first leg (here 401: the
    /// account's credentials) keeps the retrieval: that leg may still be on its way to the caller.
    @Test(arguments: StoreUnderTest.all)
    func aRepeatRefusedForAnotherReasonThanAGoneLegKeepsTheRetrieval(store kind: StoreUnderTest) async throws {
        try await Self.withCallParkedByAnn(kind, "CAkept") { store, twilio, client, id in
            _ = try await Self.retrievalWithUnknownOutcome(id, leg: "CAbob", twilio: twilio, client: client)
            await twilio.fail(with: .init(status: 401, message: "Authenticate"))
            let refused = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: "CAbob", again: true, client: client)
            #expect(refused.status == .badGateway)
            #expect(try await store.parkedCall(id: id, in: "acme").retrievedBy == DeskHarness.bob)
            #expect(try await Self.bob(store).currentCallSid == "CAkept")
        }
    }

    /// A retrieval whose leg never reached the slot (the agent's app never connected, or its redirect
    /// was lost and not retried), or reached it and dropped before the bridge, does not hold the caller
    /// past the park's timeout: a caller who leaves by `<Leave>` was never bridged, so the parker is rung
    /// again, as for a park nobody retrieved, instead of the caller going to voicemail.
    @Test(arguments: StoreUnderTest.all, [false, true])
    func atTheParksTimeoutARetrieverWhoseLegNeverBridgedLetsTheParkerBeRungAgain(store kind: StoreUnderTest, legArrived: Bool) async throws {
        try await Self.withCallParkedByAnn(kind, "CAnoshow") { store, _, client, id in
            #expect(try await client.api(.post, "/api/parked/\(id)/retrieve", token: DeskHarness.bobToken).status == .ok)
            #expect(try await Self.bob(store).currentCallSid == "CAnoshow")
            if legArrived {
                try await Self.bobsLegReachesTheSlot(of: id, store: store, client: client)
            }

            let status = try await client.twilio(
                "/twilio/park-status?tenant=acme&parked=\(id)",
                ["CallSid": "CAnoshow", "QueueResult": "leave", "QueueTime": "120"]
            )
            let body = String(buffer: status.body)
            #expect(body.contains("<Client "))
            #expect(body.contains(DeskHarness.ann + "</Client>"))
            #expect(!body.contains("<Record "))
            let parked = try await store.parkedCall(id: id, in: "acme")
            #expect(parked.retrievedBy == nil)
            #expect(parked.endedAt != nil)
            let bob = try await Self.bob(store)
            #expect(bob.currentCallSid == nil)
            #expect(bob.wrapUpEndsAt == nil, "he never spoke to the caller")
            #expect(bob.lastCallEndedAt == nil)
        }
    }

    /// The retriever's leg reaches the slot while Twilio's answer to the redirect is on its way, and that
    /// answer is then lost: the retrieval is done, and the API says so (200) instead of 504.
    @Test(arguments: StoreUnderTest.all)
    func aRetrievalWhoseLegArrivedBeforeTheAnswerWasLostSucceeds(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            let arrive = ArrivalRelay()
            let twilio = RecordingRedirector(legs: DeskHarness.legs) { callSid, url in
                guard callSid == "CAbobleg" else { return }
                await arrive.run(String(url.dropFirst("https://switchboard.example.com".count)))
            }
            try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
                await arrive.set { pathAndQuery in
                    let dial = try? await client.twilio(pathAndQuery, ["CallSid": "CAbobleg", "From": "client:\(DeskHarness.bob)"])
                    #expect(dial.map { String(buffer: $0.body) }?.contains("<Dial><Queue>") == true)
                    await twilio.loseAnswers(with: .init(status: nil, message: "timed out: 5 s", mayHaveBeenApplied: true))
                }
                #expect(try await client.api(.get, "/api/agents/me", token: DeskHarness.bobToken).status == .ok)
                try await ParkingAPITests.answered("CAquick", store: store, client: client)
                let id = try await ParkingAPITests.park("CAquick", client: client)
                // Twilio moves Bob's leg, which reaches the slot, and then its answer is lost.
                let retrieved = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: "CAbobleg", client: client)
                #expect(retrieved.status == .ok)
                #expect(await arrive.runs == 1)
                #expect(try await store.parkedCall(id: id, in: "acme").retrieverArrivedAt != nil)
                #expect(try await Self.bob(store).currentCallSid == "CAquick")
            }
        }
    }

    /// Twilio may have moved the retriever's leg (the redirect timed out): the retrieval stands, since
    /// the retriever may be talking to the caller, and nobody else takes the call; the retriever's retry
    /// moves the leg again.
    @Test(arguments: StoreUnderTest.all)
    func aRetrievalWhoseRedirectMayHaveHappenedStands(store kind: StoreUnderTest) async throws {
        try await Self.withCallParkedByAnn(kind, "CAslow") { store, twilio, client, id in
            let parkRedirects = await twilio.redirects.count
            let unknown = try await Self.retrievalWithUnknownOutcome(id, leg: "CAbob", twilio: twilio, client: client)
            let body = try DeskHarness.object(unknown)
            #expect(body["error"] as? String == "twilio_outcome_unknown")
            #expect(body["message"] as? String == "Twilio may or may not have carried out the request: timed out: 5 s")
            let hint = try #require(body["hint"] as? String)
            let expected =
                #"The call stays retrieved by you: if your leg did not reach the caller, "#
                + #"retrieve it again with "redirectAgain": true."#
            #expect(hint.hasPrefix(expected))
            #expect(try await store.parkedCall(id: id, in: "acme").retrievedBy == DeskHarness.bob)
            #expect(try await Self.bob(store).currentCallSid == "CAslow")

            let other = try await client.api(.post, "/api/parked/\(id)/retrieve", token: DeskHarness.annToken)
            #expect(other.status == .conflict)
            #expect(try DeskHarness.errorCode(other) == "already_retrieved")

            await twilio.fail(with: nil)
            // A plain repeat leaves the leg alone (it may be talking to the caller); asked, it moves it again.
            let plain = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: "CAbob", client: client)
            #expect(plain.status == .ok)
            #expect(try DeskHarness.object(plain)["redirected"] as? Bool == false)
            #expect(await twilio.redirects.count == parkRedirects)
            let retried = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: "CAbob", again: true, client: client)
            #expect(retried.status == .ok)
            #expect(try DeskHarness.object(retried)["redirected"] as? Bool == true)
            #expect(await twilio.redirects.dropFirst(parkRedirects).map(\.callSid) == ["CAbob"])
        }
    }

    /// A double click (or a client's retry) of a retrieval that moved the agent's leg must not move it
    /// again: the leg is talking to the caller, and a second redirect would take it off the call.
    @Test(arguments: StoreUnderTest.all)
    func aRepeatedRetrievalDoesNotRedirectTheLegAgain(store kind: StoreUnderTest) async throws {
        try await Self.withCallParkedByAnn(kind, "CAtwice") { store, twilio, client, id in
            let parkRedirects = await twilio.redirects.count
            let first = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: "CAbobleg", client: client)
            #expect(first.status == .ok)
            #expect(try DeskHarness.object(first)["redirected"] as? Bool == true)
            let second = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: "CAbobleg", client: client)
            #expect(second.status == .ok)
            #expect(try DeskHarness.object(second)["redirected"] as? Bool == false)
            #expect(await twilio.redirects.dropFirst(parkRedirects).map(\.callSid) == ["CAbobleg"])
            #expect(try await store.parkedCall(id: id, in: "acme").retrievedBy == DeskHarness.bob)
        }
    }

    /// Bob retrieves parked call `id` at `time` (straight in the store), then Twilio requests the hold
    /// music of `callSid`'s slot; who holds the retrieval afterwards.
    static func holdMusicAfterBobRetrieves(
        _ id: String,
        _ callSid: String,
        at time: Date,
        arrivedAt arrival: Date? = nil,
        store: any DeskStore,
        client: any TestClientProtocol
    ) async throws -> String? {
        #expect(try await store.retrieveParkedCall(id: id, tenant: "acme", agentIdentity: DeskHarness.bob, at: time).retrieves)
        if let arrival {
            #expect(try await store.confirmRetrieverArrival(id: id, tenant: "acme", agentIdentity: DeskHarness.bob, at: arrival))
        }
        let music = try await client.twilio("/twilio/park-wait?tenant=acme&parked=\(id)", ["CallSid": callSid, "QueueTime": "40"])
        #expect(String(buffer: music.body).contains("<Play>"))
        return try await store.parkedCall(id: id, in: "acme").retrievedBy
    }

    /// A retrieval whose agent's leg has not reached the slot 30 s later (the documented grace: the
    /// agent's browser closed, its connection dropped) is given back by the next hold-music request: the
    /// call waits for any agent again and the agent is free, instead of the caller holding until the park
    /// times out. A fresh retrieval, or a late one whose leg arrived just now (Twilio may not have
    /// taken the caller from the queue yet), stays.
    @Test(arguments: StoreUnderTest.all)
    func theHoldMusicGivesBackARetrievalWhoseLegNeverCame(store kind: StoreUnderTest) async throws {
        try await Self.withCallParkedByAnn(kind, "CAgone") { store, _, client, id in
            let late = Date().addingTimeInterval(-40)
            #expect(try await Self.holdMusicAfterBobRetrieves(id, "CAgone", at: late, store: store, client: client) == nil, "given back")
            #expect(try await Self.bob(store).currentCallSid == nil)
            let listed = try DeskHarness.object(try await client.api(.get, "/api/parked", token: DeskHarness.bobToken))
            #expect((listed["parked"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])

            #expect(try await Self.holdMusicAfterBobRetrieves(id, "CAgone", at: Date(), store: store, client: client) == DeskHarness.bob)
        }
        try await Self.withCallParkedByAnn(kind, "CAtalk") { store, _, client, id in
            let late = Date().addingTimeInterval(-40)
            let holder = try await Self.holdMusicAfterBobRetrieves(
                id,
                "CAtalk",
                at: late,
                arrivedAt: Date().addingTimeInterval(-2),
                store: store,
                client: client
            )
            #expect(holder == DeskHarness.bob)
            #expect(try await Self.bob(store).currentCallSid == "CAtalk")
        }
    }

    /// Bob's leg reached the slot (`/twilio/retrieve` answered `<Dial><Queue>`) and dropped before Twilio
    /// bridged it: the caller is still in the slot, so its hold music is requested long after the leg's
    /// arrival. That request gives the call back to every agent and frees Bob, where the caller used to
    /// hold, retrieved by nobody, until the park timed out. A leg that arrived within the grace stays.
    @Test(arguments: StoreUnderTest.all)
    func theHoldMusicGivesBackARetrievalWhoseLegArrivedButWasNeverBridged(store kind: StoreUnderTest) async throws {
        try await Self.withCallParkedByAnn(kind, "CAdrop") { store, _, client, id in
            let retrieved = Date().addingTimeInterval(-30)
            let holder = try await Self.holdMusicAfterBobRetrieves(
                id,
                "CAdrop",
                at: retrieved,
                arrivedAt: Date().addingTimeInterval(-Double(ParkRules.retrieverBridgeGraceSeconds) - 2),
                store: store,
                client: client
            )
            #expect(holder == nil, "given back")
            #expect(try await store.parkedCall(id: id, in: "acme").retrieverArrivedAt == nil)
            #expect(try await Self.bob(store).currentCallSid == nil)
            #expect(try await Self.bob(store).wrapUpEndsAt == nil)
            let listed = try DeskHarness.object(try await client.api(.get, "/api/parked", token: DeskHarness.bobToken))
            #expect((listed["parked"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])
        }
        try await Self.withCallParkedByAnn(kind, "CAbridging") { store, _, client, id in
            let holder = try await Self.holdMusicAfterBobRetrieves(
                id,
                "CAbridging",
                at: Date().addingTimeInterval(-30),
                arrivedAt: Date().addingTimeInterval(-Double(ParkRules.retrieverBridgeGraceSeconds) + 5),
                store: store,
                client: client
            )
            #expect(holder == DeskHarness.bob)
            #expect(try await Self.bob(store).currentCallSid == "CAbridging")
        }
        // Bob's first leg arrived long ago and dropped; his new leg (a new connect) reaches the slot now
        // and is being bridged: the hold music measures from that leg, and leaves him on the call.
        try await Self.withCallParkedByAnn(kind, "CAagain") { store, _, client, id in
            #expect(
                try await store.retrieveParkedCall(id: id, tenant: "acme", agentIdentity: DeskHarness.bob, at: Date().addingTimeInterval(-60))
                    .retrieves
            )
            #expect(
                try await store.confirmRetrieverArrival(id: id, tenant: "acme", agentIdentity: DeskHarness.bob, at: Date().addingTimeInterval(-50))
            )
            let dial = try await client.twilio(
                "/twilio/retrieve?tenant=acme&parked=\(id)",
                ["CallSid": "CAbobleg2", "From": "client:\(DeskHarness.bob)"]
            )
            #expect(String(buffer: dial.body).contains("<Dial><Queue>"))
            let music = try await client.twilio("/twilio/park-wait?tenant=acme&parked=\(id)", ["CallSid": "CAagain", "QueueTime": "70"])
            #expect(String(buffer: music.body).contains("<Play>"))
            #expect(try await store.parkedCall(id: id, in: "acme").retrievedBy == DeskHarness.bob)
            #expect(try await Self.bob(store).currentCallSid == "CAagain")
        }
    }

    /// The API's answer while the parker is still on the call: 409 `park_in_progress`, naming them.
    @Test(arguments: StoreUnderTest.all)
    func aRetrievalWhileTheParkerIsOnTheCallIsParkInProgress(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.router) { client in
                #expect(try await client.api(.get, "/api/agents/me", token: DeskHarness.bobToken).status == .ok)
                try await ParkingAPITests.answered("CAheld", store: store, client: client)
                // The park's record exists, but its redirect has not happened yet.
                let parked = try await store.parkCall("CAheld", tenant: "acme", slot: "park", parkedBy: DeskHarness.ann, at: Date())
                let refused = try await client.api(.post, "/api/parked/\(parked.id)/retrieve", token: DeskHarness.bobToken)
                #expect(refused.status == .conflict)
                let body = try DeskHarness.object(refused)
                #expect(body["error"] as? String == "park_in_progress")
                #expect(body["heldBy"] as? String == DeskHarness.ann)
                #expect(body["hint"] as? String == "Try again in a moment.")
                #expect(try await Self.bob(store).currentCallSid == nil)
            }
        }
    }

    @Test(arguments: StoreUnderTest.all, ["bridged", "hangup"])
    func theRetrieverIsOnTheCallUntilTheCallerLeavesTheSlot(store kind: StoreUnderTest, result: String) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.router) { client in
                let id = try await Self.retrievedByBob("CAr", store: store, client: client)
                #expect(try await Self.bob(store).currentCallSid == "CAr")
                let available = try await store.availableAgents(in: "acme", at: Date(), limit: 10).map(\.identity)
                #expect(!available.contains(DeskHarness.bob))
                let me = try DeskHarness.object(try await client.api(.get, "/api/agents/me", token: DeskHarness.bobToken))
                #expect(me["currentCallSid"] as? String == "CAr")

                let status = try await client.twilio(
                    "/twilio/park-status?tenant=acme&parked=\(id)",
                    ["CallSid": "CAr", "QueueResult": result, "QueueTime": "30"]
                )
                #expect(status.status == .ok)
                #expect(String(buffer: status.body) == ParkingAPITests.declaration + "<Response />")
                let freed = try await Self.bob(store)
                #expect(freed.currentCallSid == nil)
                if result == "hangup" {
                    // The caller hung up while it waited: Bob never spoke to it, so no wrap-up, and the park
                    // ends with his retrieval undone.
                    #expect(freed.lastCallEndedAt == nil)
                    #expect(freed.wrapUpEndsAt == nil)
                    let parked = try await store.parkedCall(id: id, in: "acme")
                    #expect(parked.retrievedBy == nil && parked.endedAt != nil)
                    return
                }
                // The usual wrap-up (30 seconds by default) follows the call.
                let ended = try #require(freed.lastCallEndedAt)
                let wrapUpEnd = try #require(freed.wrapUpEndsAt)
                #expect(abs(wrapUpEnd.timeIntervalSince(ended) - 30) < 0.01)
                let later = try await store.availableAgents(in: "acme", at: ended.addingTimeInterval(31), limit: 10).map(\.identity)
                #expect(later.contains(DeskHarness.bob))
            }
        }
    }

    /// Bob's leg reached the slot, and the caller hung up (or its queue failed) before Twilio bridged
    /// them: he never spoke to the caller, so his retrieval is undone with no wrap-up, and the park ends.
    @Test(arguments: StoreUnderTest.all, ["hangup", "system-error"])
    func aCallerWhoLeftBeforeTheArrivedLegWasBridgedFreesTheRetrieverWithoutWrapUp(store kind: StoreUnderTest, result: String) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.router) { client in
                let id = try await Self.retrievedByBob("CAgone", store: store, client: client)
                try await Self.bobsLegReachesTheSlot(of: id, store: store, client: client)
                let status = try await client.twilio(
                    "/twilio/park-status?tenant=acme&parked=\(id)",
                    ["CallSid": "CAgone", "QueueResult": result, "QueueTime": "40"]
                )
                #expect(String(buffer: status.body).contains("<Record ") == (result == "system-error"))
                let bob = try await Self.bob(store)
                #expect(bob.currentCallSid == nil)
                #expect(bob.wrapUpEndsAt == nil)
                #expect(bob.lastCallEndedAt == nil)
                let parked = try await store.parkedCall(id: id, in: "acme")
                #expect(parked.retrievedBy == nil && parked.endedAt != nil)
                #expect(try await store.parkedCalls(in: "acme").isEmpty)
            }
        }
    }

    /// Whatever Twilio says of the caller's exit, the retriever is not left on the call: after
    /// `bridged` the conversation is over, and otherwise the caller never reached (or no longer has)
    /// the retriever. Every answer is still TwiML.
    @Test(arguments: [
        "bridged", "bridging-in-process", "redirected", "redirected-from-bridged", "hangup", "leave", "queue-full", "error", "system-error", "",
        "new-value",
    ])
    func everyQueueResultFreesTheRetriever(result: String) async throws {
        let store = InMemoryCallStore()
        try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.router) { client in
            let id = try await Self.retrievedByBob("CAq", store: store, client: client)
            #expect(try await Self.bob(store).currentCallSid == "CAq")
            var form: FormParameters = ["CallSid": "CAq", "QueueTime": "5"]
            if !result.isEmpty { form.append(name: "QueueResult", value: result) }
            let status = try await client.twilio("/twilio/park-status?tenant=acme&parked=\(id)", form)
            #expect(status.status == .ok)
            #expect(status.headers[.contentType] == "text/xml; charset=utf-8")
            #expect(String(buffer: status.body).hasPrefix(ParkingAPITests.declaration + "<Response"))
            #expect(try await Self.bob(store).currentCallSid == nil)
            if ["hangup", "leave", "queue-full", "error", "system-error"].contains(result) {
                // The caller left unbridged: Bob never spoke to it, so his retrieval is undone, with no
                // wrap-up, and the park ends.
                #expect(try await Self.bob(store).lastCallEndedAt == nil)
                #expect(try await store.parkedCall(id: id, in: "acme").endedAt != nil)
            } else {
                #expect(try await Self.bob(store).lastCallEndedAt != nil)
            }
            let body = String(buffer: status.body)
            switch result {
            case "leave": #expect(body.contains(DeskHarness.ann + "</Client>"), "the parker is rung again")
            case "queue-full", "error", "system-error", "", "new-value": #expect(body.contains("<Record "), "voicemail")
            default: #expect(body == ParkingAPITests.declaration + "<Response />", "nothing more for the caller")
            }
        }
    }

    /// Bob retrieves Ann's park, talks to the caller, and parks the call again. Twilio reports the first
    /// slot's end (`redirected-from-bridged`: the caller left it for the new park) once the caller may
    /// already wait in the second: that end leaves the new park waiting, listed and retrievable.
    @Test(arguments: StoreUnderTest.all)
    func aRetrievedCallParkedAgainStaysParkedWhenItsFirstSlotReportsTheRedirect(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.router) { client in
                let first = try await Self.retrievedByBob("CAre", store: store, client: client)
                #expect(try await client.twilio("/twilio/park?tenant=acme&parked=\(first)", ["CallSid": "CAre"]).status == .ok)
                let leg: FormParameters = ["CallSid": "CAbobleg", "From": "client:\(DeskHarness.bob)"]
                #expect(String(buffer: try await client.twilio("/twilio/retrieve?tenant=acme&parked=\(first)", leg).body).contains("<Queue"))
                let again = try await client.api(.post, "/api/calls/CAre/park", token: DeskHarness.bobToken)
                #expect(again.status == .ok)
                let second = try #require(try DeskHarness.object(again)["id"] as? String)
                #expect(try await client.twilio("/twilio/park?tenant=acme&parked=\(second)", ["CallSid": "CAre"]).status == .ok)
                let left = try await client.twilio(
                    "/twilio/park-status?tenant=acme&parked=\(first)",
                    ["CallSid": "CAre", "QueueResult": "redirected-from-bridged", "QueueTime": "40"]
                )
                #expect(String(buffer: left.body) == ParkingAPITests.declaration + "<Response />")
                #expect(try await store.parkedCalls(in: "acme").map(\.id) == [second])
                let taken = try await client.api(.post, "/api/parked/\(second)/retrieve", token: DeskHarness.annToken)
                #expect(taken.status == .ok)
            }
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func anAgentOnAnotherCallCannotRetrieveUntilItEnds(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            let twilio = RecordingRedirector(legs: DeskHarness.legs)
            try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
                try await ParkingAPITests.answered("CAp", store: store, client: client)
                let id = try await ParkingAPITests.park("CAp", client: client)
                // Bob answers another caller.
                try await store.recordRinging(DeskHarness.ringing("CAbusy", agents: [DeskHarness.bob]))
                #expect(try await client.api(.post, "/api/calls/CAbusy/claim", token: DeskHarness.bobToken).status == .ok)

                let refused = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: "CAbobleg", client: client)
                #expect(refused.status == .conflict)
                let body = try DeskHarness.object(refused)
                #expect(body["error"] as? String == "agent_busy")
                #expect(body["currentCallSid"] as? String == "CAbusy")
                #expect(body["message"] as? String == "You are on call CAbusy, so you cannot retrieve a parked call.")
                #expect(body["hint"] as? String == "End or park that call first.")
                // Nothing changed: no redirect of Bob's leg, the caller still waits, Bob is still on his call.
                #expect(await twilio.redirects.map(\.callSid) == ["CAp"])
                let list = try DeskHarness.object(try await client.api(.get, "/api/parked", token: DeskHarness.annToken))
                #expect((list["parked"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])
                #expect(try await Self.bob(store).currentCallSid == "CAbusy")

                // Once his call ends, he retrieves it and is on it.
                try await store.endCall("CAbusy", at: Date(), wrapUpSeconds: 0)
                let retrieved = try await client.api(.post, "/api/parked/\(id)/retrieve", token: DeskHarness.bobToken)
                #expect(retrieved.status == .ok)
                #expect(try await Self.bob(store).currentCallSid == "CAp")
            }
            #expect(try await store.ringEvents(forCall: "CAp", in: "acme").map(\.kind) == [.answered, .parked, .retrieved])
        }
    }

    @Test func theRetrieverIsFreedOverRealLoopback() async throws {
        let store = InMemoryCallStore()
        try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.live) { client in
            let id = try await Self.retrievedByBob("CAlive", store: store, client: client)
            #expect(try await Self.bob(store).currentCallSid == "CAlive")
            let status = try await client.twilio("/twilio/park-status?tenant=acme&parked=\(id)", ["CallSid": "CAlive", "QueueResult": "bridged"])
            #expect(status.status == .ok)
            #expect(try await Self.bob(store).currentCallSid == nil)
        }
    }
}

extension RetrievalOutcome {
    /// Whether this is ``retrieved(_:)``.
    var retrieves: Bool {
        if case .retrieved = self { return true }
        return false
    }
}
