import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SwitchboardApp
import SwitchboardCore
import SwitchboardCurl
import SwitchboardDesk
import SwitchboardPostgREST
import SwitchboardRouting
import SwitchboardSQLite
import SwitchboardTwilioREST
import SwitchboardVoice
import UnixSignals

/// `switchboard serve`: runs the service on the embedded SQLite store (or a Supabase project, or
/// memory) until SIGTERM or SIGINT.
///
/// This is the only place that reads the environment: each flag falls back to its variable.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer Twilio voice webhooks on the embedded store.",
        discussion: """
            Flags fall back to environment variables: --port PORT, --public-url SWITCHBOARD_PUBLIC_URL, \
            --auth-token TWILIO_AUTH_TOKEN and TWILIO_AUTH_TOKEN_SECONDARY, --database SWITCHBOARD_DATABASE, \
            --port-file SWITCHBOARD_PORT_FILE, --voicemail-spool SWITCHBOARD_VOICEMAIL_SPOOL, --store SWITCHBOARD_STORE, --supabase-url SUPABASE_URL, --supabase-service-role-key \
            SUPABASE_SERVICE_ROLE_KEY, --supabase-schema SUPABASE_SCHEMA, --supabase-max-rows SUPABASE_MAX_ROWS, \
            --shutdown-drain-ms SWITCHBOARD_SHUTDOWN_DRAIN_MS. \
            The agents' API (/api/...) is on with --jwt-secret or SUPABASE_JWT_SECRET; parking and \
            voicemail-after-declines also need TWILIO_ACCOUNT_SID (and TWILIO_API_BASE_URL to point elsewhere). \
            Without a token the service refuses to start, unless --dev makes one and prints it.
            """
    )

    @Option(help: "Port to listen on (env PORT; default 8080).")
    var port: Int?

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Once listening, write the port to this file: the one the system chose with --port 0 (env SWITCHBOARD_PORT_FILE).")
    var portFile: String?

    @Option(help: "The public URL Twilio is configured with, without the path (env SWITCHBOARD_PUBLIC_URL).")
    var publicURL: String?

    @Option(help: "A Twilio Auth Token whose signatures are accepted; repeat for a rotation (env TWILIO_AUTH_TOKEN, TWILIO_AUTH_TOKEN_SECONDARY).")
    var authToken: [String] = []

    @Option(help: "The embedded store's file (env SWITCHBOARD_DATABASE; default switchboard.sqlite).")
    var database: String?

    @Option(
        help: """
            The directory where voicemails the store refused wait on disk until it takes them, so a restart loses none, \
            or none to keep them in memory only (env SWITCHBOARD_VOICEMAIL_SPOOL; default: the database's path plus \
            -voicemail-spool for sqlite, switchboard-voicemail-spool in the working directory for postgrest, none for memory).
            """
    )
    var voicemailSpool: String?

    @Flag(help: "Development mode: make up an Auth Token when none is given, and print it.")
    var dev = false

    /// Which store the service keeps its state in.
    enum StoreKind: String, ExpressibleByArgument, CaseIterable {
        /// The embedded SQLite file (the default).
        case sqlite
        /// Process memory: nothing survives a restart. For trials and benchmarks.
        case memory
        /// A Supabase project's PostgREST API, shared by every instance pointed at it.
        case postgrest
    }

    @Option(
        help: """
            sqlite (default: the embedded file), postgrest (a Supabase project; needs --supabase-url and \
            --supabase-service-role-key) or memory (nothing survives a restart; for trials and benchmarks) (env SWITCHBOARD_STORE).
            """
    )
    var store: StoreKind?

    @OptionGroup var supabase: SupabaseOptions

    @OptionGroup var desk: DeskOptions

    @Option(help: "With --store memory: a JSON array of agents to start with, as for agents import.")
    var agents: String?

    @Option(
        help: """
            Seconds a connection may go without a request part arriving before it is closed (env \
            SWITCHBOARD_IDLE_TIMEOUT; default 75, longer than the 60 s keep-alive of common load balancers).
            """
    )
    var idleTimeout: Double?

    @Option(
        help: """
            Seconds a request may take to arrive whole, from its headers to its body's end, before its connection \
            is closed (env SWITCHBOARD_REQUEST_TIMEOUT; default 30). The answer is not timed.
            """
    )
    var requestTimeout: Double?

    @Option(
        name: .customLong("routing-recheck-ms"),
        help: """
            Embedded store: milliseconds a read of the agents' state may route calls while this service changes \
            nothing, so the longest a change another process makes (agents set-presence, agents import) takes to \
            reach calls (env SWITCHBOARD_ROUTING_RECHECK_MS; default 100; 0 reads it for every call). Changes this \
            service makes are seen at once.
            """
    )
    var routingRecheckMs: Int?

    /// The embedded store's routing recheck interval: the flag, else the environment variable, else 100 ms;
    /// 0 to 10000 ms.
    func routingRecheckInterval(environment: [String: String]) throws -> Duration {
        try Self.milliseconds(
            routingRecheckMs,
            variable: "SWITCHBOARD_ROUTING_RECHECK_MS",
            environment: environment,
            default: 100,
            within: 0...10_000,
            naming: "the routing recheck interval"
        )
    }

    @Option(
        name: .customLong("shutdown-drain-ms"),
        help: """
            Milliseconds between SIGTERM (or SIGINT) and the moment the server stops accepting connections, in which \
            /readyz answers 503 and every request is still answered, so a load balancer checking /readyz stops \
            sending requests first (env SWITCHBOARD_SHUTDOWN_DRAIN_MS; default 0: stop accepting at once).
            """
    )
    var shutdownDrainMs: Int?

    /// The shutdown drain: the flag, else the environment variable, else none; 0 to 60000 ms.
    func shutdownDrain(environment: [String: String]) throws -> Duration {
        try Self.milliseconds(
            shutdownDrainMs,
            variable: "SWITCHBOARD_SHUTDOWN_DRAIN_MS",
            environment: environment,
            default: 0,
            within: 0...60_000,
            naming: "the shutdown drain"
        )
    }

    /// A duration in whole milliseconds: `flag`, else the environment's `variable`, else `fallback`;
    /// refused, naming it, outside `range`.
    static func milliseconds(
        _ flag: Int?,
        variable: String,
        environment: [String: String],
        default fallback: Int,
        within range: ClosedRange<Int>,
        naming name: String
    ) throws -> Duration {
        let milliseconds =
            try flag ?? environment[variable].map { value in
                guard let number = Int(value) else { throw ValidationError("\(variable)=\(value) is not a whole number of milliseconds") }
                return number
            } ?? fallback
        guard range.contains(milliseconds) else {
            throw ValidationError("\(name) must be \(range.lowerBound) to \(range.upperBound) milliseconds, not \(milliseconds)")
        }
        return .milliseconds(milliseconds)
    }

    /// The configuration from flags, then environment, then defaults.
    func appConfiguration(environment: [String: String], tokens choice: AuthTokenChoice) throws -> AppConfiguration {
        let tokens = choice.tokens
        let resolvedPort =
            try port ?? environment["PORT"].map { value in
                guard let number = Int(value) else { throw ValidationError("PORT=\(value) is not a number") }
                return number
            } ?? 8080
        guard (0...65535).contains(resolvedPort) else { throw ValidationError("port \(resolvedPort) is outside 0 to 65535") }
        let configuredURL = publicURL ?? environment["SWITCHBOARD_PUBLIC_URL"]
        if configuredURL == nil && resolvedPort == 0 {
            // The default public URL names the port, which is not known before the server listens.
            throw ValidationError("port 0 needs --public-url (or SWITCHBOARD_PUBLIC_URL): signatures cover the URL Twilio calls, port included")
        }
        let url = configuredURL ?? "http://\(host):\(resolvedPort)"
        try Self.checkPublicURL(url)
        let idleSeconds = try Self.seconds(idleTimeout, environment, "SWITCHBOARD_IDLE_TIMEOUT", default: 75, name: "idle timeout")
        let requestSeconds = try Self.seconds(requestTimeout, environment, "SWITCHBOARD_REQUEST_TIMEOUT", default: 30, name: "request timeout")
        var configuration = AppConfiguration(host: host, port: resolvedPort, authTokens: tokens, routing: RoutingConfiguration(publicURL: url))
        configuration.idleTimeout = .milliseconds(Int64((idleSeconds * 1000).rounded()))
        configuration.requestTimeout = .milliseconds(Int64((requestSeconds * 1000).rounded()))
        configuration.shutdownDrain = try shutdownDrain(environment: environment)
        return configuration
    }

    /// A timeout in seconds: the flag, else the environment variable, else the default; 1 to 86400.
    static func seconds(
        _ flag: Double?,
        _ environment: [String: String],
        _ variable: String,
        default fallback: Double,
        name: String
    ) throws -> Double {
        let seconds =
            try flag ?? environment[variable].map { value in
                guard let seconds = Double(value) else { throw ValidationError("\(variable)=\(value) is not a number of seconds") }
                return seconds
            } ?? fallback
        guard seconds.isFinite, seconds >= 1, seconds <= 86_400 else {
            throw ValidationError("the \(name) must be 1 to 86400 seconds, not \(seconds)")
        }
        return seconds
    }

    /// Refuses a public URL Twilio's signatures could never match, or that would leak a secret into
    /// every callback URL: it must be `http(s)://host[:port]` with at most a trailing slash — no
    /// credentials, path, query or fragment.
    static func checkPublicURL(_ url: String) throws {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ValidationError("the public URL \(url) must start with http:// or https://")
        }
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw ValidationError("the public URL \(url) is not a URL with a host")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw ValidationError("the public URL \(url) has port \(port): a port is 1 to 65535")
        }
        if components.user != nil || components.password != nil {
            throw ValidationError("the public URL must not hold credentials (user:password@): they would appear in every callback URL")
        }
        if components.query != nil || components.fragment != nil {
            throw ValidationError("the public URL \(url) must not have a query or fragment")
        }
        if !components.path.isEmpty && components.path != "/" {
            throw ValidationError("the public URL \(url) must not have a path: give the scheme, host and port Twilio is configured with")
        }
    }

    /// How long a start keeps trying to open the embedded store while another process holds its lock.
    static let sqliteOpenPatience: Duration = .seconds(60)

    /// Opens the embedded store, trying again every second for up to `patience` while the file's write
    /// lock is held elsewhere (``StoreError/timeout``): opening takes it to check the schema, and
    /// another process (a backup, a VACUUM, an operator's session) may hold it longer than the busy
    /// timeout. A start that gave up at once would leave Twilio with no server at all, where a running
    /// server would answer voicemail. Any other failure (a corrupt file, a newer schema, a full disk)
    /// ends the start at once.
    static func openSQLite(
        path: String,
        configuration: SQLiteCallStore.Configuration,
        for patience: Duration,
        logger: Logger
    ) async throws -> SQLiteCallStore {
        let deadline = ContinuousClock.now + patience
        while true {
            let failure: StoreError
            do {
                return try await SQLiteCallStore(path: path, configuration: configuration)
            } catch {
                failure = error
            }
            guard failure == .timeout, ContinuousClock.now < deadline else { throw failure }
            logger.warning("cannot open the store yet; trying again", metadata: ["database": "\(path)", "error": "\(failure)"])
            try await Task.sleep(for: .seconds(1))
        }
    }

    static func makeDevToken() -> String {
        (0..<32).map { _ in String("0123456789abcdef".randomElement()!) }.joined()
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let tokens = try AuthTokenChoice.choose(flags: authToken, environment: environment, dev: dev, makeToken: Self.makeDevToken)
        var configuration = try appConfiguration(environment: environment, tokens: tokens)
        if tokens.madeUp {
            StandardStreams.writeOut("switchboard: development Auth Token: \(configuration.authTokens[0])\n")
        }
        var logger = Logger(label: "switchboard") { label in LineLogHandler(label: label) }
        logger.logLevel = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        if !tokens.ignoredVariables.isEmpty {
            logger.warning(
                "Twilio Auth Token variables are set but not used: --auth-token replaces them; give every token as a flag",
                metadata: ["ignored": "\(tokens.ignoredVariables.joined(separator: ","))"]
            )
        }
        let deskSettings = try desk.resolve(environment: environment, twilioAuthToken: configuration.authTokens.first)
        let sqliteConfiguration = SQLiteCallStore.Configuration(routingRecheckInterval: try routingRecheckInterval(environment: environment))
        let portFilePath = portFile ?? environment["SWITCHBOARD_PORT_FILE"]
        let kind = try StoreOptions.kind(store, environment: environment) ?? .sqlite
        if kind != .memory, agents != nil {
            throw ValidationError("--agents goes with --store memory; use agents import for the embedded store")
        }
        let path = try StoreOptions.databasePath(database, environment: environment)
        if let portFilePath { try Self.checkPortFile(portFilePath) }
        // The spool is made once the store's own settings are known good (and the embedded store's file
        // opened), so a start refused for them leaves no directory behind.
        switch kind {
        case .postgrest:
            let postgrest = try supabase.configuration(environment: environment)
            configuration.voicemailSpool = try usableSpool(environment: environment, store: kind, database: path, logger: logger)
            let transport = CurlTransport()
            let store = PostgRESTCallStore(configuration: postgrest, transport: transport, logger: logger)
            logger.info("store", metadata: ["kind": "postgrest", "url": "\(postgrest.restBase)", "schema": "\(postgrest.schema)"])
            do {
                try await store.checkReady()
            } catch {
                // The service starts anyway: voice routes answer voicemail and /readyz says not ready
                // until the store answers.
                logger.warning("store not ready", metadata: ["error": "\(error)"])
            }
            try await serve(configuration: configuration, store: store, desk: deskSettings, portFilePath: portFilePath, logger: logger)
            await transport.shutdown()
        case .sqlite:
            let sqlite: SQLiteCallStore
            do {
                sqlite = try await Self.openSQLite(path: path, configuration: sqliteConfiguration, for: Self.sqliteOpenPatience, logger: logger)
            } catch {
                StandardStreams.writeError("switchboard serve: cannot open the store at \(path): \(error)\n")
                throw ExitCode(1)
            }
            logger.info("store", metadata: ["kind": "sqlite", "database": "\(path)"])
            do {
                configuration.voicemailSpool = try usableSpool(environment: environment, store: kind, database: path, logger: logger)
            } catch {
                try? await sqlite.close()
                throw error
            }
            try await serve(configuration: configuration, store: sqlite, desk: deskSettings, portFilePath: portFilePath, logger: logger)
            try await sqlite.close()
        case .memory:
            configuration.voicemailSpool = try usableSpool(environment: environment, store: kind, database: path, logger: logger)
            var seed: [Agent] = []
            if let agents {
                let records = try AgentsCommand.Record.load(agents, for: "serve")
                seed = records.enumerated().map { index, record in
                    var agent = record.agent
                    agent.id = "memory-\(index)"
                    return agent
                }
            }
            logger.info("store", metadata: ["kind": "memory", "agents": "\(seed.count)"])
            try await serve(
                configuration: configuration,
                store: InMemoryCallStore(agents: seed),
                desk: deskSettings,
                portFilePath: portFilePath,
                logger: logger
            )
        }
        logger.info("stopped")
    }

    /// The spool directory: the flag, the environment, then the store's default (`nil` for none), and
    /// whether it was asked for (rather than a default).
    func spoolDirectory(environment: [String: String], store kind: StoreKind, database: String) -> (directory: String?, isExplicit: Bool) {
        if let asked = Self.askedSpool(voicemailSpool, environment: environment) { return (asked, true) }
        switch kind {
        case .sqlite: return (VoicemailSpool.defaultDirectory(sqliteDatabase: database), false)
        case .postgrest: return (VoicemailSpool.defaultDirectory(sqliteDatabase: nil), false)
        case .memory: return (nil, false)
        }
    }

    /// The spool asked for by `flag`, else `SWITCHBOARD_VOICEMAIL_SPOOL`: nil when neither is given (or
    /// empty), `.some(nil)` for `none`.
    static func askedSpool(_ flag: String?, environment: [String: String]) -> String?? {
        guard let directory = flag ?? environment["SWITCHBOARD_VOICEMAIL_SPOOL"], !directory.isEmpty else { return nil }
        return .some(directory == "none" ? nil : directory)
    }

    /// The spool directory to use (see ``spoolDirectory(environment:store:database:)``), made ready: one
    /// asked for must work (exit code 1 otherwise); a default that cannot be made (a read-only working
    /// directory, say) must not stop the service from answering calls, and one that exists but cannot be
    /// written now (a full disk) is still used, since it may hold an earlier run's voicemails.
    func usableSpool(environment: [String: String], store kind: StoreKind, database: String, logger: Logger) throws -> String? {
        let spool = spoolDirectory(environment: environment, store: kind, database: database)
        guard let directory = spool.directory else { return nil }
        do {
            try VoicemailSpool(directory: directory).prepare()
            logger.info("voicemail spool", metadata: ["directory": "\(directory)"])
            return directory
        } catch {
            guard !spool.isExplicit else {
                StandardStreams.writeError("switchboard serve: cannot use the voicemail spool: \(error)\n")
                throw ExitCode(1)
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                logger.warning(
                    "no voicemail spool: the default cannot be made, so voicemails the store refuses wait in memory only",
                    metadata: ["error": "\(error)", "hint": "set --voicemail-spool or SWITCHBOARD_VOICEMAIL_SPOOL"]
                )
                return nil
            }
            logger.warning(
                "the voicemail spool cannot be written; what it holds is still saved, new voicemails wait in memory",
                metadata: ["directory": "\(directory)", "error": "\(error)"]
            )
            return directory
        }
    }

    private func serve(
        configuration: AppConfiguration,
        store: some CallStore,
        desk: DeskOptions.Resolved?,
        portFilePath: String?,
        logger: Logger
    ) async throws {
        logger.info("starting", metadata: ["publicURL": "\(configuration.routing.publicURL)", "port": "\(configuration.port)"])
        let onListening = Self.announcer(portFile: portFilePath, logger: logger)
        let drain = ShutdownDrain(duration: configuration.shutdownDrain, logger: logger)
        guard let desk else {
            logger.info("agents' API off: no SUPABASE_JWT_SECRET")
            let app = buildApplication(configuration: configuration, store: store, drain: drain, logger: logger, onListening: onListening)
            try await Self.run(app, after: drain, logger: logger)
            return
        }
        guard let deskStore = store as? any DeskStore else {
            logger.warning("agents' API off: this store does not implement it yet")
            let app = buildApplication(configuration: configuration, store: store, drain: drain, logger: logger, onListening: onListening)
            try await Self.run(app, after: drain, logger: logger)
            return
        }
        try await serveDesk(configuration: configuration, store: deskStore, desk: desk, drain: drain, logger: logger, onListening: onListening)
    }

    /// Runs `app` until SIGTERM or SIGINT, then drains (see ``ShutdownDrain``: `/readyz` answers 503, requests
    /// are still answered), then stops accepting, finishes the requests in flight, and returns. The group
    /// shuts its services down in reverse order, each once the one after it has returned: the drain first.
    static func run(_ app: some ApplicationProtocol, after drain: ShutdownDrain, logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: .init(services: [app, drain], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }

    /// Refuses a port file that cannot be written (its directory missing or not writable, or a directory
    /// in its place), before the server starts: whoever waits for it would wait for ever.
    static func checkPortFile(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ValidationError("the port file \(path) is a directory")
        }
        let directory = (path as NSString).deletingLastPathComponent
        let parent = directory.isEmpty ? "." : directory
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("the port file's directory \(parent) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: parent) else {
            throw ValidationError("the port file's directory \(parent) is not writable")
        }
    }

    /// Logs the port listened on and, with a port file, writes it there (whole, by a rename), so whoever
    /// started the server with port 0 can find it.
    static func announcer(portFile: String?, logger: Logger) -> @Sendable (Int) async -> Void {
        { port in
            logger.info("listening", metadata: ["port": "\(port)"])
            guard let portFile else { return }
            do {
                try "\(port)\n".write(toFile: portFile, atomically: true, encoding: .utf8)
            } catch {
                logger.error("could not write the port file", metadata: ["path": "\(portFile)", "error": "\(error)"])
            }
        }
    }

    private func serveDesk(
        configuration: AppConfiguration,
        store: some DeskStore,
        desk: DeskOptions.Resolved,
        drain: ShutdownDrain,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void
    ) async throws {
        let transport = desk.twilio.map { _ in CurlTransport() }
        var redirector: (any TwilioCallControl)?
        if let twilio = desk.twilio, let transport {
            redirector = TwilioRESTClient(configuration: twilio, transport: transport)
            logger.info("Twilio REST API", metadata: ["baseURL": "\(twilio.baseURL)", "account": "\(twilio.accountSID)"])
        } else {
            logger.warning("Twilio REST API off: no TWILIO_ACCOUNT_SID; parking answers 503")
        }
        logger.info("agents' API on", metadata: ["autoProvisioning": "\(desk.desk.autoProvisioning)", "audience": "\(desk.desk.token.audience)"])
        let app = buildApplication(
            configuration: configuration,
            store: store,
            desk: desk.desk,
            redirector: redirector,
            drain: drain,
            logger: logger,
            onListening: onListening
        )
        try await Self.run(app, after: drain, logger: logger)
        await transport?.shutdown()
    }
}
