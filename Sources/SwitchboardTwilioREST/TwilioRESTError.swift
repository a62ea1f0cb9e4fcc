import SwitchboardHTTP

/// Why a Twilio REST request failed: no response, or a response that is not 2xx (with Twilio's
/// error code and message when its body has them).
public struct TwilioRESTError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The HTTP status, when a response arrived.
    public let status: Int?
    /// A sentence saying what went wrong.
    public let message: String

    /// Creates an error.
    public init(status: Int?, message: String) {
        self.status = status
        self.message = message
    }

    /// No response arrived.
    static func transport(_ error: TransportError) -> TwilioRESTError {
        TwilioRESTError(status: nil, message: error.description)
    }

    public var description: String { status.map { "HTTP \($0): \(message)" } ?? message }
}
