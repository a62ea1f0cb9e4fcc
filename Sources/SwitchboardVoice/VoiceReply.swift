import SwitchboardTwiML

/// What a voice route answers: always a TwiML document with status 200, so Twilio never sees a 5xx or
/// an empty body, plus what the service decided, for logs and tests.
public struct VoiceReply: Equatable, Sendable {
    /// The TwiML to send.
    public var document: VoiceResponse
    /// A short word for the outcome (`ring`, `voicemail`, `claim-won`, `recorded`, …).
    public var outcome: String
    /// Why, when the caller was sent to voicemail or a request was only partly understood.
    public var reason: String?

    /// Creates a reply.
    public init(document: VoiceResponse, outcome: String, reason: String? = nil) {
        self.document = document
        self.outcome = outcome
        self.reason = reason
    }
}
