import Foundation
import Logging
import SwitchboardCore
import SwitchboardVoice
import Synchronization
import Testing

/// What waits for the store survives a restart, and a crash once written: a queue with a journal
/// keeps its items on disk, and the next queue over the same directory records them.
@Suite struct StoreRetryJournalTests {
    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-journal-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The journal files in `directory` (not the instances' lock files).
    static func files(in directory: String) -> [String] {
        all(in: directory).filter { $0.hasSuffix(".json") }
    }

    /// Every file in `directory` but temporary ones.
    static func all(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// An event that happened just now (an item taken up from a journal is aged from when it happened).
    static func event(_ agent: String, _ kind: RingEvent.Kind) -> PendingRingEvent {
        StoreRetryTests.event(agent, kind, at: Date())
    }

    /// Waits until `condition` holds, or 10 s.
    static func eventually(_ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return await condition()
    }

    @Test func whatWaitsAtAStopIsRecordedByTheNextStart() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let before = StoreRetryTests.FlakyStore()
        let first = before.retry(journal: StoreRetryJournal(directory: directory, name: "ring-events"))
        #expect(await first.add(Self.event("amy", .missed)))
        #expect(await first.add(Self.event("bob", .declined)))
        await first.stop()
        #expect(Self.files(in: directory).count == 1, "\(Self.files(in: directory))")

        // The next run, with the store back: both are recorded, in order, and the journal empties.
        let after = StoreRetryTests.FlakyStore()
        after.down.withLock { $0 = false }
        let second = after.retry(journal: StoreRetryJournal(directory: directory, name: "ring-events"))
        #expect(await Self.eventually { after.recorded.withLock { $0 } == ["amy:missed", "bob:declined"] })
        #expect(await Self.eventually { Self.files(in: directory).isEmpty }, "\(Self.files(in: directory))")
        await second.stop()
        // Nothing waits, so no journal and no lock file is left.
        #expect(Self.all(in: directory).isEmpty, "\(Self.all(in: directory))")
    }

    /// A running instance's journal is its own: a queue that starts beside it (sharing the spool) does
    /// not take it up; once that instance stops, the next start does.
    @Test func aRunningInstancesJournalIsNotAdopted() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let running = StoreRetryTests.FlakyStore()
        let first = running.retry(journal: StoreRetryJournal(directory: directory, name: "ring-events"))
        #expect(await first.add(Self.event("amy", .missed)))
        #expect(await Self.eventually { Self.files(in: directory).count == 1 })
        let beside = StoreRetryTests.FlakyStore()
        beside.down.withLock { $0 = false }
        let second = beside.retry(journal: StoreRetryJournal(directory: directory, name: "ring-events"))
        try await Task.sleep(for: .milliseconds(100))
        #expect(beside.recorded.withLock { $0 } == [])
        #expect(Self.files(in: directory).count == 1)
        await second.stop()
        await first.stop()
        let next = StoreRetryTests.FlakyStore()
        next.down.withLock { $0 = false }
        let third = next.retry(journal: StoreRetryJournal(directory: directory, name: "ring-events"))
        #expect(await Self.eventually { next.recorded.withLock { $0 } == ["amy:missed"] })
        await third.stop()
    }

    /// An item taken up from a journal is aged from when it happened, not given a new lifetime by the
    /// restart: one older than the lifetime is dropped.
    @Test func anAdoptedItemOlderThanTheLifetimeIsDropped() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let before = StoreRetryTests.FlakyStore()
        let first = before.retry(journal: StoreRetryJournal(directory: directory, name: "ring-events"))
        #expect(await first.add(StoreRetryTests.event("old", .missed, at: Date() - 3600)))
        #expect(await first.add(Self.event("new", .missed)))
        await first.stop()
        let after = StoreRetryTests.FlakyStore()
        after.down.withLock { $0 = false }
        let second = after.retry(lifetime: .seconds(600), journal: StoreRetryJournal(directory: directory, name: "ring-events"))
        #expect(await Self.eventually { after.recorded.withLock { $0 } == ["new:missed"] })
        try await Task.sleep(for: .milliseconds(50))
        #expect(after.recorded.withLock { $0 } == ["new:missed"])
        await second.stop()
    }

    /// A crash (no stop) after the background write: the items are on disk all the same, and a queue
    /// that starts then records them.
    @Test func whatWaitsIsOnDiskWithoutAStop() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let crashed = StoreRetryTests.FlakyStore()
        let first = crashed.retry(journal: StoreRetryJournal(directory: directory, name: "ring-events"))
        #expect(await first.add(Self.event("amy", .missed)))
        #expect(await Self.eventually { Self.files(in: directory).count == 1 })
        // A crashed process holds no lock: its lock file is gone, or held by nobody.
        for lock in Self.all(in: directory) where lock.hasSuffix(".lock") { try FileManager.default.removeItem(atPath: directory + "/" + lock) }

        let after = StoreRetryTests.FlakyStore()
        after.down.withLock { $0 = false }
        let second = after.retry(journal: StoreRetryJournal(directory: directory, name: "ring-events"))
        #expect(await Self.eventually { after.recorded.withLock { $0 } == ["amy:missed"] })
        // The first queue never recorded it; it still has it, as a crashed process would have had.
        #expect(await first.count == 1)
        #expect(crashed.recorded.withLock { $0 } == [])
        await second.stop()
        // (The "crashed" queue is stopped only to end the test: its store is still down.)
        await first.stop()
    }

    /// Recorded items leave the journal: once the store is back and the queue is empty, no file stays,
    /// so the next start records nothing twice.
    @Test func theJournalEmptiesOnceTheItemsAreRecorded() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = StoreRetryTests.FlakyStore()
        let retry = store.retry(journal: StoreRetryJournal(directory: directory, name: "ring-events"))
        #expect(await retry.add(Self.event("amy", .missed)))
        #expect(await Self.eventually { Self.files(in: directory).count == 1 })
        store.down.withLock { $0 = false }
        #expect(await StoreRetryTests.drained(retry))
        #expect(await Self.eventually { Self.files(in: directory).isEmpty }, "\(Self.files(in: directory))")
        await retry.stop()
        let next = StoreRetryTests.FlakyStore()
        next.down.withLock { $0 = false }
        let later = next.retry(journal: StoreRetryJournal(directory: directory, name: "ring-events"))
        try await Task.sleep(for: .milliseconds(50))
        #expect(next.recorded.withLock { $0 } == [])
        await later.stop()
    }

    /// A file that cannot be read is left alone, and the rest are taken up.
    @Test func anUnreadableFileIsLeftAlone() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("not json".utf8).write(to: URL(fileURLWithPath: directory + "/ring-events-broken.json"))
        let store = StoreRetryTests.FlakyStore()
        let first = store.retry(journal: StoreRetryJournal(directory: directory, name: "ring-events"))
        #expect(await first.add(Self.event("amy", .missed)))
        await first.stop()
        store.down.withLock { $0 = false }
        let second = store.retry(journal: StoreRetryJournal(directory: directory, name: "ring-events"))
        #expect(await Self.eventually { store.recorded.withLock { $0 } == ["amy:missed"] })
        #expect(await Self.eventually { Self.files(in: directory) == ["ring-events-broken.json"] }, "\(Self.files(in: directory))")
        await second.stop()
    }
}
