import Foundation
import Logging
import ServiceLifecycle
import SwitchboardCore
import SwitchboardVoice
import SwitchboardWebhooks
import Synchronization
import Testing

@testable import SwitchboardApp

/// A graceful shutdown stops the voicemail outbox: no save starts after it, and what is left stays
/// queued (and, with a spool, on disk for the next start).
@Suite struct OutboxShutdownTests {
    @Test func aGracefulShutdownStopsTheOutboxsRetries() async throws {
        let attempts = Atomic<Int>(0)
        // A store that never recovers, and pauses of a few milliseconds: without a stop, saves go on.
        let outbox = VoicemailOutbox(
            logger: Logger(label: "test"),
            pause: { _ in try? await Task.sleep(for: .milliseconds(5)) },
            save: { (_, _) async throws(StoreError) -> Bool in
                attempts.add(1, ordering: .relaxed)
                throw .unavailable("The store is down")
            }
        )
        let callback = RecordingStatusCallback(
            accountSid: "AC1",
            callSid: "CA1",
            recordingSid: "RE1",
            recordingUrl: "https://api.twilio.com/RE1",
            recordingStatus: .completed
        )
        #expect(await outbox.add(callback, receivedAt: Date()))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let group = ServiceGroup(services: [OutboxShutdown(outbox: outbox)], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // Let the outbox try a few times first.
            while attempts.load(ordering: .relaxed) < 3 { try await Task.sleep(for: .milliseconds(5)) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let afterStop = attempts.load(ordering: .relaxed)
        try await Task.sleep(for: .milliseconds(200))
        #expect(attempts.load(ordering: .relaxed) == afterStop, "the outbox went on saving after the shutdown")
        #expect(await outbox.count == 1)
    }
}
