import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardCore
import SwitchboardTwilioREST
import SwitchboardWebhooks
import Testing

/// Parking a live call, its park slot on Twilio's side, retrieval, hang-ups and the park timeout.
@Suite struct ParkingAPITests {
    static let declaration = #"<?xml version="1.0" encoding="UTF-8"?>"#

    /// Ann answers `callSid` through the API, so she is on it.
    static func answered(_ callSid: String, store: some DeskStore, client: some TestClientProtocol) async throws {
        try await store.recordRinging(DeskHarness.ringing(callSid, agents: [DeskHarness.ann, DeskHarness.bob]))
        let claim = try await client.api(.post, "/api/calls/\(callSid)/claim", token: DeskHarness.annToken)
        #expect(claim.status == .ok)
    }

    /// The parked call's id in the URL a park redirected the caller to.
    static func parkedID(in url: String) -> String? {
        URLComponents(string: url)?.queryItems?.first { $0.name == "parked" }?.value
    }

    static func park(_ callSid: String, client: some TestClientProtocol) async throws -> String {
        let response = try await client.api(.post, "/api/calls/\(callSid)/park", token: DeskHarness.annToken)
        #expect(response.status == .ok)
        return try #require(try DeskHarness.object(response)["id"] as? String)
    }

    /// Retrieves parked call `id` as the holder of `token`, asking for the agent's live call `agentCallSid`
    /// to be redirected to it.
    static func retrieve(
        _ id: String,
        token: String,
        redirecting agentCallSid: String,
        again: Bool = false,
        client: some TestClientProtocol
    ) async throws -> TestResponse {
        let json = again ? #"{"agentCallSid":"\#(agentCallSid)","redirectAgain":true}"# : #"{"agentCallSid":"\#(agentCallSid)"}"#
        return try await client.api(.post, "/api/parked/\(id)/retrieve", token: token, json: json)
    }

    @Test(arguments: StoreUnderTest.all)
    func parkingRedirectsTheCallToItsSlotAndListsIt(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            let twilio = RecordingRedirector()
            try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
                try await Self.answered("CApark", store: store, client: client)
                let notMine = try await client.api(.post, "/api/calls/CApark/park", token: DeskHarness.bobToken)
                #expect(notMine.status == .conflict)
                #expect(try DeskHarness.errorCode(notMine) == "not_on_call")

                let response = try await client.api(.post, "/api/calls/CApark/park", token: DeskHarness.annToken)
                #expect(response.status == .ok)
                let parked = try DeskHarness.object(response)
                let id = try #require(parked["id"] as? String)
                #expect(parked["slot"] as? String == "park_CApark")
                #expect(parked["parkedBy"] as? String == DeskHarness.ann)
                let redirects = await twilio.redirects
                #expect(redirects.map(\.callSid) == ["CApark"])
                #expect(redirects.first?.url == "https://switchboard.example.com/twilio/park?tenant=acme&parked=\(id)")

                let list = try DeskHarness.object(try await client.api(.get, "/api/parked", token: DeskHarness.bobToken))
                let ids = (list["parked"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                #expect(ids == [id])
                let others = try DeskHarness.object(try await client.api(.get, "/api/parked", token: DeskHarness.eveToken))
                #expect((others["parked"] as? [Any])?.isEmpty == true)
            }
            // The parker left the call (wrap-up), and the event says parked.
            #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == nil)
            #expect(try await store.ringEvents(forCall: "CApark", in: "acme").map(\.kind) == [.answered, .parked])
        }
    }

    @Test func theParkRouteEnqueuesWithHoldMusicAndTimesOut() async throws {
        try await DeskHarness.app(store: InMemoryCallStore(), desk: DeskHarness.desk(parkTimeoutSeconds: 90)).test(.router) { client in
            let park = try await client.twilio("/twilio/park?tenant=acme&parked=p1", ["CallSid": "CAq", "AccountSid": "AC1"])
            #expect(park.status == .ok)
            #expect(park.headers[.contentType] == "text/xml; charset=utf-8")
            #expect(
                String(buffer: park.body)
                    == Self.declaration
                    + #"<Response><Enqueue action="https://switchboard.example.com/twilio/park-status?tenant=acme&amp;parked=p1" method="POST" waitUrl="https://switchboard.example.com/twilio/park-wait?tenant=acme&amp;parked=p1" waitUrlMethod="POST">park_CAq</Enqueue></Response>"#
            )
            let waiting = try await client.twilio("/twilio/park-wait?tenant=acme&parked=p1", ["CallSid": "CAq", "QueueTime": "89"])
            #expect(String(buffer: waiting.body) == Self.declaration + "<Response><Play>https://music.example.com/hold.mp3</Play></Response>")
            let timedOut = try await client.twilio("/twilio/park-wait?tenant=acme&parked=p1", ["CallSid": "CAq", "QueueTime": "90"])
            #expect(String(buffer: timedOut.body) == Self.declaration + "<Response><Leave /></Response>")
        }
    }

    @Test func parkRoutesRefuseUnsignedRequests() async throws {
        try await DeskHarness.app(store: InMemoryCallStore()).test(.router) { client in
            let form: FormParameters = ["CallSid": "CAq"]
            var headers = DeskHarness.signed("/twilio/park", form)
            headers[HTTPField.Name("X-Twilio-Signature")!] = "bad"
            let forged = try await client.execute(uri: "/twilio/park", method: .post, headers: headers, body: ByteBuffer(string: form.encoded()))
            #expect(forged.status == .forbidden)
            let unsigned = try await client.execute(
                uri: "/twilio/park-status",
                method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: form.encoded())
            )
            #expect(unsigned.status == .forbidden)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func onlyOneAgentRetrievesAParkedCall(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            let twilio = RecordingRedirector(legs: DeskHarness.legs)
            try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
                try await Self.answered("CAret", store: store, client: client)
                let id = try await Self.park("CAret", client: client)
                let won = try await Self.retrieve(id, token: DeskHarness.bobToken, redirecting: "CAbobleg", client: client)
                #expect(won.status == .ok)
                let body = try DeskHarness.object(won)
                let url = "https://switchboard.example.com/twilio/retrieve?tenant=acme&parked=\(id)"
                #expect(body["twimlURL"] as? String == url)
                #expect(body["redirected"] as? Bool == true)
                #expect((body["parked"] as? [String: Any])?["retrievedBy"] as? String == DeskHarness.bob)
                #expect(await twilio.redirects.last?.callSid == "CAbobleg")
                #expect(await twilio.redirects.last?.url == url)

                let lost = try await client.api(.post, "/api/parked/\(id)/retrieve", token: DeskHarness.annToken)
                #expect(lost.status == .conflict)
                #expect(try DeskHarness.object(lost)["retrievedBy"] as? String == DeskHarness.bob)
                #expect(try DeskHarness.errorCode(lost) == "already_retrieved")

                // Twilio fetches the retrieving agent's TwiML: the call's own queue.
                let path = "/twilio/retrieve?tenant=acme&parked=\(id)"
                let dial = try await client.twilio(path, ["CallSid": "CAbobleg", "From": "client:\(DeskHarness.bob)"])
                #expect(String(buffer: dial.body) == Self.declaration + "<Response><Dial><Queue>park_CAret</Queue></Dial></Response>")
                let wrongAgent = try await client.twilio(path, ["CallSid": "CAannleg", "From": "client:\(DeskHarness.ann)"])
                #expect(String(buffer: wrongAgent.body).contains("<Hangup />"))
                let list = try DeskHarness.object(try await client.api(.get, "/api/parked", token: DeskHarness.annToken))
                #expect((list["parked"] as? [Any])?.isEmpty == true)
                let unknown = try await client.api(.post, "/api/parked/00000000-0000-4000-8000-000000000000/retrieve", token: DeskHarness.annToken)
                #expect(unknown.status == .notFound)
                #expect(try DeskHarness.errorCode(unknown) == "parked_call_not_found")
                let otherTenant = try await client.api(.post, "/api/parked/\(id)/retrieve", token: DeskHarness.eveToken)
                #expect(otherTenant.status == .notFound)
            }
            #expect(try await store.ringEvents(forCall: "CAret", in: "acme").map(\.kind) == [.answered, .parked, .retrieved])
        }
    }

    /// Ann parks and takes the call back herself before Twilio reports the end of her first leg and of
    /// the dial (both ended as she parked): neither late report may take her off the call she is talking
    /// on. The park slot's end does.
    @Test(arguments: StoreUnderTest.all)
    func aParkersFirstLegsLateEndLeavesHerOnTheCallSheTookBack(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            let twilio = RecordingRedirector(legs: DeskHarness.legs)
            try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
                try await Self.answered("CAself", store: store, client: client)
                let id = try await Self.park("CAself", client: client)
                #expect(try await Self.retrieve(id, token: DeskHarness.annToken, redirecting: "CAannleg", client: client).status == .ok)
                let late: FormParameters = [
                    "AccountSid": "AC1", "CallSid": "CAannring", "ParentCallSid": "CAself", "CallStatus": "completed",
                    "To": "client:\(DeskHarness.ann)", "From": "+14155551234", "Direction": "outbound-dial", "CallDuration": "12",
                ]
                let reply = try await client.twilio("/twilio/client-status?tenant=acme", late)
                #expect(reply.status == .ok)
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == "CAself")
                let dialEnd: FormParameters = [
                    "AccountSid": "AC1", "CallSid": "CAself", "From": "+14155551234", "To": "+15005550006", "DialCallStatus": "completed",
                    "DialCallSid": "CAannring", "DialBridged": "true",
                ]
                let dialReply = try await client.twilio("/twilio/dial-status?tenant=acme", dialEnd)
                #expect(String(buffer: dialReply.body).contains("<Hangup />"))
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == "CAself")
                // The caller leaves the slot bridged to her: that ends her part.
                let bridged: FormParameters = ["AccountSid": "AC1", "CallSid": "CAself", "QueueResult": "bridged"]
                #expect(try await client.twilio("/twilio/park-status?tenant=acme&parked=\(id)", bridged).status == .ok)
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == nil)
            }
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func aCallerWhoHangsUpWhileParkedLeavesTheList(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.router) { client in
                try await Self.answered("CAgone", store: store, client: client)
                let id = try await Self.park("CAgone", client: client)
                let status = try await client.twilio(
                    "/twilio/park-status?tenant=acme&parked=\(id)",
                    ["CallSid": "CAgone", "QueueResult": "hangup", "QueueTime": "12"]
                )
                #expect(String(buffer: status.body) == Self.declaration + "<Response />")
                let list = try DeskHarness.object(try await client.api(.get, "/api/parked", token: DeskHarness.annToken))
                #expect((list["parked"] as? [Any])?.isEmpty == true)
                let late = try await client.api(.post, "/api/parked/\(id)/retrieve", token: DeskHarness.bobToken)
                #expect(late.status == .conflict)
                #expect(try DeskHarness.errorCode(late) == "park_ended")
            }
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func aParkThatTimesOutRingsTheParkerAgainThenVoicemail(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.router) { client in
                try await Self.answered("CAlong", store: store, client: client)
                let id = try await Self.park("CAlong", client: client)
                let status = try await client.twilio(
                    "/twilio/park-status?tenant=acme&parked=\(id)",
                    ["CallSid": "CAlong", "QueueResult": "leave", "QueueTime": "120"]
                )
                let expected =
                    Self.declaration
                    + #"<Response><Dial action="https://switchboard.example.com/twilio/dial-status?tenant=acme" answerOnBridge="true" method="POST" timeout="20">"#
                    + #"<Client statusCallback="https://switchboard.example.com/twilio/client-status?tenant=acme" statusCallbackEvent="ringing answered completed" statusCallbackMethod="POST" url="https://switchboard.example.com/twilio/recall?tenant=acme&amp;parked=\#(id)">"#
                    + DeskHarness.ann + "</Client></Dial></Response>"
                #expect(String(buffer: status.body) == expected)
                let list = try DeskHarness.object(try await client.api(.get, "/api/parked", token: DeskHarness.annToken))
                #expect((list["parked"] as? [Any])?.isEmpty == true)
                // The park ended Ann's part in the call: until she answers the ring-back she is free.
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == nil)
                let leg: FormParameters = [
                    "CallSid": "CAannleg", "ParentCallSid": "CAlong", "AccountSid": "AC1", "From": "+14155551234",
                    "To": "client:\(DeskHarness.ann)", "CallStatus": "in-progress", "Direction": "outbound-api",
                ]
                let recalled = try await client.twilio("/twilio/recall?tenant=acme&parked=\(id)", leg)
                #expect(String(buffer: recalled.body) == Self.declaration + "<Response />")
                // Answering puts her back on the call, so she is not rung for new ones while she talks.
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == "CAlong")
                #expect(!(try await store.availableAgents(in: "acme", at: Date(), limit: 10).map(\.identity).contains(DeskHarness.ann)))
                // Bob's phone cannot take her ring-back.
                var bobLeg = leg
                bobLeg.pairs[4].value = "client:\(DeskHarness.bob)"
                _ = try await client.api(.get, "/api/agents/me", token: DeskHarness.bobToken)
                let notHis = try await client.twilio("/twilio/recall?tenant=acme&parked=\(id)", bobLeg)
                #expect(String(buffer: notHis.body).contains("<Hangup />"))
                // The dial's action when the conversation ends frees her.
                let ended = try await client.twilio(
                    "/twilio/dial-status",
                    [
                        "CallSid": "CAlong", "AccountSid": "AC1", "From": "+14155551234", "To": "+15005550006", "CallStatus": "in-progress",
                        "Direction": "inbound", "DialCallStatus": "completed", "DialCallSid": "CAannleg",
                    ]
                )
                #expect(String(buffer: ended.body).contains("<Hangup />"))
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == nil)
                // A queue failure sends the caller to voicemail.
                let failed = try await client.twilio("/twilio/park-status", ["CallSid": "CAunknown", "QueueResult": "system-error"])
                #expect(String(buffer: failed.body).contains("<Record "))
            }
        }
    }

    /// A timeout whose callback names a park the store does not know (or one of another call) ends the
    /// call's waiting park all the same, and rings its parker again, as a callback that names none does.
    @Test(arguments: StoreUnderTest.all)
    func aTimeoutNamingAnUnknownParkEndsTheCallsWaitingPark(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.router) { client in
                try await Self.answered("CAlost", store: store, client: client)
                let id = try await Self.park("CAlost", client: client)
                let status = try await client.twilio(
                    "/twilio/park-status?tenant=acme&parked=\(UUID().uuidString.lowercased())",
                    ["CallSid": "CAlost", "QueueResult": "leave", "QueueTime": "120"]
                )
                #expect(String(buffer: status.body).contains("/twilio/recall?tenant=acme&amp;parked=\(id)"))
                #expect(try await store.parkedCall(id: id, in: "acme").endedAt != nil)
                #expect(try await store.parkedCalls(in: "acme").isEmpty)

                // A callback naming another call's park ends this call's waiting park, not that one.
                try await Self.answered("CAmine", store: store, client: client)
                let mine = try await Self.park("CAmine", client: client)
                try await Self.answered("CAtheirs", store: store, client: client)
                let theirs = try await Self.park("CAtheirs", client: client)
                let crossed = try await client.twilio(
                    "/twilio/park-status?tenant=acme&parked=\(theirs)",
                    ["CallSid": "CAmine", "QueueResult": "leave", "QueueTime": "120"]
                )
                #expect(String(buffer: crossed.body).contains("/twilio/recall?tenant=acme&amp;parked=\(mine)"))
                #expect(try await store.parkedCalls(in: "acme").map(\.id) == [theirs])
            }
        }
    }

    /// The store still shows the parker on the call when the park times out (neither the park nor the
    /// caller's arrival could record the end of her part): the caller was in the slot, not with her, so
    /// her part ends, and the ring-back still rings her and puts her back on the call when she answers.
    @Test(arguments: StoreUnderTest.all)
    func aParkerTheStoreStillShowsOnTheCallIsOffItAtTheTimeoutUntilSheAnswersTheRingBack(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.router) { client in
                try await Self.answered("CAstay", store: store, client: client)
                let parked = try await store.parkCall("CAstay", tenant: "acme", slot: "park_CAstay", parkedBy: DeskHarness.ann, at: Date())
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == "CAstay")
                let status = try await client.twilio(
                    "/twilio/park-status?tenant=acme&parked=\(parked.id)",
                    ["CallSid": "CAstay", "QueueResult": "leave", "QueueTime": "120"]
                )
                #expect(String(buffer: status.body).contains("/twilio/recall?tenant=acme&amp;parked=\(parked.id)"))
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == nil)
                let leg: FormParameters = [
                    "CallSid": "CAannleg", "ParentCallSid": "CAstay", "AccountSid": "AC1", "From": "+14155551234",
                    "To": "client:\(DeskHarness.ann)", "CallStatus": "in-progress", "Direction": "outbound-api",
                ]
                let recalled = try await client.twilio("/twilio/recall?tenant=acme&parked=\(parked.id)", leg)
                #expect(String(buffer: recalled.body) == Self.declaration + "<Response />")
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == "CAstay")
            }
        }
    }

    /// The parker picks up the park's ring-back while on another call: told so, the leg hangs up, and
    /// Twilio ends the ring-back's dial completed but never bridged, so the caller leaves a message
    /// instead of being hung up on. The parker stays on the other call.
    @Test(arguments: StoreUnderTest.all)
    func aRingBackTheParkerCannotTakeSendsTheCallerToVoicemail(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.router) { client in
                try await Self.answered("CAbusy", store: store, client: client)
                let id = try await Self.park("CAbusy", client: client)
                try await store.recordRinging(DeskHarness.ringing("CAother", agents: [DeskHarness.ann]))
                #expect(try await client.api(.post, "/api/calls/CAother/claim", token: DeskHarness.annToken).status == .ok)
                let status = try await client.twilio(
                    "/twilio/park-status?tenant=acme&parked=\(id)",
                    ["CallSid": "CAbusy", "QueueResult": "leave", "QueueTime": "120"]
                )
                #expect(String(buffer: status.body).contains("/twilio/recall"))
                let leg: FormParameters = [
                    "CallSid": "CAannleg", "ParentCallSid": "CAbusy", "AccountSid": "AC1", "From": "+14155551234",
                    "To": "client:\(DeskHarness.ann)", "CallStatus": "in-progress", "Direction": "outbound-api",
                ]
                let recalled = try await client.twilio("/twilio/recall?tenant=acme&parked=\(id)", leg)
                #expect(String(buffer: recalled.body).contains("<Hangup />"))
                let ended = try await client.twilio(
                    "/twilio/dial-status?tenant=acme",
                    [
                        "CallSid": "CAbusy", "AccountSid": "AC1", "From": "+14155551234", "To": "+15005550006", "CallStatus": "in-progress",
                        "Direction": "inbound", "DialCallStatus": "completed", "DialCallSid": "CAannleg", "DialBridged": "false",
                    ]
                )
                #expect(String(buffer: ended.body).contains("<Record "))
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == "CAother")
            }
        }
    }

    /// The store wrote Ann's park but her request timed out before hearing so (a lost response): the
    /// caller never left for the slot and Ann is still on the call. Parking again goes on with that park
    /// instead of answering 409 already_parked for good.
    @Test(arguments: StoreUnderTest.all)
    func parkingAgainAParkWhoseAnswerWasLostGoesOnWithIt(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            let twilio = RecordingRedirector()
            try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
                try await Self.answered("CAlostpark", store: store, client: client)
                let slot = "park_CAlostpark"
                // Written 30 s ago: longer than any park request takes, so no request is still under way. (Its
                // time is before Ann's claim, as with an instance whose clock is behind: Ann still leaves the call.)
                let lost = try await store.parkCall("CAlostpark", tenant: "acme", slot: slot, parkedBy: DeskHarness.ann, at: Date() - 30)
                #expect(await twilio.redirects.isEmpty)
                let again = try await client.api(.post, "/api/calls/CAlostpark/park", token: DeskHarness.annToken)
                #expect(again.status == .ok)
                #expect(try DeskHarness.object(again)["id"] as? String == lost.id)
                #expect(await twilio.redirects.map(\.url) == ["https://switchboard.example.com/twilio/park?tenant=acme&parked=\(lost.id)"])
                #expect(try await store.parkedCalls(in: "acme").map(\.id) == [lost.id])
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == nil)
                // Once the park went on, a second park of the waiting call is a conflict as before.
                #expect(try await client.api(.post, "/api/calls/CAlostpark/park", token: DeskHarness.annToken).status == .conflict)
            }
        }
    }

    /// A park written a moment ago that has not gone on may be another request still under way (a
    /// double click on Park): a second request answers 409 already_parked and leaves the caller alone,
    /// where it used to redirect the caller a second time.
    @Test(arguments: StoreUnderTest.all)
    func aSecondParkWhileTheFirstIsUnderWayDoesNotMoveTheCallerAgain(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            let twilio = RecordingRedirector()
            try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
                try await Self.answered("CAdouble", store: store, client: client)
                // The first request has written its park and is redirecting the caller now.
                _ = try await store.parkCall("CAdouble", tenant: "acme", slot: "park_CAdouble", parkedBy: DeskHarness.ann, at: Date())
                let second = try await client.api(.post, "/api/calls/CAdouble/park", token: DeskHarness.annToken)
                #expect(second.status == .conflict)
                let body = try DeskHarness.object(second)
                #expect(body["error"] as? String == "already_parked")
                #expect((body["hint"] as? String)?.contains("under way") == true)
                #expect(await twilio.redirects.isEmpty)
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == "CAdouble")
            }
        }
    }

    /// A park whose caller never reached the slot (the caller hung up on the way, which Twilio reports
    /// to nobody) is over once the grace for the arrival has passed: the list leaves it out, and a
    /// retrieval ends it and answers 409 park_ended instead of putting the agent on an empty slot. A
    /// fresh park whose caller has not arrived yet stays listed.
    @Test(arguments: StoreUnderTest.all)
    func aParkWhoseCallerNeverArrivedIsOverAfterTheGrace(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            let twilio = RecordingRedirector()
            try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
                _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken)
                _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.bobToken)
                let old = Date().addingTimeInterval(-130)  // The documented grace is 120 s.
                let lost = try await store.parkCall("CAlost", tenant: "acme", slot: "park_CAlost", parkedBy: DeskHarness.ann, at: old)
                let fresh = try await store.parkCall("CAfresh", tenant: "acme", slot: "park_CAfresh", parkedBy: DeskHarness.ann, at: Date())
                let listed = try DeskHarness.object(try await client.api(.get, "/api/parked", token: DeskHarness.bobToken))
                #expect((listed["parked"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [fresh.id])

                let retrieval = try await client.api(.post, "/api/parked/\(lost.id)/retrieve", token: DeskHarness.bobToken, json: "{}")
                #expect(retrieval.status == .conflict)
                #expect(try DeskHarness.errorCode(retrieval) == "park_ended")
                #expect(try await store.parkedCall(id: lost.id, in: "acme").endedAt != nil, "the park was withdrawn")
                #expect(try await store.parkedCalls(in: "acme").map(\.id) == [fresh.id])
                #expect(try await store.agent(identity: DeskHarness.bob, in: "acme").currentCallSid == nil)
                #expect(await twilio.redirects.isEmpty)

                // Had the caller been in the slot after all (its arrival unrecorded), the hold music brings the park back.
                _ = try await client.twilio("/twilio/park-wait?tenant=acme&parked=\(lost.id)", ["CallSid": "CAlost", "QueueTime": "130"])
                let restored = try DeskHarness.object(try await client.api(.get, "/api/parked", token: DeskHarness.bobToken))
                #expect((restored["parked"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [lost.id, fresh.id])
            }
        }
    }

    /// A park retrieved before its caller arrived, whose caller never did: once the grace has passed, the
    /// next retrieval attempt (the retriever's repeat, or another agent's) frees the retriever, who would
    /// otherwise stay "on the call" for good, and ends the park. A retriever whose leg reached the slot
    /// keeps the call.
    @Test(arguments: StoreUnderTest.all)
    func aRetrieverOfACallerWhoNeverArrivedIsFreed(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.router) { client in
                _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken)
                _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.bobToken)
                _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.supToken)
                let old = Date().addingTimeInterval(-130)  // The documented grace is 120 s.
                let lost = try await store.parkCall("CAgone1", tenant: "acme", slot: "park_CAgone1", parkedBy: DeskHarness.ann, at: old)
                let reached = try await store.parkCall("CAgone2", tenant: "acme", slot: "park_CAgone2", parkedBy: DeskHarness.ann, at: old)
                // Bob retrieved the first right away; his leg never came, and neither did the caller.
                let early = old.addingTimeInterval(1)
                #expect(try await store.retrieveParkedCall(id: lost.id, tenant: "acme", agentIdentity: DeskHarness.bob, at: early) != .ended)
                #expect(try await store.agent(identity: DeskHarness.bob, in: "acme").currentCallSid == "CAgone1")

                let repeatByBob = try await client.api(.post, "/api/parked/\(lost.id)/retrieve", token: DeskHarness.bobToken, json: "{}")
                #expect(repeatByBob.status == .conflict)
                #expect(try DeskHarness.errorCode(repeatByBob) == "park_ended")
                #expect(try await store.agent(identity: DeskHarness.bob, in: "acme").currentCallSid == nil)
                #expect(try await store.parkedCall(id: lost.id, in: "acme").endedAt != nil)

                // A retrieval made moments ago is not taken for an unreached one: its leg may be on the way.
                let recent = try await store.parkCall("CAgone3", tenant: "acme", slot: "park_CAgone3", parkedBy: DeskHarness.ann, at: old)
                #expect(try await store.retrieveParkedCall(id: recent.id, tenant: "acme", agentIdentity: DeskHarness.sup, at: Date()) != .ended)
                let byBobRecent = try await client.api(.post, "/api/parked/\(recent.id)/retrieve", token: DeskHarness.bobToken, json: "{}")
                #expect(try DeskHarness.errorCode(byBobRecent) == "already_retrieved")
                #expect(try await store.agent(identity: DeskHarness.sup, in: "acme").currentCallSid == "CAgone3")

                // Ann retrieved the second and her leg reached the slot: she keeps it.
                #expect(try await store.retrieveParkedCall(id: reached.id, tenant: "acme", agentIdentity: DeskHarness.ann, at: early) != .ended)
                #expect(try await store.confirmRetrieverArrival(id: reached.id, tenant: "acme", agentIdentity: DeskHarness.ann, at: early))
                let byBob = try await client.api(.post, "/api/parked/\(reached.id)/retrieve", token: DeskHarness.bobToken, json: "{}")
                #expect(try DeskHarness.errorCode(byBob) == "already_retrieved")
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == "CAgone2")
            }
        }
    }

    /// An old park the parker still holds (its redirect on the way, after a re-park of a park whose first
    /// request never finished) is not taken for a lost caller: its retrieval is 409 park_in_progress.
    @Test(arguments: StoreUnderTest.all)
    func anOldParkStillHeldByItsParkerIsInProgressNotEnded(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.router) { client in
                _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.bobToken)
                try await Self.answered("CAheldold", store: store, client: client)
                let old = Date().addingTimeInterval(-130)  // The documented grace is 120 s.
                let parked = try await store.parkCall("CAheldold", tenant: "acme", slot: "park_CAheldold", parkedBy: DeskHarness.ann, at: old)
                let retrieval = try await client.api(.post, "/api/parked/\(parked.id)/retrieve", token: DeskHarness.bobToken, json: "{}")
                #expect(retrieval.status == .conflict)
                #expect(try DeskHarness.errorCode(retrieval) == "park_in_progress")
                #expect(try await store.parkedCall(id: parked.id, in: "acme").isWaiting)
            }
        }
    }

    @Test func parkingNeedsTwilio() async throws {
        let store = InMemoryCallStore()
        try await DeskHarness.app(store: store, redirector: nil).test(.router) { client in
            try await Self.answered("CAnt", store: store, client: client)
            let response = try await client.api(.post, "/api/calls/CAnt/park", token: DeskHarness.annToken)
            #expect(response.status == .serviceUnavailable)
            #expect(try DeskHarness.errorCode(response) == "twilio_not_configured")
        }
        #expect(try await store.parkedCalls(in: "acme").isEmpty)
    }

    @Test func aFailedRedirectLeavesNothingParked() async throws {
        let store = InMemoryCallStore()
        let twilio = RecordingRedirector(failure: .init(status: 401, message: "Authenticate"))
        try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
            try await Self.answered("CAbad", store: store, client: client)
            let response = try await client.api(.post, "/api/calls/CAbad/park", token: DeskHarness.annToken)
            #expect(response.status == .badGateway)
            #expect(try DeskHarness.errorCode(response) == "twilio_failed")
        }
        #expect(try await store.parkedCalls(in: "acme").isEmpty)
        #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == "CAbad")
    }

    static let withdrawnHint =
        "The park was withdrawn. If Twilio did move the caller, the park comes back when the caller reaches the slot; "
        + "if you are still talking to the caller, park the call again."

    /// A park whose redirect may have happened is withdrawn, and the answer says the outcome is unknown,
    /// with what the agent should do either way.
    @Test func aParkWhoseRedirectMayHaveHappenedSaysSo() async throws {
        let store = InMemoryCallStore()
        let twilio = RecordingRedirector(failure: .init(status: nil, message: "timed out: 5 s", mayHaveBeenApplied: true))
        try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
            try await Self.answered("CAtimeout", store: store, client: client)
            let response = try await client.api(.post, "/api/calls/CAtimeout/park", token: DeskHarness.annToken)
            #expect(response.status == .gatewayTimeout)
            let body = try DeskHarness.object(response)
            #expect(body["error"] as? String == "twilio_outcome_unknown")
            #expect(body["hint"] as? String == Self.withdrawnHint)
        }
        #expect(try await store.parkedCalls(in: "acme").isEmpty)
        #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == "CAtimeout")
    }

    /// Twilio moved the caller, but its answer to the redirect was lost, so the park was withdrawn: the
    /// caller's arrival in the slot restores it, takes the parker off the call, and any agent can
    /// retrieve the call, instead of the caller waiting in a slot nobody may retrieve.
    @Test(arguments: StoreUnderTest.all)
    func aWithdrawnParkComesBackWhenTheCallerReachesTheSlot(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            let twilio = RecordingRedirector(lostAnswer: .init(status: nil, message: "timed out: 5 s", mayHaveBeenApplied: true))
            try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
                try await Self.answered("CAlost", store: store, client: client)
                let response = try await client.api(.post, "/api/calls/CAlost/park", token: DeskHarness.annToken)
                #expect(response.status == .gatewayTimeout)
                #expect(try DeskHarness.object(response)["hint"] as? String == Self.withdrawnHint)
                #expect(try await store.parkedCalls(in: "acme").isEmpty)
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == "CAlost")
                let url = try #require(await twilio.redirects.first?.url)
                let pathAndQuery = String(url.dropFirst("https://switchboard.example.com".count))
                let id = try #require(Self.parkedID(in: url))

                // Twilio requests the park slot's TwiML for the caller it did move.
                let arrival = try await client.twilio(pathAndQuery, ["CallSid": "CAlost"])
                #expect(arrival.status == .ok)
                #expect(String(buffer: arrival.body).contains("<Enqueue "))
                let waiting = try await store.parkedCalls(in: "acme")
                #expect(waiting.map(\.id) == [id])
                #expect(waiting.first?.endedAt == nil)
                #expect(waiting.first?.arrivedAt != nil)
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == nil)
                let events = try await store.ringEvents(forCall: "CAlost", in: "acme")
                #expect(events.contains { $0.kind == .parked && $0.agentIdentity == DeskHarness.ann && $0.detail == id })
                let listed = try DeskHarness.object(try await client.api(.get, "/api/parked", token: DeskHarness.bobToken))
                #expect((listed["parked"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])

                let retrieved = try await client.api(.post, "/api/parked/\(id)/retrieve", token: DeskHarness.bobToken)
                #expect(retrieved.status == .ok)
                // A second request for the same arrival changes nothing.
                #expect(try await client.twilio(pathAndQuery, ["CallSid": "CAlost"]).status == .ok)
                #expect(try await store.parkedCall(id: id, in: "acme").retrievedBy == DeskHarness.bob)
            }
        }
    }

    /// The caller's arrival could not be recorded at `/twilio/park` (here it never came), so the park was
    /// withdrawn; the hold music's requests, which Twilio makes while the caller waits, record it and
    /// restore the park.
    @Test(arguments: StoreUnderTest.all)
    func theHoldMusicRequestsRestoreAWithdrawnParkToo(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            let twilio = RecordingRedirector(lostAnswer: .init(status: 502, message: "Bad Gateway", mayHaveBeenApplied: true))
            try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
                try await Self.answered("CAwait", store: store, client: client)
                let response = try await client.api(.post, "/api/calls/CAwait/park", token: DeskHarness.annToken)
                #expect(response.status == .gatewayTimeout)
                #expect(try await store.parkedCalls(in: "acme").isEmpty)
                let url = try #require(await twilio.redirects.first?.url)
                let id = try #require(Self.parkedID(in: url))

                let wait = try await client.twilio("/twilio/park-wait?tenant=acme&parked=\(id)", ["CallSid": "CAwait", "QueueTime": "5"])
                #expect(String(buffer: wait.body).contains("<Play>"))
                #expect(try await store.parkedCalls(in: "acme").map(\.id) == [id])
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == nil)
                #expect(try await client.api(.post, "/api/parked/\(id)/retrieve", token: DeskHarness.bobToken).status == .ok)
                // Later hold music leaves the retriever on the call.
                _ = try await client.twilio("/twilio/park-wait?tenant=acme&parked=\(id)", ["CallSid": "CAwait", "QueueTime": "35"])
                #expect(try await store.agent(identity: DeskHarness.bob, in: "acme").currentCallSid == "CAwait")
            }
        }
    }

    /// The caller reaches the slot while Twilio's answer to the redirect is still on its way, and that
    /// answer is then lost: the park stands, and the agent is told it parked the call.
    @Test(arguments: StoreUnderTest.all)
    func aParkWhoseCallerArrivedBeforeTheAnswerWasLostStands(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            let arrive = ArrivalRelay()
            let twilio = RecordingRedirector(lostAnswer: .init(status: 500, message: "Twilio 500", mayHaveBeenApplied: true)) { _, url in
                await arrive.run(String(url.dropFirst("https://switchboard.example.com".count)))
            }
            try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
                await arrive.set { pathAndQuery in
                    let arrival = try? await client.twilio(pathAndQuery, ["CallSid": "CAearly"])
                    #expect(arrival?.status == .ok)
                }
                try await Self.answered("CAearly", store: store, client: client)
                let response = try await client.api(.post, "/api/calls/CAearly/park", token: DeskHarness.annToken)
                #expect(response.status == .ok)
                let id = try #require(try DeskHarness.object(response)["id"] as? String)
                #expect(await arrive.runs == 1)
                let waiting = try await store.parkedCalls(in: "acme")
                #expect(waiting.map(\.id) == [id])
                #expect(waiting.first?.arrivedAt != nil)
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == nil)
                #expect(try await client.api(.post, "/api/parked/\(id)/retrieve", token: DeskHarness.bobToken).status == .ok)
            }
        }
    }

    @Test func parkingWorksOverRealLoopback() async throws {
        let store = InMemoryCallStore()
        try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.live) { client in
            try await Self.answered("CAlp", store: store, client: client)
            let id = try await Self.park("CAlp", client: client)
            #expect(try await client.api(.get, "/api/parked", token: DeskHarness.bobToken).status == .ok)
            #expect(try await client.twilio("/twilio/park?tenant=acme&parked=\(id)", ["CallSid": "CAlp"]).status == .ok)
            #expect(try await client.api(.post, "/api/parked/\(id)/retrieve", token: DeskHarness.bobToken).status == .ok)
        }
    }
}

/// Lets a redirector, made before the test's client exists, post the caller's arrival through it.
actor ArrivalRelay {
    private var action: (@Sendable (String) async -> Void)?
    private(set) var runs = 0

    func set(_ action: @escaping @Sendable (String) async -> Void) { self.action = action }

    func run(_ pathAndQuery: String) async {
        runs += 1
        await action?(pathAndQuery)
    }
}
