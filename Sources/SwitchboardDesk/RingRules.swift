import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decisions about a ringing call and an agent's rings, from ring events alone.
public enum RingRules {
    /// Whether the caller should go to voicemail now: the call rang at least one agent, nobody
    /// answered, and every agent it rang has declined or missed.
    public static func everyAgentDeclinedOrMissed(_ call: RingingCall, events: [RingEvent]) -> Bool {
        guard !call.agentsRung.isEmpty else { return false }
        let relevant = events.filter { $0.callSid == call.callSid }
        if relevant.contains(where: { $0.kind == .answered }) { return false }
        let done = Set(relevant.filter { $0.kind == .declined || $0.kind == .missed }.map(\.agentIdentity))
        return call.agentsRung.allSatisfy { done.contains($0) }
    }

    /// The earliest start of a call that may still be ringing at `now`: Twilio rings a `<Dial>` for at
    /// most its timeout and about 5 s more, and a minute is left for callbacks that come late. A call
    /// recorded as ringing before that is over, though its end was never recorded (the store failed,
    /// and the retry gave up or the service restarted); the dashboard neither lists nor answers it.
    public static func ringingSince(now: Date, dialTimeoutSeconds: Int) -> Date {
        now.addingTimeInterval(-Double(dialTimeoutSeconds + 65))
    }

    /// Whether an agent should be set away: its latest `threshold` ring outcomes (newest first, as
    /// ``DeskStore/ringOutcomes(of:in:limit:)`` returns them) are all rings the agent let pass (see
    /// ``isLetPass(_:)``). Anything else breaks the run: an answer, a decline, and a ring that ended
    /// through no doing of the agent's; a threshold below 1 turns the rule off.
    public static func missedInARow(_ outcomes: [RingEvent], threshold: Int) -> Bool {
        guard threshold > 0, outcomes.count >= threshold else { return false }
        return outcomes.prefix(threshold).allSatisfy(isLetPass)
    }

    /// Whether a ring outcome is one the agent let pass: a `missed` ring that rang out (`no-answer`) or
    /// could not reach the agent's client (`failed`, or a status not recorded). Not a ring Twilio
    /// `canceled`, which is what a ring-all does to every other agent's leg once one agent answers, and
    /// what a caller hanging up during the ring does: counted, every agent slower than the quickest
    /// would be set away after a few calls. Nor a `busy` one, the client's own refusal (the agent was
    /// there) or its other call.
    public static func isLetPass(_ outcome: RingEvent) -> Bool {
        outcome.kind == .missed && isLetPass(status: outcome.detail)
    }

    /// Whether a missed ring that Twilio reported with `status` (its `CallStatus`) is one the agent let
    /// pass (see ``isLetPass(_:)``).
    public static func isLetPass(status: String?) -> Bool {
        status != "canceled" && status != "busy"
    }
}
