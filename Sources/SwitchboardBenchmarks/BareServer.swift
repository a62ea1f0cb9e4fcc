import Hummingbird
import NIOCore

/// The baseline for the voice-route load test: a Hummingbird route that reads the whole body and
/// answers fixed TwiML bytes of the same size as Switchboard's ring-all answer, with no signature
/// check, no store and no routing. What Switchboard costs is measured against this.
enum BareServer {
    static func run(port: Int, response: [UInt8]) async throws {
        let app = Application(router: router(response: response), configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }

    /// The one route: reads the whole body, answers `response`.
    static func router(response: [UInt8]) -> Router<BasicRequestContext> {
        let router = Router()
        let body = ByteBuffer(bytes: response)
        router.post("/twilio/voice") { request, _ -> Response in
            var request = request
            _ = try await request.collectBody(upTo: 64 * 1024)
            return Response(status: .ok, headers: [.contentType: "text/xml; charset=utf-8"], body: .init(byteBuffer: body))
        }
        return router
    }
}
