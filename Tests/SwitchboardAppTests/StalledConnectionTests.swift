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
/// closed after the idle timeout, and one whose request trickles in is closed at the request deadline,
/// so stalled clients cannot hold the server's connections and files for ever; an answer that takes
/// longer than either is still delivered whole.
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
            let seconds = try await LoopbackSocket.onOwnThread { try Self.secondsUntilClosed(port: port, sending: text) }
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

    /// Sends `head`, then one byte of body every 100 ms (never idle for long), and returns the seconds
    /// until the server closed the connection, or nil when it was still open after `patience`.
    static func secondsUntilClosed(port: Int, trickling head: String, patience: Duration) throws -> Double? {
        try LoopbackSocket.withConnection(port: port, sending: head) { socket in
            let started = ContinuousClock.now
            var buffer = [UInt8](repeating: 0, count: 4096)
            while ContinuousClock.now - started < patience {
                let received = recv(socket, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                if received == 0 || (received < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                    let elapsed = ContinuousClock.now - started
                    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                }
                var byte = UInt8(ascii: "a")
                _ = send(socket, &byte, 1, Int32(MSG_NOSIGNAL))
                usleep(100_000)
            }
            return nil
        }
    }

    static let trickledVoiceHead =
        "POST /twilio/voice HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + "X-Twilio-Signature: \(signature)\r\nContent-Length: 400\r\n\r\n"

    /// Trickles a voice request's body into a server with a 3 s idle timeout (far more than the 100 ms
    /// between bytes, even on a loaded machine) and `requestTimeout`: the seconds until it closed the
    /// connection, or nil when it was open after `patience`.
    static func trickle(requestTimeout: Duration, patience: Duration) async throws -> Double? {
        var configuration = Self.configuration()
        configuration.idleTimeout = .seconds(3)
        configuration.requestTimeout = requestTimeout
        let app = AppTests.app(store: InMemoryCallStore(agents: AppTests.agents(2)), configuration: configuration)
        return try await app.test(.live) { client async throws -> Double? in
            let port = try #require(client.port)
            return try await LoopbackSocket.onOwnThread {
                try Self.secondsUntilClosed(port: port, trickling: Self.trickledVoiceHead, patience: patience)
            }
        }
    }

    /// A body trickled in, a byte every 100 ms, never trips the idle timeout; the request deadline
    /// (0.8 s from the request's head) closes its connection.
    @Test func aTrickledBodyIsCutAtTheRequestDeadline() async throws {
        let seconds = try await Self.trickle(requestTimeout: .milliseconds(800), patience: .seconds(10))
        let closedAfter = try #require(seconds, "a trickled body held its connection open for 10 s")
        #expect(closedAfter >= 0.6 && closedAfter < 5, "closed after \(closedAfter) s")
    }

    /// The same trickle with a deadline far off is still open after 5 s, past the idle timeout: the
    /// idle timeout alone never cuts it, which is why the deadline exists.
    @Test func withoutTheDeadlineATrickledBodyOutlastsTheIdleTimeout() async throws {
        let seconds = try await Self.trickle(requestTimeout: .seconds(60), patience: .seconds(5))
        #expect(seconds == nil, "closed after \(seconds ?? 0) s")
    }

    /// The deadline times each request from its own first byte: a keep-alive connection whose next
    /// request comes later than the deadline (but within the idle timeout) is answered.
    @Test func aLaterRequestOnAKeptAliveConnectionIsAnswered() async throws {
        var configuration = Self.configuration()
        configuration.idleTimeout = .seconds(2)
        configuration.requestTimeout = .milliseconds(300)
        let app = AppTests.app(store: InMemoryCallStore(agents: AppTests.agents(2)), configuration: configuration)
        try await app.test(.live) { client async throws in
            let port = try #require(client.port)
            let replies = try await LoopbackSocket.onOwnThread {
                try LoopbackSocket.withConnection(port: port, sending: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") { socket in
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    let first = read(socket, &buffer, buffer.count)
                    let firstText = first > 0 ? String(decoding: buffer[0..<first], as: UTF8.self) : ""
                    usleep(700_000)
                    let again = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
                    _ = send(socket, again, again.count, Int32(MSG_NOSIGNAL))
                    let second = read(socket, &buffer, buffer.count)
                    let secondText = second > 0 ? String(decoding: buffer[0..<second], as: UTF8.self) : ""
                    return [firstText, secondText]
                }
            }
            #expect(replies.allSatisfy { $0.hasPrefix("HTTP/1.1 200") }, "\(replies)")
        }
    }
}
