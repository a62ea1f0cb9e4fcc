import Foundation
import Logging
import SwitchboardCore
import SwitchboardVoice
import Synchronization
import Testing

/// What the store could not record is recorded again once it can, oldest first, shown with ring events
/// (CallEndRetryTests shows call ends through the voice service). A `ringing` event is never retried, as
/// a late one could make a card ring after its end.
@Suite struct StoreRetryTests {
    /// A store's record that fails while `down` and refuses `rejected` kinds for good; it keeps what it recorded.
    final class FlakyStore: Sendable {
        let down = Mutex(true)
        let rejected: Set<RingEvent.Kind>
        let recorded = Mutex<[String]>([])

        init(rejecting rejected: Set<RingEvent.Kind> = []) { self.rejected = rejected }

        func retry(capacity: Int = 100, lifetime: Duration = .seconds(600), journal: StoreRetryJournal? = nil) -> RingEventRetry {
            RingEventRetry(
                capacity: capacity,
                logger: Logger(label: "test"),
                lifetime: lifetime,
                firstPause: .milliseconds(5),
                longestPause: .milliseconds(20),
                journal: journal
            ) { (event) async throws(StoreError) -> Bool in
                if self.down.withLock({ $0 }) { throw .unavailable("The store is down") }
                if self.rejected.contains(event.kind) { throw .invalid("refused") }
                self.recorded.withLock { $0.append("\(event.agentIdentity):\(event.kind.rawValue)") }
                return true
            }
        }
    }

    static func event(
        _ agent: String,
        _ kind: RingEvent.Kind,
        call: String = "CA1",
        at occurredAt: Date = Date(timeIntervalSince1970: 0)
    )
        -> PendingRingEvent
    {
        PendingRingEvent(
            callSid: call,
            agentIdentity: agent,
            kind: kind,
            occurredAt: occurredAt,
            detail: nil,
            legSid: "\(call)-\(agent)"
        )
    }

    /// Waits until the queue is empty, or 10 s.
    static func drained(_ retry: RingEventRetry) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while await retry.count > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        return await retry.count == 0
    }

    @Test func endsWaitWhileTheStoreIsDownAndAreRecordedOldestFirstOnceItIsBack() async {
        let store = FlakyStore()
        let retry = store.retry()
        #expect(await retry.add(Self.event("amy", .missed)))
        #expect(await retry.add(Self.event("bob", .answered)))
        #expect(await retry.add(Self.event("cat", .declined)))
        try? await Task.sleep(for: .milliseconds(60))
        #expect(store.recorded.withLock { $0 } == [])
        #expect(await retry.count == 3)

        store.down.withLock { $0 = false }
        #expect(await Self.drained(retry))
        #expect(store.recorded.withLock { $0 } == ["amy:missed", "bob:answered", "cat:declined"])
        await retry.stop()
    }

    @Test func aRingingEventIsNeverQueued() async {
        let retry = FlakyStore().retry()
        #expect(await retry.add(Self.event("amy", .ringing)) == false)
        #expect(await retry.count == 0)
        await retry.stop()
    }

    @Test func anEventRefusedForGoodDoesNotHoldUpTheRestAndAnOldOneIsDropped() async {
        let store = FlakyStore(rejecting: [.declined])
        let retry = store.retry()
        #expect(await retry.add(Self.event("bob", .declined)))
        #expect(await retry.add(Self.event("cat", .missed)))
        store.down.withLock { $0 = false }
        #expect(await Self.drained(retry))
        #expect(store.recorded.withLock { $0 } == ["cat:missed"])
        await retry.stop()

        let late = FlakyStore()
        let expiring = late.retry(lifetime: .milliseconds(30))
        #expect(await expiring.add(Self.event("dan", .missed)))
        try? await Task.sleep(for: .milliseconds(80))
        late.down.withLock { $0 = false }
        #expect(await Self.drained(expiring))
        #expect(late.recorded.withLock { $0 } == [])
        await expiring.stop()
    }

    @Test func aFullQueueLosesTheNewEvent() async {
        let store = FlakyStore()
        let retry = store.retry(capacity: 2)
        #expect(await retry.add(Self.event("amy", .missed)))
        #expect(await retry.add(Self.event("bob", .missed)))
        #expect(await retry.add(Self.event("cat", .missed)) == false)
        #expect(await retry.count == 2)
        store.down.withLock { $0 = false }
        #expect(await Self.drained(retry))
        #expect(store.recorded.withLock { $0 } == ["amy:missed", "bob:missed"])
        await retry.stop()
    }

    @Test func stopEndsTheRetriesAndRefusesMore() async {
        let store = FlakyStore()
        let retry = store.retry()
        #expect(await retry.add(Self.event("amy", .missed)))
        await retry.stop()
        #expect(await retry.count == 0)
        #expect(await retry.add(Self.event("bob", .missed)) == false)
        store.down.withLock { $0 = false }
        try? await Task.sleep(for: .milliseconds(60))
        #expect(store.recorded.withLock { $0 } == [])
    }
}
