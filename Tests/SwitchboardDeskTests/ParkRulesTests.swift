import SwitchboardDesk
import Testing

/// Which park slots are deleted, and which queues are slots.
@Suite struct ParkRulesTests {
    static let sid = "QU0123456789abcdef0123456789ABCDEF"

    /// Every `QueueResult` Twilio documents for the `<Enqueue action>` after which the caller is out of
    /// the slot (see the reference's list).
    @Test(arguments: ["bridged", "hangup", "leave", "redirected", "redirected-from-bridged", "queue-full", "error", "system-error"])
    func aSlotItsCallerLeftIsDeleted(result: String) {
        #expect(ParkRules.emptiedSlot(queueResult: result, queueSid: Self.sid) == Self.sid)
    }

    /// A bridge still under way, a result Twilio has not documented, and no result at all keep the slot.
    @Test(arguments: ["bridging-in-process", "", "parked", "BRIDGED"])
    func aSlotWhoseCallerMayNotHaveLeftIsKept(result: String) {
        #expect(ParkRules.emptiedSlot(queueResult: result, queueSid: Self.sid) == nil)
    }

    /// Only a queue SID is ever sent to Twilio's API.
    @Test(arguments: [
        nil, "", "QU0123456789abcdef0123456789ABCDE", "QU0123456789abcdef0123456789ABCDEF0", "CA0123456789abcdef0123456789ABCDEF",
        "QU0123456789abcdef0123456789ABCDEG", "qu0123456789abcdef0123456789ABCDEF", "QU0123456789abcdef/../../Calls/CA12",
    ])
    func aQueueSIDOfTheWrongFormIsNotDeleted(queueSid: String?) {
        #expect(ParkRules.emptiedSlot(queueResult: "hangup", queueSid: queueSid) == nil)
    }

    @Test func slotsAreTheQueuesNamedForParks() {
        #expect(ParkRules.isSlot(named: ParkRules.slot(forCall: "CA0123456789abcdef0123456789abcdef")))
        #expect(!ParkRules.isSlot(named: "support"))
        #expect(!ParkRules.isSlot(named: "parked_calls"))
        #expect(!ParkRules.isSlot(named: "Park_CA1"))
    }
}
