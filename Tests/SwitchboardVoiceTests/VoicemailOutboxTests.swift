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

        func outbox(capacity: Int = 10) -> VoicemailOutbox {
            VoicemailOutbox(
                capacity: capacity,
                logger: Logger(label: "test"),
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
}
