import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SwitchboardWebhooks

/// The checks every Twilio route makes before it trusts a request: form content type, body size,
/// `X-Twilio-Signature` over the configured public URL, and a well-formed form. A request that
/// passes is Twilio's; one that does not gets a one-line 4xx.
struct TwilioGate: Sendable {
    let validator: SignatureValidator
    let publicURL: RequestURL
    let bodyLimit: Int

    /// Why a request was refused: its status, a one-line message, and a word for metrics.
    struct Refusal: Error {
        var status: HTTPResponse.Status
        var message: String
        var outcome: String

        var response: Response {
            Response(
                status: status,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: message + "\n"))
            )
        }
    }

    static var signatureHeader: HTTPField.Name { HTTPField.Name("X-Twilio-Signature")! }

    /// The checked form of a request Twilio signed.
    func form(of request: Request, context: some RequestContext) async throws(Refusal) -> FormParameters {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw Refusal(status: .unsupportedMediaType, message: "send application/x-www-form-urlencoded", outcome: "unsupported-media-type")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: bodyLimit)
        } catch {
            throw Refusal(status: .contentTooLarge, message: "the body is larger than \(bodyLimit) bytes", outcome: "too-large")
        }
        guard let signature = request.headers[Self.signatureHeader] else {
            throw Refusal(status: .forbidden, message: "missing X-Twilio-Signature", outcome: "unsigned")
        }
        let form: FormParameters
        do {
            form = try FormParameters.parse(body.readableBytesView)
        } catch {
            // Name the problem without echoing bytes from a sender whose signature is not checked yet.
            let kind = error == .invalidUTF8 ? "invalid UTF-8" : "a malformed percent-escape"
            throw Refusal(status: .badRequest, message: "malformed form body: \(kind) in pair \(error.pairIndex + 1)", outcome: "malformed")
        }
        let url = publicURL.url(requestTarget: request.uri.string)
        guard validator.isValid(signature: signature, url: url, parameters: form) else {
            context.logger.warning("bad signature", metadata: ["path": "\(request.uri.path)", "url": "\(url)"])
            throw Refusal(status: .forbidden, message: "invalid X-Twilio-Signature", outcome: "bad-signature")
        }
        return form
    }
}
