import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SwitchboardApp
import SwitchboardCore
import SwitchboardRouting
import SwitchboardVoice
import SwitchboardWebhooks
import Testing

/// Every route, in process and over real loopback HTTP, with signed requests and hostile ones.
@Suite struct AppTests {
    static let token = "12345678901234567890123456789012"
    static let publicURL = "https://switchboard.example.com"
    static let declaration = #"<?xml version="1.0" encoding="UTF-8"?>"#

    static func configuration(bodyLimit: Int = 64 * 1024, storeBudget: Duration = .seconds(2)) -> AppConfiguration {
        AppConfiguration(
            host: "127.0.0.1",
            port: 0,
            authTokens: [token, "rotated-in-token-000000000000000"],
            bodyLimit: bodyLimit,
            storeBudget: storeBudget,
            routing: RoutingConfiguration(publicURL: publicURL)
        )
    }

    static func agents(_ count: Int) -> [Agent] {
        (0..<count).map { Agent(id: "id\($0)", identity: "agent_\($0)", name: "A\($0)", email: "a\($0)@example.com") }
    }

    static func app(store: some CallStore, configuration: AppConfiguration = configuration()) -> some ApplicationProtocol {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return buildApplication(configuration: configuration, store: store, logger: logger)
    }

    static let voiceForm: FormParameters = [
        "AccountSid": "AC11111111111111111111111111111111", "CallSid": "CA22222222222222222222222222222222",
        "CallStatus": "ringing", "Direction": "inbound", "From": "+14155551234", "To": "+15005550006",
    ]

    static func signedHeaders(_ path: String, _ form: FormParameters, token: String = token) -> HTTPFields {
        [
            .contentType: "application/x-www-form-urlencoded",
            HTTPField.Name("X-Twilio-Signature")!: SignatureValidator.signature(token: token, url: publicURL + path, parameters: form),
        ]
    }

    static func post(
        _ client: some TestClientProtocol,
        _ path: String,
        _ form: FormParameters,
        headers: HTTPFields? = nil
    ) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: headers ?? signedHeaders(path, form), body: ByteBuffer(string: form.encoded()))
    }

    @Test(arguments: [TestingSetup.router, .live])
    func anInboundCallRingsTheAvailableAgents(setup: TestingSetup) async throws {
        try await Self.app(store: InMemoryCallStore(agents: Self.agents(3))).test(setup) { client async throws in
            let response = try await Self.post(client, "/twilio/voice", Self.voiceForm)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/xml; charset=utf-8")
            let body = String(buffer: response.body)
            #expect(body.hasPrefix(Self.declaration + "<Response><Dial action=\"https://switchboard.example.com/twilio/dial-status\""))
            #expect(body.components(separatedBy: "<Client ").count - 1 == 3)
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func aSignatureMadeWithTheRotatedInTokenIsAccepted(setup: TestingSetup) async throws {
        try await Self.app(store: InMemoryCallStore(agents: Self.agents(1))).test(setup) { client async throws in
            let headers = Self.signedHeaders("/twilio/voice", Self.voiceForm, token: "rotated-in-token-000000000000000")
            #expect(try await Self.post(client, "/twilio/voice", Self.voiceForm, headers: headers).status == .ok)
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func everyVoiceRouteAnswersTwiML(setup: TestingSetup) async throws {
        let store = InMemoryCallStore(agents: Self.agents(2))
        try await Self.app(store: store).test(setup) { client async throws in
            let parent = Self.voiceForm["CallSid"]!
            let cases: [(String, FormParameters, String)] = [
                ("/twilio/voice", Self.voiceForm, "<Dial "),
                (
                    "/twilio/screen",
                    ["CallSid": "CA3", "ParentCallSid": parent, "AccountSid": "AC1", "From": "+14155551234", "To": "client:agent_1"],
                    "<Response />"
                ),
                (
                    "/twilio/screen",
                    ["CallSid": "CA4", "ParentCallSid": parent, "AccountSid": "AC1", "From": "+14155551234", "To": "client:agent_0"],
                    "<Say voice=\"Polly.Joanna\">This call was answered by another agent.</Say><Hangup /></Response>"
                ),
                (
                    "/twilio/client-status",
                    ["CallSid": "CA4", "ParentCallSid": parent, "AccountSid": "AC1", "From": "+1", "To": "client:agent_0", "CallStatus": "canceled"],
                    "<Response />"
                ),
                (
                    "/twilio/dial-status", ["CallSid": parent, "AccountSid": "AC1", "From": "+1", "To": "+2", "DialCallStatus": "no-answer"],
                    "<Record "
                ),
                (
                    "/twilio/voicemail",
                    ["CallSid": parent, "AccountSid": "AC1", "From": "+1", "To": "+2", "RecordingUrl": "https://x/RE1", "RecordingDuration": "3"],
                    "<Hangup />"
                ),
                (
                    "/twilio/recording-status",
                    ["CallSid": parent, "AccountSid": "AC1", "RecordingSid": "RE1", "RecordingUrl": "https://x/RE1", "RecordingStatus": "completed"],
                    "<Response />"
                ),
            ]
            for (path, form, expected) in cases {
                let response = try await Self.post(client, path, form)
                #expect(response.status == .ok, "\(path)")
                #expect(String(buffer: response.body).contains(expected), "\(path): \(String(buffer: response.body))")
            }
        }
        #expect(try await store.callWinner(Self.voiceForm["CallSid"]!) == "agent_1")
        #expect(try await store.voicemails(in: .default).map(\.recordingSid) == ["RE1"])
        #expect(try await store.ringEvents(in: .default, after: 0, limit: 10).map(\.kind) == [.missed])
    }

    @Test(arguments: [TestingSetup.router, .live])
    func aMissingSignatureIsForbidden(setup: TestingSetup) async throws {
        try await Self.app(store: InMemoryCallStore()).test(setup) { client async throws in
            let response = try await Self.post(client, "/twilio/voice", Self.voiceForm, headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(response.status == .forbidden)
            #expect(String(buffer: response.body) == "missing X-Twilio-Signature\n")
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func aWrongSignatureIsForbidden(setup: TestingSetup) async throws {
        try await Self.app(store: InMemoryCallStore()).test(setup) { client async throws in
            let headers = Self.signedHeaders("/twilio/voice", Self.voiceForm, token: "someone-elses-token-0000000000000")
            let response = try await Self.post(client, "/twilio/voice", Self.voiceForm, headers: headers)
            #expect(response.status == .forbidden)
            #expect(String(buffer: response.body) == "invalid X-Twilio-Signature\n")
        }
    }

    @Test func aSignatureForAnotherPathIsForbidden() async throws {
        try await Self.app(store: InMemoryCallStore()).test(.router) { client async throws in
            let headers = Self.signedHeaders("/twilio/dial-status", Self.voiceForm)
            #expect(try await Self.post(client, "/twilio/voice", Self.voiceForm, headers: headers).status == .forbidden)
        }
    }

    @Test func theQueryStringIsPartOfTheSignedURL() async throws {
        try await Self.app(store: InMemoryCallStore(agents: Self.agents(1))).test(.router) { client async throws in
            let path = "/twilio/voice?source=main&x=%20y"
            let response = try await client.execute(
                uri: path,
                method: .post,
                headers: Self.signedHeaders(path, Self.voiceForm),
                body: ByteBuffer(string: Self.voiceForm.encoded())
            )
            #expect(response.status == .ok)
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func aJSONBodyIsUnsupported(setup: TestingSetup) async throws {
        try await Self.app(store: InMemoryCallStore()).test(setup) { client async throws in
            var headers = Self.signedHeaders("/twilio/voice", Self.voiceForm)
            headers[.contentType] = "application/json"
            let response = try await client.execute(uri: "/twilio/voice", method: .post, headers: headers, body: ByteBuffer(string: "{}"))
            #expect(response.status == .unsupportedMediaType)
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func aBodyOverTheLimitIsTooLarge(setup: TestingSetup) async throws {
        try await Self.app(store: InMemoryCallStore(), configuration: Self.configuration(bodyLimit: 1024)).test(setup) { client async throws in
            var form = Self.voiceForm
            form.append(name: "Padding", value: String(repeating: "x", count: 2048))
            let response = try await Self.post(client, "/twilio/voice", form)
            #expect(response.status == .contentTooLarge)
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func otherMethodsAreNotAllowed(setup: TestingSetup) async throws {
        let methods: [HTTPRequest.Method] = [.get, .head, .put, .delete, .patch, .options, .trace, try #require(.init("PROPFIND"))]
        try await Self.app(store: InMemoryCallStore()).test(setup) { client async throws in
            for path in ["/twilio/voice", "/twilio/dial-status", "/twilio/recording-status"] {
                for method in methods {
                    let response = try await client.execute(uri: path, method: method)
                    #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                    #expect(response.headers[.allow] == "POST", "\(method) \(path)")
                    if method != .head { #expect(String(buffer: response.body) == "use POST\n", "\(method) \(path)") }
                }
            }
            // A GET route names GET.
            let trace = try await client.execute(uri: "/healthz", method: .trace)
            #expect(trace.status == .methodNotAllowed && trace.headers[.allow] == "GET" && String(buffer: trace.body) == "use GET\n")
        }
    }

    /// A path with no route (a mistyped webhook URL) gets a one-line 404 naming it, not a bare one.
    @Test(arguments: [TestingSetup.router, .live])
    func aPathWithNoRouteIsAOneLine404(setup: TestingSetup) async throws {
        try await Self.app(store: InMemoryCallStore()).test(setup) { client async throws in
            let signed = try await Self.post(client, "/twilio/nope", Self.voiceForm)
            #expect(signed.status == .notFound)
            #expect(signed.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(String(buffer: signed.body) == "no route POST /twilio/nope\n")
            let other = try await client.execute(uri: "/twilio/VOICE", method: .get)
            #expect(String(buffer: other.body) == "no route GET /twilio/VOICE\n")
            // The routes themselves still answer.
            #expect(try await Self.post(client, "/twilio/voice", Self.voiceForm).status == .ok)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func aMalformedFormIsABadRequestNamingTheProblem(setup: TestingSetup) async throws {
        try await Self.app(store: InMemoryCallStore()).test(setup) { client async throws in
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("X-Twilio-Signature")!: "abc="]
            let response = try await client.execute(uri: "/twilio/voice", method: .post, headers: headers, body: ByteBuffer(string: "CallSid=%zz"))
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body) == "malformed form body: a malformed percent-escape in pair 1\n")
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func aFailingStoreStillAnswersVoicemailNotAnError(setup: TestingSetup) async throws {
        try await Self.app(store: UnavailableCallStore(), configuration: Self.configuration(storeBudget: .milliseconds(200))).test(setup) {
            client async throws in
            let response = try await Self.post(client, "/twilio/voice", Self.voiceForm)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains("<Record "))
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func healthReadinessAndMetricsAnswer(setup: TestingSetup) async throws {
        try await Self.app(store: InMemoryCallStore(agents: Self.agents(1))).test(setup) { client async throws in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
            _ = try await Self.post(client, "/twilio/voice", Self.voiceForm)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(String(buffer: metrics.body).contains(#"switchboard_requests_total{route="/twilio/voice",outcome="ring"} 1"#))
        }
    }

    @Test func metricsCountEveryRequestInItsOwnSeries() async throws {
        try await Self.app(store: InMemoryCallStore(agents: Self.agents(1))).test(.router) { client async throws in
            for _ in 0..<3 { _ = try await Self.post(client, "/twilio/voice", Self.voiceForm) }
            var unsigned = Self.signedHeaders("/twilio/voice", Self.voiceForm)
            unsigned[HTTPField.Name("X-Twilio-Signature")!] = nil
            for _ in 0..<2 { _ = try await Self.post(client, "/twilio/voice", Self.voiceForm, headers: unsigned) }
            _ = try await Self.post(client, "/twilio/voicemail", Self.voiceForm)
            let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(text.contains(#"switchboard_requests_total{route="/twilio/voice",outcome="ring"} 3"#), "\(text)")
            #expect(text.contains(#"switchboard_requests_total{route="/twilio/voice",outcome="unsigned"} 2"#), "\(text)")
            #expect(text.contains(#"switchboard_requests_total{route="/twilio/voicemail",outcome="voicemail-thanks"} 1"#), "\(text)")
            #expect(text.contains(#"switchboard_request_duration_seconds_count{route="/twilio/voice"} 5"#), "\(text)")
            #expect(text.contains(#"switchboard_request_duration_seconds_count{route="/twilio/voicemail"} 1"#), "\(text)")
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func aStoreThatIsDownIsNotReady(setup: TestingSetup) async throws {
        try await Self.app(store: UnavailableCallStore(), configuration: Self.configuration(storeBudget: .milliseconds(200))).test(setup) {
            client async throws in
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .serviceUnavailable)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    @Test func aRetriedInboundCallChangesNothingTwice() async throws {
        let store = InMemoryCallStore(agents: Self.agents(2))
        try await Self.app(store: store).test(.router) { client async throws in
            let first = try await Self.post(client, "/twilio/voice", Self.voiceForm)
            let retry = try await Self.post(client, "/twilio/voice", Self.voiceForm)
            #expect(String(buffer: first.body) == String(buffer: retry.body))
        }
        #expect(try await store.ringingCall(Self.voiceForm["CallSid"]!)?.agentsRung == ["agent_0", "agent_1"])
    }
}
