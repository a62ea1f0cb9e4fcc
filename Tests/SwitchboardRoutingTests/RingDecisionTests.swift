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
}
