import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import ServiceLifecycle
import SwitchboardCore
import SwitchboardTestSupport
import SwitchboardVoice
import SwitchboardWebhooks
import Synchronization
import Testing

@testable import SwitchboardApp

/// A graceful shutdown stops the voicemail outbox: no save starts after it, and what is left stays
/// queued (and, with a spool, on disk for the next start). The ring-event and call-end retries stop with
/// it, and take nothing more.
@Suite struct OutboxShutdownTests {
    @Test func aGracefulShutdownStopsTheOutboxsRetries() async throws {
        let attempts = Atomic<Int>(0)
        // A store that never recovers, and pauses of a few milliseconds: without a stop, saves go on.
        let outbox = VoicemailOutbox(
            logger: Logger(label: "test"),
            pause: { _ in try? await Task.sleep(for: .milliseconds(5)) },
            save: { (_, _, _) async throws(StoreError) -> Bool in
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
        let ringingCalls = RingingCallRetry(logger: logger) { (_) async throws(StoreError) -> Bool in true }
        let ringEvents = RingEventRetry(logger: logger) { (_) async throws(StoreError) -> Bool in true }
        let callEnds = CallEndRetry(logger: logger) { (_) async throws(StoreError) -> Bool in true }
        let end = PendingCallEnd(callSid: "CA1", part: .unanswered, occurredAt: Date())
        let claims = ClaimRetry(logger: logger) { (_) async throws(StoreError) -> Bool in true }
        let queues = RetryQueues(voicemails: outbox, ringingCalls: ringingCalls, ringEvents: ringEvents, callEnds: callEnds, claims: claims)
        let group = ServiceGroup(services: [OutboxShutdown(queues: queues)], logger: logger)
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
        #expect(outbox.count == 1)
        #expect(await callEnds.add(end) == false, "the call-end retry was not stopped")
        let event = PendingRingEvent(callSid: "CA1", agentIdentity: "agent_0", kind: .missed, occurredAt: Date(), detail: nil, legSid: "CA1-leg")
        #expect(await ringEvents.add(event) == false, "the ring-event retry was not stopped")
        let ringing = RingingCall(callSid: "CA1", tenant: .default, caller: "+1", called: "+2", agentsRung: ["agent_0"], startedAt: Date())
        #expect(await ringingCalls.add(ringing) == false, "the ringing-call retry was not stopped")
        let claim = PendingClaim(callSid: "CA1", agentIdentity: "agent_0", tenant: nil, occurredAt: Date())
        #expect(await claims.add(claim) == false, "the claim retry was not stopped")
    }

    /// The application runs the outbox's stop in its shutdown: a voicemail still queued when the
    /// server stops is reported as not stored, by the outbox's stop.
    @Test func theApplicationStopsItsOutboxWhenItShutsDown() async throws {
        let recorder = LogRecorder()
        let logger = recorder.logger()
        let app = buildApplication(
            configuration: AppTests.configuration(),
            store: UnavailableCallStore(),
            logger: logger
        )
        try await app.test(.live) { client in
            let form: FormParameters = [
                "AccountSid": "AC1", "CallSid": "CAdown", "RecordingSid": "REdown", "RecordingUrl": "https://api.twilio.com/REdown",
                "RecordingStatus": "completed",
            ]
            let response = try await AppTests.post(client, "/twilio/recording-status", form)
            #expect(response.status == .ok)
        }
        let messages = recorder.messages
        #expect(messages.contains("voicemail not stored yet; retrying in the background"), "\(messages)")
        #expect(messages.contains("voicemail NOT stored: the service stopped before the store took it"), "\(messages)")
    }
}
