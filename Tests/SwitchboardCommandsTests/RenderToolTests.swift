import SwitchboardCommands
import Testing

@Suite struct RenderToolTests {
    func failure(_ json: String, allowUnknown: Bool = false) -> [String] {
        switch RenderTool.render(json: Array(json.utf8), allowUnknownAttributes: allowUnknown) {
        case .success: return []
        case .failure(let failure): return failure.messages
        }
    }

    @Test func rendersIntegersInDecimalAndBooleansAsWords() throws {
        let json =
            #"{"name": "Response", "children": [{"name": "Dial", "attributes": {"timeout": 20, "answerOnBridge": true}, "children": [{"name": "Client", "text": "a"}]}]}"#
        let rendered = try RenderTool.render(json: Array(json.utf8)).get()
        #expect(
            String(decoding: rendered.bytes, as: UTF8.self).hasSuffix(
                #"<Dial answerOnBridge="true" timeout="20"><Client>a</Client></Dial></Response>"#
            )
        )
        #expect(rendered.warnings.isEmpty)
    }

    @Test func anUnknownElementNamesItsPath() {
        let json =
            #"{"name": "Response", "children": [{"name": "Dial", "children": [{"name": "Client", "text": "a"}, {"name": "Client", "text": "b"}, {"name": "Clint", "text": "c"}]}]}"#
        #expect(failure(json) == ["Response/Dial[1]/Clint[1]: unknown-element: <Clint> is not a TwiML voice element"])
    }

    @Test func aBadValueNamesItsPathAndExpectation() {
        let json =
            #"{"name": "Response", "children": [{"name": "Dial", "children": [{"name": "Client", "text": "a"}, {"name": "Client", "text": "b"}, {"name": "Client", "text": "c", "attributes": {"method": "PUT"}}]}]}"#
        #expect(failure(json) == [#"Response/Dial[1]/Client[3]: bad-value: method="PUT" is not one of GET, POST"#])
    }

    @Test func brokenNestingIsRefused() {
        let json = #"{"name": "Response", "children": [{"name": "Say", "text": "x", "children": [{"name": "Dial"}]}]}"#
        #expect(failure(json).first?.hasPrefix("Response/Say[1]/Dial[1]: nesting:") == true)
    }

    @Test func unknownAttributesAreRefusedUnlessAllowed() {
        let json = #"{"name": "Response", "children": [{"name": "Hangup", "attributes": {"fooBar": "1"}}]}"#
        #expect(failure(json) == ["Response/Hangup[1]: unknown-attribute: <Hangup> has no attribute fooBar"])
        #expect(failure(json, allowUnknown: true).isEmpty)
    }

    @Test func aForbiddenCharacterIsRefusedWithItsPath() {
        let json = #"{"name": "Response", "children": [{"name": "Say", "text": "a\u0001b"}]}"#
        #expect(failure(json) == ["Response/Say[1]: invalid-character: U+0001 is not allowed in XML 1.0 (text of <Say>)"])
    }

    @Test(arguments: [
        (
            #"{"name": "Response", "children": [{"name": "Pause", "attributes": {"length": 1.5}}]}"#,
            "Response/Pause[1]: attribute length must be a string, an integer or a boolean, not a number with a fraction"
        ),
        (
            #"{"name": "Response", "children": [{"name": "Say", "txt": "a"}]}"#,
            #"Response/Say[1]: unknown key "txt"; an element has name, attributes, text and children"#
        ),
        (#"{"name": "Response", "children": [{"text": "a"}]}"#, #"Response/?[1]: an element needs a "name" string"#),
        (#"{"name": "Response", "children": {"name": "Say"}}"#, #"Response: "children" must be an array, not an object"#),
        (#"[1, 2]"#, "an element must be a JSON object, not an array"),
    ])
    func malformedTreesNameTheirPath(json: String, message: String) {
        #expect(failure(json) == [message])
    }

    @Test func invalidJSONIsReported() {
        #expect(failure("{\"name\": ").first?.hasPrefix("not valid JSON") == true)
    }

    @Test func ruleWarningsDoNotStopRendering() throws {
        let json = #"{"name": "Response", "children": [{"name": "Record"}]}"#
        let rendered = try RenderTool.render(json: Array(json.utf8)).get()
        #expect(
            rendered.warnings == [
                "warning: Response/Record[1]: record-without-action: <Record> has no action, so Twilio requests this document again and loops"
            ]
        )
    }
}
