import SwitchboardWebhooks
import Testing

@Suite struct FormParametersEncodingTests {
    @Test func encodingKeepsUnreservedBytesAndEscapesTheRest() {
        let form: FormParameters = ["a b": "c+d&e=f~._-", "€": "%", "": ""]
        #expect(form.encoded() == "a+b=c%2Bd%26e%3Df~._-&%E2%82%AC=%25&=")
    }

    @Test func encodingKeepsOrderAndRepeatedNames() {
        let form: FormParameters = ["Digits": "9", "To": "x", "Digits": "1"]
        #expect(form.encoded() == "Digits=9&To=x&Digits=1")
        #expect(FormParameters().encoded() == "")
    }

    @Test func encodingMatchesPythonUrlencode() throws {
        for golden in try WebhookFixtures.signatureCases() where golden.kind == .form {
            #expect(FormParameters(golden.pairs).encoded() == golden.body, "\(golden.name)")
        }
    }

    /// A few hundred random pairs from a deterministic generator: names from a small pool (so some
    /// repeat), values mixing ASCII, reserved characters, multi-byte and astral scalars, and emptiness.
    @Test func parsingTheEncodingGivesThePairsBack() throws {
        var random = SplitMix64(seed: 0x5EED_CA11)
        let alphabet: [String] = [
            "a", "Z", "0", " ", "+", "%", "&", "=", "~", ".", "-", "_", "*", "/", "?", "#", ";", "'", "\"",
            "\n", "\t", "\u{0}", "é", "e\u{301}", "ß", "東", "📞", "👩‍👩‍👧", "\u{FFFD}", "\u{10FFFF}",
        ]
        func randomString(maxLength: Int) -> String {
            let length = Int(random.next() % UInt64(maxLength + 1))
            return (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
        }
        let names = (0..<12).map { _ in randomString(maxLength: 6) }
        var pairs: [FormParameters.Pair] = []
        for _ in 0..<300 {
            pairs.append(FormParameters.Pair(name: names[Int(random.next() % 12)], value: randomString(maxLength: 12)))
        }
        let form = FormParameters(pairs)
        let encoded = form.encoded()
        #expect(try FormParameters.parse(encoded) == form)
        // Also pair by pair, so a failure names the pair.
        for pair in pairs {
            let single = FormParameters([pair])
            #expect(try FormParameters.parse(single.encoded()) == single, "\(pair.name.debugDescription)=\(pair.value.debugDescription)")
        }
    }
}

/// A small deterministic generator (SplitMix64), so random tests are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
