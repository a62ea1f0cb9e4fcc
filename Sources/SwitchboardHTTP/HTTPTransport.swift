/// Sends HTTP requests. The seam between Switchboard's clients (the PostgREST store) and the network:
/// the libcurl transport in production, in-process fakes in tests.
///
/// Contract: any response that arrives is returned, whatever its status; only a request that gets no
/// complete response throws. Implementations are safe to call concurrently.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the response.
    /// - Throws: a ``TransportError`` saying why no response arrived.
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse
}
