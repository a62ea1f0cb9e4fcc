/// Why a request got no usable response.
public enum TransportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The connection or the whole request took longer than allowed.
    case timeout(String)
    /// Nothing accepted the connection (refused, the host unreachable, or no connection within the time
    /// allowed): the request was not sent.
    case connectionRefused(String)
    /// The host name did not resolve.
    case dns(String)
    /// TLS failed: handshake, certificate verification, or a bad CA file.
    case tls(String)
    /// The connection broke before a complete response arrived (the request may have been received).
    case connectionLost(String)
    /// The response was not HTTP, or was larger than allowed.
    case badResponse(String)
    /// The request itself cannot be sent (malformed URL, unsupported scheme, bad header).
    case invalidRequest(String)
    /// A response arrived with a status the caller treats as failure (see
    /// ``HTTPResponse/successful()``).
    case status(Int, body: [UInt8])
    /// The request was cancelled, or the transport was shut down.
    case cancelled(String)
    /// Any other failure, with the underlying library's code.
    case failed(code: Int, message: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .timeout(let message): "timed out: \(message)"
        case .connectionRefused(let message): "connection refused: \(message)"
        case .dns(let message): "name resolution failed: \(message)"
        case .tls(let message): "TLS failed: \(message)"
        case .connectionLost(let message): "connection lost: \(message)"
        case .badResponse(let message): "bad response: \(message)"
        case .invalidRequest(let message): "invalid request: \(message)"
        case .status(let status, let body): "HTTP \(status): \(String(decoding: body.prefix(200), as: UTF8.self))"
        case .cancelled(let message): "cancelled: \(message)"
        case .failed(let code, let message): "failed (\(code)): \(message)"
        }
    }
}
