import SwitchboardWebhooks
import Testing

@Suite struct FormParametersParsingTests {
    private func pairs(_ body: String) throws -> [FormParameters.Pair] {
        try FormParameters.parse(Array(body.utf8)).pairs
    }

    private func pair(_ name: String, _ value: String) -> FormParameters.Pair {
        FormParameters.Pair(name: name, value: value)
    }

    @Test func emptyBodyHasNoPairs() throws {
        #expect(try pairs("").isEmpty)
        #expect(try FormParameters.parse([UInt8]()).isEmpty)
    }

    @Test func plusIsASpaceAndPercentEscapesDecode() throws {
        #expect(
            try pairs("Caller+Name=Jane+Q.+Doe&Math=1%2B1%3D2&Pct=100%25") == [
                pair("Caller Name", "Jane Q. Doe"), pair("Math", "1+1=2"), pair("Pct", "100%"),
            ]
        )
    }

    @Test func lowerAndUpperCaseHexEscapesDecode() throws {
        #expect(try pairs("a=%2f%2F%41%6a") == [pair("a", "//Aj")])
    }

    @Test func multiByteUTF8DecodesFromEscapesAndFromRawBytes() throws {
        #expect(
            try pairs("City=M%C3%BCnchen&Euro=%E2%82%AC&Phone=%F0%9F%93%9E") == [
                pair("City", "München"), pair("Euro", "€"), pair("Phone", "📞"),
            ]
        )
        #expect(try pairs("City=München&名前=東京") == [pair("City", "München"), pair("名前", "東京")])
    }

    @Test func repeatedNamesKeepBodyOrder() throws {
        let form = try FormParameters.parse(Array("Digits=9&To=x&Digits=1&Digits=9".utf8))
        #expect(form.pairs.map(\.name) == ["Digits", "To", "Digits", "Digits"])
        #expect(form.values(named: "Digits") == ["9", "1", "9"])
        #expect(form["Digits"] == "9")
        #expect(form["digits"] == nil)
        #expect(form.values(named: "Missing").isEmpty)
    }

    @Test func bareNameAndTrailingEqualsBothGiveAnEmptyValue() throws {
        #expect(try pairs("a&b=&=c&=") == [pair("a", ""), pair("b", ""), pair("", "c"), pair("", "")])
    }

    @Test func emptyPiecesAreSkipped() throws {
        #expect(try pairs("&&a=1&&b=2&") == [pair("a", "1"), pair("b", "2")])
        #expect(try pairs("&").isEmpty)
    }

    @Test func onlyTheFirstEqualsSplitsAPairAndSemicolonsAreData() throws {
        #expect(try pairs("a=b=c&d;e=f;g") == [pair("a", "b=c"), pair("d;e", "f;g")])
    }

    @Test func malformedEscapeInAValueNamesThePairAndItsName() throws {
        let error = #expect(throws: FormError.self) { try FormParameters.parse(Array("To=1&Body=50%zz+off".utf8)) }
        #expect(error == .malformedPercentEscape)
        #expect(error?.pairIndex == 1)
        #expect(error?.message.contains("\"%zz\"") == true)
        #expect(error?.message.contains("name \"Body\"") == true)
        #expect(error?.message.contains("byte 12") == true)
    }

    @Test func truncatedEscapeAtTheEndIsMalformed() throws {
        for body in ["a=%4", "a=%", "a=%4&b=1", "a=x%"] {
            let error = #expect(throws: FormError.self, "\(body)") { try FormParameters.parse(Array(body.utf8)) }
            #expect(error == .malformedPercentEscape, "\(body)")
            #expect(error?.pairIndex == 0, "\(body)")
        }
    }

    @Test func malformedEscapeInANameSaysSo() throws {
        let error = #expect(throws: FormError.self) { try FormParameters.parse(Array("a=1&b=2&Bo%g1dy=x".utf8)) }
        #expect(error == .malformedPercentEscape)
        #expect(error?.pairIndex == 2)
        #expect(error?.message.contains("the name \"Bo%g1dy\"") == true)
    }

    @Test(arguments: [
        "a=%FF",  // a lone continuation-range byte
        "a=%C3",  // truncated two-byte sequence
        "a=%C0%AF",  // overlong "/"
        "a=%ED%A0%80",  // UTF-16 surrogate
        "a=%F4%90%80%80",  // above U+10FFFF
        "%E2%82=1",  // in a name
    ])
    func invalidUTF8AfterDecodingIsAnError(body: String) throws {
        let error = #expect(throws: FormError.self) { try FormParameters.parse(Array(body.utf8)) }
        #expect(error == .invalidUTF8)
        #expect(error?.message.contains("not valid UTF-8") == true)
    }

    @Test func invalidRawUTF8IsAnErrorWithoutEscapes() throws {
        let body: [UInt8] = Array("ok=1&v=".utf8) + [0xC3, 0x28]
        let error = #expect(throws: FormError.self) { try FormParameters.parse(body) }
        #expect(error == .invalidUTF8)
        #expect(error?.pairIndex == 1)
        #expect(error?.message.contains("name \"v\"") == true)
    }

    @Test func rawBytesAndEscapesInOneValueDecodeTogether() throws {
        // A raw lead byte completed by an escaped continuation byte is one character once decoded.
        let body: [UInt8] = Array("a=x+".utf8) + [0xC3] + Array("%A9&b=%C3".utf8) + [0xA9]
        let form = try FormParameters.parse(body)
        #expect(form.pairs == [FormParameters.Pair(name: "a", value: "x \u{E9}"), FormParameters.Pair(name: "b", value: "\u{E9}")])
    }

    @Test func rawBytesAndEscapesThatDecodeToInvalidUTF8AreAnError() throws {
        let body: [UInt8] = Array("ok=1&".utf8) + [0xC3] + Array("+=%41".utf8)
        let error = #expect(throws: FormError.self) { try FormParameters.parse(body) }
        #expect(error == .invalidUTF8)
        #expect(error?.pairIndex == 1)
        #expect(error?.message.contains("the name") == true)
    }

    @Test func errorsAreDistinguishedByCode() {
        #expect(FormError.malformedPercentEscape != FormError.invalidUTF8)
    }

    @Test func nonContiguousCollectionsAndStringsParseTheSame() throws {
        let body = "a=1&b=%C3%A9+x&c"
        let expected = [pair("a", "1"), pair("b", "é x"), pair("c", "")]
        #expect(try FormParameters.parse(body.utf8.lazy.map { $0 }).pairs == expected)
        #expect(try FormParameters.parse(body).pairs == expected)
        #expect(try FormParameters.parse(body.utf8).pairs == expected)
    }

    @Test func namesAndValuesCompareByteForByteNotByCanonicalEquivalence() throws {
        let form = try FormParameters.parse(Array("Caf%C3%A9=precomposed&Cafe%CC%81=combining".utf8))
        #expect(form["Caf\u{E9}"] == "precomposed")
        #expect(form["Cafe\u{301}"] == "combining")
        #expect(pair("Caf\u{E9}", "x") != pair("Cafe\u{301}", "x"))
        let combining: FormParameters = ["e\u{301}": "1"]
        let precomposed: FormParameters = ["\u{E9}": "1"]
        #expect(combining != precomposed)
        #expect(Set([pair("e\u{301}", ""), pair("\u{E9}", "")]).count == 2)
    }

    @Test func parsingMatchesPythonParseQsl() throws {
        let cases = try WebhookFixtures.formCases()
        #expect(cases.count >= 20)
        for formCase in cases {
            let expected = formCase.pairs.map { pair($0[0], $0[1]) }
            #expect(try pairs(formCase.body) == expected, "body \(formCase.body)")
        }
    }
}
