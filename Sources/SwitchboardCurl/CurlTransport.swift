import NIOConcurrencyHelpers
import NIOPosix
import SwitchboardHTTP

/// An ``HTTPTransport`` on libcurl. Each request runs `curl_easy_perform` on a thread of the
/// transport's own pool, never on an event loop or the cooperative pool; easy handles (and their
/// open connections) are kept in a ``CurlHandlePool`` and reused. TLS is verified unless the
/// configuration says otherwise; `CURLOPT_NOSIGNAL` is set, so timeouts never raise signals.
///
/// Call ``shutdown()`` before dropping the transport.
public final class CurlTransport: HTTPTransport {
    private let configuration: Configuration
    private let threads: NIOThreadPool
    private let handles: CurlHandlePool
    private let connections = NIOLockedValueBox(0)

    /// Creates a transport and starts its threads.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        let threadCount = max(1, configuration.maxConcurrentRequests)
        self.threads = NIOThreadPool(numberOfThreads: threadCount)
        self.handles = CurlHandlePool(capacity: threadCount)
        threads.start()
    }

    /// How many TCP connections the transport has opened so far. With connection reuse working this
    /// stays near the number of requests in flight at once, not the number of requests.
    public var connectionsOpened: Int { connections.withLockedValue { $0 } }

    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let cancellation = NIOLockedValueBox(false)
        let result: Result<HTTPResponse, TransportError>
        do {
            result = try await withTaskCancellationHandler {
                try await threads.runIfActive { [configuration, handles, connections] () -> Result<HTTPResponse, TransportError> in
                    guard let handle = handles.take() else {
                        return .failure(.failed(code: 2, message: "libcurl could not create a handle"))
                    }
                    defer { handles.put(handle) }
                    return Result { () throws(TransportError) in
                        try handle.perform(request, configuration: configuration, cancellation: cancellation)
                    }.map { transfer in
                        connections.withLockedValue { $0 += transfer.connectionsOpened }
                        return transfer.response
                    }
                }
            } onCancel: {
                cancellation.withLockedValue { $0 = true }
            }
        } catch {
            throw .cancelled("The transport is shut down")
        }
        return try result.get()
    }

    /// Stops the threads after the requests in flight, and closes every kept connection.
    public func shutdown() async {
        try? await threads.shutdownGracefully()
        handles.drain()
    }
}
