import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SwitchboardCore
import SwitchboardRouting
import SwitchboardTwiML
import SwitchboardVoice
import SwitchboardWebhooks

/// The Twilio voice routes: checks each request (method, content type, size, signature, form), then
/// answers with ``VoiceService``. Every HTTP status of these routes is decided here.
///
/// Once a request is known to come from Twilio, it always gets 200 and TwiML: the service itself never
/// fails (see ``VoiceService``), and an unexpected error still answers voicemail. Requests that are not
/// Twilio's get a 4xx with a one-line body.
struct VoiceController<Store: CallStore>: Sendable {
    let service: VoiceService<Store>
    let validator: SignatureValidator
    let publicURL: RequestURL
    let bodyLimit: Int
    let metrics: ServiceMetrics

    static var signatureHeader: HTTPField.Name { HTTPField.Name("X-Twilio-Signature")! }
    static var idempotencyHeader: HTTPField.Name { HTTPField.Name("I-Twilio-Idempotency-Token")! }

    func addRoutes(to router: Router<BasicRequestContext>) {
        for route in TwilioRoute.allCases {
            let path = RouterPath(stringLiteral: route.rawValue)
            router.post(path) { request, context in try await self.answer(route, request, context) }
            for method in [HTTPRequest.Method.get, .put, .delete, .patch] {
                router.on(path, method: method) { _, _ in
                    Response(
                        status: .methodNotAllowed,
                        headers: [.allow: "POST", .contentType: "text/plain; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: "use POST\n"))
                    )
                }
            }
        }
    }

    private func refuse(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: message + "\n"))
        )
    }

    private func answer(_ route: TwilioRoute, _ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            metrics.record(route: route.rawValue, outcome: "unsupported-media-type", duration: start.duration(to: clock.now))
            return refuse(.unsupportedMediaType, "send application/x-www-form-urlencoded")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: bodyLimit)
        } catch is NIOTooManyBytesError {
            metrics.record(route: route.rawValue, outcome: "too-large", duration: start.duration(to: clock.now))
            return refuse(.contentTooLarge, "the body is larger than \(bodyLimit) bytes")
        }
        guard let signature = request.headers[Self.signatureHeader] else {
            metrics.record(route: route.rawValue, outcome: "unsigned", duration: start.duration(to: clock.now))
            return refuse(.forbidden, "missing X-Twilio-Signature")
        }
        let form: FormParameters
        do {
            form = try FormParameters.parse(body.readableBytesView)
        } catch {
            metrics.record(route: route.rawValue, outcome: "malformed", duration: start.duration(to: clock.now))
            // Name the problem without echoing bytes from a sender whose signature is not checked yet.
            let kind = error == .invalidUTF8 ? "invalid UTF-8" : "a malformed percent-escape"
            return refuse(.badRequest, "malformed form body: \(kind) in pair \(error.pairIndex + 1)")
        }
        let url = publicURL.url(requestTarget: request.uri.string)
        guard validator.isValid(signature: signature, url: url, parameters: form) else {
            context.logger.warning("bad signature", metadata: ["route": "\(route.rawValue)", "url": "\(url)"])
            metrics.record(route: route.rawValue, outcome: "bad-signature", duration: start.duration(to: clock.now))
            return refuse(.forbidden, "invalid X-Twilio-Signature")
        }
        let reply = await service.handle(route, form: form, at: Date())
        let bytes: [UInt8]
        do {
            bytes = try reply.document.renderBytes()
        } catch {
            // Cannot happen for the documents the service builds (their text is checked by tests), but a
            // caller must never hear an application error: fall back to a plain voicemail.
            context.logger.error("could not render the answer", metadata: ["error": "\(error)"])
            bytes = (try? service.responses.voicemail().renderBytes()) ?? Array(#"<?xml version="1.0" encoding="UTF-8"?><Response />"#.utf8)
        }
        metrics.record(route: route.rawValue, outcome: reply.outcome, duration: start.duration(to: clock.now))
        return Response(
            status: .ok,
            headers: [.contentType: "text/xml; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }
}
