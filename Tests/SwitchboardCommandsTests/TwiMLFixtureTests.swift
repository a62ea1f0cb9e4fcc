import SwitchboardCommands
import SwitchboardTestSupport
import SwitchboardTwiML
import SwitchboardTwiMLReader
import Testing

/// The golden files in Fixtures/twiml were written by twilio-python 9.13.0 (see its README), so these
/// tests compare this writer with an independent implementation.
@Suite struct TwiMLFixtureTests {
    static let names = Fixtures.names(in: "twiml", suffix: "json")

    @Test func thereAreFixturesForEveryVerbAndNoun() throws {
        #expect(Self.names.count >= 40)
        var tags: Set<String> = []
        func collect(_ element: Element) {
            tags.insert(element.name)
            element.children.forEach(collect)
        }
        for name in Self.names { collect(try TwiMLReader.parse(Fixtures.read("twiml", name + ".xml"))) }
        let model: Set<String> = [
            "Response", "Say", "Play", "Pause", "Gather", "Dial", "Client", "Identity", "Parameter", "Number", "Queue",
            "Conference", "Sip", "Record", "Enqueue", "Leave", "Hangup", "Redirect", "Reject",
        ]
        #expect(model.subtracting(tags).isEmpty, "fixtures miss \(model.subtracting(tags).sorted())")
    }

    @Test(arguments: names)
    func fixtureRendersByteIdenticalToTwilioPython(name: String) throws {
        let json = try Fixtures.read("twiml", name + ".json")
        let rendered = try RenderTool.render(json: json, allowUnknownAttributes: true).get()
        try Fixtures.assertGolden(rendered.bytes, "twiml", name + ".xml")
    }

    /// XML end-of-line handling turns a raw carriage return in text into a newline in every parser, and
    /// twilio-python writes text carriage returns raw; so a text CR is compared as the newline any
    /// reader (Twilio's included) will see.
    @Test(arguments: names)
    func fixtureParsesBackToTheSameDocument(name: String) throws {
        let json = try Fixtures.read("twiml", name + ".json")
        let rendered = try RenderTool.render(json: json, allowUnknownAttributes: true).get()
        let options = DecodingOptions(allowUnknownAttributes: true)
        let parsed = try VoiceResponse(element: TwiMLReader.parse(rendered.bytes), options: options)
        let golden = try VoiceResponse(element: TwiMLReader.parse(Fixtures.read("twiml", name + ".xml")), options: options)
        #expect(parsed == golden)
        let reRendered = try parsed.renderBytes()
        let normalized = rendered.bytes.normalizingTextCarriageReturns()
        #expect(reRendered == normalized)
    }
}

extension [UInt8] {
    /// Replaces raw carriage returns (only ever in text: attributes escape them) with newlines, as an XML
    /// parser does.
    fileprivate func normalizingTextCarriageReturns() -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < count {
            if self[index] == 0x0D {
                result.append(0x0A)
                if index + 1 < count && self[index + 1] == 0x0A { index += 1 }
            } else {
                result.append(self[index])
            }
            index += 1
        }
        return result
    }
}
