import SwitchboardCore

/// What a voice route answers: always a complete TwiML document with status 200, so Twilio never sees a
/// 5xx or an empty body, plus what the service decided, for logs and tests.
public struct VoiceReply: Equatable, Sendable {
    /// The TwiML to send, rendered (UTF-8, with its XML declaration): exactly the bytes of the answer.
    public var body: [UInt8]
    /// A short word for the outcome (`ring`, `voicemail`, `claim-won`, `recorded`, …).
    public var outcome: String
    /// Why, when the caller was sent to voicemail or a request was only partly understood.
    public var reason: String?
    /// The call's tenant, when the service learned it from the store (inbound calls of a known number,
    /// claims, ring events), so what runs after the reply need not read it again; nil otherwise.
    public var tenant: TenantID?

    /// Creates a reply.
    public init(body: [UInt8], outcome: String, reason: String? = nil, tenant: TenantID? = nil) {
        self.body = body
        self.outcome = outcome
        self.reason = reason
        self.tenant = tenant
    }
}
