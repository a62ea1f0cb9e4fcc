import SwitchboardTwiML
import Testing

/// Expected strings come from ../shared/reference/twilio.md sections 6.2 and 6.3 (twilio-python's
/// own unit tests and the reference's independent derivation), not from this writer.
@Suite struct TwiMLWriterTests {
    let declaration = #"<?xml version="1.0" encoding="UTF-8"?>"#

    @Test func emptyResponseIsSelfClosedWithASpace() throws {
        #expect(try VoiceResponse().render() == declaration + "<Response />")
    }

    @Test func sayWithAllAttributesSortsThemByName() throws {
        let document = VoiceResponse([.say(Say("Hello Monkey", voice: "man", language: "fr", loop: 3))])
        #expect(try document.render() == declaration + #"<Response><Say language="fr" loop="3" voice="man">Hello Monkey</Say></Response>"#)
    }

    @Test func emptySayTextIsAnEmptyElement() throws {
        #expect(try VoiceResponse([.say(Say(""))]).render() == declaration + "<Response><Say /></Response>")
    }

    @Test func recordAttributesAreTypedAndSorted() throws {
        let document = VoiceResponse([.record(Record(timeout: 4, finishOnKey: "#", maxLength: 30))])
        #expect(try document.render() == declaration + ##"<Response><Record finishOnKey="#" maxLength="30" timeout="4" /></Response>"##)
    }

    @Test func redirectEscapesAmpersandInText() throws {
        let document = VoiceResponse([.redirect(Redirect("example.com?id=34&action=hey", method: .post))])
        #expect(try document.render() == declaration + #"<Response><Redirect method="POST">example.com?id=34&amp;action=hey</Redirect></Response>"#)
    }

    @Test func conferenceKeepsEmptyAttributeAndWritesBooleans() throws {
        let conference = Conference("TestConferenceAttributes", beep: .no, startConferenceOnEnter: true, endConferenceOnExit: true, waitUrl: "")
        let document = VoiceResponse([.dial(Dial([.conference(conference)]))])
        let expected =
            #"<Response><Dial><Conference beep="false" endConferenceOnExit="true" startConferenceOnEnter="true" waitUrl="">TestConferenceAttributes</Conference></Dial></Response>"#
        #expect(try document.render() == declaration + expected)
    }

    @Test func ringAllDocumentMatchesTheReference() throws {
        let dial = Dial(
            [.client(Client("alice")), .client(Client("bob_2"))],
            action: "https://example.com/voice/dial-status",
            timeout: 20,
            callerId: "+15551234567",
            answerOnBridge: true
        )
        let expected =
            #"<Response><Dial action="https://example.com/voice/dial-status" answerOnBridge="true" callerId="+15551234567" timeout="20"><Client>alice</Client><Client>bob_2</Client></Dial></Response>"#
        #expect(try VoiceResponse([.dial(dial)]).render() == declaration + expected)
    }

    @Test func clientRichFormWritesIdentityAndParameters() throws {
        let client = Client(children: [.identity(Identity("alice")), .parameter(Parameter(name: "FirstName", value: "Alice"))])
        let expected = #"<Response><Dial><Client><Identity>alice</Identity><Parameter name="FirstName" value="Alice" /></Client></Dial></Response>"#
        #expect(try VoiceResponse([.dial(Dial([.client(client)]))]).render() == declaration + expected)
    }

    @Test func clientCallbacksEscapeAmpersandInAttributes() throws {
        let client = Client(
            "alice",
            statusCallback: "https://example.com/cb?a=1&b=2",
            statusCallbackEvent: [.initiated, .ringing, .answered, .completed],
            statusCallbackMethod: .post
        )
        let expected =
            #"<Response><Dial><Client statusCallback="https://example.com/cb?a=1&amp;b=2" statusCallbackEvent="initiated ringing answered completed" statusCallbackMethod="POST">alice</Client></Dial></Response>"#
        #expect(try VoiceResponse([.dial(Dial([.client(client)]))]).render() == declaration + expected)
    }

    @Test func textAndAttributeEscapingFollowElementTree() throws {
        let say = Say(#"Tom & Jerry <3 "q" 'a' > ñ €"#, voice: #"Polly."x""#, language: "en-US")
        let expected = #"<Response><Say language="en-US" voice="Polly.&quot;x&quot;">Tom &amp; Jerry &lt;3 "q" 'a' &gt; ñ €</Say></Response>"#
        #expect(try VoiceResponse([.say(say)]).render() == declaration + expected)
    }

    @Test func tabNewlineAndCarriageReturnAreEscapedOnlyInAttributes() throws {
        let say = Say("a\tb\nc\rd", voice: "a\tb\nc\rd")
        let expected = "<Response><Say voice=\"a&#09;b&#10;c&#13;d\">a\tb\nc\rd</Say></Response>"
        #expect(try VoiceResponse([.say(say)]).render() == declaration + expected)
    }

    @Test(arguments: ["\u{0}", "\u{1}", "\u{8}", "\u{B}", "\u{C}", "\u{1F}", "\u{FFFE}", "\u{FFFF}"])
    func charactersXMLForbidsAreRefusedInText(_ character: String) throws {
        let error = #expect(throws: TwiMLError.invalidCharacter) {
            try VoiceResponse([.say(Say("hello \(character) world"))]).render()
        }
        #expect(error?.message.contains("<Say>") == true)
    }

    @Test func forbiddenCharacterInAnAttributeNamesTheAttributeAndElement() throws {
        let error = #expect(throws: TwiMLError.invalidCharacter) {
            try VoiceResponse([.dial(Dial([.client(Client("alice"))], callerId: "+1\u{7}"))]).render()
        }
        #expect(error?.message == "U+0007 is not allowed in XML 1.0 (attribute callerId of <Dial>)")
    }

    @Test func nonASCIITextIsWrittenAsRawUTF8() throws {
        let bytes = try VoiceResponse([.say(Say("日本語 😀"))]).renderBytes()
        #expect(bytes.suffix(35) == Array("<Say>日本語 😀</Say></Response>".utf8).suffix(35))
        #expect(String(decoding: bytes, as: UTF8.self).contains("日本語 😀"))
    }

    @Test func extraAttributesMergeInCodePointOrder() throws {
        let dial = Dial([.client(Client("a"))], timeout: 20, extraAttributes: ["Zeta": "1", "alpha": "2", "fooBar": "3", "zzz": "4"])
        let expected = #"<Response><Dial Zeta="1" alpha="2" fooBar="3" timeout="20" zzz="4"><Client>a</Client></Dial></Response>"#
        #expect(try VoiceResponse([.dial(dial)]).render() == declaration + expected)
    }

    @Test func anExtraAttributeRepeatingATypedOneIsRefused() throws {
        let dial = Dial([.client(Client("a"))], timeout: 20, extraAttributes: ["timeout": "30"])
        #expect(throws: TwiMLError.duplicateAttribute) { try VoiceResponse([.dial(dial)]).render() }
    }

    @Test func anExtraAttributeThatIsNotAnXMLNameIsRefused() throws {
        let dial = Dial([.client(Client("a"))], extraAttributes: ["bad name": "1"])
        #expect(throws: TwiMLError.invalidDocument) { try VoiceResponse([.dial(dial)]).render() }
    }

    @Test func negativeAndLargeIntegersPrintInDecimal() throws {
        let document = VoiceResponse([.pause(Pause(length: -12)), .pause(Pause(length: 1_234_567_890))])
        #expect(try document.render() == declaration + #"<Response><Pause length="-12" /><Pause length="1234567890" /></Response>"#)
    }
}
