/// A `Prefer` header's values for a write.
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

    /// Creates preferences.
    public init(returning: Return? = nil, resolution: Resolution? = nil, missingDefault: Bool = false) {
        self.returning = returning
        self.resolution = resolution
        self.missingDefault = missingDefault
    }

    /// The header value, e.g. `resolution=merge-duplicates, return=representation`; nil when empty.
    public var headerValue: String? {
        var values: [String] = []
        if let resolution { values.append("resolution=\(resolution.rawValue)") }
        if missingDefault { values.append("missing=default") }
        if let returning { values.append("return=\(returning.rawValue)") }
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }
}
