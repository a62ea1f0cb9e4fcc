#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where a parked caller waits and when the park times out.
public enum ParkRules {
    /// The Twilio queue a parked call waits in: one queue per call (`park_` and the call SID), so that
    /// `<Dial><Queue>` (which takes the caller at the head of a queue) retrieves exactly that caller.
    public static func slot(forCall callSid: String) -> String {
        String(("park_" + callSid).prefix(64))
    }

    /// Whether a caller who has waited `queueTime` seconds (Twilio's `QueueTime`) has waited too
    /// long for a park timeout of `timeoutSeconds`.
    public static func hasTimedOut(queueTime: Int, timeoutSeconds: Int) -> Bool {
        queueTime >= timeoutSeconds
    }

    /// How long after a park its caller may still be on the way to the slot: Twilio fetches the
    /// redirect's TwiML within seconds, and every `/twilio/park` and hold-music request records the
    /// arrival again, so a caller really waiting is recorded as arrived well within it, even after a
    /// short store outage.
    public static let arrivalGraceSeconds = 120

    /// The earliest park time of a waiting park whose caller has not arrived and may still: a park made
    /// before it, whose caller never arrived, is over (the caller hung up on the way to the slot, which
    /// nothing reports) though it was never ended, and the dashboard neither lists nor retrieves it.
    public static func arrivalExpectedSince(now: Date) -> Date {
        now.addingTimeInterval(-Double(arrivalGraceSeconds))
    }

    /// How long a retrieval may wait for its agent's leg to reach the slot (`/twilio/retrieve`) before
    /// the hold music gives the call back to every agent: a redirected leg arrives within seconds, a
    /// Voice SDK connect within a few more, and a leg that has not arrived by then (the agent's browser
    /// closed, its connection dropped) is not coming, while the caller would otherwise hold until the
    /// park times out.
    public static let retrieverArrivalGraceSeconds = 30

    /// The latest retrieval time of a retrieval whose leg, not yet in the slot, is taken as not coming at
    /// `now` (see ``retrieverArrivalGraceSeconds``).
    public static func retrieverExpectedSince(now: Date) -> Date {
        now.addingTimeInterval(-Double(retrieverArrivalGraceSeconds))
    }
}
