/// Why a caller was sent to voicemail; logged with the decision.
public enum VoicemailReason: Equatable, Sendable, CustomStringConvertible {
    /// No agent of the tenant was available.
    case noAgentsAvailable
    /// The called number belongs to no tenant.
    case unknownNumber(String)
    /// The store failed or was too slow; the detail says how.
    case storeUnavailable(String)
    /// The request could not be understood (a missing parameter, say).
    case badRequest(String)
    /// The ring ended without an answer, with Twilio's `DialCallStatus`.
    case notAnswered(String)

    public var description: String {
        switch self {
        case .noAgentsAvailable: return "no agents available"
        case .unknownNumber(let number): return "no tenant owns \(number)"
        case .storeUnavailable(let detail): return "store unavailable: \(detail)"
        case .badRequest(let detail): return "bad request: \(detail)"
        case .notAnswered(let status): return "not answered (\(status))"
        }
    }
}
