import Foundation
import Logging
import SwitchboardCore
import SwitchboardVoice
import SwitchboardWebhooks
import Synchronization
import Testing

/// Voicemails the store refused are saved again, oldest first, with pauses that double up to a minute,
/// until the store takes them.
@Suite struct VoicemailOutboxTests {
    /// A store's save that fails `failures` times, then stores; it records what it stored and every pause.
    final class FlakyStore: Sendable {
        let failuresLeft: Mutex<Int>
        /// Recordings the store rejects for good.
        let rejected: Set<String>
        let stored = Mutex<[String]>([])
        let pauses = Mutex<[Duration]>([])
        /// While true, the outbox's pauses last (so a test can queue several voicemails first).
        let held = Mutex(false)

        init(failures: Int, rejecting rejected: Set<String> = []) {
            failuresLeft = Mutex(failures)
            self.rejected = rejected
        }

        func outbox(capacity: Int = 10, spool: VoicemailSpool? = nil) -> VoicemailOutbox {
            VoicemailOutbox(
                capacity: capacity,
                logger: Logger(label: "test"),
                spool: spool,
                pause: { duration in
                    self.pauses.withLock { $0.append(duration) }
                    while self.held.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(1)) }
                },
                save: { (callback, _) async throws(StoreError) -> Bool in
                    if self.rejected.contains(callback.recordingSid) { throw .invalid("The recording breaks a rule") }
                    let fails = self.failuresLeft.withLock { left -> Bool in
                        defer { left = max(left - 1, 0) }
                        return left > 0
                    }
                    if fails { throw .unavailable("The store is down") }
                    self.stored.withLock { $0.append(callback.recordingSid) }
                    return true
                }
            )
        }
    }

    static func recording(_ sid: String) -> RecordingStatusCallback {
        RecordingStatusCallback(
            accountSid: "AC1",
            callSid: "CA-\(sid)",
            recordingSid: sid,
            recordingUrl: "https://api.twilio.com/\(sid)",
            recordingStatus: .completed
        )
    }

    /// Waits (a few seconds at most) until the outbox is empty.
    static func drained(_ outbox: VoicemailOutbox) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if await outbox.count == 0 { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    @Test func aVoicemailIsSavedOnceTheStoreRecoversAfterPausesThatDouble() async throws {
        let store = FlakyStore(failures: 2)
        let outbox = store.outbox()
        #expect(await outbox.add(Self.recording("RE1"), receivedAt: Date()))
        #expect(await Self.drained(outbox))
        #expect(store.stored.withLock { $0 } == ["RE1"])
        #expect(store.pauses.withLock { $0 } == [.seconds(1), .seconds(2), .seconds(4)])
    }

    @Test func theQueueIsSavedOldestFirstAndNewcomersWaitBehind() async throws {
        let store = FlakyStore(failures: 1)
        let outbox = store.outbox()
        store.held.withLock { $0 = true }
        for sid in ["RE1", "RE2", "RE3"] { #expect(await outbox.add(Self.recording(sid), receivedAt: Date())) }
        store.held.withLock { $0 = false }
        #expect(await Self.drained(outbox))
        #expect(store.stored.withLock { $0 } == ["RE1", "RE2", "RE3"])
        // A voicemail queued later starts a new worker, with the shortest pause again.
        #expect(await outbox.add(Self.recording("RE4"), receivedAt: Date()))
        #expect(await Self.drained(outbox))
        #expect(store.stored.withLock { $0 } == ["RE1", "RE2", "RE3", "RE4"])
        #expect(store.pauses.withLock { $0 } == [.seconds(1), .seconds(2), .seconds(1)])
    }

    @Test func aVoicemailTheStoreRejectsForGoodIsDroppedAndTheRestAreSaved() async throws {
        let store = FlakyStore(failures: 1, rejecting: ["RE2"])
        let outbox = store.outbox()
        store.held.withLock { $0 = true }
        for sid in ["RE1", "RE2", "RE3"] { #expect(await outbox.add(Self.recording(sid), receivedAt: Date())) }
        store.held.withLock { $0 = false }
        #expect(await Self.drained(outbox))
        #expect(store.stored.withLock { $0 } == ["RE1", "RE3"])
        #expect(store.pauses.withLock { $0 } == [.seconds(1), .seconds(2)])
    }

    @Test func onlyAStoreThatIsDownSlowOrRefusingItsCredentialsIsWaitedFor() {
        #expect(VoicemailOutbox.isWorthRetrying(.unavailable("down")))
        #expect(VoicemailOutbox.isWorthRetrying(.timeout("slow")))
        #expect(VoicemailOutbox.isWorthRetrying(.unauthorized("bad key")))
        for error in [StoreError.invalid("rule"), .conflict("dup"), .corrupt("garbage"), .notFound("gone")] {
            #expect(!VoicemailOutbox.isWorthRetrying(error), "\(error)")
        }
    }

    @Test func pausesStopGrowingAtAMinute() async throws {
        let store = FlakyStore(failures: 8)
        let outbox = store.outbox()
        #expect(await outbox.add(Self.recording("RE1"), receivedAt: Date()))
        #expect(await Self.drained(outbox))
        let seconds = store.pauses.withLock { $0 }.map { $0.components.seconds }
        #expect(seconds == [1, 2, 4, 8, 16, 32, 60, 60, 60])
    }

    @Test func aFullQueueRefusesAVoicemail() async throws {
        // A store that never recovers, and a worker that waits (for an hour) before its first try.
        let outbox = VoicemailOutbox(
            capacity: 2,
            logger: Logger(label: "test"),
            pause: { _ in try? await Task.sleep(for: .seconds(3600)) },
            save: { (_, _) async throws(StoreError) -> Bool in throw .unavailable("The store is down") }
        )
        #expect(await outbox.add(Self.recording("RE1"), receivedAt: Date()))
        #expect(await outbox.add(Self.recording("RE2"), receivedAt: Date()))
        #expect(await outbox.add(Self.recording("RE3"), receivedAt: Date()) == false)
        #expect(await outbox.count == 2)
    }

    // MARK: - With a spool on disk

    /// A spool in a fresh directory, removed after `body`.
    static func withSpool(_ body: (VoicemailSpool) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-outbox-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await body(VoicemailSpool(directory: directory))
    }

    static func spooled(_ spool: VoicemailSpool) throws -> [String] {
        try spool.load().voicemails.map(\.callback.recordingSid)
    }

    @Test func aQueuedVoicemailIsOnDiskUntilTheStoreTakesIt() async throws {
        try await Self.withSpool { (spool) async throws in
            let store = FlakyStore(failures: 1)
            let outbox = store.outbox(spool: spool)
            store.held.withLock { $0 = true }
            #expect(await outbox.add(Self.recording("RE1"), receivedAt: Date()))
            // On disk before add returns, so a crash now loses nothing.
            #expect(try Self.spooled(spool) == ["RE1"])
            store.held.withLock { $0 = false }
            #expect(await Self.drained(outbox))
            #expect(store.stored.withLock { $0 } == ["RE1"])
            #expect(try Self.spooled(spool).isEmpty)
        }
    }

    @Test func aNewOutboxSavesWhatAStoppedOneLeftInTheSpoolAtOnceAndOldestFirst() async throws {
        try await Self.withSpool { (spool) async throws in
            // The first process: a store that is down, and a stop while it waits an hour to try again.
            let down = VoicemailOutbox(
                logger: Logger(label: "test"),
                spool: spool,
                pause: { _ in try? await Task.sleep(for: .seconds(3600)) },
                save: { (_, _) async throws(StoreError) -> Bool in throw .unavailable("The store is down") }
            )
            let start = Date()
            #expect(await down.add(Self.recording("RE2"), receivedAt: start))
            #expect(await down.add(Self.recording("RE1"), receivedAt: start + 1))
            let stopping = ContinuousClock.now
            await down.stop()
            #expect(ContinuousClock.now - stopping < .seconds(5), "stop should end the pause under way")
            #expect(await down.count == 2)
            #expect(try Self.spooled(spool) == ["RE2", "RE1"])

            // The next process: the store is back, and nothing else is sent.
            let store = FlakyStore(failures: 0)
            let outbox = store.outbox(spool: spool)
            #expect(await Self.drained(outbox))
            #expect(store.stored.withLock { $0 } == ["RE2", "RE1"])
            #expect(store.pauses.withLock { $0 }.isEmpty, "voicemails that waited for a restart are tried at once")
            #expect(try Self.spooled(spool).isEmpty)
        }
    }

    @Test func aVoicemailTheStoreRejectsForGoodIsKeptInRejected() async throws {
        try await Self.withSpool { (spool) async throws in
            let store = FlakyStore(failures: 0, rejecting: ["RE2"])
            let outbox = store.outbox(spool: spool)
            store.held.withLock { $0 = true }
            for sid in ["RE1", "RE2"] { #expect(await outbox.add(Self.recording(sid), receivedAt: Date())) }
            store.held.withLock { $0 = false }
            #expect(await Self.drained(outbox))
            #expect(store.stored.withLock { $0 } == ["RE1"])
            #expect(try Self.spooled(spool).isEmpty)
            #expect(try Self.spooled(VoicemailSpool(directory: spool.rejectedDirectory)) == ["RE2"])
        }
    }

    @Test func aSecondDeliveryQueuedWhileTheFirstIsSavedKeepsTheFileUntilItIsSavedToo() async throws {
        try await Self.withSpool { (spool) async throws in
            let store = FlakyStore(failures: 1)
            let outbox = store.outbox(spool: spool)
            store.held.withLock { $0 = true }
            #expect(await outbox.add(Self.recording("RE1"), receivedAt: Date()))
            #expect(await outbox.add(Self.recording("RE1"), receivedAt: Date()))
            #expect(await outbox.count == 2)
            store.held.withLock { $0 = false }
            #expect(await Self.drained(outbox))
            #expect(try Self.spooled(spool).isEmpty)
        }
    }

    @Test func aSpoolThatCannotBeWrittenStillQueuesInMemory() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-not-a-dir-\(UUID().uuidString)").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let store = FlakyStore(failures: 1)
        let outbox = store.outbox(spool: VoicemailSpool(directory: file))
        #expect(await outbox.add(Self.recording("RE1"), receivedAt: Date()))
        #expect(await Self.drained(outbox))
        #expect(store.stored.withLock { $0 } == ["RE1"])
    }

    @Test func stopEndsThePauseUnderWayAndLeavesTheQueue() async throws {
        let outbox = VoicemailOutbox(
            logger: Logger(label: "test"),
            pause: { _ in try? await Task.sleep(for: .seconds(3600)) },
            save: { (_, _) async throws(StoreError) -> Bool in throw .unavailable("The store is down") }
        )
        #expect(await outbox.add(Self.recording("RE1"), receivedAt: Date()))
        let stopping = ContinuousClock.now
        await outbox.stop()
        #expect(ContinuousClock.now - stopping < .seconds(5))
        #expect(await outbox.count == 1)
    }
}
