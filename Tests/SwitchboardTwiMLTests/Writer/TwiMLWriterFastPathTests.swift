import SwitchboardTwiML
import Testing

/// The writer's fast paths (word-at-a-time scan for characters to escape, short copies, writing into the
/// returned array, `Client`'s boxed properties) against plain expectations.
@Suite struct TwiMLWriterFastPathTests {
    let declaration = #"<?xml version="1.0" encoding="UTF-8"?>"#

    /// Every special character at every position of texts of 1 to 24 bytes, so each branch of the scan
    /// (short, overlapping halves, whole words, overlapping last word) sees it.
    @Test func specialCharactersAreEscapedAtEveryPositionAndLength() throws {
        let specials: [(Character, text: String, attribute: String)] = [
            ("&", "&amp;", "&amp;"), ("<", "&lt;", "&lt;"), (">", "&gt;", "&gt;"), ("\"", "\"", "&quot;"),
            ("\t", "\t", "&#09;"), ("\n", "\n", "&#10;"), ("\r", "\r", "&#13;"),
        ]
        for length in 1...24 {
            for position in 0..<length {
                for (special, text, attribute) in specials {
                    var value = String(repeating: "a", count: length)
                    let index = value.index(value.startIndex, offsetBy: position)
                    value.replaceSubrange(index...index, with: String(special))
                    let escapedText = value.map { $0 == special ? text : String($0) }.joined()
                    let escapedAttribute = value.map { $0 == special ? attribute : String($0) }.joined()
                    let document = VoiceResponse([.say(Say(value, voice: value))])
                    let expected = declaration + #"<Response><Say voice=""# + escapedAttribute + #"">"# + escapedText + "</Say></Response>"
                    #expect(try document.render() == expected, "length \(length), position \(position)")
                }
            }
        }
    }

    @Test func forbiddenCharactersAreRefusedAtEveryPositionAndLength() {
        for length in 1...20 {
            for position in 0..<length {
                for forbidden in ["\u{1}", "\u{1F}", "\u{FFFE}", "\u{FFFF}"] {
                    var value = String(repeating: "b", count: length)
                    let index = value.index(value.startIndex, offsetBy: position)
                    value.replaceSubrange(index...index, with: forbidden)
                    #expect(throws: TwiMLError.self) { try VoiceResponse([.say(Say(value))]).render() }
                }
            }
        }
    }

    @Test func plainTextOfEveryLengthIsCopiedWhole() throws {
        for length in 0...80 {
            let value = String((0..<length).map { Character(UnicodeScalar(UInt8(0x3F + $0 % 60))) })
            let expected = length == 0 ? declaration + "<Response><Say /></Response>" : declaration + "<Response><Say>" + value + "</Say></Response>"
            #expect(try VoiceResponse([.say(Say(value))]).render() == expected)
        }
    }

    @Test func documentsLongerThanTheFirstGuessAreComplete() throws {
        let clients = (0..<200).map { Dial.Noun.client(Client("agent_\($0)")) }
        let body = (0..<200).map { "<Client>agent_\($0)</Client>" }.joined()
        let expected = declaration + "<Response><Dial>" + body + "</Dial></Response>"
        let bytes = try VoiceResponse([.dial(Dial(clients))]).renderBytes()
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        #expect(bytes.count > 4096)
    }

    @Test func clientRarePropertiesRoundTripThroughTheirBox() throws {
        var client = Client("alice")
        #expect(client == Client("alice"))
        client.url = "/screen"
        client.statusCallbackEvent = [.ringing]
        client.extraAttributes["zeta"] = "1"
        let copy = client
        client.url = nil
        #expect(copy.url == "/screen")
        #expect(client.url == nil)
        #expect(client.statusCallbackEvent == [.ringing])
        #expect(client != copy)
        client.statusCallbackEvent = nil
        client.extraAttributes = [:]
        #expect(client == Client("alice"))
        let rendered = try VoiceResponse([.dial(Dial([.client(copy)]))]).render()
        #expect(
            rendered
                == declaration + #"<Response><Dial><Client statusCallbackEvent="ringing" url="/screen" zeta="1">alice</Client></Dial></Response>"#
        )
    }

    @Test func simpleClientsWithAndWithoutAttributes() throws {
        let document = VoiceResponse([
            .dial(Dial([.client(Client("")), .client(Client(nil)), .client(Client("bob", method: .post)), .client(Client("a&b"))]))
        ])
        let expected = #"<Response><Dial><Client /><Client /><Client method="POST">bob</Client><Client>a&amp;b</Client></Dial></Response>"#
        #expect(try document.render() == declaration + expected)
        #expect(throws: TwiMLError.self) { try VoiceResponse([.dial(Dial([.client(Client("a\u{1}"))]))]).render() }
    }
}
