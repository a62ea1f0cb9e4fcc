import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import SwitchboardApp
import SwitchboardCore
import SwitchboardRouting
import SwitchboardSQLite
import SwitchboardTwiML
import SwitchboardWebhooks

/// What the voice route costs in process, with no sockets: the signed 20-parameter callback answered by
/// the bare route's responder, by a route that makes only the checks every Twilio request needs (body,
/// form, signature) before the bare route's answer, and by Switchboard's router on the embedded store
/// (10 available agents), one request at a time. The difference is the route's own work
/// (checks, typed request, routing, answer, metrics), the part `scripts/bench-voice.sh` cannot separate
/// from HTTP and the load generator.
enum RouteBenchmark {
    /// Lines of `name: N ns/op`.
    static func run(iterations: Int) async throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-route-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await SQLiteCallStore(path: directory.appendingPathComponent("route.sqlite").path)
        for index in 0..<10 {
            let identity = "agent_0\(index)"
            _ = try await store.upsertAgent(Agent(id: identity, identity: identity, name: "Agent \(index)", email: "a\(index)@example.com"))
        }
        var logger = Logger(label: "route-benchmark")
        logger.logLevel = .warning
        let configuration = AppConfiguration(
            authTokens: [SignatureBenchmark.token],
            routing: .init(publicURL: "https://switchboard.example.com")
        )
        let router = buildRouter(configuration: configuration, store: store, metrics: ServiceMetrics(), logger: logger)
        let switchboard = router.buildResponder()
        let response = try TwiMLBenchmark.ringAllWithCallbacks().renderBytes()
        let bareResponder = BareServer.router(response: response).buildResponder()
        let answer = ByteBuffer(bytes: response)
        // The checks every Twilio request must pass and nothing else: the body read, the form parsed, the
        // signature checked over the public URL; then the same fixed answer as the bare route.
        let checks = Router()
        let validator = SignatureValidator(token: SignatureBenchmark.token)
        let publicURL = RequestURL(base: "https://switchboard.example.com")
        checks.post("/twilio/voice") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            let form = try FormParameters.parse(body.readableBytesView)
            guard let signature = request.headers[TwilioHeader.signature],
                validator.isValid(signature: signature, url: publicURL.url(requestTarget: request.uri.string), parameters: form)
            else { return Response(status: .forbidden) }
            return Response(status: .ok, headers: [.contentType: "text/xml; charset=utf-8"], body: .init(byteBuffer: answer))
        }
        let checksResponder = checks.buildResponder()

        let body = ByteBuffer(string: SignatureBenchmark.parameters.encoded())
        let signature = SignatureValidator.signature(
            token: SignatureBenchmark.token,
            url: SignatureBenchmark.url,
            parameters: SignatureBenchmark.parameters
        )
        let head = HTTPRequest(
            method: .post,
            scheme: nil,
            authority: "127.0.0.1",
            path: "/twilio/voice",
            headerFields: [.contentType: "application/x-www-form-urlencoded", TwilioHeader.signature: signature]
        )
        let context = BasicRequestContext(source: ApplicationRequestContextSource(channel: EmbeddedChannel(), logger: logger))
        @Sendable func answerLength(_ responder: some HTTPResponder<BasicRequestContext>) async throws -> Int {
            let response = try await responder.respond(to: Request(head: head, body: .init(buffer: body)), context: context)
            guard response.status == .ok, let length = response.body.contentLength, length > 1000 else {
                throw BenchmarkFailure(message: "the route answered \(response.status) with \(response.body.contentLength ?? -1) bytes")
            }
            return length
        }
        var lines: [String] = []
        let responders = [
            ("bare route", AnyResponder(bareResponder)), ("the checks alone", AnyResponder(checksResponder)),
            ("switchboard, SQLite", AnyResponder(switchboard)),
        ]
        for (name, responder) in responders {
            lines.append(try await BenchmarkClock.measureAsync("in process, \(name)", iterations: iterations) { try await answerLength(responder) })
        }
        // The same with two requests at a time, one task each on the machine's two cores: what a request costs
        // when another runs beside it, sharing the route's locks, counters and caches as a loaded server's do.
        for (name, responder) in responders {
            lines.append(
                try await BenchmarkClock.measureConcurrently("in process, two at once, \(name)", tasks: 2, iterations: iterations) {
                    try await answerLength(responder)
                }
            )
        }
        try await store.close()
        return lines
    }

    /// The signature header, named as Twilio sends it.
    private enum TwilioHeader {
        static let signature = HTTPField.Name("X-Twilio-Signature")!
    }
}

/// Two responders of different types behind one, so both are timed by the same loop.
struct AnyResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let respond: @Sendable (Request, BasicRequestContext) async throws -> Response

    init(_ responder: some HTTPResponder<BasicRequestContext>) {
        respond = { try await responder.respond(to: $0, context: $1) }
    }

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        try await respond(request, context)
    }
}

/// A benchmark whose subject did not answer as it must; the figures would mean nothing.
struct BenchmarkFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
