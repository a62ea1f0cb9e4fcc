import Foundation
import Logging
import SwitchboardCore
import SwitchboardRouting
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
}
