/// An HTTP response as a transport received it, whatever its status.
public struct HTTPResponse: Sendable, Equatable {
    /// The status code.
    public var status: Int
    /// Header fields of the final response, in the order received.
    public var headers: [HTTPHeader]
    /// The body; empty when there was none.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name` (compared case-insensitively), if any.
    public func header(_ name: String) -> String? {
        headers.first { $0.hasName(name) }?.value
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The response itself when its status is 2xx.
    /// - Throws: ``TransportError/status(_:body:)`` with the status and body otherwise.
    public func successful() throws(TransportError) -> HTTPResponse {
        guard isSuccess else { throw .status(status, body: body) }
        return self
    }

    /// The body as UTF-8 text, with invalid bytes replaced.
    public var text: String { String(decoding: body, as: UTF8.self) }
}
