import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardApp
import SwitchboardCore
import SwitchboardWebhooks
import Testing

@testable import SwitchboardSQLite

/// The store budget bounds the embedded store too: while another process holds the SQLite file's write
/// lock (a long migration, a backup, a stuck instance), Twilio's callbacks are answered within the budget,
/// not after the file's busy timeout.
@Suite struct LockedFileTests {
    /// The budget of these tests, far below the store's busy timeout (five seconds).
    static let budget = Duration.milliseconds(300)

    /// The app's store, and the other connection that holds the file's write lock until ``release()``.
    struct LockedFile: Sendable {
        let store: SQLiteCallStore
        let holder: SQLiteCallStore

        func release() async throws { _ = try await holder.diagnosticRows("ROLLBACK") }
    }

    /// Runs `body` against an app on an SQLite file with two available agents, while another connection
    /// holds the file's write lock (until `body` releases it); `before` runs on the store before the lock.
    static func withLockedFile(
        _ setup: TestingSetup,
        before: @Sendable (SQLiteCallStore) async throws -> Void = { _ in },
        _ body: @escaping @Sendable (any TestClientProtocol, LockedFile) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-locked-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        let store = try await SQLiteCallStore(path: path)
        let holder = try await SQLiteCallStore(path: path)
        for agent in AppTests.agents(2) { try await store.upsertAgent(agent) }
        try await before(store)
        _ = try await holder.diagnosticRows("BEGIN IMMEDIATE")
        try await AppTests.app(store: store, configuration: AppTests.configuration(storeBudget: budget)).test(setup) { client in
            try await body(client, LockedFile(store: store, holder: holder))
        }
        _ = try? await holder.diagnosticRows("ROLLBACK")
        try await holder.close()
        try await store.close()
    }

    /// Posts `form` to `path` and checks that it is answered 200 within 2 s, as Twilio must be
    /// whatever the locked file does; the response.
    static func answeredAtOnce(
        _ client: some TestClientProtocol,
        _ path: String,
        _ form: FormParameters,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestResponse {
        let started = ContinuousClock.now
        let response = try await AppTests.post(client, path, form)
        let took = ContinuousClock.now - started
        #expect(response.status == .ok, sourceLocation: sourceLocation)
        #expect(took < .seconds(2), "answered after \(took)", sourceLocation: sourceLocation)
        return response
    }

    /// The `/metrics` text.
    static func metrics(_ client: some TestClientProtocol) async throws -> String {
        String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
    }

    /// The `/metrics` text once it contains `line`, or at `deadline` the last one read.
    static func metrics(_ client: some TestClientProtocol, containing line: String, by deadline: ContinuousClock.Instant) async throws -> String {
        var text = ""
        while !text.contains(line), ContinuousClock.now < deadline {
            text = try await metrics(client)
        }
        return text
    }

    @Test(arguments: [TestingSetup.router, .live])
    func anInboundCallStillRingsTheAgentsWithinTheBudget(setup: TestingSetup) async throws {
        try await Self.withLockedFile(setup) { client, locked in
            // The routing read needs no lock; the ringing record cannot be written, and the decision
            // stands (claims work without the record) while the record waits.
            let response = try await Self.answeredAtOnce(client, "/twilio/voice", AppTests.voiceForm)
            #expect(String(buffer: response.body).components(separatedBy: "<Client ").count - 1 == 2)
            let callSid = AppTests.voiceForm["CallSid"]!
            #expect(try await locked.store.ringingCall(callSid) == nil)
            let deadline = ContinuousClock.now + .seconds(20)
            let queued = try await Self.metrics(client, containing: "switchboard_ringing_calls_waiting 1.0\n", by: deadline)
            #expect(queued.contains("switchboard_ringing_calls_waiting 1.0\n"), "\(queued)")

            // Once the file is free the record waiting is made: the call reaches the dashboards.
            try await locked.release()
            var call = try await locked.store.ringingCall(callSid)
            while call == nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                call = try await locked.store.ringingCall(callSid)
            }
            #expect(call?.agentsRung.count == 2)
            #expect(try await locked.store.ringingCalls(in: .default).map(\.callSid) == [callSid])
            let waiting = try await Self.metrics(client, containing: "switchboard_ringing_calls_waiting 0.0\n", by: deadline)
            #expect(waiting.contains("switchboard_ringing_calls_waiting 0.0\n"), "\(waiting)")
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func anAgentsClaimIsLetThroughWithinTheBudget(setup: TestingSetup) async throws {
        try await Self.withLockedFile(setup) { client, _ in
            let form: FormParameters = [
                "CallSid": "CA3", "ParentCallSid": AppTests.voiceForm["CallSid"]!, "AccountSid": "AC1", "From": "+14155551234",
                "To": "client:agent_1",
            ]
            let response = try await Self.answeredAtOnce(client, "/twilio/screen", form)
            #expect(String(buffer: response.body) == AppTests.declaration + "<Response />")
            let metrics = try await Self.metrics(client)
            #expect(metrics.contains(#"switchboard_requests_total{route="/twilio/screen",outcome="claim-unchecked"} 1"#), "\(metrics)")
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func aVoicemailReportedWhileTheFileIsLockedIsStoredOnceItIsFree(setup: TestingSetup) async throws {
        try await Self.withLockedFile(setup) { client, locked in
            let form: FormParameters = [
                "AccountSid": "AC1", "CallSid": "CAvm", "RecordingSid": "RElocked", "RecordingUrl": "https://api.twilio.com/RElocked",
                "RecordingStatus": "completed", "RecordingDuration": "7",
            ]
            _ = try await Self.answeredAtOnce(client, "/twilio/recording-status", form)
            let metrics = try await Self.metrics(client)
            #expect(metrics.contains(#"switchboard_requests_total{route="/twilio/recording-status",outcome="voicemail-queued"} 1"#), "\(metrics)")
            #expect(metrics.contains("switchboard_voicemails_waiting 1.0\n"), "\(metrics)")
            #expect(try await locked.store.voicemails(in: .default).isEmpty)

            try await locked.release()
            // The outbox tries again after a second, then two.
            let deadline = ContinuousClock.now + .seconds(10)
            var stored: [Voicemail] = []
            while stored.isEmpty, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                stored = try await locked.store.voicemails(in: .default)
            }
            #expect(stored.map(\.recordingSid) == ["RElocked"])
            #expect(stored.first?.durationSeconds == 7)
            // The outbox lets go of it right after the store takes it.
            let waiting = try await Self.metrics(client, containing: "switchboard_voicemails_waiting 0.0\n", by: deadline)
            #expect(waiting.contains("switchboard_voicemails_waiting 0.0\n"), "\(waiting)")
        }
    }

    /// A ring event reported while the file is locked waits, and is recorded once the file is free, so
    /// the dashboards' cards still clear.
    @Test(arguments: [TestingSetup.router, .live])
    func aRingEventReportedWhileTheFileIsLockedIsRecordedOnceItIsFree(setup: TestingSetup) async throws {
        try await Self.withLockedFile(setup) { client, locked in
            let form: FormParameters = [
                "CallSid": "CAleg", "ParentCallSid": "CAring", "CallStatus": "no-answer", "To": "client:agent_1", "AccountSid": "AC1",
                "From": "+14155551234",
            ]
            _ = try await Self.answeredAtOnce(client, "/twilio/client-status", form)
            let metrics = try await Self.metrics(client)
            #expect(metrics.contains(#"switchboard_requests_total{route="/twilio/client-status",outcome="event-queued"} 1"#), "\(metrics)")
            #expect(metrics.contains("switchboard_ring_events_waiting 1.0\n"), "\(metrics)")

            try await locked.release()
            // Retries come after 1 s, then 2, then 4.
            let deadline = ContinuousClock.now + .seconds(20)
            var events: [RingEvent] = []
            while events.isEmpty, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                events = try await locked.store.ringEvents(in: .default, after: 0, limit: 10)
            }
            #expect(events.map(\.kind) == [.missed])
            #expect(events.first?.agentIdentity == "agent_1")
            let waiting = try await Self.metrics(client, containing: "switchboard_ring_events_waiting 0.0\n", by: deadline)
            #expect(waiting.contains("switchboard_ring_events_waiting 0.0\n"), "\(waiting)")
        }
    }

    /// The end of an unanswered call reported while the file is locked waits, and is recorded once the
    /// file is free, so the call stops ringing on the dashboards; the caller gets the voicemail prompt
    /// at once.
    @Test(arguments: [TestingSetup.router, .live])
    func theEndOfAnUnansweredCallReportedWhileTheFileIsLockedIsRecordedOnceItIsFree(setup: TestingSetup) async throws {
        try await Self.withLockedFile(setup) { store in
            let call = RingingCall(
                callSid: "CAend",
                tenant: .default,
                caller: "+14155551234",
                called: "+15005550006",
                agentsRung: ["agent_1"],
                startedAt: Date()
            )
            try await store.recordRinging(call)
        } _: { client, locked in
            let form: FormParameters = [
                "AccountSid": "AC1", "CallSid": "CAend", "From": "+14155551234", "To": "+15005550006", "DialCallStatus": "no-answer",
            ]
            let response = try await Self.answeredAtOnce(client, "/twilio/dial-status", form)
            #expect(String(buffer: response.body).contains("<Record "))
            let metrics = try await Self.metrics(client)
            #expect(metrics.contains("switchboard_call_ends_waiting 1.0\n"), "\(metrics)")
            #expect(try await locked.store.ringingCalls(in: .default).map(\.callSid) == ["CAend"])

            try await locked.release()
            // Retries come after 1 s, then 2, then 4.
            let deadline = ContinuousClock.now + .seconds(20)
            var ringing = try await locked.store.ringingCalls(in: .default)
            while !ringing.isEmpty, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                ringing = try await locked.store.ringingCalls(in: .default)
            }
            #expect(ringing.isEmpty)
            #expect(try await locked.store.claimCall("CAend", tenant: .default, agentIdentity: "agent_1", at: Date()) == .callEnded)
            let waiting = try await Self.metrics(client, containing: "switchboard_call_ends_waiting 0.0\n", by: deadline)
            #expect(waiting.contains("switchboard_call_ends_waiting 0.0\n"), "\(waiting)")
        }
    }

    /// A caller who went straight to voicemail while the file was locked (no record of the call) ends
    /// the message while it still is: the caller is thanked at once, the call's record, with the caller,
    /// waits and is made once the file is free, and the voicemail reported then gets the caller.
    @Test(arguments: [TestingSetup.router, .live])
    func aVoicemailLeftWhileTheFileIsLockedGetsItsCallerOnceItIsFree(setup: TestingSetup) async throws {
        try await Self.withLockedFile(setup) { client, locked in
            let action: FormParameters = [
                "AccountSid": "AC1", "CallSid": "CAleft", "From": "+14155550199", "To": "+15005550006",
                "RecordingUrl": "https://api.twilio.com/REleft", "RecordingDuration": "9",
            ]
            let response = try await Self.answeredAtOnce(client, "/twilio/voicemail", action)
            #expect(String(buffer: response.body).contains("<Hangup />"))
            let deadline = ContinuousClock.now + .seconds(20)
            let queued = try await Self.metrics(client, containing: "switchboard_ringing_calls_waiting 1.0\n", by: deadline)
            #expect(queued.contains("switchboard_ringing_calls_waiting 1.0\n"), "\(queued)")

            try await locked.release()
            var call = try await locked.store.ringingCall("CAleft")
            while call == nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                call = try await locked.store.ringingCall("CAleft")
            }
            #expect(call?.caller == "+14155550199")
            #expect(try await locked.store.ringingCalls(in: .default).isEmpty, "the call is listed as ringing")
            let status: FormParameters = [
                "AccountSid": "AC1", "CallSid": "CAleft", "RecordingSid": "REleft", "RecordingUrl": "https://api.twilio.com/REleft",
                "RecordingStatus": "completed", "RecordingDuration": "9",
            ]
            #expect(try await AppTests.post(client, "/twilio/recording-status", status).status == .ok)
            #expect(try await locked.store.voicemails(in: .default).map(\.caller) == ["+14155550199"])
        }
    }

    /// A voicemail the store refused is kept in the spool, so the next start of the service stores it
    /// even when the first one stopped before the store came back.
    @Test(arguments: [TestingSetup.router, .live])
    func aVoicemailQueuedBeforeARestartIsStoredByTheNextStart(setup: TestingSetup) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-restart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        let spool = directory.appendingPathComponent("spool").path
        var configuration = AppTests.configuration(storeBudget: Self.budget)
        configuration.voicemailSpool = spool
        let form: FormParameters = [
            "AccountSid": "AC1", "CallSid": "CArestart", "RecordingSid": "RErestart", "RecordingUrl": "https://api.twilio.com/RErestart",
            "RecordingStatus": "completed", "RecordingDuration": "9",
        ]

        // The first run: another connection holds the file's write lock the whole time.
        let first = try await SQLiteCallStore(path: path)
        let holder = try await SQLiteCallStore(path: path)
        _ = try await holder.diagnosticRows("BEGIN IMMEDIATE")
        try await AppTests.app(store: first, configuration: configuration).test(setup) { client in
            let response = try await AppTests.post(client, "/twilio/recording-status", form)
            #expect(response.status == .ok)
            let metrics = try await Self.metrics(client)
            #expect(metrics.contains(#"switchboard_requests_total{route="/twilio/recording-status",outcome="voicemail-queued"} 1"#), "\(metrics)")
        }
        // The first run's store is gone for good: only the spool can bring the voicemail back.
        try await first.close()
        #expect(FileManager.default.fileExists(atPath: spool + "/RErestart.json"))
        _ = try await holder.diagnosticRows("ROLLBACK")
        try await holder.close()

        // The next run stores it without being asked.
        let next = try await SQLiteCallStore(path: path)
        try await AppTests.app(store: next, configuration: configuration).test(setup) { _ in
            let deadline = ContinuousClock.now + .seconds(10)
            var stored: [Voicemail] = []
            while stored.isEmpty, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                stored = try await next.voicemails(in: .default)
            }
            #expect(stored.map(\.recordingSid) == ["RErestart"])
            #expect(stored.first?.durationSeconds == 9)
        }
        #expect(!FileManager.default.fileExists(atPath: spool + "/RErestart.json"))
        try await next.close()
    }
}
