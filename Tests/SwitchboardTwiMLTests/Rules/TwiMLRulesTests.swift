import SwitchboardTwiML
import Testing

/// One test per rule: each builds the smallest tree that breaks it and expects that rule, at that path.
@Suite struct TwiMLRulesTests {
    func response(_ children: [Element]) -> Element { Element("Response", children: children) }
    func rules(_ element: Element) -> [String] { TwiMLRules.check(element).map(\.rule) }
    func client(_ identity: String) -> Element { Element("Client", text: identity) }
    func dial(_ children: [Element], attributes: [Attribute] = []) -> Element { Element("Dial", attributes: attributes, children: children) }

    @Test func aValidRingAllDocumentHasNoDiagnostics() {
        let tree = response([
            dial([client("alice"), client("bob_2")], attributes: [Attribute("action", "/twilio/dial-status"), Attribute("timeout", "20")])
        ])
        #expect(TwiMLRules.check(tree).isEmpty)
    }

    @Test func rootMustBeResponse() {
        #expect(rules(Element("Dial")) == ["root"])
    }

    @Test func unknownElementIsReportedWithItsPath() {
        let diagnostics = TwiMLRules.check(response([Element("Speak", text: "hi")]))
        #expect(diagnostics.map(\.rule) == ["unknown-element"])
        #expect(diagnostics.first?.path == "Response/Speak[1]")
    }

    @Test func unknownAttributeIsAnErrorUnlessAllowed() {
        let tree = response([Element("Say", attributes: [Attribute("voise", "man")], text: "hi")])
        #expect(rules(tree) == ["unknown-attribute"])
        #expect(TwiMLRules.check(tree, options: DecodingOptions(allowUnknownAttributes: true)).isEmpty)
    }

    @Test func duplicateAttributeIsReported() {
        let tree = response([Element("Say", attributes: [Attribute("voice", "man"), Attribute("voice", "woman")], text: "hi")])
        #expect(rules(tree) == ["duplicate-attribute"])
    }

    @Test func nestingTwilioForbidsIsReported() {
        let tree = response([Element("Say", text: "hi", children: [Element("Play", text: "a.mp3")])])
        #expect(rules(tree) == ["nesting"])
        let dialInGather = response([Element("Gather", children: [dial([client("a")])])])
        #expect(rules(dialInGather) == ["nesting"])
        #expect(rules(response([Element("Hangup", text: "now")])) == ["nesting"])
    }

    @Test(arguments: [
        ("Dial", "timeout", "soon"), ("Dial", "answerOnBridge", "yes"), ("Dial", "method", "PUT"), ("Reject", "reason", "nope"),
        ("Record", "trim", "trim"), ("Dial", "record", "always"), ("Gather", "input", "voice"), ("Client", "statusCallbackEvent", "rang"),
    ])
    func valuesOfTheWrongTypeAreBadValues(element: String, attribute: String, value: String) {
        var target = Element(element, attributes: [Attribute(attribute, value)])
        var tree: Element
        switch element {
        case "Dial":
            target.children = [client("a")]
            tree = response([target])
        case "Client":
            target.text = "a"
            tree = response([dial([target])])
        case "Record":
            target.attributes.append(Attribute("action", "/done"))
            tree = response([target])
        default: tree = response([target])
        }
        #expect(rules(tree) == ["bad-value"])
    }

    @Test(arguments: [("timeout", "4"), ("timeout", "601"), ("timeLimit", "0")])
    func dialNumbersOutsideTheirRangeAreReported(attribute: String, value: String) {
        #expect(rules(response([dial([client("a")], attributes: [Attribute(attribute, value)])])) == ["range"])
    }

    @Test func dialTimeoutBoundsAreInclusive() {
        #expect(rules(response([dial([client("a")], attributes: [Attribute("timeout", "5")])])).isEmpty)
        #expect(rules(response([dial([client("a")], attributes: [Attribute("timeout", "600")])])).isEmpty)
    }

    @Test func recordMaxLengthAndPauseLengthHaveRanges() {
        #expect(rules(response([Element("Record", attributes: [Attribute("action", "/v"), Attribute("maxLength", "0")])])) == ["range"])
        #expect(rules(response([Element("Pause", attributes: [Attribute("length", "0")])])) == ["range"])
    }

    @Test func callReasonLongerThanFiftyCharactersIsReported() {
        let reason = String(repeating: "x", count: 51)
        #expect(rules(response([dial([client("a")], attributes: [Attribute("callReason", reason)])])) == ["length"])
    }

    @Test func playDigitsOutsideTheDTMFAlphabetAreReported() {
        #expect(rules(response([Element("Play", attributes: [Attribute("digits", "12x")])])) == ["characters"])
    }

    @Test func requiredTextAndAttributesAreReported() {
        #expect(rules(response([Element("Say")])) == ["required"])
        #expect(rules(response([dial([Element("Number")])])) == ["required"])
        #expect(rules(response([Element("Play")])) == ["required"])
        #expect(rules(response([dial([Element("Client", children: [Element("Identity", text: "a"), Element("Parameter")])])])) == ["required"])
    }

    @Test func forbiddenCharactersInTheTreeAreReported() {
        #expect(rules(response([Element("Say", text: "a\u{1}b")])) == ["invalid-character"])
        #expect(rules(response([Element("Say", attributes: [Attribute("voice", "\u{FFFF}")], text: "a")])) == ["invalid-character"])
    }

    @Test func elevenRingingNounsBreakTheDialLimit() {
        let ten = (0..<10).map { client("agent_\($0)") }
        #expect(rules(response([dial(ten)])).isEmpty)
        let eleven = ten + [Element("Number", text: "+15005550006")]
        #expect(rules(response([dial(eleven)])) == ["dial-noun-limit"])
    }

    @Test(arguments: ["alice smith", "bob-2", "", "ünï", String(repeating: "a", count: 257)])
    func clientIdentitiesMustBeLettersDigitsAndUnderscores(identity: String) {
        #expect(rules(response([dial([client(identity)])])) == ["client-identity"])
    }

    @Test func aClientIdentityOf256CharactersIsAllowed() {
        #expect(rules(response([dial([client(String(repeating: "a", count: 256))])])).isEmpty)
    }

    @Test func aRichClientWithTwoIdentitiesIsReported() {
        let rich = Element("Client", children: [Element("Identity", text: "a"), Element("Identity", text: "b")])
        #expect(rules(response([dial([rich])])) == ["client-identity"])
    }

    @Test func aDialWithNoTargetIsReported() {
        #expect(rules(response([Element("Dial")])) == ["dial-target"])
    }

    @Test func verbsAfterADialWithActionAreUnreachable() {
        let tree = response([dial([client("a")], attributes: [Attribute("action", "/next")]), Element("Say", text: "bye")])
        #expect(rules(tree) == ["unreachable"])
        let withoutAction = response([dial([client("a")]), Element("Say", text: "bye")])
        #expect(rules(withoutAction).isEmpty)
    }

    @Test func aRecordWithoutActionLoops() {
        #expect(rules(response([Element("Record")])) == ["record-without-action"])
    }

    @Test func urlsWithSpacesOrOtherSchemesAreReported() {
        #expect(rules(response([Element("Redirect", attributes: [Attribute("method", "POST")], text: "/ok")])).isEmpty)
        let tree = response([dial([client("a")], attributes: [Attribute("action", "ftp://x/y")])])
        #expect(rules(tree) == ["url"])
    }

    @Test func pathsCountSiblingsOfTheSameName() {
        let tree = response([
            Element("Say", text: "hi"),
            dial([client("a"), Element("Number", text: "+1"), client("b"), client("bad one")]),
        ])
        let diagnostics = TwiMLRules.check(tree)
        #expect(diagnostics.map(\.path) == ["Response/Dial[1]/Client[3]"])
    }

    @Test func structuralRulesAreErrorsAndTwilioRulesAreWarnings() {
        #expect(Diagnostic(rule: "nesting", message: "", path: "").severity == .error)
        #expect(Diagnostic(rule: "unreachable", message: "", path: "").severity == .warning)
        let warningOnly = response([Element("Record")])
        #expect(throws: Never.self) { try VoiceResponse(element: warningOnly) }
        #expect(throws: TwiMLError.invalidDocument) { try VoiceResponse(element: response([Element("Speak")])) }
    }
}
