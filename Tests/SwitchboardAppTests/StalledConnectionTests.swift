import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardApp
import SwitchboardCore
import SwitchboardWebhooks
import Testing

@testable import SwitchboardSQLite

#if canImport(Glibc)
import Glibc
#endif

/// Over real sockets: a connection that stalls (mid-headers, mid-body, or idle between requests) is
/// closed after the idle timeout, so stalled clients cannot hold the server's connections and files
/// for ever; an answer that takes longer than the timeout is still delivered whole.
@Suite struct StalledConnectionTests {
    static let idle = Duration.milliseconds(400)

    static func configuration(storeBudget: Duration = .seconds(2)) -> AppConfiguration {
        var configuration = AppTests.configuration(storeBudget: storeBudget)
        configuration.idleTimeout = idle
        return configuration
    }

    /// Opens a loopback connection, sends `bytes` and nothing more (the sending side stays open), and
    /// reads until the server closes it: the seconds that took, or nil when it was still open after 10 s.
    static func secondsUntilClosed(port: Int, sending text: String) throws -> Double? {
        try LoopbackSocket.withConnection(port: port, sending: text) { socket in
            let started = ContinuousClock.now
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(socket, &buffer, buffer.count)
                if count > 0 { continue }
                if count < 0, errno == EAGAIN || errno == EWOULDBLOCK { return nil }
                let elapsed = ContinuousClock.now - started
                return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            }
        }
    }

    static let signature = SignatureValidator.signature(
        token: AppTests.token,
        url: AppTests.publicURL + "/twilio/voice",
        parameters: AppTests.voiceForm
    )

    @Test(arguments: [
        // Mid-headers.
        "POST /twilio/voice HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n",
        // Mid-body: fewer bytes than announced.
        "POST /twilio/voice HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "X-Twilio-Signature: \(signature)\r\nContent-Length: 400\r\n\r\nCallSid=CA1",
        // Idle after a whole request was answered (keep-alive).
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        // Nothing at all.
        "",
    ])
    func aStalledConnectionIsClosed(sending text: String) async throws {
        let app = AppTests.app(store: InMemoryCallStore(agents: AppTests.agents(2)), configuration: Self.configuration())
        try await app.test(.live) { client async throws in
            let port = try #require(client.port)
            let seconds = try await Task.detached { try Self.secondsUntilClosed(port: port, sending: text) }.value
            let closedAfter = try #require(seconds, "the server kept a stalled connection open for 10 s")
            #expect(closedAfter < 5, "closed after \(closedAfter) s")
        }
    }

    /// A recording callback whose store is locked waits out its budget (longer than the idle timeout)
    /// and still gets its whole answer: the timeout never cuts a request being answered.
    @Test func anAnswerSlowerThanTheIdleTimeoutIsDeliveredWhole() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-stalled-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        let store = try await SQLiteCallStore(path: path)
        let holder = try await SQLiteCallStore(path: path)
        _ = try await holder.diagnosticRows("BEGIN IMMEDIATE")
        let budget = Duration.milliseconds(1200)
        try await AppTests.app(store: store, configuration: Self.configuration(storeBudget: budget)).test(.live) { client in
            let form: FormParameters = [
                "AccountSid": "AC1", "CallSid": "CAslow", "RecordingSid": "REslow", "RecordingUrl": "https://api.twilio.com/REslow",
                "RecordingStatus": "completed", "RecordingDuration": "4",
            ]
            let started = ContinuousClock.now
            let response = try await AppTests.post(client, "/twilio/recording-status", form)
            #expect(ContinuousClock.now - started >= budget, "the store was locked: the answer waited out the budget")
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == #"<?xml version="1.0" encoding="UTF-8"?><Response />"#)
        }
        _ = try? await holder.diagnosticRows("ROLLBACK")
        try await holder.close()
        try await store.close()
    }
}
