/// An error the agents' API answers, with a stable machine-readable ``code``, a sentence for people,
/// and sometimes a hint or details (who answered, a capacity). The body is
/// `{"error": "<code>", "message": "<sentence>"}` plus `hint` and the details when present (see
/// ``body``). Statuses are decided in the server module, from the code alone.
///
/// Match on the code: `catch let error as DeskError where error == .alreadyAnswered(by: "")`.
public struct DeskError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Every code the API answers; the raw value is the JSON `error` field and never changes.
    public enum Code: String, Equatable, Sendable, CaseIterable {
        case missingToken = "missing_token"
        case invalidToken = "invalid_token"
        case tokenExpired = "token_expired"
        case tenantMissing = "tenant_missing"
        case supervisorOnly = "supervisor_only"
        case agentRecordMissing = "agent_record_missing"
        case agentRetired = "agent_retired"
        case callNotFound = "call_not_found"
        case agentNotFound = "agent_not_found"
        case parkedCallNotFound = "parked_call_not_found"
        case handoffNotFound = "handoff_not_found"
        case routeNotFound = "route_not_found"
        case methodNotAllowed = "method_not_allowed"
        case invalidRequest = "invalid_request"
        case alreadyAnswered = "already_answered"
        case agentBusy = "agent_busy"
        case agentCallChanged = "agent_call_changed"
        case callNotRinging = "call_not_ringing"
        case notOnCall = "not_on_call"
        case notRung = "not_rung"
        case alreadyParked = "already_parked"
        case alreadyRetrieved = "already_retrieved"
        case parkEnded = "park_ended"
        case parkInProgress = "park_in_progress"
        case atCapacity = "at_capacity"
        case alreadyPickedUp = "already_picked_up"
        case handoffNotActive = "handoff_not_active"
        case handoffReleased = "handoff_released"
        case notYourLeg = "not_your_leg"
        case twilioNotConfigured = "twilio_not_configured"
        case twilioFailed = "twilio_failed"
        case twilioOutcomeUnknown = "twilio_outcome_unknown"
        case storeUnavailable = "store_unavailable"
        case internalError = "internal_error"
    }

    /// The stable code.
    public let code: Code
    /// A sentence saying what went wrong.
    public let message: String
    /// What to do about it, when there is something to do.
    public let hint: String?
    /// Extra fields of the body (`answeredBy`, `active`, `capacity`…), as strings or integers.
    public let details: [String: DetailValue]

    /// A detail value: the body keeps numbers as numbers.
    public enum DetailValue: Equatable, Sendable {
        case string(String)
        case integer(Int)
    }

    /// Creates an error.
    public init(_ code: Code, _ message: String, hint: String? = nil, details: [String: DetailValue] = [:]) {
        self.code = code
        self.message = message
        self.hint = hint
        self.details = details
    }

    /// The same error with `hint` instead of its own: for a caller that knows better what to do next.
    public func hinting(_ hint: String) -> DeskError {
        DeskError(code, message, hint: hint, details: details)
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// Equal when the codes are equal.
    public static func == (lhs: DeskError, rhs: DeskError) -> Bool { lhs.code == rhs.code }
}
