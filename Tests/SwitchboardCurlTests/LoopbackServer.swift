import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A small HTTP/1.1 server on a real loopback socket, written for the transport's tests: it can echo a
/// request, answer slowly, answer garbage, close without answering or send a large body, and it
/// counts the connections it accepts. Keep-alive unless the client asks to close.
///
/// Paths: `/echo…` answers 200 with `method\npath\nheader lines…\n\nbody`; `/status/N` answers N;
/// `/slow/MS` waits MS milliseconds first; `/garbage` writes a non-HTTP line and closes; `/reset` closes
/// at once; `/big/N` answers N bytes.
final class LoopbackServer: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let accepted = NIOLockedValueBox(0)

    /// The bound port.
    let port: Int

    init() async throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let accepted = self.accepted
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                accepted.withLockedValue { $0 += 1 }
                return channel.pipeline.addHandler(RequestHandler())
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        port = channel.localAddress?.port ?? 0
    }

    /// Connections accepted so far.
    var connectionsAccepted: Int { accepted.withLockedValue { $0 } }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func shutdown() async throws {
        try await channel.close()
        try await group.shutdownGracefully()
    }

    /// Runs `body` with a fresh server, and shuts it down afterwards.
    static func with<T>(_ body: (LoopbackServer) async throws -> T) async throws -> T {
        let server = try await LoopbackServer()
        do {
            let result = try await body(server)
            try await server.shutdown()
            return result
        } catch {
            try? await server.shutdown()
            throw error
        }
    }
}

/// Parses requests from the byte stream and answers each.
private final class RequestHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var pending: [UInt8] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        if pending.first == 0x16 {
            // A TLS ClientHello: answer as a plain HTTP server does, and close.
            write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", context: context)
            context.close(promise: nil)
            return
        }
        while let request = takeRequest() {
            answer(request, context: context)
        }
    }

    private struct Request {
        var method: String
        var path: String
        var headerLines: [String]
        var body: [UInt8]
    }

    private func takeRequest() -> Request? {
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = pending.indices.first(where: { pending[$0...].starts(with: terminator) }) else { return nil }
        let head = String(decoding: pending[..<end], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        let length =
            lines.compactMap { line -> Int? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }.first ?? 0
        let bodyStart = end + terminator.count
        guard pending.count >= bodyStart + length else { return nil }
        let body = Array(pending[bodyStart..<(bodyStart + length)])
        pending.removeFirst(bodyStart + length)
        return Request(method: String(requestLine.first ?? ""), path: String(requestLine.dropFirst().first ?? ""), headerLines: lines, body: body)
    }

    private func answer(_ request: Request, context: ChannelHandlerContext) {
        let path = request.path
        if path == "/garbage" {
            write("SSH-2.0-OpenSSH_9.2 this is not HTTP\r\n\r\n", context: context)
            context.close(promise: nil)
        } else if path == "/reset" {
            context.close(promise: nil)
        } else if path.hasPrefix("/slow/"), let delay = Int(path.dropFirst("/slow/".count)) {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(delay))) {
                self.respond(status: 200, body: Array("slow".utf8), context: loopBound.value)
            }
        } else if path.hasPrefix("/status/"), let status = Int(path.dropFirst("/status/".count)) {
            respond(status: status, body: Array(#"{"status":\#(status)}"#.utf8), context: context)
        } else if path.hasPrefix("/big/"), let size = Int(path.dropFirst("/big/".count)) {
            respond(status: 200, body: Array(repeating: UInt8(ascii: "x"), count: size), context: context)
        } else {
            let echo = ([request.method, path] + request.headerLines).joined(separator: "\n") + "\n\n"
            respond(status: 200, body: Array(echo.utf8) + request.body, context: context, head: request.method == "HEAD")
        }
    }

    private func respond(status: Int, body: [UInt8], context: ChannelHandlerContext, head: Bool = false) {
        write("HTTP/1.1 \(status) Status\r\nContent-Type: text/plain\r\nX-Test: yes\r\nContent-Length: \(body.count)\r\n\r\n", context: context)
        if !head {
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: body)), promise: nil)
        }
    }

    private func write(_ text: String, context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text)), promise: nil)
    }
}
