import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A raw loopback connection, for what an HTTP client library will not send (a body cut short, a
/// request that stalls): reads wait at most 10 s.
enum LoopbackSocket {
    /// Connects to `port` on 127.0.0.1, sends `text`, and hands the open socket to `body`; closes it after.
    static func withConnection<T>(port: Int, sending text: String, _ body: (Int32) throws -> T) throws -> T {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socket >= 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        let bytes = Array(text.utf8)
        try #require(write(socket, bytes, bytes.count) == bytes.count)
        return try body(socket)
    }

    /// Runs `body`, which blocks on sockets, on a thread of its own: blocked on Swift's cooperative pool
    /// (one thread per core), a few such tests at once would starve the servers they talk to.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.start()
        }
    }
}
