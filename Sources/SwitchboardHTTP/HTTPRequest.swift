/// An HTTP request for an ``HTTPTransport``: what to send, and how long to wait for it.
public struct HTTPRequest: Sendable, Equatable {
    /// The methods Switchboard's clients use.
    public enum Method: String, Sendable, Equatable {
        case get = "GET"
        case head = "HEAD"
        case post = "POST"
        case patch = "PATCH"
        case put = "PUT"
        case delete = "DELETE"
    }

    /// The request method.
    public var method: Method
    /// The absolute URL, query included, already percent-encoded.
    public var url: String
    /// Header fields in the order they are sent; a name may repeat.
    public var headers: [HTTPHeader]
    /// The body, or nil for none.
    public var body: [UInt8]?
    /// Time limits for this request; nil fields take the transport's defaults.
    public var timeouts: HTTPTimeouts

    /// Creates a request.
    public init(method: Method, url: String, headers: [HTTPHeader] = [], body: [UInt8]? = nil, timeouts: HTTPTimeouts = HTTPTimeouts()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
    }

    /// The first value of the header `name` (compared case-insensitively), if any.
    public func header(_ name: String) -> String? {
        headers.first { $0.hasName(name) }?.value
    }
}
