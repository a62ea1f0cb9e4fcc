import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SwitchboardApp
import SwitchboardCore
import SwitchboardDesk
import SwitchboardPostgREST
import SwitchboardRouting
import SwitchboardSQLite
import SwitchboardTestSupport
import SwitchboardTwilioREST
import SwitchboardWebhooks
import Testing

/// Users, stores and requests shared by the agents' API tests.
enum DeskHarness {
    static let publicURL = "https://switchboard.example.com"
    static let twilioToken = "12345678901234567890123456789012"

    /// Supabase-style user ids and the identities they must map to (written out by hand).
    static let annID = "aaaaaaaa-0000-4000-8000-000000000001"
    static let ann = "agent_aaaaaaaa000040008000000000000001"
    static let bobID = "bbbbbbbb-0000-4000-8000-000000000002"
    static let bob = "agent_bbbbbbbb000040008000000000000002"
    /// The agents' live Voice SDK calls the retrieval tests name in `agentCallSid`, as Twilio knows them.
    static let legs = ["CAbobleg": bob, "CAbob": bob, "CAgone": bob, "CAannleg": ann, "CAx": ann]
    static let supID = "cccccccc-0000-4000-8000-000000000003"
    static let sup = "agent_cccccccc000040008000000000000003"
    static let eveID = "eeeeeeee-0000-4000-8000-000000000005"
    static let eve = "agent_eeeeeeee000040008000000000000005"

    static var annToken: String { TokenMinter.user(annID, email: "ann.lee@example.com", firstName: "Ann", lastName: "Lee") }
    static var bobToken: String { TokenMinter.user(bobID, email: "bob@example.com") }
    static var supToken: String { TokenMinter.user(supID, role: "supervisor", email: "sup@example.com") }
    /// Eve works for another tenant.
    static var eveToken: String { TokenMinter.user(eveID, tenant: "globex", email: "eve@example.com") }

    static func appConfiguration(storeBudget: Duration = .seconds(2)) -> AppConfiguration {
        AppConfiguration(
            host: "127.0.0.1",
            port: 0,
            authTokens: [twilioToken],
            storeBudget: storeBudget,
            routing: RoutingConfiguration(publicURL: publicURL)
        )
    }

    static func desk(
        autoProvisioning: Bool = true,
        missedRingsBeforeAway: Int = 3,
        parkTimeoutSeconds: Int = 120,
        streamLifetime: Duration = .milliseconds(600)
    ) -> DeskConfiguration {
        DeskConfiguration(
            token: TokenConfiguration(secret: TokenMinter.secret),
            autoProvisioning: autoProvisioning,
            missedRingsBeforeAway: missedRingsBeforeAway,
            parkTimeoutSeconds: parkTimeoutSeconds,
            holdMusicURL: "https://music.example.com/hold.mp3",
            eventPollInterval: .milliseconds(20),
            heartbeatInterval: .milliseconds(100),
            eventStreamLifetime: streamLifetime
        )
    }

    static func app(
        store: some DeskStore,
        desk: DeskConfiguration = desk(),
        redirector: (any TwilioCallControl)? = nil,
        storeBudget: Duration = .seconds(2)
    ) -> some ApplicationProtocol {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return buildApplication(
            configuration: appConfiguration(storeBudget: storeBudget),
            store: store,
            desk: desk,
            redirector: redirector,
            logger: logger
        )
    }

    /// The router alone, with every route, on an empty in-memory store.
    static func router() -> Router<BasicRequestContext> {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return buildRouter(
            configuration: appConfiguration(),
            store: InMemoryCallStore(),
            desk: desk(),
            redirector: nil,
            metrics: ServiceMetrics(),
            logger: logger
        )
    }

    static func ringing(_ callSid: String, tenant: TenantID = "acme", agents: [String]) -> RingingCall {
        RingingCall(callSid: callSid, tenant: tenant, caller: "+14155551234", called: "+15005550006", agentsRung: agents, startedAt: Date())
    }

    /// Signed headers for a Twilio route.
    static func signed(_ pathAndQuery: String, _ form: FormParameters) -> HTTPFields {
        [
            .contentType: "application/x-www-form-urlencoded",
            HTTPField.Name("X-Twilio-Signature")!: SignatureValidator.signature(
                token: twilioToken,
                url: publicURL + pathAndQuery,
                parameters: form
            ),
        ]
    }

    /// A JSON object body.
    static func object(_ response: TestResponse) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
        return try #require(value as? [String: Any], "not a JSON object: \(String(buffer: response.body))")
    }

    /// The `error` code of a JSON error body.
    static func errorCode(_ response: TestResponse) throws -> String? {
        try object(response)["error"] as? String
    }
}

extension TestClientProtocol {
    /// An agents' API request with a bearer token (none when nil) and an optional JSON body.
    func api(
        _ method: HTTPRequest.Method,
        _ path: String,
        token: String?,
        json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// A signed Twilio callback.
    func twilio(_ pathAndQuery: String, _ form: FormParameters) async throws -> TestResponse {
        try await execute(
            uri: pathAndQuery,
            method: .post,
            headers: DeskHarness.signed(pathAndQuery, form),
            body: ByteBuffer(string: form.encoded())
        )
    }
}

/// A ``TwilioCallControl`` that records what it was asked, for tests that do not check Twilio's wire
/// format (``TwilioRESTLoopbackTests`` does).
actor RecordingRedirector: TwilioCallControl {
    private(set) var redirects: [(callSid: String, url: String)] = []
    var failure: TwilioRESTError?
    /// Runs while a redirect is under way (after it is recorded), as if Twilio took that long.
    private let during: (@Sendable (_ callSid: String, _ url: String) async -> Void)?

    /// Thrown after a redirect was carried out (recorded, and `during` run): Twilio moved the call, but
    /// its answer was lost.
    private var lostAnswer: TwilioRESTError?

    /// The calls Twilio knows, by SID: ``fetchCall(_:)`` answers 404 for any other.
    private var calls: [String: TwilioCall] = [:]

    /// `legs` maps the SIDs of agents' live Voice SDK calls to their agents' identities.
    init(
        failure: TwilioRESTError? = nil,
        lostAnswer: TwilioRESTError? = nil,
        legs: [String: String] = [:],
        during: (@Sendable (_ callSid: String, _ url: String) async -> Void)? = nil
    ) {
        self.failure = failure
        self.lostAnswer = lostAnswer
        self.during = during
        for (callSid, identity) in legs { calls[callSid] = Self.leg(callSid, of: identity) }
    }

    /// A live call that the Voice SDK client `identity` placed (`status` may say it is over).
    static func leg(_ callSid: String, of identity: String, status: String = "in-progress") -> TwilioCall {
        TwilioCall(sid: callSid, from: "client:\(identity)", to: "+15005550006", status: status)
    }

    /// Makes Twilio know `call`.
    func add(_ call: TwilioCall) { calls[call.sid] = call }

    /// Thrown by every later lookup, when set: Twilio cannot be asked.
    private var lookupFailure: TwilioRESTError?

    /// Makes every later lookup fail with `failure`, or succeed again with nil.
    func failLookups(with failure: TwilioRESTError?) { lookupFailure = failure }

    func fetchCall(_ callSid: String) async throws(TwilioRESTError) -> TwilioCall {
        if let lookupFailure { throw lookupFailure }
        guard let call = calls[callSid] else {
            throw TwilioRESTError(status: 404, message: "The requested resource was not found (Twilio error 20404)")
        }
        return call
    }

    /// Makes every later redirect fail with `failure`, or succeed again with nil.
    func fail(with failure: TwilioRESTError?) { self.failure = failure }

    /// Makes later redirects (the one under way too, when called from `during`) happen and then fail
    /// with `lostAnswer`, or be answered again with nil.
    func loseAnswers(with lostAnswer: TwilioRESTError?) { self.lostAnswer = lostAnswer }

    func redirectCall(_ callSid: String, to url: String) async throws(TwilioRESTError) {
        if let failure { throw failure }
        redirects.append((callSid, url))
        await during?(callSid, url)
        if let lostAnswer { throw lostAnswer }
    }

    /// The queues deleted, in order.
    private(set) var deletedQueues: [String] = []

    func deleteQueue(_ queueSid: String) async throws(TwilioRESTError) {
        deletedQueues.append(queueSid)
    }

    /// The queues deleted once `deletedQueues` holds `count` of them, or after `limit`.
    func deletedQueues(awaiting count: Int, within limit: Duration = .seconds(2)) async -> [String] {
        await polled(within: limit, reading: { deletedQueues }, until: { $0.count >= count })
    }
}

/// The stores every agents' API test runs on: memory, SQLite, and PostgREST over a real PostgreSQL
/// through the test gateway (`scripts/test.sh` starts it; without it those cases fail, naming it).
enum StoreUnderTest: String, CaseIterable, CustomTestStringConvertible {
    case memory
    case sqlite
    case postgrest

    var testDescription: String { rawValue }

    /// Every store.
    static var all: [StoreUnderTest] { allCases }

    /// Runs `body` with a fresh, empty store, and tears it down afterwards.
    func withStore(_ body: (any DeskStore) async throws -> Void) async throws {
        switch self {
        case .memory:
            try await body(InMemoryCallStore())
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-api-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try await SQLiteCallStore(path: directory.appendingPathComponent("store.sqlite").path)
            do {
                try await body(store)
            } catch {
                try? await store.close()
                throw error
            }
            try await store.close()
        case .postgrest:
            let gateway = try TestGateway.fromEnvironment()
            try await gateway.withDatabase { url, _ in
                try await body(
                    PostgRESTCallStore(
                        configuration: PostgRESTConfiguration(url: url, serviceRoleKey: gateway.serviceRoleKey),
                        transport: TestGateway.transport
                    )
                )
            }
        }
    }
}
