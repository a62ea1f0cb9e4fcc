import Foundation
import Logging
import SwitchboardCore
import SwitchboardRouting
import SwitchboardTestSupport
import SwitchboardWebhooks
import Testing

@testable import SwitchboardVoice

/// A stalled disk under the voicemail spool (the chaos run froze its filesystem) holds up neither
/// Twilio's answer nor the count `/metrics` reads; the voicemail is queued once the disk answers.
@Suite struct StalledSpoolTests {
    @Test func aStalledSpoolDoesNotHoldTheRecordingCallbackPastItsBudget() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-stalled-spool-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var spool = VoicemailSpool(directory: directory)
        // Long, so that a cooperative pool slowed by other tests running at once cannot make the answer
        // look as late as the disk.
        spool.beforeKeep = { usleep(5_000_000) }
        let budget = Duration.milliseconds(300)
        let service = VoiceService(
            store: UnavailableCallStore(),
            configuration: RoutingConfiguration(publicURL: "https://sb.example.com"),
            storeBudget: budget,
            spool: spool,
            logger: Logger(label: "test")
        )
        let form: FormParameters = [
            "AccountSid": "AC1", "CallSid": "CAvm", "RecordingSid": "RE1", "RecordingUrl": "https://api.twilio.com/RE1",
            "RecordingStatus": "completed", "RecordingDuration": "12",
        ]
        let started = ContinuousClock.now
        let reply = await service.handle(.recordingStatus, form: form, at: Date())
        let took = ContinuousClock.now - started
        #expect(took < .seconds(4), "answered after \(took), while the spool was stalled for 5 s")
        #expect(reply.outcome == "voicemail-queued-late")
        #expect(String(decoding: reply.body, as: UTF8.self) == #"<?xml version="1.0" encoding="UTF-8"?><Response />"#)
        // Readable while the outbox's queue is blocked in the spool.
        #expect(service.outbox.count == 0)
        // Once the disk answers, the voicemail waits in the outbox and in the spool.
        let deadline = ContinuousClock.now + .seconds(10)
        while service.outbox.count == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(service.outbox.count == 1)
        #expect(FileManager.default.fileExists(atPath: directory + "/RE1.json"))
        await service.outbox.stop()
    }

    /// A spool write that never returns holds the outbox's queue, and its stop behind it: a shutdown still
    /// ends within its limit, and says how many voicemails waited.
    @Test func aStalledSpoolDoesNotHoldAShutdownPastItsLimit() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-stalled-stop-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var spool = VoicemailSpool(directory: directory)
        spool.beforeKeep = { usleep(4_000_000) }
        let logs = LogRecorder()
        let outbox = VoicemailOutbox(logger: logs.logger(), spool: spool) { (_, _, _) async throws(StoreError) -> Bool in
            throw .unavailable("the store is down")
        }
        let callback = try RecordingStatusCallback([
            "AccountSid": "AC1", "CallSid": "CAvm", "RecordingSid": "RE1", "RecordingUrl": "https://api.twilio.com/RE1",
            "RecordingStatus": "completed",
        ])
        // The add blocks the outbox's queue in the spool for 4 s.
        let adding = Task { await outbox.add(callback, receivedAt: Date()) }
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        #expect(await outbox.stop(within: .milliseconds(500)) == false)
        let took = ContinuousClock.now - started
        #expect(took < .seconds(3), "the stop took \(took), while the spool was stalled for 4 s")
        #expect(logs.messages.contains { $0.hasPrefix("the voicemail spool did not answer at shutdown") }, "\(logs.messages)")
        _ = await adding.value
        #expect(await outbox.stop(within: .seconds(10)), "a stop once the disk answers")
    }
}
