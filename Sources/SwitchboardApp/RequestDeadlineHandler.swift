import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request has not arrived whole (body and end) within a deadline of its
/// head, the first part the HTTP decoder hands on: a client that trickles a body, one byte now and
/// then, never trips the idle timeout, and could hold its connection, and a file of the process, for
/// ever.
///
/// Not covered: headers trickled in before the head is complete (the idle timeout and the decoder's
/// 80 KiB header limit are all that bound them), and, on a connection that pipelines, an unfinished
/// later request closes the connection while an earlier one may still be answered (Twilio does not
/// pipeline).
///
/// It watches only requests: once a request's end has arrived nothing is timed, so a slow answer, a
/// long stream (`/api/events`) and an idle keep-alive connection (the idle timeout's business) are
/// unaffected. A request that arrives in the read that began it, as nearly every one does, arms no
/// timer at all: the deadline is scheduled only when a read completes with the request unfinished.
final class RequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let limit: TimeAmount
    /// Whether a request's head has arrived and its end has not.
    private var reading = false
    private var timer: Scheduled<Void>?

    /// A handler giving each request `limit` from its first part to its end.
    init(limit: TimeAmount) {
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            reading = true
        case .body:
            break
        case .end:
            reading = false
            timer?.cancel()
            timer = nil
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Timed from the end of the read that left the request unfinished (no clock is read for a
        // request that arrives whole in one read).
        if reading, timer == nil {
            timer = context.eventLoop.assumeIsolated().scheduleTask(in: limit) {
                context.close(promise: nil)
            }
        }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }
}
