import Foundation
import SwitchboardCore
import SwitchboardDesk
import Testing

@Suite struct RingRulesTests {
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    func call(_ agents: [String]) -> RingingCall {
        RingingCall(callSid: "CA1", tenant: "t", caller: "+1", called: "+2", agentsRung: agents, startedAt: start)
    }

    func event(_ agent: String, _ kind: RingEvent.Kind, call: String = "CA1", status: String? = nil) -> RingEvent {
        RingEvent(callSid: call, tenant: "t", agentIdentity: agent, kind: kind, occurredAt: start, detail: status)
    }

    @Test func voicemailOnlyOnceEveryAgentRungDeclinedOrMissed() {
        let rung = call(["ann", "bob"])
        #expect(!RingRules.everyAgentDeclinedOrMissed(rung, events: []))
        #expect(!RingRules.everyAgentDeclinedOrMissed(rung, events: [event("ann", .declined)]))
        #expect(!RingRules.everyAgentDeclinedOrMissed(rung, events: [event("ann", .declined), event("bob", .ringing)]))
        #expect(RingRules.everyAgentDeclinedOrMissed(rung, events: [event("ann", .declined), event("bob", .missed)]))
        #expect(RingRules.everyAgentDeclinedOrMissed(rung, events: [event("ann", .declined), event("bob", .declined)]))
    }

    @Test func anAnswerMeansNoVoicemail() {
        let events = [event("ann", .declined), event("bob", .missed), event("bob", .answered)]
        #expect(!RingRules.everyAgentDeclinedOrMissed(call(["ann", "bob"]), events: events))
    }

    @Test func eventsOfOtherCallsAndAgentsNotRungDoNotCount() {
        let rung = call(["ann", "bob"])
        #expect(!RingRules.everyAgentDeclinedOrMissed(rung, events: [event("ann", .declined), event("bob", .declined, call: "CA2")]))
        #expect(!RingRules.everyAgentDeclinedOrMissed(rung, events: [event("ann", .declined), event("cat", .declined)]))
    }

    @Test func aCallThatRangNobodyIsNotDecided() {
        #expect(!RingRules.everyAgentDeclinedOrMissed(call([]), events: []))
    }

    @Test func awayAfterThresholdMissesInARow() {
        let missed = [event("ann", .missed), event("ann", .missed), event("ann", .missed)]
        #expect(RingRules.missedInARow(missed, threshold: 3))
        #expect(!RingRules.missedInARow(Array(missed.prefix(2)), threshold: 3))
        #expect(RingRules.missedInARow(missed, threshold: 2))
    }

    @Test func anAnswerOrADeclineBreaksTheRun() {
        #expect(!RingRules.missedInARow([event("ann", .missed), event("ann", .answered), event("ann", .missed)], threshold: 3))
        #expect(!RingRules.missedInARow([event("ann", .declined), event("ann", .missed), event("ann", .missed)], threshold: 3))
    }

    /// Twilio cancels every other leg of a ring-all once one agent answers (and every leg when the caller
    /// hangs up while it rings): those agents did not let the ring pass, nor did one whose client said busy.
    @Test func onlyRingsTheAgentLetPassCountAndOthersBreakTheRun() {
        let rangOut = [event("ann", .missed, status: "no-answer"), event("ann", .missed, status: "failed"), event("ann", .missed)]
        #expect(RingRules.missedInARow(rangOut, threshold: 3))
        for status in ["canceled", "busy"] {
            let beaten = Array(repeating: event("ann", .missed, status: status), count: 3)
            #expect(!RingRules.missedInARow(beaten, threshold: 3), "\(status)")
            var broken = rangOut
            broken[1] = event("ann", .missed, status: status)
            #expect(!RingRules.missedInARow(broken, threshold: 3), "\(status)")
        }
    }

    @Test func aThresholdOfZeroTurnsTheRuleOff() {
        #expect(!RingRules.missedInARow([event("ann", .missed)], threshold: 0))
    }

    @Test func parkSlotsAreOneQueuePerCallWithinTwiliosLimit() {
        #expect(ParkRules.slot(forCall: "CA0123456789abcdef0123456789abcdef") == "park_CA0123456789abcdef0123456789abcdef")
        #expect(ParkRules.slot(forCall: String(repeating: "x", count: 100)).count == 64)
        #expect(ParkRules.hasTimedOut(queueTime: 120, timeoutSeconds: 120))
        #expect(!ParkRules.hasTimedOut(queueTime: 119, timeoutSeconds: 120))
    }
}
