import SwitchboardCommands
import SwitchboardTestSupport
import Testing

/// Each scenario in Fixtures/calls runs through the same VoiceService the server runs; the expected
/// bytes were rendered by twilio-python from the routes' specification (see Fixtures/calls/README.md).
@Suite struct CallFixtureTests {
    static let names = Fixtures.names(in: "calls", suffix: "json")

    @Test func theRequiredCasesHaveFixtures() {
        let required = [
            "ring-all-1", "ring-all-3", "ring-all-14", "nobody-available", "unknown-number", "store-unavailable",
            "dial-status-completed", "dial-status-answered", "dial-status-busy", "dial-status-no-answer",
            "dial-status-failed", "dial-status-canceled", "dial-status-something-new",
            "screen-won", "screen-answered-elsewhere", "screen-agent-busy",
        ]
        #expect(Set(required).subtracting(Self.names).isEmpty)
    }

    @Test(arguments: names)
    func scenarioAnswersTheGoldenTwiML(name: String) async throws {
        let result = try await RenderCallTool.render(json: Fixtures.read("calls", name + ".json"))
        try Fixtures.assertGolden(result.bytes, "calls", name + ".xml")
    }

    @Test func anUnknownRouteIsAClearError() async {
        let json = Array(#"{"route": "/twilio/nope", "body": ""}"#.utf8)
        await #expect(throws: RenderCallTool.Failure.self) { try await RenderCallTool.render(json: json) }
    }

    @Test func aMalformedBodyIsAClearError() async {
        let json = Array(#"{"route": "/twilio/voice", "body": "a=%zz"}"#.utf8)
        let error = await #expect(throws: RenderCallTool.Failure.self) { try await RenderCallTool.render(json: json) }
        #expect(error?.message.hasPrefix("body: ") == true)
    }

    /// A snapshot the server's store would refuse is refused, naming the agent, rather than rendering
    /// TwiML no server could answer (an empty `<Client />`, markup in a client name).
    @Test(arguments: [#"{"identity": ""}"#, #"{"identity": "a<b>"}"#, #"{"identity": "bob", "tenant": "acme\t"}"#])
    func anAgentTheStoresRefuseIsAClearError(agent: String) async {
        let json = Array(#"{"route": "/twilio/voice", "body": "CallSid=CA1", "agents": [{"identity": "ann"}, \#(agent)]}"#.utf8)
        let error = await #expect(throws: RenderCallTool.Failure.self) { try await RenderCallTool.render(json: json) }
        #expect(error?.message.hasPrefix("agents[1]: ") == true, "\(error?.message ?? "")")
    }

    /// A public URL `serve --public-url` refuses is refused here too.
    @Test(arguments: ["https://x.example/base", "https://x.example/?a=1", "https://x.example:99999", "ftp://x.example"])
    func aPublicURLTheServerRefusesIsAClearError(url: String) async {
        let json = Array(#"{"route": "/twilio/voice", "body": "CallSid=CA1", "publicURL": "\#(url)"}"#.utf8)
        let error = await #expect(throws: RenderCallTool.Failure.self) { try await RenderCallTool.render(json: json) }
        #expect(error?.message.hasPrefix("publicURL: ") == true, "\(error?.message ?? "")")
    }
}
