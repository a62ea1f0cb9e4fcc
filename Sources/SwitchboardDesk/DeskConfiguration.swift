/// How the agents' API behaves, as plain values; only the entry point reads flags or environment.
public struct DeskConfiguration: Sendable, Equatable {
    /// How access tokens are checked.
    public var token: TokenConfiguration
    /// Whether the first authenticated request of a user without an agent record creates it (else
    /// routes that need an agent answer 404 `agent_record_missing`).
    public var autoProvisioning: Bool
    /// The chat capacity of an agent record made from a token.
    public var defaultChatCapacity: Int
    /// Seconds an agent stays in wrap-up after leaving a call (parking it).
    public var wrapUpSeconds: Int
    /// Rings missed in a row after which an agent is set away; 0 turns the rule off.
    public var missedRingsBeforeAway: Int
    /// Seconds a call may stay parked before it rings its parker again.
    public var parkTimeoutSeconds: Int
    /// Seconds the parker's client rings again after a park timeout, before voicemail.
    public var parkRecallSeconds: Int
    /// The hold music parked callers hear (an audio URL Twilio can fetch).
    public var holdMusicURL: String
    /// How often the event stream polls the store for new ring events.
    public var eventPollInterval: Duration
    /// How often the event stream sends a heartbeat comment when nothing happens.
    public var heartbeatInterval: Duration
    /// How long one event stream stays open; the client reconnects with `Last-Event-ID`.
    public var eventStreamLifetime: Duration
    /// A stream opened without `Last-Event-ID` (or `after`) skips events older than this, so a new
    /// dashboard does not replay the tenant's whole history; a resumed stream skips nothing.
    public var freshStreamWindow: Duration

    /// Creates a configuration; every value but the token has a production default.
    public init(
        token: TokenConfiguration,
        autoProvisioning: Bool = true,
        defaultChatCapacity: Int = 5,
        wrapUpSeconds: Int = 30,
        missedRingsBeforeAway: Int = 3,
        parkTimeoutSeconds: Int = 120,
        parkRecallSeconds: Int = 20,
        holdMusicURL: String = "http://com.twilio.sounds.music.s3.amazonaws.com/MARKOVICHAMP-Borghestral.mp3",
        eventPollInterval: Duration = .milliseconds(250),
        heartbeatInterval: Duration = .seconds(15),
        eventStreamLifetime: Duration = .seconds(300),
        freshStreamWindow: Duration = .seconds(900)
    ) {
        self.token = token
        self.autoProvisioning = autoProvisioning
        self.defaultChatCapacity = defaultChatCapacity
        self.wrapUpSeconds = wrapUpSeconds
        self.missedRingsBeforeAway = missedRingsBeforeAway
        self.parkTimeoutSeconds = parkTimeoutSeconds
        self.parkRecallSeconds = parkRecallSeconds
        self.holdMusicURL = holdMusicURL
        self.eventPollInterval = eventPollInterval
        self.heartbeatInterval = heartbeatInterval
        self.eventStreamLifetime = eventStreamLifetime
        self.freshStreamWindow = freshStreamWindow
    }
}
