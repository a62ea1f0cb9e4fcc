/// A call's `Direction`.
///
/// A value Twilio adds later is kept as ``other(_:)``, so a new value never fails a request.
/// Values compare by ``rawValue``: `.other("inbound")` equals `.inbound`.
public enum CallDirection: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    /// `inbound`: a call to one of the account's numbers or apps.
    case inbound
    /// `outbound-api`: a call created through the REST API.
    case outboundAPI
    /// `outbound-dial`: a leg created by `<Dial>`.
    case outboundDial
    /// A value this type has no case for, as Twilio sent it.
    case other(String)

    /// The case for Twilio's value; ``other(_:)`` for an unknown one.
    public init(rawValue: String) {
        switch rawValue {
        case "inbound": self = .inbound
        case "outbound-api": self = .outboundAPI
        case "outbound-dial": self = .outboundDial
        default: self = .other(rawValue)
        }
    }

    /// Twilio's spelling, e.g. `outbound-dial`.
    public var rawValue: String {
        switch self {
        case .inbound: "inbound"
        case .outboundAPI: "outbound-api"
        case .outboundDial: "outbound-dial"
        case .other(let value): value
        }
    }

    public var description: String { rawValue }

    public static func == (lhs: CallDirection, rhs: CallDirection) -> Bool { lhs.rawValue == rhs.rawValue }

    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}
