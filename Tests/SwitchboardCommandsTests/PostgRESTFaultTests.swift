import Foundation
import SwitchboardCore
import SwitchboardCurl
import SwitchboardHTTP
import SwitchboardPostgREST
import SwitchboardTestSupport
import SwitchboardWebhooks
import Testing

/// `switchboard serve --store postgrest` when the store misbehaves: the voice route still answers
/// (voicemail, HTTP 200) within its 2 s budget, `/readyz` says not ready, and the service recovers by
/// itself when the store is back. Faults are set per database on the test gateway.
@Suite struct PostgRESTFaultTests {
    static let inbound: FormParameters = [
        "CallSid": "CA-fault", "AccountSid": "AC" + String(repeating: "1", count: 32), "From": "+14155550100", "To": "+15005550006",
        "CallStatus": "ringing",
    ]

    @Test func voiceAnswersVoicemailWhileTheStoreFailsAndRecovers() async throws {
        let gateway = try TestGateway.fromEnvironment()
        try await gateway.withDatabase { url, name in
            let store = PostgRESTCallStore(
                configuration: PostgRESTConfiguration(url: url, serviceRoleKey: gateway.serviceRoleKey),
                transport: TestGateway.transport
            )
            try await store.upsertAgent(Agent(id: "", identity: "amy", name: "Amy", email: "amy@example.com"))
            try await Instances.with(count: 1, supabaseURL: url, key: gateway.serviceRoleKey, token: "fault-token") { instances in
                let port = instances.ports[0]
                #expect(try await instances.post(instance: 0, path: "/twilio/voice", Self.inbound).contains("<Client"), "healthy: rings amy")

                for (mode, delay) in [("garbage", 0), ("unavailable", 0), ("reset", 0), ("slow", 6_000)] {
                    try await gateway.setFault(mode, database: name, delayMilliseconds: delay)
                    let start = ContinuousClock.now
                    let answer = try await instances.post(instance: 0, path: "/twilio/voice", Self.inbound)
                    let elapsed = ContinuousClock.now - start
                    #expect(answer.contains("<Record"), "\(mode): voicemail, not \(answer)")
                    // The budget is 2 s; the bound leaves room for a loaded machine yet stays below both the
                    // transport's 5 s timeout and the slow fault's 6 s, so only the budget can have cut it.
                    #expect(elapsed < .milliseconds(4_500), "\(mode): answered within the budget, took \(elapsed)")
                    let ready = try await instances.transport.send(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/readyz"))
                    #expect(ready.status == 503, "\(mode): /readyz says not ready")
                }

                try await gateway.setFault("none", database: name)
                // Slow requests from the last fault may still be draining; the service needs no restart.
                try await instances.waitUntilReady(port: port)
                #expect(try await instances.post(instance: 0, path: "/twilio/voice", Self.inbound).contains("<Client"), "recovered: rings amy again")
            }
        }
    }

    @Test func aStoreThatIsNotThereGetsVoicemailAndNotReady() async throws {
        // A port nothing listens on: connection refused on every request.
        let closed = try await Self.closedPort()
        try await Instances.with(count: 1, supabaseURL: "http://127.0.0.1:\(closed)", key: "any-key", token: "down-token", ready: false) {
            instances in
            let port = instances.ports[0]
            let answer = try await instances.post(instance: 0, path: "/twilio/voice", Self.inbound)
            #expect(answer.contains("<Record"), "voicemail, not \(answer)")
            let ready = try await instances.transport.send(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/readyz"))
            #expect(ready.status == 503)
            #expect(ready.text.contains("unreachable"), "\(ready.text)")
        }
    }

    /// A loopback port that was free a moment ago.
    static func closedPort() async throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw TestGatewayError.timedOut("could not bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
