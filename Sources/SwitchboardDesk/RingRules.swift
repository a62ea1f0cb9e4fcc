import SwitchboardCore

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

    /// Whether an agent should be set away: its latest `threshold` ring outcomes (newest first, as
    /// ``DeskStore/ringOutcomes(of:in:limit:)`` returns them) are all misses. A decline or an answer
    /// breaks the run; a threshold below 1 turns the rule off.
    public static func missedInARow(_ outcomes: [RingEvent], threshold: Int) -> Bool {
        guard threshold > 0, outcomes.count >= threshold else { return false }
        return outcomes.prefix(threshold).allSatisfy { $0.kind == .missed }
    }
}
