import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The ends of calls that went to voicemail which the store could not record when their `<Dial>`
/// ended, recorded again in the background: without them the call would stay listed as ringing on
/// every dashboard, and an agent who claimed it meanwhile would stay "on a call", never rung again.
public typealias CallEndRetry = StoreRetry<PendingCallEnd>

/// How a call's `<Dial>` ended (see ``VoiceService/recordCallEnd(_:in:)`` for what recording it does).
///
/// Only an unanswered end waits in a ``CallEndRetry``. An answered one recorded late could take an agent
/// off the call they are on again: a park moves the caller out of the `<Dial>`, which Twilio reports to
/// the `<Dial action>` as an answered end, and the parker may have retrieved the call, or answered its
/// ring-back, by the time the store is back. The store cannot tell that stretch on the call from the
/// first one, so an answered end is not retried; the agent's leg ending (client-status `completed`)
/// ends their part instead. An unanswered call went to voicemail: nobody gets back on it.
public struct PendingCallEnd: StoreRetryItem {
    /// How the dial ended.
    public enum Outcome: String, Equatable, Sendable {
        /// An agent answered, and the conversation with them is over (or the call moved on, to a park).
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
    /// The wrap-up of the agents on the call (none for an unanswered dial).
    public var wrapUpSeconds: Int

    /// Creates an end.
    public init(callSid: String, outcome: Outcome, occurredAt: Date, wrapUpSeconds: Int) {
        self.callSid = callSid
        self.outcome = outcome
        self.occurredAt = occurredAt
        self.wrapUpSeconds = wrapUpSeconds
    }

    /// Only an unanswered end waits (see the type).
    public var mayWait: Bool { outcome == .unanswered }

    /// "call ends".
    public static var noun: String { "call ends" }
}
