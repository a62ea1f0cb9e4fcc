/// A call's `CallStatus`, in voice requests and call-progress status callbacks.
///
/// A value Twilio adds later is kept as ``other(_:)``, so a new value never fails a request.
/// Values compare by ``rawValue``: `.other("queued")` equals `.queued`.
public enum CallStatus: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    /// `queued`: waiting to go out.
    case queued
    /// `initiated`: the call (a `<Dial>` leg) has started dialing; status callbacks only.
    case initiated
    /// `ringing`: the destination is ringing.
    case ringing
    /// `in-progress`: answered, and going on.
    case inProgress
    /// `completed`: answered and ended normally.
    case completed
    /// `busy`: the destination was busy.
    case busy
    /// `failed`: could not be placed, e.g. the number does not exist.
    case failed
    /// `no-answer`: nobody answered.
    case noAnswer
    /// `canceled`: canceled through the REST API while queued or ringing.
    case canceled
    /// A value this type has no case for, as Twilio sent it.
    case other(String)

    /// The case for Twilio's value; ``other(_:)`` for an unknown one.
    public init(rawValue: String) {
        switch rawValue {
        case "queued": self = .queued
        case "initiated": self = .initiated
        case "ringing": self = .ringing
        case "in-progress": self = .inProgress
        case "completed": self = .completed
        case "busy": self = .busy
        case "failed": self = .failed
        case "no-answer": self = .noAnswer
        case "canceled": self = .canceled
        default: self = .other(rawValue)
        }
    }

    /// Twilio's spelling, e.g. `canceled`.
    public var rawValue: String {
        switch self {
        case .queued: "queued"
        case .initiated: "initiated"
        case .ringing: "ringing"
        case .inProgress: "in-progress"
        case .completed: "completed"
        case .busy: "busy"
        case .failed: "failed"
        case .noAnswer: "no-answer"
        case .canceled: "canceled"
        case .other(let value): value
        }
    }

    public var description: String { rawValue }

    public static func == (lhs: CallStatus, rhs: CallStatus) -> Bool { lhs.rawValue == rhs.rawValue }

    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}
