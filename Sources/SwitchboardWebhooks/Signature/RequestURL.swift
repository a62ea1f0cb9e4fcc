/// The public URL of the service as Twilio sees it, and the URLs it requests, for ``SignatureValidator``.
///
/// Behind a proxy or load balancer the server cannot know the scheme, host or port Twilio used, and
/// the `Host` and `X-Forwarded-*` headers are whatever the sender wrote, so the base comes from
/// configuration. Give it as configured in Twilio (`https://switchboard.example.com`, or with a path
/// prefix the proxy strips, `https://example.com/switchboard`); a port may be given or not, since the
/// validator tries the URL both without a port and with the default one.
public struct RequestURL: Hashable, Sendable, CustomStringConvertible {
    /// The base without trailing `/`, e.g. `https://switchboard.example.com`.
    public let base: String

    /// A base URL; trailing `/` characters are dropped so that joining never doubles them.
    public init(base: String) {
        var trimmed = Substring(base)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        self.base = String(trimmed)
    }

    /// The URL of a request given its target as it came on the request line (origin form: path and raw
    /// query, e.g. `/twilio/voice?tenant=a`), unchanged: not decoded, not normalized, so that it is byte
    /// for byte what Twilio signed. A target not starting with `/` gets one.
    public func url(requestTarget: some StringProtocol) -> String {
        requestTarget.hasPrefix("/") ? base + requestTarget : base + "/" + requestTarget
    }

    /// The URL of a request given its path and raw query (without `?`; nil or empty for none).
    public func url(path: some StringProtocol, query: (some StringProtocol)? = String?.none) -> String {
        let target = path.hasPrefix("/") ? String(path) : "/" + path
        guard let query, !query.isEmpty else { return base + target }
        return base + target + "?" + query
    }

    /// The base URL.
    public var description: String { base }
}
