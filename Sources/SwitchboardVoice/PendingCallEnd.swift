import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The ends of calls that the store could not record when their `<Dial>` ended, recorded again in the
/// background: without them the call would stay listed as ringing on every dashboard, and the agent on
/// it would stay "on a call", never rung again.
public typealias CallEndRetry = StoreRetry<PendingCallEnd>

/// How a call's `<Dial>` ended, waiting in a ``CallEndRetry`` (see
/// ``VoiceService/recordCallEnd(_:in:)`` for what recording it does).
public struct PendingCallEnd: StoreRetryItem {
    /// How the dial ended.
    public enum Outcome: String, Equatable, Sendable {
        /// An agent answered, and the conversation is over.
        case answered
        /// Nobody answered: the caller went to voicemail.
        case unanswered
    }

    /// The caller's call.
    public var callSid: String
    /// How the dial ended.
    public var outcome: Outcome
    /// When it ended.
    public var occurredAt: Date
    /// The wrap-up of the agent who answered (none for an unanswered dial).
    public var wrapUpSeconds: Int
    /// The tenant the callback's URL named, if any (else the call's record decides).
    public var tenant: TenantID?

    /// Creates a pending end.
    public init(callSid: String, outcome: Outcome, occurredAt: Date, wrapUpSeconds: Int, tenant: TenantID? = nil) {
        self.callSid = callSid
        self.outcome = outcome
        self.occurredAt = occurredAt
        self.wrapUpSeconds = wrapUpSeconds
        self.tenant = tenant
    }

    /// Every end may wait.
    public var mayWait: Bool { true }

    /// "call ends".
    public static var noun: String { "call ends" }
}
