import Foundation
import Logging
import SwitchboardCore
import SwitchboardVoice
import Synchronization
import Testing

/// Ring events the store could not record are recorded again once it can, oldest first, and never one
/// that would make an agent's card ring again after its ring ended.
@Suite struct RingEventRetryTests {
    /// A store's record that fails while `down` and refuses `rejected` kinds for good; it keeps what it recorded.
    final class FlakyStore: Sendable {
        let down = Mutex(true)
        let rejected: Set<RingEvent.Kind>
        let recorded = Mutex<[String]>([])

        init(rejecting rejected: Set<RingEvent.Kind> = []) { self.rejected = rejected }

        func retry(capacity: Int = 100, ringingLifetime: Duration = .seconds(60)) -> RingEventRetry {
            RingEventRetry(
                capacity: capacity,
                logger: Logger(label: "test"),
                ringingLifetime: ringingLifetime,
                firstPause: .milliseconds(5),
                longestPause: .milliseconds(20)
            ) { (event) async throws(StoreError) -> Bool in
                if self.down.withLock({ $0 }) { throw .unavailable("The store is down") }
                if self.rejected.contains(event.kind) { throw .invalid("refused") }
                self.recorded.withLock { $0.append("\(event.agentIdentity):\(event.kind.rawValue)") }
                return true
            }
        }

        /// Waits until `count` events are recorded, or 10 s.
        func waitFor(_ count: Int) async {
            for _ in 0..<2_000 where recorded.withLock({ $0.count }) < count {
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    static func event(_ agent: String, _ kind: RingEvent.Kind, call: String = "CA1", at seconds: Double = 0) -> RingEventRetry.Pending {
        RingEventRetry.Pending(callSid: call, agentIdentity: agent, kind: kind, occurredAt: Date(timeIntervalSince1970: seconds), detail: nil)
    }

    @Test func eventsWaitWhileTheStoreIsDownAndAreRecordedOldestFirstOnceItIsBack() async {
        let store = FlakyStore()
        let retry = store.retry()
        await retry.add(Self.event("amy", .ringing))
        await retry.add(Self.event("bob", .missed))
        await retry.add(Self.event("cat", .answered))
        try? await Task.sleep(for: .milliseconds(60))
        #expect(store.recorded.withLock { $0 } == [])
        #expect(await retry.count == 3)

        store.down.withLock { $0 = false }
        await store.waitFor(3)
        #expect(store.recorded.withLock { $0 } == ["amy:ringing", "bob:missed", "cat:answered"])
        #expect(await retry.count == 0)
        await retry.stop()
    }

    @Test func aRingingEventNeverComesAfterTheEndOfTheSameAgentsRing() async {
        let store = FlakyStore()
        let retry = store.retry()
        // Amy's ring ended while her ringing waited: the ringing is stale.
        await retry.add(Self.event("amy", .ringing))
        await retry.add(Self.event("amy", .missed))
        // Bob's ringing comes after his end was queued (callbacks can cross): it is not queued.
        await retry.add(Self.event("bob", .answered))
        await retry.add(Self.event("bob", .ringing))
        // Cat's end was recorded directly (the store answered that one): her queued ringing goes.
        await retry.add(Self.event("cat", .ringing))
        await retry.supersede(callSid: "CA1", agentIdentity: "cat")
        // Dan's ringing, of another call than his ended one, stays.
        await retry.add(Self.event("dan", .ringing, call: "CA2"))
        await retry.supersede(callSid: "CA1", agentIdentity: "dan")
        #expect(await retry.count == 3)

        store.down.withLock { $0 = false }
        await store.waitFor(3)
        #expect(store.recorded.withLock { $0 } == ["amy:missed", "bob:answered", "dan:ringing"])
        await retry.stop()
    }

    @Test func aRingingEventOlderThanARingIsDroppedAndARefusedOneDoesNotHoldUpTheRest() async {
        let store = FlakyStore(rejecting: [.declined])
        let retry = store.retry(ringingLifetime: .milliseconds(50))
        await retry.add(Self.event("amy", .ringing))
        await retry.add(Self.event("bob", .declined))
        await retry.add(Self.event("cat", .missed))
        try? await Task.sleep(for: .milliseconds(120))
        store.down.withLock { $0 = false }
        await store.waitFor(1)
        try? await Task.sleep(for: .milliseconds(30))
        #expect(store.recorded.withLock { $0 } == ["cat:missed"])
        #expect(await retry.count == 0)
        await retry.stop()
    }

    @Test func aFullQueueMakesRoomByDroppingItsOldestRingingEventAndOtherwiseLosesTheNewOne() async {
        let store = FlakyStore()
        let retry = store.retry(capacity: 3)
        #expect(await retry.add(Self.event("amy", .ringing)))
        #expect(await retry.add(Self.event("bob", .missed)))
        #expect(await retry.add(Self.event("cat", .ringing)))
        // Full: Amy's ringing, the oldest, makes room; then Cat's.
        #expect(await retry.add(Self.event("dan", .missed)))
        #expect(await retry.add(Self.event("eve", .answered)))
        #expect(await retry.count == 3)
        // Full of ends: the new one is lost.
        #expect(await retry.add(Self.event("fay", .missed)) == false)
        store.down.withLock { $0 = false }
        await store.waitFor(3)
        #expect(store.recorded.withLock { $0 } == ["bob:missed", "dan:missed", "eve:answered"])
        await retry.stop()
    }

    @Test func stopEndsTheRetriesAndRefusesMore() async {
        let store = FlakyStore()
        let retry = store.retry()
        await retry.add(Self.event("amy", .missed))
        await retry.stop()
        #expect(await retry.count == 0)
        #expect(await retry.add(Self.event("bob", .missed)) == false)
        #expect(await retry.count == 0)
        store.down.withLock { $0 = false }
        try? await Task.sleep(for: .milliseconds(60))
        #expect(store.recorded.withLock { $0 } == [])
    }
}
