import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardApp
import SwitchboardCore
import SwitchboardWebhooks
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A sender that stops mid-body, over a real socket: not a size problem, so not 413.
@Suite struct TruncatedBodyTests {
    /// Sends `request` on a new loopback connection, closes the sending side, and reads the reply to its end.
    static func exchange(port: Int, _ request: String) throws -> String {
        try LoopbackSocket.withConnection(port: port, sending: request) { socket in
            shutdown(socket, Int32(SHUT_WR))
            var reply: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(socket, &buffer, buffer.count)
                if count <= 0 { break }
                reply += buffer[0..<count]
            }
            return String(decoding: reply, as: UTF8.self)
        }
    }

    @Test func aBodyShorterThanItsContentLengthIs400NotTooLarge() async throws {
        let app = AppTests.app(store: InMemoryCallStore(agents: AppTests.agents(2)))
        try await app.test(.live) { client async throws in
            let port = try #require(client.port)
            let body = AppTests.voiceForm.encoded()
            let signature = try #require(AppTests.signedHeaders("/twilio/voice", AppTests.voiceForm)[values: .init("X-Twilio-Signature")!].first)
            let head = [
                "POST /twilio/voice HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/x-www-form-urlencoded",
                "X-Twilio-Signature: \(signature)", "Content-Length: \(body.utf8.count + 50)", "", "",
            ].joined(separator: "\r\n")
            let reply = try await LoopbackSocket.onOwnThread { try Self.exchange(port: port, head + body) }
            #expect(reply.hasPrefix("HTTP/1.1 400 "), "\(reply)")
            #expect(reply.contains("the body could not be read to its end"))
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"switchboard_requests_total{route="/twilio/voice",outcome="body-unreadable"} 1"#), "\(metrics)")
            #expect(!metrics.contains("too-large"))
        }
    }
}
