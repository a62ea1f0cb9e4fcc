import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` with the interim `100 Continue` a client waits for before it sends its
/// body (RFC 9110, 10.1.1). Without it such a client (curl, .NET's HttpClient, for bodies above their
/// thresholds) stalls for its own timeout, a second or more, before it sends the body anyway.
///
/// The interim answer goes out as the request's head arrives, unless the announced body is larger than
/// the server takes (`AppConfiguration.bodyLimit`): the Twilio routes then answer 413 at once, from its
/// `Content-Length`, and a client that waits for `100 Continue` never sends the body (the agents' API
/// answers once the client, tired of waiting, has sent it). Other expectations are ignored, as RFC 9110
/// allows.
final class ExpectContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    private let bodyLimit: Int

    /// A handler that promises bodies of at most `bodyLimit` bytes.
    init(bodyLimit: Int) {
        self.bodyLimit = bodyLimit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data), Self.expectsContinue(head, bodyLimit: bodyLimit) {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
        context.fireChannelRead(data)
    }

    /// Whether `head` asks for `100 Continue` (the only expectation there is, its case ignored) and
    /// announces no body above `bodyLimit`.
    static func expectsContinue(_ head: HTTPRequest, bodyLimit: Int) -> Bool {
        guard let expect = head.headerFields[.expect], expect.lowercased() == "100-continue" else { return false }
        guard let length = head.headerFields[.contentLength] else { return true }
        return Int(length).map { $0 <= bodyLimit } ?? true
    }
}
