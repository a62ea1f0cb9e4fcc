import Foundation
import Logging
import SwitchboardCore
import SwitchboardRouting
import SwitchboardVoice
import SwitchboardWebhooks
import Testing

/// A signed callback whose optional field is malformed still does what it is for: a voicemail is
/// stored, a leg's end frees its agent. One that lacks what a voicemail needs is kept whole for an
/// operator rather than dropped.
@Suite struct MalformedCallbackTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func service(_ store: some CallStore, spool: VoicemailSpool? = nil) -> VoiceService<some CallStore> {
        VoiceService(
            store: store,
            configuration: RoutingConfiguration(publicURL: "https://sb.example.com"),
            spool: spool,
            logger: Logger(label: "test")
        )
    }

    static let recording: FormParameters = [
        "AccountSid": "AC1", "CallSid": "CAvm", "RecordingSid": "RE1", "RecordingUrl": "https://api.twilio.com/RE1",
        "RecordingStatus": "completed", "RecordingDuration": "12", "RecordingChannels": "1",
    ]

    /// `form` with `name` set to `value`, or without `name` when `value` is nil.
    static func replacing(_ name: String, with value: String?, in form: FormParameters) -> FormParameters {
        var form = form
        form.pairs.removeAll { $0.name == name }
        if let value { form.append(name: name, value: value) }
        return form
    }

    @Test(
        arguments: [
            ("RecordingDuration", "-1"), ("RecordingDuration", "99999999999999999999"), ("RecordingDuration", "1.5"),
            ("RecordingDuration", " 12"), ("RecordingChannels", "mono"), ("AccountSid", nil),
        ] as [(String, String?)]
    )
    func aRecordingWithAMalformedOptionalFieldIsStillStored(name: String, value: String?) async throws {
        let store = InMemoryCallStore()
        let service = service(store)
        let form = Self.replacing(name, with: value, in: Self.recording)
        #expect(throws: WebhookError.self) { try RecordingStatusCallback(form) }
        #expect(await service.handle(.recordingStatus, form: form, at: now).outcome == "recorded")
        let voicemails = try await store.voicemails(in: .default)
        #expect(voicemails.map(\.recordingSid) == ["RE1"])
        #expect(voicemails.first?.recordingURL == "https://api.twilio.com/RE1")
        #expect(voicemails.first?.durationSeconds == (name == "RecordingDuration" ? nil : 12))
    }

    @Test(arguments: ["RecordingUrl", "RecordingSid", "CallSid"])
    func aRecordingMissingWhatAVoicemailNeedsIsKeptWholeInRejected(missing: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-unreadable-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spool = VoicemailSpool(directory: directory)
        try spool.prepare()
        let store = InMemoryCallStore()
        let service = service(store, spool: spool)
        let form = Self.replacing(missing, with: nil, in: Self.replacing("RecordingDuration", with: "-1", in: Self.recording))
        let reply = await service.handle(.recordingStatus, form: form, at: now)
        #expect(reply.outcome == "voicemail-unreadable")
        #expect(String(decoding: reply.body, as: UTF8.self) == #"<?xml version="1.0" encoding="UTF-8"?><Response />"#)
        #expect(try await store.voicemails(in: .default).isEmpty)
        let kept = try FileManager.default.contentsOfDirectory(atPath: spool.rejectedDirectory)
        #expect(kept.count == 1)
        let file = try #require(kept.first)
        #expect(file.hasPrefix("unreadable-") && file.hasSuffix(".json"))
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: spool.rejectedDirectory + "/" + file)))
        let fields = try #require(record as? [String: Any])
        // The form as Twilio sent it, read back with an independent parser.
        let sent = try #require(fields["form"] as? String)
        let pairs = try #require(URLComponents(string: "?" + sent.replacingOccurrences(of: "+", with: "%20"))?.queryItems)
        let expected = form.pairs.map { URLQueryItem(name: $0.name, value: $0.value) }
        #expect(pairs == expected)
        #expect((fields["reason"] as? String)?.contains(missing) == true)
        // Nothing waits to be stored again: the spool holds no voicemail.
        #expect(try spool.load().voicemails.isEmpty)
    }

    @Test(arguments: ["-1", "1.5", "forever"])
    func aLegEndWithAMalformedDurationStillFreesTheAgent(duration: String) async throws {
        let agent = Agent(id: "id0", tenant: .default, identity: "agent_0", name: "A0", email: "a0@x.com")
        let store = InMemoryCallStore(agents: [agent])
        let service = service(store)
        let voice: FormParameters = ["CallSid": "CAp", "AccountSid": "AC1", "From": "+14155551234", "To": "+15005550006", "CallStatus": "ringing"]
        #expect(await service.handle(.voice, form: voice, at: now).outcome == "ring")
        #expect(try await store.claimCall("CAp", tenant: .default, agentIdentity: "agent_0", at: now) == .won)
        let end: FormParameters = [
            "CallSid": "CAleg", "ParentCallSid": "CAp", "AccountSid": "AC1", "From": "+14155551234", "To": "client:agent_0",
            "CallStatus": "completed", "CallDuration": duration, "SequenceNumber": "x",
        ]
        #expect(throws: WebhookError.self) { try ClientStatusCallback(end) }
        #expect(await service.handle(.clientStatus, form: end, at: now.addingTimeInterval(30)).outcome == "leg-ended-call")
        #expect(try await store.agent(identity: "agent_0", in: .default).currentCallSid == nil)
    }
}
