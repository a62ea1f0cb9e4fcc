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

/// The end of a call whose `<Dial>` nobody answered (the caller went to voicemail), waiting in a
/// ``CallEndRetry`` (see ``VoiceService/recordCallEnd(_:in:)`` for what recording it does).
///
/// Only these ends wait: nobody gets back on a call that went to voicemail. An answered end recorded
/// late could take an agent off the call they are on again: a park moves the caller out of the
/// `<Dial>`, which Twilio reports to the `<Dial action>` as an answered end, and the parker may have
/// retrieved the call, or answered its ring-back, by the time the store is back. The store cannot tell
/// that stretch on the call from the first one, so an answered end is not retried; the agent's leg
/// ending (client-status `completed`) ends their part instead.
public struct PendingCallEnd: StoreRetryItem {
    /// The caller's call.
    public var callSid: String
    /// When its dial ended.
    public var occurredAt: Date

    /// Creates a pending end.
    public init(callSid: String, occurredAt: Date) {
        self.callSid = callSid
        self.occurredAt = occurredAt
    }

    /// Every one may wait.
    public var mayWait: Bool { true }

    /// "call ends".
    public static var noun: String { "call ends" }
}
