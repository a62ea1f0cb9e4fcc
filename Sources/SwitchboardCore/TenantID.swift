/// A tenant: one call center sharing the service. Every agent, call and voicemail belongs to one.
public struct TenantID: RawRepresentable, Hashable, Comparable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The tenant's name.
    public var rawValue: String

    /// Wraps a tenant name.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a tenant name.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// Wraps a tenant name literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The tenant every call belongs to while no phone numbers are mapped.
    public static let `default` = TenantID("default")

    /// What is wrong with the name, or nil: a tenant is named by 1 to 256 characters, none of them a
    /// control character, neither first nor last a space. A name goes into callback URLs, logs and the
    /// command line's tab-separated lists, and `" default"` would be a second tenant beside `default`.
    public var problem: String? {
        let scalars = rawValue.unicodeScalars
        guard !scalars.isEmpty else { return "a tenant's name cannot be empty" }
        guard scalars.count <= 256 else { return "a tenant's name is at most 256 characters, not \(scalars.count)" }
        if scalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "a tenant's name cannot hold a control character (a tab or a line break, say): \(rawValue.debugDescription)"
        }
        if let first = scalars.first, let last = scalars.last, first.properties.isWhitespace || last.properties.isWhitespace {
            return "a tenant's name cannot begin or end with a space: \(rawValue.debugDescription)"
        }
        return nil
    }

    public var description: String { rawValue }
    public static func < (lhs: TenantID, rhs: TenantID) -> Bool { lhs.rawValue < rhs.rawValue }
}
