import SwitchboardCore
import SwitchboardWebhooks

/// How calls are routed and what callers hear. Plain values, read only at the entry point.
public struct RoutingConfiguration: Sendable, Equatable {
    /// The public base URL Twilio reaches the service at (scheme, host, optional port, no trailing
    /// slash), used to make the callback URLs absolute.
    public var publicURL: String
    /// Seconds every agent rings before the caller goes to voicemail (Twilio allows 5 to 600).
    public var dialTimeout: Int
    /// The most agents one call rings (Twilio's cap is 10).
    public var maximumAgentsRung: Int
    /// What the caller hears before the voicemail beep.
    public var voicemailPrompt: String
    /// The voice for prompts, such as `Polly.Joanna`.
    public var voice: String?
    /// The longest voicemail, in seconds.
    public var voicemailMaxLength: Int
    /// What the caller hears after leaving a voicemail.
    public var voicemailThanks: String
    /// Seconds an agent stays in wrap-up after a call.
    public var wrapUpSeconds: Int
    /// What an agent who answered a moment too late hears before their leg hangs up.
    public var answeredElsewhereNotice: String
    /// What an agent already on another call hears before their leg hangs up.
    public var agentBusyNotice: String
    /// What an agent who answers a call that has just ended (gone to voicemail) hears before their leg
    /// hangs up.
    public var callEndedNotice: String

    /// Creates a configuration; every value has a production default.
    public init(
        publicURL: String = "http://127.0.0.1:8080",
        dialTimeout: Int = 20,
        maximumAgentsRung: Int = 10,
        voicemailPrompt: String = "No one is available to take your call. Please leave a message after the tone.",
        voice: String? = "Polly.Joanna",
        voicemailMaxLength: Int = 120,
        voicemailThanks: String = "Thank you. Your message has been recorded. Goodbye.",
        wrapUpSeconds: Int = 30,
        answeredElsewhereNotice: String = "This call was answered by another agent.",
        agentBusyNotice: String = "You are already on another call.",
        callEndedNotice: String = "This call has ended."
    ) {
        self.publicURL = publicURL
        self.dialTimeout = dialTimeout
        self.maximumAgentsRung = maximumAgentsRung
        self.voicemailPrompt = voicemailPrompt
        self.voice = voice
        self.voicemailMaxLength = voicemailMaxLength
        self.voicemailThanks = voicemailThanks
        self.wrapUpSeconds = wrapUpSeconds
        self.answeredElsewhereNotice = answeredElsewhereNotice
        self.agentBusyNotice = agentBusyNotice
        self.callEndedNotice = callEndedNotice
    }

    /// The absolute URL of one of the service's routes.
    public func url(_ route: TwilioRoute) -> String {
        var base = publicURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + route.rawValue
    }

    /// The URL of a route for a call of `tenant`: the tenant is named in the query (`?tenant=…`,
    /// form-encoded) unless it is the default one, so that the callback is filed under its call's
    /// tenant even when the store never recorded the call. Twilio signs the query with the rest.
    public func url(_ route: TwilioRoute, tenant: TenantID?) -> String {
        guard let tenant, tenant != .default else { return url(route) }
        let query: FormParameters = ["tenant": tenant.rawValue]
        return url(route) + "?" + query.encoded()
    }

    /// The tenant a route's query names (`tenant=…`, form-encoded, as ``url(_:tenant:)`` writes it), if
    /// any; a query that does not parse, or an empty name, names none.
    public static func tenant(inQuery query: some StringProtocol) -> TenantID? {
        guard !query.isEmpty, let parameters = try? FormParameters.parse(String(query)) else { return nil }
        guard let name = parameters["tenant"], !name.isEmpty else { return nil }
        return TenantID(name)
    }
}

/// The paths Twilio requests.
public enum TwilioRoute: String, Sendable, CaseIterable {
    /// An inbound call.
    case voice = "/twilio/voice"
    /// The `<Dial action>`: how the ring ended.
    case dialStatus = "/twilio/dial-status"
    /// The `<Client url>`: run on the answering agent's leg, where it claims the call.
    case screen = "/twilio/screen"
    /// The `<Client statusCallback>`: ring events of each agent's leg.
    case clientStatus = "/twilio/client-status"
    /// The `<Record action>`: the caller finished the voicemail.
    case voicemail = "/twilio/voicemail"
    /// The `<Record recordingStatusCallback>`: the recording is ready.
    case recordingStatus = "/twilio/recording-status"
}
