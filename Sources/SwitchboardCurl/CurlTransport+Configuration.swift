extension CurlTransport {
    /// How the libcurl transport behaves. Read at the entry point and passed in.
    public struct Configuration: Sendable, Equatable {
        /// Requests in flight at once; each occupies one thread while libcurl works. Later requests
        /// wait for a free thread.
        public var maxConcurrentRequests: Int
        /// The default limit on establishing a connection.
        public var connectTimeout: Duration
        /// The default limit on a whole request.
        public var totalTimeout: Duration
        /// Whether TLS peers are verified (certificate and host name). On unless a test turns it off.
        public var verifyTLS: Bool
        /// A PEM file of CA certificates to trust instead of the system's, if any.
        public var caCertificatePath: String?
        /// The largest response body accepted; larger ones fail with ``TransportError/badResponse(_:)``.
        public var maxResponseBytes: Int
        /// The `User-Agent` header sent with every request.
        public var userAgent: String

        /// Creates a configuration; the defaults suit a store a voice route waits on.
        public init(
            maxConcurrentRequests: Int = 16,
            connectTimeout: Duration = .seconds(2),
            totalTimeout: Duration = .seconds(5),
            verifyTLS: Bool = true,
            caCertificatePath: String? = nil,
            maxResponseBytes: Int = 16 << 20,
            userAgent: String = "switchboard"
        ) {
            self.maxConcurrentRequests = maxConcurrentRequests
            self.connectTimeout = connectTimeout
            self.totalTimeout = totalTimeout
            self.verifyTLS = verifyTLS
            self.caCertificatePath = caCertificatePath
            self.maxResponseBytes = maxResponseBytes
            self.userAgent = userAgent
        }
    }
}
