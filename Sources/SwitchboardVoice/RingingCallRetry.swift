import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Records of ringing calls that the store could not make when the voice route decided to ring agents,
/// made again in the background: without them the call is on no dashboard (no card, no Answer button)
/// and its voicemail has no caller.
///
/// A record that reaches the store late is safe. One for a call that has ended meanwhile finds the row
/// the call's end recorded (see ``VoiceService/recordCallEnd(_:in:late:)``) or that a claim made, and
/// changes nothing (``CallStore/recordRinging(_:)`` keeps a call as first recorded); one that lands while
/// the call still rings is what the dashboards should show. A call that ended without its end reaching
/// the store either stays listed only until the dashboards' ringing window passes.
public typealias RingingCallRetry = StoreRetry<RingingCall>

/// A ringing record waits in a ``RingingCallRetry`` as it is.
extension RingingCall: StoreRetryItem {
    /// Every one may wait.
    public var mayWait: Bool { true }

    /// "ringing calls".
    public static var noun: String { "ringing calls" }

    /// When the call started ringing.
    public var occurredAt: Date { startedAt }
}
