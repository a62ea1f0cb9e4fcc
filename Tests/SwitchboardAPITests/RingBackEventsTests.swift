import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardCore
import SwitchboardWebhooks
import Testing

/// A park's ring-back rings its parker again on a new leg, and a call can be parked twice: the event
/// stream carries each of those rings and parks, so every dashboard card rings and clears with them.
@Suite struct RingBackEventsTests {
    /// A `<Client>` leg's status callback.
    static func leg(_ legSid: String, of callSid: String, status: String) -> FormParameters {
        [
            "CallSid": legSid, "ParentCallSid": callSid, "AccountSid": "AC1", "From": "+14155551234",
            "To": "client:\(DeskHarness.ann)", "CallStatus": status, "Direction": "outbound-dial",
        ]
    }

    /// Ann answers `callSid`, parks it, misses nothing: the park times out and rings her back, she answers
    /// on her new leg and parks the call again. Returns the stream's frames and the two parks' ids.
    static func ringBack(_ callSid: String, store: some DeskStore, client: some TestClientProtocol) async throws -> ([EventsAPITests.Frame], [String])
    {
        try await store.recordRinging(DeskHarness.ringing(callSid, agents: [DeskHarness.ann]))
        let status = "/twilio/client-status?tenant=acme"
        #expect(try await client.twilio(status, leg("CLfirst", of: callSid, status: "ringing")).status == .ok)
        #expect(try await client.api(.post, "/api/calls/\(callSid)/claim", token: DeskHarness.annToken).status == .ok)
        #expect(try await client.twilio(status, leg("CLfirst", of: callSid, status: "in-progress")).status == .ok)
        let first = try await ParkingAPITests.park(callSid, client: client)
        let timedOut = try await client.twilio(
            "/twilio/park-status?tenant=acme&parked=\(first)",
            ["CallSid": callSid, "QueueResult": "leave", "QueueTime": "120"]
        )
        #expect(String(buffer: timedOut.body).contains("/twilio/recall"), "the park rings its parker again")
        #expect(try await client.twilio(status, leg("CLback", of: callSid, status: "ringing")).status == .ok)
        let recalled = try await client.twilio("/twilio/recall?tenant=acme&parked=\(first)", leg("CLback", of: callSid, status: "in-progress"))
        #expect(String(buffer: recalled.body) == ParkingAPITests.declaration + "<Response />")
        #expect(try await client.twilio(status, leg("CLback", of: callSid, status: "in-progress")).status == .ok)
        // Twilio retries a callback, and a late ringing of the first leg arrives: neither reaches a card.
        #expect(try await client.twilio(status, leg("CLback", of: callSid, status: "in-progress")).status == .ok)
        #expect(try await client.twilio(status, leg("CLfirst", of: callSid, status: "ringing")).status == .ok)
        let second = try await ParkingAPITests.park(callSid, client: client)
        let body = try await client.api(.get, "/api/events?after=0", token: DeskHarness.bobToken).body
        return (try EventsAPITests.frames(String(buffer: body)), [first, second])
    }

    static func expected(_ callSid: String, parks: [String]) -> [String] {
        [
            "ringing:CLfirst", "answered:", "answered:CLfirst", "parked:\(parks[0])", "ringing:CLback", "answered:CLback",
            "parked:\(parks[1])",
        ]
    }

    @Test(arguments: StoreUnderTest.all)
    func theRingBackAndTheSecondParkReachTheStream(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.router) { client in
                let (frames, parks) = try await Self.ringBack("CAback", store: store, client: client)
                #expect(parks[0] != parks[1])
                #expect(frames.map { "\($0.event):\($0.occurrence)" } == Self.expected("CAback", parks: parks))
                #expect(Set(frames.map(\.callSid)) == ["CAback"])
                #expect(Set(frames.map(\.agent)) == [DeskHarness.ann])
            }
        }
    }

    @Test func theRingBackReachesTheStreamOverRealLoopback() async throws {
        let store = InMemoryCallStore()
        try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.live) { client in
            let (frames, parks) = try await Self.ringBack("CAbacklive", store: store, client: client)
            #expect(frames.map { "\($0.event):\($0.occurrence)" } == Self.expected("CAbacklive", parks: parks))
        }
    }
}
