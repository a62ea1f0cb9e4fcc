import NIOCore
import NIOHTTP1

/// Drops the `Expect` field of HTTP/1.0 requests, which RFC 9110 (10.1.1) says a server must ignore:
/// an HTTP/1.0 client does not wait for `100 Continue` and may not understand one. It sits just before
/// the conversion to typed HTTP parts, the last place a request's version is known, so
/// ``ExpectContinueHandler`` after it answers only HTTP/1.1 requests; that handler puts it there.
final class HTTP10ExpectationFilter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(var head) = unwrapInboundIn(data), head.version.major == 1, head.version.minor == 0,
            head.headers.contains(name: "Expect")
        {
            head.headers.remove(name: "Expect")
            context.fireChannelRead(wrapInboundOut(.head(head)))
            return
        }
        context.fireChannelRead(data)
    }
}
