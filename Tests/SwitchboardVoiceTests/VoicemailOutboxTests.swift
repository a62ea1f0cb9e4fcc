import Foundation
import Logging
import SwitchboardCore
import SwitchboardWebhooks
import Synchronization
import Testing

@testable import SwitchboardVoice

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
        /// Runs at the start of every save (tests check the spool there, or deliver again).
        let duringSave = Mutex<(@Sendable (String) async -> Void)?>(nil)

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
                save: { (callback, _, _) async throws(StoreError) -> Bool in
                    if let hook = self.duringSave.withLock({ $0 }) { await hook(callback.recordingSid) }
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
            if outbox.count == 0 { return true }
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
        #expect(StoreError.unavailable("down").isWorthRetrying)
        #expect(StoreError.timeout("slow").isWorthRetrying)
        #expect(StoreError.unauthorized("bad key").isWorthRetrying)
        for error in [StoreError.invalid("rule"), .conflict("dup"), .corrupt("garbage"), .notFound("gone")] {
            #expect(!error.isWorthRetrying, "\(error)")
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
            save: { (_, _, _) async throws(StoreError) -> Bool in throw .unavailable("The store is down") }
        )
        #expect(await outbox.add(Self.recording("RE1"), receivedAt: Date()))
        #expect(await outbox.add(Self.recording("RE2"), receivedAt: Date()))
        #expect(await outbox.add(Self.recording("RE3"), receivedAt: Date()) == false)
        #expect(outbox.count == 2)
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

    /// The spool's writes end in `fsync`; they must block the outbox's own queue, never a thread of the
    /// cooperative pool that the voice routes run on.
    @Test func theOutboxRunsOnItsOwnQueueNotTheCooperativePool() async throws {
        let outbox = FlakyStore(failures: 0).outbox()
        #expect(await outbox.runsOnItsQueue)
        // The check itself tells the queue from anywhere else.
        #expect(!BlockingIOExecutor(label: "other").isCurrent)
    }

    @Test func aNewOutboxSavesWhatAStoppedOneLeftInTheSpoolAtOnceAndOldestFirst() async throws {
        try await Self.withSpool { (spool) async throws in
            // The first process: a store that is down, and a stop while it waits an hour to try again.
            let down = VoicemailOutbox(
                logger: Logger(label: "test"),
                spool: spool,
                pause: { _ in try? await Task.sleep(for: .seconds(3600)) },
                save: { (_, _, _) async throws(StoreError) -> Bool in throw .unavailable("The store is down") }
            )
            let start = Date()
            #expect(await down.add(Self.recording("RE2"), receivedAt: start))
            #expect(await down.add(Self.recording("RE1"), receivedAt: start + 1))
            let stopping = ContinuousClock.now
            await down.stop()
            #expect(ContinuousClock.now - stopping < .seconds(5), "stop should end the pause under way")
            #expect(down.count == 2)
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
            let saves = Mutex(0)
            let onDiskAtSecondSave = Mutex<Bool?>(nil)
            store.duringSave.withLock {
                $0 = { sid in
                    let save = saves.withLock { count -> Int in
                        count += 1
                        return count
                    }
                    // The first try fails; during the second, Twilio delivers the same recording again.
                    if save == 2 { _ = await outbox.add(Self.recording(sid), receivedAt: Date()) }
                    // The third save is the second delivery's: its file must still be there.
                    if save == 3 { onDiskAtSecondSave.withLock { $0 = (try? Self.spooled(spool)) == [sid] } }
                }
            }
            #expect(await outbox.add(Self.recording("RE1"), receivedAt: Date()))
            #expect(await Self.drained(outbox))
            #expect(saves.withLock { $0 } == 3)
            #expect(onDiskAtSecondSave.withLock { $0 } == true, "the first save removed the file the second delivery still needed")
            #expect(try Self.spooled(spool).isEmpty)
        }
    }

    @Test func aVoicemailTheStoreRejectsAtOnceIsKeptInRejected() async throws {
        try await Self.withSpool { (spool) async throws in
            let outbox = FlakyStore(failures: 0).outbox(spool: spool)
            await outbox.setAside(Self.recording("RE9"), receivedAt: Date(), error: .invalid("The recording breaks a rule"))
            #expect(try Self.spooled(spool).isEmpty)
            #expect(try Self.spooled(VoicemailSpool(directory: spool.rejectedDirectory)) == ["RE9"])
        }
    }

    @Test func pastItsCapacityAnOutboxWithASpoolKeepsVoicemailsOnDiskAndSavesThemLater() async throws {
        try await Self.withSpool { (spool) async throws in
            let store = FlakyStore(failures: 1)
            let outbox = store.outbox(capacity: 2, spool: spool)
            store.held.withLock { $0 = true }
            let start = Date()
            for (index, sid) in ["RE1", "RE2", "RE3", "RE4"].enumerated() {
                #expect(await outbox.add(Self.recording(sid), receivedAt: start + Double(index)))
            }
            #expect(outbox.count == 2)
            #expect(try Self.spooled(spool) == ["RE1", "RE2", "RE3", "RE4"])
            store.held.withLock { $0 = false }
            #expect(await Self.drained(outbox))
            // Give the worker its turn to load the rest from disk.
            let deadline = ContinuousClock.now + .seconds(10)
            while store.stored.withLock({ $0.count }) < 4, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(store.stored.withLock { $0 } == ["RE1", "RE2", "RE3", "RE4"])
            #expect(try Self.spooled(spool).isEmpty)
        }
    }

    @Test func aSpoolThatCannotBeReadWhenTheQueueDrainsIsTriedAgainAfterAPause() async throws {
        try await Self.withSpool { (spool) async throws in
            let store = FlakyStore(failures: 0)
            let outbox = store.outbox(capacity: 1, spool: spool)
            store.held.withLock { $0 = true }
            #expect(await outbox.add(Self.recording("RE1"), receivedAt: Date()))
            #expect(await outbox.add(Self.recording("RE2"), receivedAt: Date() + 1))
            #expect(outbox.count == 1)
            // While RE1 is saved, the spool's directory is swapped for a file: the reload that follows fails.
            let aside = spool.directory + ".aside"
            store.duringSave.withLock {
                $0 = { sid in
                    guard sid == "RE1" else { return }
                    store.held.withLock { $0 = true }
                    try? FileManager.default.moveItem(atPath: spool.directory, toPath: aside)
                    try? Data("x".utf8).write(to: URL(fileURLWithPath: spool.directory))
                }
            }
            store.held.withLock { $0 = false }
            let deadline = ContinuousClock.now + .seconds(10)
            while store.pauses.withLock({ $0.count }) < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(store.pauses.withLock { $0.count } == 2, "a failed reload should pause, then try again")
            #expect(!store.stored.withLock { $0 }.contains("RE2"))
            // The disk is back: RE2 is loaded and saved.
            store.duringSave.withLock { $0 = nil }
            try FileManager.default.removeItem(atPath: spool.directory)
            try FileManager.default.moveItem(atPath: aside, toPath: spool.directory)
            store.held.withLock { $0 = false }
            while !store.stored.withLock({ $0.contains("RE2") }), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(store.stored.withLock { $0 }.contains("RE2"))
        }
    }

    @Test func aVoicemailTheSpoolCouldNotTakeIsWrittenOnceItCan() async throws {
        try await Self.withSpool { (spool) async throws in
            // The spool's place is a file at first (a full or broken disk, say), then a directory.
            try Data("x".utf8).write(to: URL(fileURLWithPath: spool.directory))
            let store = FlakyStore(failures: 1)
            let outbox = store.outbox(spool: spool)
            store.held.withLock { $0 = true }
            #expect(await outbox.add(Self.recording("RE1"), receivedAt: Date()))
            try FileManager.default.removeItem(atPath: spool.directory)
            let onDisk = Mutex<[String]?>(nil)
            store.duringSave.withLock { $0 = { _ in onDisk.withLock { $0 = try? Self.spooled(spool) } } }
            store.held.withLock { $0 = false }
            #expect(await Self.drained(outbox))
            #expect(onDisk.withLock { $0 } == ["RE1"], "the worker should write it to disk before it tries the store")
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
            save: { (_, _, _) async throws(StoreError) -> Bool in throw .unavailable("The store is down") }
        )
        #expect(await outbox.add(Self.recording("RE1"), receivedAt: Date()))
        let stopping = ContinuousClock.now
        await outbox.stop()
        #expect(ContinuousClock.now - stopping < .seconds(5))
        #expect(outbox.count == 1)
    }
}
