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
        /// Whether the answer asks the client to close the connection: its body was never read.
        var closes = false

        var response: Response {
            var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
            if closes { headers[.connection] = "close" }
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
        }
    }

    /// Made once: building a field name validates and lowercases it.
    static let signatureHeader = HTTPField.Name("X-Twilio-Signature")!

    /// The checked form of a request Twilio signed.
    func form(of request: Request, context: some RequestContext) async throws(Refusal) -> FormParameters {
        guard Self.isForm(Self.value(of: .contentType, in: request.headers)) else {
            throw Refusal(status: .unsupportedMediaType, message: "send application/x-www-form-urlencoded", outcome: "unsupported-media-type")
        }
        // Refused before any of it is read, so a client that waits for `100 Continue` (see
        // `ExpectContinueHandler`) never sends it; the connection, which still expects that body, is closed.
        if let length = Self.value(of: .contentLength, in: request.headers), !ExpectContinueHandler.fits(length, within: bodyLimit) {
            var refusal = Self.tooLarge(bodyLimit)
            refusal.closes = true
            throw refusal
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: bodyLimit)
        } catch is NIOTooManyBytesError {
            throw Self.tooLarge(bodyLimit)
        } catch {
            // The sender stopped mid-body (closed the connection, or sent less than it announced): nothing
            // to decide on, and not a size problem.
            throw Refusal(status: .badRequest, message: "the body could not be read to its end", outcome: "body-unreadable")
        }
        guard let signature = Self.value(of: Self.signatureHeader, in: request.headers) else {
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

    /// The refusal of a body over `limit` bytes.
    private static func tooLarge(_ limit: Int) -> Refusal {
        Refusal(status: .contentTooLarge, message: "the body is larger than \(limit) bytes", outcome: "too-large")
    }

    /// The value of the header `name`, as `headers[name]` gives it (several fields of that name joined with
    /// `, `), without that subscript's joining when there is one field, as in every request Twilio sends:
    /// the joining goes through generic library code that costs more than the look-up itself.
    static func value(of name: HTTPField.Name, in headers: HTTPFields) -> String? {
        var found: String?
        for field in headers where field.name == name {
            guard found == nil else { return headers[name] }
            found = field.value
        }
        return found
    }

    /// Whether a `Content-Type` is `application/x-www-form-urlencoded` (in any case, parameters allowed),
    /// compared byte by byte without lowercasing a copy.
    static func isForm(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let expected: StaticString = "application/x-www-form-urlencoded"
        var utf8 = contentType.utf8.makeIterator()
        for index in 0..<expected.utf8CodeUnitCount {
            guard let byte = utf8.next() else { return false }
            // ASCII letters differ from their capitals only in bit 5; the expected text is lower case.
            let lowered = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            guard lowered == expected.utf8Start[index] else { return false }
        }
        // The type ends there: whitespace, then parameters may follow; nothing else may
        // (`…-urlencodedjunk`, `…-urlencoded junk`).
        while let next = utf8.next() {
            if next == UInt8(ascii: ";") { return true }
            guard next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") else { return false }
        }
        return true
    }
}
