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
    ///
    /// Works on positions in `candidates`, so each agent is copied once, into the list it ends up in; the
    /// stores hand their candidates longest idle first already, and then nothing is sorted.
    public init(candidates: [Agent], at now: Date, maximum: Int) {
        var order: [Int] = []
        order.reserveCapacity(candidates.count)
        for index in candidates.indices where candidates[index].isAvailable(at: now) {
            order.append(index)
        }
        let inOrder = order.indices.dropFirst().allSatisfy { position in
            !Agent.longestIdleFirst(candidates[order[position]], candidates[order[position - 1]])
        }
        if !inOrder {
            order.sort { Agent.longestIdleFirst(candidates[$0], candidates[$1]) }
        }
        let cap = max(0, min(maximum, 10, order.count))
        if inOrder, cap == candidates.count {
            // Every candidate rings, in the order given (the common case): share the array, copy no agent.
            agentsRung = candidates
            leftOut = []
            return
        }
        agentsRung = order[..<cap].map { candidates[$0] }
        leftOut = order[cap...].map { candidates[$0] }
    }

    /// Whether no one can be rung.
    public var isEmpty: Bool { agentsRung.isEmpty }
}
