/// A recording's `RecordingStatus`, in recording status callbacks.
///
/// A value Twilio adds later is kept as ``other(_:)``, so a new value never fails a request.
/// Values compare by ``rawValue``: `.other("in-progress")` equals `.inProgress`.
public enum RecordingStatus: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    /// `in-progress`: recording has started.
    case inProgress
    /// `completed`: the recording is ready at `RecordingUrl`.
    case completed
    /// `absent`: nothing was recorded (silence).
    case absent
    /// `failed`: the recording could not be made.
    case failed
    /// A value this type has no case for, as Twilio sent it.
    case other(String)

    /// The case for Twilio's value; ``other(_:)`` for an unknown one.
    public init(rawValue: String) {
        switch rawValue {
        case "in-progress": self = .inProgress
        case "completed": self = .completed
        case "absent": self = .absent
        case "failed": self = .failed
        default: self = .other(rawValue)
        }
    }

    /// Twilio's spelling, e.g. `failed`.
    public var rawValue: String {
        switch self {
        case .inProgress: "in-progress"
        case .completed: "completed"
        case .absent: "absent"
        case .failed: "failed"
        case .other(let value): value
        }
    }

    public var description: String { rawValue }

    public static func == (lhs: RecordingStatus, rhs: RecordingStatus) -> Bool { lhs.rawValue == rhs.rawValue }

    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}
