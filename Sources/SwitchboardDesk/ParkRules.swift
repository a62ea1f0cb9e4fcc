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
        String((slotPrefix + callSid).prefix(64))
    }

    /// Whether the Twilio queue `name` is a park slot (``slot(forCall:)`` of a call SID: `park_CA` and 32
    /// hexadecimal digits), so that a queue of another application named alike is never taken for one.
    public static func isSlot(named name: String) -> Bool {
        name.hasPrefix(slotPrefix) && isSID(name.dropFirst(slotPrefix.count), prefix: "CA")
    }

    /// The queue to delete once the slot's `<Enqueue action>` says, with `queueResult`, that its caller
    /// left it for good: Twilio keeps every queue until it is deleted, and a slot serves one call. Nil
    /// when the caller's leaving is not over (`bridging-in-process`); when it went where a REST redirect
    /// sent it (`redirected`, `redirected-from-bridged`), which is usually a new park of the same call
    /// into the same slot, whose own end deletes it; for a result Twilio has not documented; and for a
    /// `queueSid` that is not a queue SID (`QU` and 32 hex digits). After the other documented results
    /// the caller is gone from the slot, and Twilio deletes only an empty queue.
    public static func emptiedSlot(queueResult: String, queueSid: String?) -> String? {
        guard slotLeavingResults.contains(queueResult), let queueSid, isSID(Substring(queueSid), prefix: "QU") else { return nil }
        return queueSid
    }

    /// The `QueueResult` values after which the caller is out of the slot for good: bridged to an agent
    /// (sent once both parties hung up), or any of ``unbridgedResults``.
    static let slotLeavingResults: Set<String> = unbridgedResults.union(["bridged"])

    /// The `QueueResult` values that say the caller left the slot without ever being bridged to anyone:
    /// it hung up while it waited, `<Leave>` at the park's timeout, or the queue failed. (A caller bridged
    /// to an agent leaves as `bridged`, once both hang up.)
    static let unbridgedResults: Set<String> = ["hangup", "leave", "queue-full", "error", "system-error"]

    /// Whether the slot's `<Enqueue action>` result says the caller left without ever being bridged, so
    /// that whoever retrieved the call never spoke to it (see ``unbridgedResults``). False for the other
    /// documented results and for undocumented ones.
    public static func leftUnbridged(queueResult: String) -> Bool {
        unbridgedResults.contains(queueResult)
    }

    /// What every slot's name starts with.
    static let slotPrefix = "park_"

    /// Whether `text` has the form of a Twilio SID with this two-letter prefix: the prefix and 32
    /// hexadecimal digits.
    static func isSID(_ text: Substring, prefix: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard utf8.count == 34, text.hasPrefix(prefix) else { return false }
        return utf8.dropFirst(2).allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
        }
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

    /// How long after the retriever's leg reached the slot (`/twilio/retrieve`, which answers
    /// `<Dial><Queue>`) the caller may still be in it: Twilio takes the caller from the queue as the
    /// leg's `<Dial>` starts, and the slot's hold music is not requested once it has. A hold-music
    /// request later than that shows that the leg dropped before the bridge (the agent hung up, its
    /// connection broke), and the call is given back to every agent.
    public static let retrieverBridgeGraceSeconds = 20

    /// The latest arrival time of a retriever's leg that is taken as never bridged when the caller is still
    /// in the slot at `now` (see ``retrieverBridgeGraceSeconds``).
    public static func retrieverBridgedSince(now: Date) -> Date {
        now.addingTimeInterval(-Double(retrieverBridgeGraceSeconds))
    }

    /// The latest retrieval time of a retrieval whose leg, not yet in the slot, is taken as not coming at
    /// `now` (see ``retrieverArrivalGraceSeconds``).
    public static func retrieverExpectedSince(now: Date) -> Date {
        now.addingTimeInterval(-Double(retrieverArrivalGraceSeconds))
    }
}
