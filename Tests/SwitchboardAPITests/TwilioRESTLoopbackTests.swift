import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardCore
import SwitchboardCurl
import SwitchboardHTTP
import SwitchboardTestSupport
import SwitchboardTwilioREST
import SwitchboardWebhooks
import Testing

/// The Twilio REST client over libcurl against a local server that checks basic auth and the form
/// body, alone and behind the agents' API.
@Suite struct TwilioRESTLoopbackTests {
    /// A client of the fake at `base`, as the account the fake expects unless `authToken` says otherwise.
    static func client(
        base: String,
        authToken: String = FakeTwilio.authToken,
        transport: CurlTransport,
        timeouts: HTTPTimeouts = HTTPTimeouts(total: .seconds(5))
    ) -> TwilioRESTClient<CurlTransport> {
        TwilioRESTClient(
            configuration: TwilioRESTConfiguration(baseURL: base, accountSID: FakeTwilio.accountSID, authToken: authToken),
            transport: transport,
            timeouts: timeouts
        )
    }

    @Test func aRedirectSendsBasicAuthAndTheForm() async throws {
        let twilio = FakeTwilio()
        try await twilio.application().test(.live) { fake in
            let port = try #require(fake.port)
            let transport = CurlTransport()
            let client = Self.client(base: "http://127.0.0.1:\(port)/", transport: transport)
            try await client.redirectCall("CA123", to: "https://switchboard.example.com/twilio/park?tenant=a b&parked=x/y")
            await transport.shutdown()
        }
        let received = await twilio.received
        #expect(
            received == [
                FakeTwilio.Received(
                    account: FakeTwilio.accountSID,
                    call: "CA123",
                    form: ["Url": "https://switchboard.example.com/twilio/park?tenant=a b&parked=x/y", "Method": "POST"],
                    contentType: "application/x-www-form-urlencoded"
                )
            ]
        )
    }

    @Test func aRefusedRedirectIsAnErrorWithTwiliosMessage() async throws {
        let twilio = FakeTwilio()
        try await twilio.application().test(.live) { fake in
            let transport = CurlTransport()
            let client = Self.client(base: "http://127.0.0.1:\(try #require(fake.port))", authToken: "wrong-token", transport: transport)
            let error = await #expect(throws: TwilioRESTError.self) { try await client.redirectCall("CA1", to: "https://x.example.com/") }
            #expect(error?.status == 401)
            #expect(error?.message == "Authenticate (Twilio error 20003)")
            #expect(error?.mayHaveBeenApplied == false)
            await transport.shutdown()
        }
        #expect(await twilio.refused == 1)
        #expect(await twilio.received.isEmpty)
    }

    @Test func noServerIsAnErrorWithoutStatus() async throws {
        let transport = CurlTransport()
        let client = TwilioRESTClient(
            configuration: TwilioRESTConfiguration(baseURL: "http://127.0.0.1:1", accountSID: FakeTwilio.accountSID, authToken: "t"),
            transport: transport
        )
        let error = await #expect(throws: TwilioRESTError.self) { try await client.redirectCall("CA1", to: "https://x.example.com/") }
        #expect(error?.status == nil)
        #expect(error?.mayHaveBeenApplied == false, "nothing listened: the request never reached anyone")
        await transport.shutdown()
    }

    /// Twilio carried the redirect out but answered after the client gave up: the error must not claim
    /// that nothing happened.
    @Test func aRedirectAnsweredTooLateMayHaveBeenApplied() async throws {
        let twilio = FakeTwilio(answerDelay: .seconds(2))
        try await twilio.application().test(.live) { fake in
            let transport = CurlTransport()
            let client = Self.client(
                base: "http://127.0.0.1:\(try #require(fake.port))",
                transport: transport,
                timeouts: HTTPTimeouts(total: .milliseconds(300))
            )
            let error = await #expect(throws: TwilioRESTError.self) { try await client.redirectCall("CA1", to: "https://x.example.com/") }
            #expect(error?.status == nil)
            #expect(error?.mayHaveBeenApplied == true)
            await transport.shutdown()
        }
        #expect(await twilio.received.map(\.call) == ["CA1"])
    }

    @Test func aCallLookupReadsTwiliosCallResource() async throws {
        let twilio = FakeTwilio(calls: ["CAleg": ("client:agent_b", "+15005550006", "in-progress")])
        try await twilio.application().test(.live) { fake in
            let transport = CurlTransport()
            let client = Self.client(base: "http://127.0.0.1:\(try #require(fake.port))", transport: transport)
            let call = try await client.fetchCall("CAleg")
            #expect(call == TwilioCall(sid: "CAleg", from: "client:agent_b", to: "+15005550006", status: "in-progress"))
            let missing = await #expect(throws: TwilioRESTError.self) { try await client.fetchCall("CAnone") }
            #expect(missing?.status == 404)
            let refused = await #expect(throws: TwilioRESTError.self) {
                try await Self.client(base: "http://127.0.0.1:\(try #require(fake.port))", authToken: "wrong", transport: transport).fetchCall(
                    "CAleg"
                )
            }
            #expect(refused?.status == 401)
            await transport.shutdown()
        }
    }

    /// Over real sockets end to end: a retrieval naming another agent's leg is refused after Twilio's
    /// answer to the lookup, and the retriever's own leg is moved.
    @Test func aRetrievalMovesOnlyTheRetrieversLegOverTheWire() async throws {
        let twilio = FakeTwilio(calls: [
            "CAannleg": ("client:\(DeskHarness.ann)", "+15005550006", "in-progress"),
            "CAbobleg": ("client:\(DeskHarness.bob)", "+15005550006", "in-progress"),
        ])
        let store = InMemoryCallStore()
        try await twilio.application().test(.live) { fake in
            let transport = CurlTransport()
            let client = Self.client(base: "http://127.0.0.1:\(try #require(fake.port))", transport: transport)
            try await DeskHarness.app(store: store, redirector: client).test(.live) { api in
                #expect(try await api.api(.get, "/api/agents/me", token: DeskHarness.bobToken).status == .ok)
                try await store.recordRinging(DeskHarness.ringing("CAwire", agents: [DeskHarness.ann]))
                #expect(try await api.api(.post, "/api/calls/CAwire/claim", token: DeskHarness.annToken).status == .ok)
                let parked = try await api.api(.post, "/api/calls/CAwire/park", token: DeskHarness.annToken)
                let id = try #require(try DeskHarness.object(parked)["id"] as? String)
                let refused = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: "CAannleg", client: api)
                #expect(refused.status == .forbidden)
                #expect(try DeskHarness.errorCode(refused) == "not_your_leg")
                let retrieved = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: "CAbobleg", client: api)
                #expect(retrieved.status == .ok)
            }
            await transport.shutdown()
        }
        #expect(await twilio.received.map(\.call) == ["CAwire", "CAbobleg"])
    }

    @Test func theLastDeclineRedirectsTheCallerThroughTwilio() async throws {
        let twilio = FakeTwilio()
        let store = InMemoryCallStore()
        try await store.recordRinging(DeskHarness.ringing("CAe2e", agents: [DeskHarness.ann]))
        try await twilio.application().test(.live) { fake in
            let transport = CurlTransport()
            let client = Self.client(base: "http://127.0.0.1:\(try #require(fake.port))", transport: transport)
            try await DeskHarness.app(store: store, redirector: client).test(.live) { api in
                let response = try await api.api(.post, "/api/calls/CAe2e/decline", token: DeskHarness.annToken)
                #expect(response.status == .ok)
                #expect(try DeskHarness.object(response)["sentToVoicemail"] as? Bool == true)
            }
            await transport.shutdown()
        }
        let received = await twilio.received
        #expect(received.map(\.call) == ["CAe2e"])
        #expect(received.first?.form["Url"] == "https://switchboard.example.com/twilio/desk-voicemail?tenant=acme")
        #expect(received.first?.form["Method"] == "POST")
    }
}

/// The park slot's deletion over real sockets: the server deletes the slot its caller left through
/// Twilio's REST API, and a slot Twilio refuses to delete (a caller entered it again) changes nothing
/// for the callback.
@Suite struct ParkSlotDeletionLoopbackTests {
    static let leftSid = "QU000000000000000000000000000000a1"
    static let heldSid = "QU000000000000000000000000000000b2"

    @Test func theSlotACallerLeftIsDeletedThroughTwilio() async throws {
        let twilio = FakeTwilio(queues: [
            FakeTwilio.Queue(sid: Self.leftSid, name: "park_CAleft"), FakeTwilio.Queue(sid: Self.heldSid, name: "park_CAheld", size: 1),
        ])
        let store = InMemoryCallStore()
        try await twilio.application().test(.live) { fake in
            let transport = CurlTransport()
            let client = TwilioRESTLoopbackTests.client(base: "http://127.0.0.1:\(try #require(fake.port))", transport: transport)
            try await DeskHarness.app(store: store, redirector: client).test(.live) { api in
                for (callSid, queueSid) in [("CAleft", Self.leftSid), ("CAheld", Self.heldSid)] {
                    try await ParkingAPITests.answered(callSid, store: store, client: api)
                    let id = try await ParkingAPITests.park(callSid, client: api)
                    let status = try await api.twilio(
                        "/twilio/park-status?tenant=acme&parked=\(id)",
                        ["CallSid": callSid, "QueueResult": "hangup", "QueueSid": queueSid, "QueueTime": "7"]
                    )
                    #expect(status.status == .ok)
                    #expect(String(buffer: status.body) == #"<?xml version="1.0" encoding="UTF-8"?><Response />"#)
                }
                #expect(await twilio.deleteRequests(awaiting: 2) == [Self.leftSid, Self.heldSid])
            }
            await transport.shutdown()
        }
        #expect(await twilio.queues == [FakeTwilio.Queue(sid: Self.heldSid, name: "park_CAheld", size: 1)])
    }
}
