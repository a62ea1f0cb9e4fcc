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
                // The retriever's call cannot be ended without a store: still TwiML, never a 5xx.
                let bridged = try await client.twilio("/twilio/park-status?tenant=acme&parked=x", ["CallSid": "CA1", "QueueResult": "bridged"])
                #expect(bridged.status == .ok)
                #expect(String(buffer: bridged.body) == declaration + "<Response />")
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

    /// The store is down when the caller leaves the slot of a retrieved call: the retriever's end waits
    /// and is recorded once the store is back, so they are not left "on a call" for good.
    @Test func theEndOfARetrievedCallTheStoreMissedIsRecordedOnceItIsBack() async throws {
        let gateway = try TestGateway.fromEnvironment()
        try await gateway.withDatabase { url, name in
            let store = PostgRESTCallStore(
                configuration: PostgRESTConfiguration(url: url, serviceRoleKey: gateway.serviceRoleKey),
                transport: TestGateway.transport
            )
            try await DeskHarness.app(store: store, redirector: RecordingRedirector(), storeBudget: .seconds(1)).test(.router) { client in
                let id = try await ParkingRetrieverTests.retrievedByBob("CAdown", store: store, client: client)
                #expect(try await ParkingRetrieverTests.bob(store).currentCallSid == "CAdown")
                try await gateway.setFault("unavailable", database: name)
                let status = try await client.twilio("/twilio/park-status?tenant=acme&parked=\(id)", ["CallSid": "CAdown", "QueueResult": "bridged"])
                #expect(status.status == .ok)
                try await gateway.setFault("none", database: name)
                #expect(try await ParkingRetrieverTests.bob(store).currentCallSid == "CAdown", "not recorded while the store was down")
                var freed = false
                for _ in 0..<100 where !freed {
                    try await Task.sleep(for: .milliseconds(100))
                    freed = try await ParkingRetrieverTests.bob(store).currentCallSid == nil
                }
                #expect(freed, "the retriever is freed once the store is back")
            }
        }
    }

    /// Paths no route has, including partly matched ones such as `/api/calls/CA1`, are JSON 404s.
    @Test(arguments: [TestingSetup.router, .live])
    func unknownAPIPathsAreJSON404(setup: TestingSetup) async throws {
        try await DeskHarness.app(store: InMemoryCallStore()).test(setup) { client in
            for (method, path) in [
                (HTTPRequest.Method.get, "/api/nothing"), (.delete, "/api/callz/CA1"), (.put, "/api/agents/me/x"), (.get, "/api/calls/CA1"),
                (.post, "/api"), (.get, "/api/calls/CA1/claim/again"),
            ] {
                let response = try await client.api(method, path, token: DeskHarness.annToken)
                #expect(response.status == .notFound, "\(method) \(path)")
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                #expect(String(buffer: response.body).contains(#""error":"route_not_found""#), "\(method) \(path): \(String(buffer: response.body))")
            }
        }
    }

    /// A path the API has, with a method it does not answer there: 405 with `Allow`, in JSON.
    @Test(arguments: [TestingSetup.router, .live])
    func aWrongMethodOnAnAPIPathIsJSON405WithAllow(setup: TestingSetup) async throws {
        try await DeskHarness.app(store: InMemoryCallStore()).test(setup) { client in
            for (method, path, allowed) in [
                (HTTPRequest.Method.delete, "/api/agents/me", "GET, PATCH"), (.post, "/api/calls/ringing", "GET"),
                (.get, "/api/calls/CA1/claim", "POST"), (.put, "/api/handoffs", "GET, POST"), (.delete, "/api/parked/p1/retrieve", "POST"),
            ] {
                let response = try await client.api(method, path, token: DeskHarness.annToken)
                let body = String(buffer: response.body)
                #expect(response.status == .methodNotAllowed, "\(method) \(path): \(body)")
                #expect(response.headers[.allow] == allowed, "\(method) \(path)")
                #expect(body.contains(#""error":"method_not_allowed""#), "\(method) \(path): \(body)")
                #expect(body.contains(#""allowed":"\#(allowed)""#), "\(method) \(path): \(body)")
            }
            // The routes themselves still answer.
            #expect(try await client.api(.get, "/api/agents/me", token: DeskHarness.annToken).status != .methodNotAllowed)
            // The agents' API's Twilio routes refuse other methods as the voice routes do.
            for path in ["/twilio/park", "/twilio/park-wait", "/twilio/retrieve", "/twilio/desk-voicemail"] {
                for method in [HTTPRequest.Method.get, .head, .options, .trace] {
                    let response = try await client.execute(uri: path, method: method)
                    #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                    #expect(response.headers[.allow] == "POST", "\(method) \(path)")
                }
            }
        }
    }
}
