#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A voicemail a caller left, as the recording status callback reports it.
public struct Voicemail: Equatable, Sendable, Codable {
    /// Twilio's recording SID; unique, so a retried callback stores nothing twice.
    public var recordingSid: String
    /// The inbound call's SID.
    public var callSid: String
    /// The tenant.
    public var tenant: TenantID
    /// The caller (`From`), when known.
    public var caller: String?
    /// Where Twilio keeps the recording.
    public var recordingURL: String
    /// Length in seconds.
    public var durationSeconds: Int?
    /// When it was stored.
    public var receivedAt: Date

    /// Creates a voicemail.
    public init(
        recordingSid: String,
        callSid: String,
        tenant: TenantID,
        caller: String?,
        recordingURL: String,
        durationSeconds: Int?,
        receivedAt: Date
    ) {
        self.recordingSid = recordingSid
        self.callSid = callSid
        self.tenant = tenant
        self.caller = caller
        self.recordingURL = recordingURL
        self.durationSeconds = durationSeconds
        self.receivedAt = receivedAt
    }
}
