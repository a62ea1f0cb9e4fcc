import Foundation
import SwitchboardCore
import SwitchboardRouting
import Testing

@Suite struct RingDecisionTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func agent(_ identity: String, idleSince: Double? = nil, presence: Presence = .available, call: String? = nil, wrapUpEnds: Double? = nil) -> Agent
    {
        Agent(
            id: identity,
            identity: identity,
            name: identity,
            email: "\(identity)@example.com",
            presence: presence,
            currentCallSid: call,
            wrapUpEndsAt: wrapUpEnds.map { now.addingTimeInterval($0) },
            lastCallEndedAt: idleSince.map { now.addingTimeInterval(-$0) }
        )
    }

    @Test func onlyAvailableAgentsRing() {
        let candidates = [
            agent("away", presence: .away), agent("offline", presence: .offline), agent("busy", call: "CA1"),
            agent("wrapping", wrapUpEnds: 5), agent("done_wrapping", idleSince: 60, wrapUpEnds: -1), agent("free", idleSince: 10),
        ]
        let decision = RingDecision(candidates: candidates, at: now, maximum: 10)
        #expect(decision.agentsRung.map(\.identity) == ["done_wrapping", "free"])
        #expect(decision.leftOut.isEmpty)
    }

    @Test func longestIdleRingsFirstAndNeverCalledBeforeEveryone() {
        let candidates = [agent("recent", idleSince: 5), agent("never_b"), agent("old", idleSince: 500), agent("never_a")]
        #expect(RingDecision(candidates: candidates, at: now, maximum: 10).agentsRung.map(\.identity) == ["never_a", "never_b", "old", "recent"])
    }

    @Test func fourteenAvailableRingTheTenLongestIdleAndNameTheRest() {
        let candidates = (0..<14).map { agent(String(format: "agent_%02d", $0), idleSince: Double(1000 - $0)) }
        let decision = RingDecision(candidates: candidates, at: now, maximum: 10)
        #expect(decision.agentsRung.map(\.identity) == (0..<10).map { String(format: "agent_%02d", $0) })
        #expect(decision.leftOut.map(\.identity) == ["agent_10", "agent_11", "agent_12", "agent_13"])
    }

    @Test func theCapNeverExceedsTwiliosTen() {
        let candidates = (0..<12).map { agent("a\($0)", idleSince: Double($0)) }
        #expect(RingDecision(candidates: candidates, at: now, maximum: 50).agentsRung.count == 10)
    }

    @Test func nobodyAvailableIsEmpty() {
        #expect(RingDecision(candidates: [agent("x", presence: .away)], at: now, maximum: 10).isEmpty)
    }

    /// The rule written the plain way: filter, sort, cut.
    func reference(_ candidates: [Agent], maximum: Int) -> (rung: [String], leftOut: [String]) {
        let available = candidates.filter { $0.isAvailable(at: now) }.sorted(by: Agent.longestIdleFirst).map(\.identity)
        let cap = max(0, min(maximum, 10))
        return (Array(available.prefix(cap)), Array(available.dropFirst(cap)))
    }

    @Test func anyCandidatesInAnyOrderDecideAsThePlainRuleDoes() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<500 {
            let count = Int.random(in: 0...25, using: &generator)
            var candidates = (0..<count).map { index in
                agent(
                    "agent_\(Int.random(in: 0...30, using: &generator))_\(index)",
                    idleSince: Bool.random(using: &generator) ? nil : Double(Int.random(in: 0...5, using: &generator)),
                    presence: [.available, .available, .available, .away].randomElement(using: &generator)!,
                    call: Int.random(in: 0...6, using: &generator) == 0 ? "CA\(index)" : nil,
                    wrapUpEnds: Int.random(in: 0...6, using: &generator) == 0 ? Double(Int.random(in: -3...3, using: &generator)) : nil
                )
            }
            // A quarter of the rounds have every candidate free, the case where the decision shares the
            // candidates' array when they all ring.
            if round % 4 < 2 {
                candidates = candidates.map { candidate in
                    agent(candidate.identity, idleSince: candidate.lastCallEndedAt.map { now.timeIntervalSince($0) })
                }
            }
            // Half the rounds hand the candidates already in order, as the stores do.
            if round % 2 == 0 { candidates.sort(by: Agent.longestIdleFirst) }
            let maximum = Int.random(in: -1...12, using: &generator)
            let decision = RingDecision(candidates: candidates, at: now, maximum: maximum)
            let expected = reference(candidates, maximum: maximum)
            #expect(decision.agentsRung.map(\.identity) == expected.rung)
            #expect(decision.leftOut.map(\.identity) == expected.leftOut)
        }
    }
}
