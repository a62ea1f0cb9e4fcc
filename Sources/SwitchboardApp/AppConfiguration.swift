import SwitchboardRouting

/// Everything the server needs to know, as plain values. Only the executable's entry point reads flags,
/// environment or files to fill it; tests build it in code.
public struct AppConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The port to listen on; 0 picks a free one.
    public var port: Int
    /// Twilio Auth Tokens whose signatures are accepted, primary first (two during a rotation).
    public var authTokens: [String]
    /// The largest request body accepted, in bytes.
    public var bodyLimit: Int
    /// How long a connection may go without a request part arriving (mid-request, or idle between
    /// requests) before it is closed; a request being answered is never cut. Without it, clients that
    /// stall (slowloris) hold their connections, and the process's files, for ever. The default, 75 s,
    /// outlasts the 60 s keep-alive of common load balancers, which must close an idle connection first
    /// (else one may send a request onto a connection the server is closing).
    public var idleTimeout: Duration
    /// How long a request may take to arrive whole, from its headers to its body's end, before its
    /// connection is closed. A body trickled in a byte at a time never trips the idle timeout; this
    /// cuts it. The answer is not timed (see ``RequestDeadlineHandler``). Twilio gives up on a webhook
    /// after 15 s, so the default, 30 s, only ever cuts what no caller is waiting for.
    public var requestTimeout: Duration
    /// The longest the store may take per request before the caller goes to voicemail.
    public var storeBudget: Duration
    /// Routing and prompts; its `publicURL` is also the base of the URLs Twilio signs.
    public var routing: RoutingConfiguration
    /// The directory where voicemails the store refused wait on disk until it takes them, so a restart
    /// loses none; nil keeps them in memory only.
    public var voicemailSpool: String?
    /// How long, after a shutdown signal, `/readyz` answers 503 while requests are still answered, before
    /// the server stops accepting. The application does not drain by itself: whoever runs it runs a
    /// ``ShutdownDrain`` of this duration beside it, as `switchboard serve` does, and hands it to
    /// `buildApplication` for `/readyz`. Zero, the default, stops accepting at once.
    public var shutdownDrain: Duration

    /// Creates a configuration with production defaults.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        authTokens: [String],
        bodyLimit: Int = 64 * 1024,
        idleTimeout: Duration = .seconds(75),
        requestTimeout: Duration = .seconds(30),
        storeBudget: Duration = .seconds(2),
        routing: RoutingConfiguration = RoutingConfiguration(),
        voicemailSpool: String? = nil,
        shutdownDrain: Duration = .zero
    ) {
        self.host = host
        self.port = port
        self.authTokens = authTokens
        self.bodyLimit = bodyLimit
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.storeBudget = storeBudget
        self.routing = routing
        self.voicemailSpool = voicemailSpool
        self.shutdownDrain = shutdownDrain
    }
}
