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
}
