import Foundation
import HTTPTypes
import HummingbirdTesting
import SwitchboardCore
import SwitchboardWebhooks
import Testing

@testable import SwitchboardApp

#if canImport(Glibc)
import Glibc
#endif

/// `Expect: 100-continue` over real sockets: the interim `100 Continue` comes before the body is sent,
/// and a body announced larger than the limit is refused without it, before a byte of it is sent.
@Suite struct ExpectContinueTests {
    static let body = AppTests.voiceForm.encoded()
    static let signature = SignatureValidator.signature(
        token: AppTests.token,
        url: AppTests.publicURL + "/twilio/voice",
        parameters: AppTests.voiceForm
    )

    static func head(contentLength: Int, expect: String?, version: String = "1.1") -> String {
        "POST /twilio/voice HTTP/\(version)\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "X-Twilio-Signature: \(signature)\r\nContent-Length: \(contentLength)\r\n"
            + (expect.map { "Expect: \($0)\r\n" } ?? "") + "\r\n"
    }

    /// Sends `head` alone, reads what the server answers within `patience` (nothing: ""), then sends
    /// `body` (when given) and reads the rest of the answer.
    static func exchange(port: Int, head: String, patience: Int32, body: String?) async throws -> (first: String, then: String) {
        try await LoopbackSocket.onOwnThread {
            try LoopbackSocket.withConnection(port: port, sending: head) { socket in
                var timeout = timeval(tv_sec: Int(patience), tv_usec: 0)
                setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var buffer = [UInt8](repeating: 0, count: 8192)
                let count = read(socket, &buffer, buffer.count)
                let first = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
                guard let body else { return (first, "") }
                let bytes = Array(body.utf8)
                _ = send(socket, bytes, bytes.count, Int32(MSG_NOSIGNAL))
                var rest = ""
                while !rest.contains("</Response>") {
                    let count = read(socket, &buffer, buffer.count)
                    guard count > 0 else { break }
                    rest += String(decoding: buffer[0..<count], as: UTF8.self)
                }
                return (first, rest)
            }
        }
    }

    @Test func theInterimAnswerComesBeforeTheBodyAndTheCallRings() async throws {
        let app = AppTests.app(store: InMemoryCallStore(agents: AppTests.agents(2)))
        try await app.test(.live) { client async throws in
            let port = try #require(client.port)
            for expect in ["100-continue", "100-Continue"] {
                let reply = try await Self.exchange(
                    port: port,
                    head: Self.head(contentLength: Self.body.utf8.count, expect: expect),
                    patience: 5,
                    body: Self.body
                )
                #expect(reply.first == "HTTP/1.1 100 Continue\r\n\r\n", "\(expect)")
                #expect(reply.then.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(reply.then)")
                #expect(reply.then.contains(">agent_0</Client>"))
            }
        }
    }

    @Test func withoutTheExpectationNothingComesBeforeTheBody() async throws {
        let app = AppTests.app(store: InMemoryCallStore(agents: AppTests.agents(2)))
        try await app.test(.live) { client async throws in
            let port = try #require(client.port)
            let reply = try await Self.exchange(
                port: port,
                head: Self.head(contentLength: Self.body.utf8.count, expect: nil),
                patience: 1,
                body: Self.body
            )
            #expect(reply.first == "")
            #expect(reply.then.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(reply.then)")
        }
    }

    /// RFC 9110 (10.1.1): a server must ignore a 100-continue expectation in an HTTP/1.0 request. Without
    /// the filter before Hummingbird's codec, a 100 came here as it does for HTTP/1.1.
    @Test func anHTTP10RequestsExpectationIsIgnored() async throws {
        let app = AppTests.app(store: InMemoryCallStore(agents: AppTests.agents(2)))
        try await app.test(.live) { client async throws in
            let port = try #require(client.port)
            let reply = try await Self.exchange(
                port: port,
                head: Self.head(contentLength: Self.body.utf8.count, expect: "100-continue", version: "1.0"),
                patience: 1,
                body: Self.body
            )
            #expect(reply.first == "")
            // HTTP1ToHTTPServerCodec answers as HTTP/1.1 whatever the request, which RFC 9110 allows.
            #expect(reply.then.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(reply.then)")
            #expect(reply.then.contains(">agent_0</Client>"))
        }
    }

    /// Refused from its `Content-Length`, with or without the expectation: the body is never sent.
    @Test(arguments: ["100-continue", nil])
    func aBodyAnnouncedOverTheLimitIsRefusedBeforeItIsSent(expect: String?) async throws {
        let app = AppTests.app(store: InMemoryCallStore(agents: AppTests.agents(2)))
        try await app.test(.live) { client async throws in
            let port = try #require(client.port)
            let reply = try await Self.exchange(port: port, head: Self.head(contentLength: 65 * 1024, expect: expect), patience: 5, body: nil)
            #expect(reply.first.hasPrefix("HTTP/1.1 413 "), "\(reply.first)")
            #expect(!reply.first.contains("100 Continue"))
            // The connection still expects the body it never read: the client is told to close it.
            #expect(reply.first.lowercased().contains("\r\nconnection: close\r\n"), "\(reply.first)")
        }
    }

    /// A pipelined request that asks for `100 Continue` while an earlier one is being answered: the 100
    /// never comes before or inside that answer.
    @Test func aPipelinedExpectationNeverLandsInsideAnEarlierAnswer() async throws {
        let app = AppTests.app(store: InMemoryCallStore(agents: AppTests.agents(2)))
        try await app.test(.live) { client async throws in
            let port = try #require(client.port)
            for _ in 0..<5 {
                let head = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + Self.head(contentLength: Self.body.utf8.count, expect: "100-continue")
                let reply = try await Self.exchange(port: port, head: head, patience: 2, body: Self.body)
                let all = reply.first + reply.then
                #expect(all.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(all.prefix(200))")
                // The metrics answer's length, then the 100 (if any) and the ring after it.
                let metricsEnd = try #require(all.range(of: "\r\n\r\n"))
                let length = try #require(
                    all[..<metricsEnd.lowerBound].split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                        .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
                )
                let rest = all.utf8.dropFirst(all.utf8.distance(from: all.utf8.startIndex, to: metricsEnd.upperBound) + length)
                let after = String(decoding: rest, as: UTF8.self)
                #expect(
                    after.hasPrefix("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n") || after.hasPrefix("HTTP/1.1 200 OK\r\n"),
                    "\(after.prefix(200))"
                )
                #expect(after.contains(">agent_0</Client>"))
            }
        }
    }

    @Test func aLengthFitsOnlyWhenItIsANumberWithinTheLimit() {
        #expect(ExpectContinueHandler.fits("10", within: 10))
        #expect(!ExpectContinueHandler.fits("11", within: 10))
        #expect(!ExpectContinueHandler.fits("99999999999999999999999", within: 10))
        #expect(!ExpectContinueHandler.fits("10, 10", within: 10))
    }

    @Test func onlyAHundredContinueWithinTheLimitIsAnswered() {
        func head(_ fields: HTTPFields) -> HTTPRequest {
            HTTPRequest(method: .post, scheme: nil, authority: "127.0.0.1", path: "/twilio/voice", headerFields: fields)
        }
        #expect(ExpectContinueHandler.expectsContinue(head([.expect: "100-continue"]), bodyLimit: 10))
        #expect(ExpectContinueHandler.expectsContinue(head([.expect: "100-CONTINUE", .contentLength: "10"]), bodyLimit: 10))
        #expect(!ExpectContinueHandler.expectsContinue(head([.expect: "100-continue", .contentLength: "11"]), bodyLimit: 10))
        #expect(!ExpectContinueHandler.expectsContinue(head([.expect: "something-else"]), bodyLimit: 10))
        #expect(!ExpectContinueHandler.expectsContinue(head([:]), bodyLimit: 10))
    }
}
