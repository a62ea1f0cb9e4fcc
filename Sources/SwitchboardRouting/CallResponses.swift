import SwitchboardCore
import SwitchboardTwiML
import SwitchboardWebhooks

/// The TwiML each voice route answers, as pure functions of the configuration and the decision.
public struct CallResponses: Sendable {
    /// The configuration the documents follow.
    public let configuration: RoutingConfiguration

    /// Creates the responses for a configuration.
    public init(configuration: RoutingConfiguration) {
        self.configuration = configuration
    }

    /// Rings every agent in the decision at once, or voicemail when there is no one. The callbacks'
    /// URLs name `tenant` (see ``RoutingConfiguration/url(_:tenant:)``).
    public func ring(_ decision: RingDecision, tenant: TenantID? = nil) -> VoiceResponse {
        guard !decision.isEmpty else { return voicemail(tenant: tenant) }
        let screen = URLReference(configuration.url(.screen, tenant: tenant))
        let status = URLReference(configuration.url(.clientStatus, tenant: tenant))
        let clients = decision.agentsRung.map { agent in
            Dial.Noun.client(
                Client(
                    agent.identity,
                    url: screen,
                    statusCallback: status,
                    statusCallbackEvent: [.ringing, .answered, .completed],
                    statusCallbackMethod: .post
                )
            )
        }
        let dial = Dial(
            clients,
            action: URLReference(configuration.url(.dialStatus, tenant: tenant)),
            method: .post,
            timeout: configuration.dialTimeout,
            answerOnBridge: true
        )
        return VoiceResponse([.dial(dial)])
    }

    /// The voicemail prompt and recording; the recording's status callback, which names `tenant`,
    /// stores it.
    public func voicemail(tenant: TenantID? = nil) -> VoiceResponse {
        VoiceResponse([
            .say(Say(configuration.voicemailPrompt, voice: configuration.voice)),
            .record(
                Record(
                    action: URLReference(configuration.url(.voicemail)),
                    method: .post,
                    maxLength: configuration.voicemailMaxLength,
                    playBeep: true,
                    trim: .trimSilence,
                    recordingStatusCallback: URLReference(configuration.url(.recordingStatus, tenant: tenant)),
                    recordingStatusCallbackMethod: .post,
                    recordingStatusCallbackEvent: [.completed]
                )
            ),
        ])
    }

    /// After the ring: hang up when an agent answered, else voicemail (busy, no-answer, failed,
    /// canceled, and any status Twilio adds later).
    public func dialStatus(_ status: DialCallStatus, tenant: TenantID? = nil) -> VoiceResponse {
        status.wasAnswered ? hangup() : voicemail(tenant: tenant)
    }

    /// On the answering agent's leg: an empty document bridges the winner; anyone else is told why
    /// (the call was answered by another agent, or they are on another call) and hangs up.
    public func screen(_ outcome: ClaimOutcome) -> VoiceResponse {
        switch outcome {
        case .won: VoiceResponse()
        case .alreadyAnswered: notice(configuration.answeredElsewhereNotice)
        case .agentBusy: notice(configuration.agentBusyNotice)
        case .callEnded: notice(configuration.callEndedNotice)
        }
    }

    /// Says `text` to the agent's leg, then hangs up.
    private func notice(_ text: String) -> VoiceResponse {
        VoiceResponse([.say(Say(text, voice: configuration.voice)), .hangup(Hangup())])
    }

    /// After the voicemail: thanks, then hang up.
    public func voicemailRecorded() -> VoiceResponse {
        VoiceResponse([.say(Say(configuration.voicemailThanks, voice: configuration.voice)), .hangup(Hangup())])
    }

    /// An empty document, for status callbacks.
    public func acknowledged() -> VoiceResponse { VoiceResponse() }

    /// Hangs up.
    public func hangup() -> VoiceResponse { VoiceResponse([.hangup(Hangup())]) }
}
