/// Time limits for one request. A nil limit takes the transport's default.
public struct HTTPTimeouts: Sendable, Equatable {
    /// The longest wait for a connection to be established (TCP and TLS).
    public var connect: Duration?
    /// The longest the whole request may take, connection included.
    public var total: Duration?

    /// Creates time limits.
    public init(connect: Duration? = nil, total: Duration? = nil) {
        self.connect = connect
        self.total = total
    }
}
