import SwitchboardTwiML

/// The documents of ../shared/bench/twilio_py_baseline.py (`ring_all` with ten clients and
/// `voicemail`), built and rendered each iteration as the Python baseline does.
enum TwiMLBenchmark {
    static let agents = (0..<10).map { "agent_\($0 < 10 ? "0" : "")\($0)" }

    static func ringAll() -> VoiceResponse {
        VoiceResponse([
            .dial(Dial(agents.map { .client(Client($0)) }, action: "/twilio/dial-status", method: .post, timeout: 20, answerOnBridge: true))
        ])
    }

    /// The ring-all answer as Switchboard writes it (screen URL and status callbacks on each client).
    static func ringAllWithCallbacks() -> VoiceResponse {
        let base = "https://switchboard.example.com"
        let clients = agents.map { agent in
            Dial.Noun.client(
                Client(
                    agent,
                    url: URLReference(base + "/twilio/screen"),
                    statusCallback: URLReference(base + "/twilio/client-status"),
                    statusCallbackEvent: [.ringing, .answered, .completed],
                    statusCallbackMethod: .post
                )
            )
        }
        return VoiceResponse([
            .dial(Dial(clients, action: URLReference(base + "/twilio/dial-status"), method: .post, timeout: 20, answerOnBridge: true))
        ])
    }

    static func voicemail() -> VoiceResponse {
        VoiceResponse([
            .say(Say("No one is available to take your call. Please leave a message after the tone.", voice: "Polly.Joanna")),
            .record(Record(action: "/twilio/voicemail", maxLength: 120, playBeep: true, trim: .trimSilence)),
            .hangup(Hangup()),
        ])
    }

    static func run() throws -> [String] {
        let ringAllDocument = ringAll()
        let voicemailDocument = voicemail()
        return [
            "ring_all_10 bytes: " + (try ringAllDocument.render()),
            "voicemail bytes: " + (try voicemailDocument.render()),
            try BenchmarkClock.measure("switchboard ring_all_10 build+render", iterations: 200_000) { try ringAll().renderBytes().count },
            try BenchmarkClock.measure("switchboard voicemail build+render", iterations: 200_000) { try voicemail().renderBytes().count },
            try BenchmarkClock.measure("switchboard ring_all_10 render only", iterations: 200_000) { try ringAllDocument.renderBytes().count },
            try BenchmarkClock.measure("switchboard voicemail render only", iterations: 200_000) { try voicemailDocument.renderBytes().count },
        ]
    }
}
