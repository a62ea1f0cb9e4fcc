import SwitchboardHTTP

/// Why a Twilio REST request failed: no response, or a response that is not 2xx (with Twilio's
/// error code and message when its body has them).
public struct TwilioRESTError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The HTTP status, when a response arrived.
    public let status: Int?
    /// A sentence saying what went wrong.
    public let message: String
    /// Whether Twilio may have carried the request out although it failed: the request may have reached
    /// Twilio and no answer says it was refused (a timeout, a connection lost mid-way, Twilio's own 5xx).
    /// False when it certainly did not: Twilio answered 4xx, or the request never left (refused
    /// connection, name resolution, TLS, a malformed request).
    public let mayHaveBeenApplied: Bool

    /// Creates an error. Without `mayHaveBeenApplied`, a 4xx is taken as a refusal and anything else as
    /// an unknown outcome.
    public init(status: Int?, message: String, mayHaveBeenApplied: Bool? = nil) {
        self.status = status
        self.message = message
        self.mayHaveBeenApplied = mayHaveBeenApplied ?? !(status.map { (400..<500).contains($0) } ?? false)
    }

    /// No usable response arrived.
    static func transport(_ error: TransportError) -> TwilioRESTError {
        let mayHaveBeenApplied: Bool
        switch error {
        case .connectionRefused, .dns, .tls, .invalidRequest: mayHaveBeenApplied = false
        case .status(let status, _): mayHaveBeenApplied = !(400..<500).contains(status)
        case .timeout, .connectionLost, .badResponse, .cancelled, .failed: mayHaveBeenApplied = true
        }
        return TwilioRESTError(status: nil, message: error.description, mayHaveBeenApplied: mayHaveBeenApplied)
    }

    /// The status (when a response arrived) and the message.
    public var description: String { status.map { "HTTP \($0): \(message)" } ?? message }
}
