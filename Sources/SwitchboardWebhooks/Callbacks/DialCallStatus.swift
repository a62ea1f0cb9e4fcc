/// The outcome of a `<Dial>`, sent to its `action` URL as `DialCallStatus`.
///
/// A value Twilio adds later is kept as ``other(_:)``, so a new value never fails a request.
/// Values compare by ``rawValue``: `.other("completed")` equals `.completed`.
public enum DialCallStatus: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    /// `completed`: the dialed party answered and the bridged call ended.
    case completed
    /// `answered`: the dialed party answered (reported for a conference).
    case answered
    /// `busy`: the dialed party was busy.
    case busy
    /// `no-answer`: nobody answered before `timeout`.
    case noAnswer
    /// `failed`: the destination could not be reached (unroutable or non-existent).
    case failed
    /// `canceled`: the call was canceled through the REST API before an answer.
    case canceled
    /// A value this type has no case for, as Twilio sent it.
    case other(String)

    /// The case for Twilio's value; ``other(_:)`` for an unknown one.
    public init(rawValue: String) {
        switch rawValue {
        case "completed": self = .completed
        case "answered": self = .answered
        case "busy": self = .busy
        case "no-answer": self = .noAnswer
        case "failed": self = .failed
        case "canceled": self = .canceled
        default: self = .other(rawValue)
        }
    }

    /// Twilio's spelling, e.g. `canceled`.
    public var rawValue: String {
        switch self {
        case .completed: "completed"
        case .answered: "answered"
        case .busy: "busy"
        case .noAnswer: "no-answer"
        case .failed: "failed"
        case .canceled: "canceled"
        case .other(let value): value
        }
    }

    public var description: String { rawValue }

    public static func == (lhs: DialCallStatus, rhs: DialCallStatus) -> Bool { lhs.rawValue == rhs.rawValue }

    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}

extension DialCallStatus {
    /// Whether someone answered (`completed` or `answered`); anything else means the caller should be
    /// offered voicemail.
    public var wasAnswered: Bool { self == .completed || self == .answered }
}
