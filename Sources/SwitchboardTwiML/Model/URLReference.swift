/// A URL as written in TwiML: absolute or relative, kept byte for byte as given (Foundation's `URL`
/// would percent-encode and refuse the empty string, which `waitUrl=""` needs).
public struct URLReference: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The URL text exactly as it will be written.
    public var string: String

    /// Wraps a URL string.
    @inlinable
    public init(_ string: String) { self.string = string }

    /// Wraps a URL string literal.
    @inlinable
    public init(stringLiteral value: String) { self.string = value }

    public var description: String { string }

    /// Whether this looks like a usable URL: empty (meaning "none", for `waitUrl`), a relative path, or an
    /// `http`/`https` URL with a host, and no whitespace.
    public var isPlausible: Bool {
        if string.isEmpty { return true }
        if string.unicodeScalars.contains(where: { $0.properties.isWhitespace }) { return false }
        if let colon = string.firstIndex(of: ":"), !string[..<colon].contains("/") {
            let scheme = string[..<colon].lowercased()
            guard scheme == "http" || scheme == "https" else { return false }
            let rest = string[string.index(after: colon)...]
            return rest.hasPrefix("//") && rest.count > 2
        }
        return true
    }
}
