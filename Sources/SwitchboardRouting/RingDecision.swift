import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Whom an inbound call rings, decided from a snapshot of the tenant's agents.
public struct RingDecision: Equatable, Sendable {
    /// The agents to ring at once, longest idle first.
    public var agentsRung: [Agent]
    /// Available agents not rung because of the cap, in the order they would have been.
    public var leftOut: [Agent]

    /// Decides from `candidates` at `now`: keeps only agents who are available (presence available, on
    /// no call, out of wrap-up), orders them longest idle first, and rings at most `maximum`.
    public init(candidates: [Agent], at now: Date, maximum: Int) {
        let available = candidates.filter { $0.isAvailable(at: now) }.sorted(by: Agent.longestIdleFirst)
        let cap = max(0, min(maximum, 10))
        agentsRung = Array(available.prefix(cap))
        leftOut = Array(available.dropFirst(cap))
    }

    /// Whether no one can be rung.
    public var isEmpty: Bool { agentsRung.isEmpty }
}
