import SwitchboardDesk
import Testing

/// Which park slots are deleted, and which queues are slots.
@Suite struct ParkRulesTests {
    static let sid = "QU0123456789abcdef0123456789ABCDEF"

    /// Every `QueueResult` Twilio documents for the `<Enqueue action>` after which the caller is out of
    /// the slot for good (see the reference's list).
    @Test(arguments: ["bridged", "hangup", "leave", "queue-full", "error", "system-error"])
    func aSlotItsCallerLeftIsDeleted(result: String) {
        #expect(ParkRules.emptiedSlot(queueResult: result, queueSid: Self.sid) == Self.sid)
    }

    /// A bridge still under way, a redirect (usually a new park of the call, into the same slot), a result
    /// Twilio has not documented, and no result at all keep the slot.
    @Test(arguments: ["bridging-in-process", "redirected", "redirected-from-bridged", "", "parked", "BRIDGED"])
    func aSlotWhoseCallerMayNotHaveLeftIsKept(result: String) {
        #expect(ParkRules.emptiedSlot(queueResult: result, queueSid: Self.sid) == nil)
    }

    /// A caller who hung up while it waited, left by `<Leave>`, or whose queue failed was never bridged to
    /// anyone (Twilio reports a bridged caller's exit as `bridged`, once both hang up).
    @Test(arguments: ["hangup", "leave", "queue-full", "error", "system-error"])
    func aCallerWhoLeftThisWayWasNeverBridged(result: String) {
        #expect(ParkRules.leftUnbridged(queueResult: result))
    }

    /// A bridge, one under way, a redirect, or a result Twilio has not documented may have put the caller
    /// through to someone.
    @Test(arguments: ["bridged", "bridging-in-process", "redirected", "redirected-from-bridged", "", "Hangup", "new-value"])
    func aCallerWhoLeftThisWayMayHaveBeenBridged(result: String) {
        #expect(!ParkRules.leftUnbridged(queueResult: result))
    }

    /// Only a queue SID is ever sent to Twilio's API.
    @Test(arguments: [
        nil, "", "QU0123456789abcdef0123456789ABCDE", "QU0123456789abcdef0123456789ABCDEF0", "CA0123456789abcdef0123456789ABCDEF",
        "QU0123456789abcdef0123456789ABCDEG", "qu0123456789abcdef0123456789ABCDEF", "QU0123456789abcdef/../../Calls/CA12",
    ])
    func aQueueSIDOfTheWrongFormIsNotDeleted(queueSid: String?) {
        #expect(ParkRules.emptiedSlot(queueResult: "hangup", queueSid: queueSid) == nil)
    }

    /// Only a queue named as a slot of a call SID is a slot: prune never deletes another application's
    /// `park_…` queue.
    @Test func slotsAreTheQueuesNamedForParks() {
        #expect(ParkRules.isSlot(named: ParkRules.slot(forCall: "CA0123456789abcdef0123456789abcdef")))
        #expect(ParkRules.isSlot(named: "park_CA0123456789ABCDEF0123456789abcdef"))
        for other in [
            "support", "parked_calls", "Park_CA0123456789abcdef0123456789abcdef", "park_CA1", "park_lobby",
            "park_CA0123456789abcdef0123456789abcdeg", "park_CA0123456789abcdef0123456789abcdef0", "park_QU0123456789abcdef0123456789abcdef",
        ] {
            #expect(!ParkRules.isSlot(named: other), "\(other)")
        }
    }
}
