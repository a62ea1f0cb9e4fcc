/// A `Prefer` header's values: what a write returns and how it meets duplicates, and whether a read
/// counts the rows it matches.
public struct PostgRESTPreferences: Sendable, Equatable {
    /// What a write returns.
    public enum Return: String, Sendable, Equatable {
        case minimal, representation
        case headersOnly = "headers-only"
    }

    /// How an insert meets an existing row with the same key.
    public enum Resolution: String, Sendable, Equatable {
        case mergeDuplicates = "merge-duplicates"
        case ignoreDuplicates = "ignore-duplicates"
    }

    /// What the write returns; nil leaves PostgREST's default (minimal).
    public var returning: Return?
    /// Upsert behaviour; nil is a plain insert.
    public var resolution: Resolution?
    /// Whether columns missing from a payload take their defaults.
    public var missingDefault: Bool
    /// Whether the answer's `Content-Range` gives the exact number of rows the request matches
    /// (`count=exact`), whatever its limit and the project's Max Rows.
    public var countExact: Bool

    /// Creates preferences.
    public init(returning: Return? = nil, resolution: Resolution? = nil, missingDefault: Bool = false, countExact: Bool = false) {
        self.returning = returning
        self.resolution = resolution
        self.missingDefault = missingDefault
        self.countExact = countExact
    }

    /// The header value, e.g. `resolution=merge-duplicates, return=representation`; nil when empty.
    public var headerValue: String? {
        var values: [String] = []
        if let resolution { values.append("resolution=\(resolution.rawValue)") }
        if missingDefault { values.append("missing=default") }
        if let returning { values.append("return=\(returning.rawValue)") }
        if countExact { values.append("count=exact") }
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }
}
