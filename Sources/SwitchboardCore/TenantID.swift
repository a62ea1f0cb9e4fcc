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

    public var description: String { rawValue }
    public static func < (lhs: TenantID, rhs: TenantID) -> Bool { lhs.rawValue < rhs.rawValue }
}
