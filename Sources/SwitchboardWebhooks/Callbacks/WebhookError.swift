/// A webhook request whose parameters do not make the typed callback it was read as.
///
/// Match on the code: `catch let error as WebhookError where error == .missingParameter`.
/// ``parameter`` and ``message`` name Twilio's parameter (`CallSid`, `DialCallStatus`, …).
public struct WebhookError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case missingParameter
        case invalidParameter
    }

    private let code: Code
    /// A sentence saying what is wrong, naming the parameter.
    public let message: String
    /// Twilio's name of the parameter at fault, e.g. `CallSid`.
    public let parameter: String

    private init(_ code: Code, parameter: String, message: String) {
        self.code = code
        self.parameter = parameter
        self.message = message
    }

    /// A parameter the callback requires is absent.
    public static let missingParameter = WebhookError(.missingParameter, parameter: "", message: "")
    /// A parameter is present but its value has the wrong form (not an integer, not a boolean, …).
    public static let invalidParameter = WebhookError(.invalidParameter, parameter: "", message: "")

    static func missing(_ parameter: String, in callback: String) -> WebhookError {
        WebhookError(.missingParameter, parameter: parameter, message: "\(callback) requires the parameter \(parameter)")
    }

    static func invalid(_ parameter: String, value: String, expected: String) -> WebhookError {
        let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
        return WebhookError(
            .invalidParameter,
            parameter: parameter,
            message: "parameter \(parameter) should be \(expected), not \"\(shown)\""
        )
    }

    public var description: String { message }

    public static func == (lhs: WebhookError, rhs: WebhookError) -> Bool { lhs.code == rhs.code }
}
