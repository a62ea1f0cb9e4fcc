import SwitchboardTwiML
import SwitchboardTwiMLReader
import Testing

@Suite struct TwiMLReaderTests {
    @Test func readsElementsAttributesAndText() throws {
        let element = try TwiMLReader.parse(#"<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="man">Hi &amp; bye</Say></Response>"#)
        #expect(element == Element("Response", children: [Element("Say", attributes: [Attribute("voice", "man")], text: "Hi & bye")]))
    }

    @Test func indentationBetweenChildrenIsDropped() throws {
        let element = try TwiMLReader.parse("<Response>\n  <Say>  spaced  </Say>\n  <Hangup/>\n</Response>\n")
        #expect(element == Element("Response", children: [Element("Say", text: "  spaced  "), Element("Hangup")]))
    }

    @Test func positionsPointAtTheElementsLine() throws {
        let element = try TwiMLReader.parse("<Response>\n  <Say>a</Say>\n  <Dial>\n    <Client>b</Client>\n  </Dial>\n</Response>")
        #expect(element.children[0].position?.line == 2)
        #expect(element.children[1].children[0].position?.line == 4)
    }

    @Test func malformedXMLReportsLineAndColumn() throws {
        let error = #expect(throws: MalformedXML.self) { try TwiMLReader.parse("<Response>\n<Say>a</Sya>\n</Response>") }
        #expect(error?.position.line == 2)
        #expect(error?.reason.isEmpty == false)
    }

    @Test func emptyInputIsMalformed() throws {
        #expect(throws: MalformedXML.self) { try TwiMLReader.parse("") }
    }

    @Test func aDocumentBuiltInSwiftParsesBackEqual() throws {
        let document = VoiceResponse([
            .say(Say("Welcome & hello", voice: "Polly.Joanna", language: "en-US", loop: 2)),
            .gather(
                Gather(
                    [.say(Say("Press 1")), .play(Play("https://x/a.mp3", loop: 1)), .pause(Pause(length: 2))],
                    action: "/menu",
                    input: .dtmfSpeech,
                    numDigits: 1,
                    speechTimeout: .auto
                )
            ),
            .enqueue(Enqueue("support", task: QueueTask(#"{"a": 1}"#, priority: 5), waitUrl: "")),
            .dial(
                Dial(
                    [
                        .client(Client("alice", url: "/screen", statusCallbackEvent: [.ringing, .completed])),
                        .number(Number("+15005550006", sendDigits: "ww1")),
                        .sip(Sip("sip:a@b.com", username: "u", password: "p\"w")),
                        .queue(Queue("q1", method: .get)),
                        .conference(Conference("room", beep: .onEnter, record: .recordFromStart)),
                    ],
                    action: "/dial-status?x=1&y=2",
                    timeout: 20,
                    record: .recordFromAnswerDual,
                    ringTone: .usOld,
                    recordingStatusCallbackEvent: [.inProgress, .completed],
                    extraAttributes: ["futureFlag": "on"]
                )
            ),
            .record(Record(action: "/voicemail", maxLength: 120, playBeep: true, trim: .trimSilence)),
            .redirect(Redirect("/again", method: .get)),
            .reject(Reject(reason: .busy)),
            .leave(Leave()),
            .hangup(Hangup()),
        ])
        let parsed = try VoiceResponse(element: TwiMLReader.parse(document.renderBytes()), options: DecodingOptions(allowUnknownAttributes: true))
        #expect(parsed == document)
    }
}
