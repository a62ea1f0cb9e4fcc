import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardCore
import SwitchboardTwilioREST
import SwitchboardWebhooks
import Testing

/// A retrieval moves only the retriever's own live leg: `agentCallSid` comes from the client, and
/// Twilio's account serves every tenant, so any other call it names (a caller's, a colleague's leg,
/// another tenant's call) is refused before Twilio is asked to move it, and `/twilio/retrieve` puts
/// through no leg but the retriever's.
@Suite struct ParkingLegOwnershipTests {
    /// A caller's live call: neither end is an agent's client.
    static let callersCall = TwilioCall(sid: "CAcaller", from: "+14155550200", to: "+15005550007", status: "in-progress")
    /// A call Twilio dialled to Bob's client (To), as a leg of a dial is.
    static let bobsIncomingLeg = TwilioCall(
        sid: "CAbobin",
        from: "+14155550200",
        to: "client:\(DeskHarness.bob)",
        status: "in-progress",
        direction: "outbound-dial"
    )
    /// A call Ann's Voice SDK client placed, naming Bob's client as its `To` (a client picks its own `To`).
    static let annsCallToBob = TwilioCall(sid: "CAannto", from: "client:\(DeskHarness.ann)", to: "client:\(DeskHarness.bob)", status: "in-progress")

    @Test(arguments: StoreUnderTest.all)
    func onlyTheRetrieversOwnLiveLegIsRedirected(store kind: StoreUnderTest) async throws {
        try await ParkingRetrieverTests.withCallParkedByAnn(kind, "CAmine") { store, twilio, client, id in
            await twilio.add(Self.callersCall)
            await twilio.add(Self.bobsIncomingLeg)
            await twilio.add(RecordingRedirector.leg("CAbobover", of: DeskHarness.bob, status: "completed"))
            await twilio.add(Self.annsCallToBob)
            let bobBefore = try await ParkingRetrieverTests.bob(store)
            let parkRedirects = await twilio.redirects.count  // the park's own
            // A caller's call, a colleague's leg, Bob's own leg that is over, and a SID Twilio does not know:
            // one answer for all of them, and nothing moved.
            var messages: [String] = []
            for callSid in ["CAcaller", "CAannleg", "CAbobover", "CAnobody", "CAannto"] {
                let refused = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: callSid, client: client)
                #expect(refused.status == .forbidden, "\(callSid)")
                #expect(try DeskHarness.errorCode(refused) == "not_your_leg", "\(callSid)")
                let message = try #require(try DeskHarness.object(refused)["message"] as? String)
                messages.append(message.replacingOccurrences(of: callSid, with: "SID"))
                // Nothing is on its way to the slot: the retrieval is given back.
                #expect(try await store.parkedCall(id: id, in: "acme").retrievedBy == nil, "\(callSid)")
                #expect(try await ParkingRetrieverTests.bob(store) == bobBefore, "\(callSid)")
            }
            #expect(Set(messages).count == 1, "the answer must not tell a live call from an unknown one: \(messages)")
            #expect(await twilio.redirects.count == parkRedirects)

            // A leg that rang Bob's client is his.
            let retrieved = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: "CAbobin", client: client)
            #expect(retrieved.status == .ok)
            #expect(try DeskHarness.object(retrieved)["redirected"] as? Bool == true)
            #expect(await twilio.redirects.dropFirst(parkRedirects).map(\.callSid) == ["CAbobin"])
            #expect(try await ParkingRetrieverTests.bob(store).currentCallSid == "CAmine")
        }
    }

    /// Twilio cannot be asked about the leg: nothing was moved, so the retrieval is given back and the API
    /// says Twilio failed (502), never that the outcome is unknown.
    @Test(arguments: StoreUnderTest.all)
    func aLegThatCannotBeLookedUpIsNotMoved(store kind: StoreUnderTest) async throws {
        try await ParkingRetrieverTests.withCallParkedByAnn(kind, "CAlookup") { store, twilio, client, id in
            let parkRedirects = await twilio.redirects.count  // the park's own
            await twilio.failLookups(with: .init(status: nil, message: "timed out: 5 s", mayHaveBeenApplied: true))
            let failed = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: "CAbobleg", client: client)
            #expect(failed.status == .badGateway)
            #expect(try DeskHarness.errorCode(failed) == "twilio_failed")
            #expect(await twilio.redirects.count == parkRedirects)
            #expect(try await store.parkedCall(id: id, in: "acme").retrievedBy == nil)

            await twilio.failLookups(with: nil)
            let retrieved = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: "CAbobleg", client: client)
            #expect(retrieved.status == .ok)
            #expect(await twilio.redirects.dropFirst(parkRedirects).map(\.callSid) == ["CAbobleg"])
        }
    }

    /// `/twilio/retrieve` answers `<Dial><Queue>` only to a leg from or to the retriever's client: a
    /// caller's leg, or a colleague's, that reaches the URL is turned away and records no arrival.
    @Test(arguments: StoreUnderTest.all)
    func theRetrieveRoutePutsThroughOnlyTheRetrieversLeg(store kind: StoreUnderTest) async throws {
        try await ParkingRetrieverTests.withCallParkedByAnn(kind, "CAroute") { store, _, client, id in
            #expect(try await client.api(.post, "/api/parked/\(id)/retrieve", token: DeskHarness.bobToken).status == .ok)
            let route = "/twilio/retrieve?tenant=acme&parked=\(id)"
            let strangers: [FormParameters] = [
                ["CallSid": "CAcaller", "From": "+14155550200", "To": "+15005550007", "Direction": "inbound"],
                ["CallSid": "CAannleg", "From": "client:\(DeskHarness.ann)", "To": "+15005550006", "Direction": "inbound"],
                ["CallSid": "CAannin", "From": "+14155550200", "To": "client:\(DeskHarness.ann)", "Direction": "outbound-dial"],
                // Ann's own client call, with Bob's client as the To it chose.
                ["CallSid": "CAannto", "From": "client:\(DeskHarness.ann)", "To": "client:\(DeskHarness.bob)", "Direction": "inbound"],
                ["CallSid": "CAannto2", "From": "client:\(DeskHarness.ann)", "To": "client:\(DeskHarness.bob)"],
                // A caller's call claiming to be Bob's by its To.
                ["CallSid": "CAcallerto", "From": "+14155550200", "To": "client:\(DeskHarness.bob)", "Direction": "inbound"],
                ["CallSid": "CAnoparty"],
            ]
            for leg in strangers {
                let answer = String(buffer: try await client.twilio(route, leg).body)
                #expect(answer.contains("This call is no longer parked."), "\(leg)")
                #expect(!answer.contains("<Queue"), "\(leg)")
            }
            #expect(try await store.parkedCall(id: id, in: "acme").retrieverArrivedAt == nil)

            let bobs: FormParameters = [
                "CallSid": "CAbobin", "From": "+14155550200", "To": "client:\(DeskHarness.bob)", "Direction": "outbound-dial",
            ]
            #expect(String(buffer: try await client.twilio(route, bobs).body).contains("<Dial><Queue>park_CAroute</Queue></Dial>"))
            #expect(try await store.parkedCall(id: id, in: "acme").retrieverArrivedAt != nil)
        }
    }

    /// A repeat naming a call that is not the agent's live leg (unknown, or someone else's) leaves the
    /// first retrieval standing: it says nothing of the leg that retrieval moved.
    @Test(arguments: StoreUnderTest.all)
    func aRepeatNamingAnotherCallLeavesTheRetrievalStanding(store kind: StoreUnderTest) async throws {
        try await ParkingRetrieverTests.withCallParkedByAnn(kind, "CAstands") { store, twilio, client, id in
            _ = try await ParkingRetrieverTests.retrievalWithUnknownOutcome(id, leg: "CAbobleg", twilio: twilio, client: client)
            await twilio.fail(with: nil)
            for callSid in ["CAnobody", "CAannleg"] {
                let refused = try await ParkingAPITests.retrieve(id, token: DeskHarness.bobToken, redirecting: callSid, again: true, client: client)
                #expect(try DeskHarness.errorCode(refused) == "not_your_leg", "\(callSid)")
                #expect(try await store.parkedCall(id: id, in: "acme").retrievedBy == DeskHarness.bob, "\(callSid)")
            }
        }
    }
}
