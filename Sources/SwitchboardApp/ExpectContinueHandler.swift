import HTTPTypes
import NIOCore
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Answers `Expect: 100-continue` with the interim `100 Continue` a client waits for before it sends its
/// body (RFC 9110, 10.1.1). Without it such a client (curl, for bodies above its threshold) stalls for
/// its own timeout, a second or more, before it sends the body anyway.
///
/// The interim answer goes out as the request's head arrives, unless:
/// - the announced body is larger than the server takes (`AppConfiguration.bodyLimit`), or its length
///   is not a number: the Twilio routes then answer 413 at once, from its `Content-Length`, and a client
///   that waits for `100 Continue` never sends the body (the agents' API answers once the client, tired
///   of waiting, has sent it);
/// - an earlier request on the connection is still being answered (a client that pipelines): the 100
///   would land before or inside that answer. The client then waits out its own timeout.
///
/// Other expectations are ignored, as RFC 9110 allows, and so is the expectation of an HTTP/1.0 request,
/// as it requires: the typed HTTP parts this handler reads carry no version, so, once in the pipeline,
/// it puts an ``HTTP10ExpectationFilter`` before the conversion to them, which drops that `Expect` field.
final class ExpectContinueHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let bodyLimit: Int
    /// Requests whose heads have arrived and whose answers have not ended.
    private var unanswered = 0

    /// A handler that promises bodies of at most `bodyLimit` bytes.
    init(bodyLimit: Int) {
        self.bodyLimit = bodyLimit
    }

    /// Puts the ``HTTP10ExpectationFilter`` before the conversion of HTTP/1 parts to typed ones (the
    /// server's pipeline has one; a pipeline without it, as in tests, gets none).
    func handlerAdded(context: ChannelHandlerContext) {
        let pipeline = context.pipeline.syncOperations
        guard let codec = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) else { return }
        try? pipeline.addHandler(HTTP10ExpectationFilter(), position: .before(codec))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            if unanswered == 0, Self.expectsContinue(head, bodyLimit: bodyLimit) {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
            }
            unanswered += 1
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { unanswered = max(0, unanswered - 1) }
        context.write(data, promise: promise)
    }

    /// Whether `head` asks for `100 Continue` (the only expectation there is, its case ignored) and
    /// announces no body above `bodyLimit`.
    static func expectsContinue(_ head: HTTPRequest, bodyLimit: Int) -> Bool {
        guard let expect = head.headerFields[.expect], expect.lowercased() == "100-continue" else { return false }
        return head.headerFields[.contentLength].map { fits($0, within: bodyLimit) } ?? true
    }

    /// Whether a `Content-Length` of `value` is a length of at most `limit` bytes; one that is no number
    /// (several fields joined, or beyond `Int`) does not fit.
    static func fits(_ value: String, within limit: Int) -> Bool {
        Int(value).map { $0 <= limit } ?? false
    }
}
