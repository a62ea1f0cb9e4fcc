import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardCore
import SwitchboardPostgREST
import SwitchboardTestSupport
import SwitchboardWebhooks
import Testing

/// What clients see when things go wrong: a store that is down (JSON 503 on the API, still TwiML on
/// Twilio's routes), and paths the API does not have.
@Suite struct FailureTests {
    @Test func aStoreThatIsDownIs503OnTheAPIAndStillTwiMLForTwilio() async throws {
        let gateway = try TestGateway.fromEnvironment()
        try await gateway.withDatabase { url, name in
            let store = PostgRESTCallStore(
                configuration: PostgRESTConfiguration(url: url, serviceRoleKey: gateway.serviceRoleKey),
                transport: TestGateway.transport
            )
            try await gateway.setFault("unavailable", database: name)
            try await DeskHarness.app(store: store, redirector: RecordingRedirector(), storeBudget: .seconds(1)).test(.router) { client in
                for (method, path) in [
                    (HTTPRequest.Method.get, "/api/calls/ringing"), (.post, "/api/calls/CA1/claim"), (.get, "/api/agents/me"),
                    (.post, "/api/agents/sync"), (.get, "/api/handoffs"),
                ] {
                    let response = try await client.api(method, path, token: DeskHarness.annToken)
                    #expect(response.status == .serviceUnavailable, "\(path)")
                    #expect(try DeskHarness.errorCode(response) == "store_unavailable", "\(path)")
                }
                let declaration = #"<?xml version="1.0" encoding="UTF-8"?>"#
                let hangup = try await client.twilio("/twilio/park-status?tenant=acme&parked=x", ["CallSid": "CA1", "QueueResult": "hangup"])
                #expect(hangup.status == .ok)
                #expect(String(buffer: hangup.body) == declaration + "<Response />")
                let timedOut = try await client.twilio("/twilio/park-status?tenant=acme&parked=x", ["CallSid": "CA1", "QueueResult": "leave"])
                #expect(timedOut.status == .ok)
                #expect(String(buffer: timedOut.body).contains("<Record "), "a timed-out park with no store goes to voicemail")
                let park = try await client.twilio("/twilio/park?tenant=acme&parked=x", ["CallSid": "CA1"])
                #expect(String(buffer: park.body).contains(">park_CA1</Enqueue>"))
                let retrieve = try await client.twilio("/twilio/retrieve?tenant=acme&parked=x", ["CallSid": "CA2"])
                #expect(retrieve.status == .ok)
                #expect(String(buffer: retrieve.body).contains("<Hangup />"))
                let voicemail = try await client.twilio("/twilio/desk-voicemail?tenant=acme", ["CallSid": "CA1"])
                #expect(String(buffer: voicemail.body).contains("<Record "))
            }
            try await gateway.setFault("none", database: name)
        }
    }

    /// Hummingbird's router does not fall back from a partly matched path (`/api/calls/CA1`) to the
    /// `/api/**` catch-all: such paths get the server's plain 404.
    @Test func unknownAPIPathsAreJSON404() async throws {
        try await DeskHarness.app(store: InMemoryCallStore()).test(.router) { client in
            for (method, path) in [(HTTPRequest.Method.get, "/api/nothing"), (.delete, "/api/callz/CA1"), (.put, "/api/agents/me/x")] {
                let response = try await client.api(method, path, token: DeskHarness.annToken)
                #expect(response.status == .notFound, "\(path)")
                #expect(String(buffer: response.body).contains(#""error":"route_not_found""#), "\(method) \(path): \(String(buffer: response.body))")
            }
        }
    }
}
