import SwitchboardWebhooks
import Testing

@Suite struct SignatureValidatorTests {
    static let token = "12345678901234567890123456789012"
    static let url = "https://switchboard.example.com/twilio/voice"
    static let form: FormParameters = ["CallSid": "CA1", "From": "+14155551234", "To": "client:alice"]

    @Test func missingOrEmptyHeaderIsInvalid() {
        let validator = SignatureValidator(token: Self.token)
        #expect(!validator.isValid(signature: nil, url: Self.url, parameters: Self.form))
        #expect(!validator.isValid(signature: "", url: Self.url, parameters: Self.form))
        #expect(!validator.isValid(signature: nil, url: Self.url, body: [UInt8]()))
    }

    @Test func aHeaderOfTheRightLengthButWrongBytesIsInvalid() {
        let signature = SignatureValidator.signature(token: Self.token, url: Self.url, parameters: Self.form)
        let validator = SignatureValidator(token: Self.token)
        #expect(validator.isValid(signature: signature, url: Self.url, parameters: Self.form))
        for index in signature.indices {
            var changed = signature
            let replacement: Character = signature[index] == "A" ? "B" : "A"
            changed.replaceSubrange(index...index, with: String(replacement))
            #expect(!validator.isValid(signature: changed, url: Self.url, parameters: Self.form), "\(changed)")
        }
        // 28 bytes of UTF-8 but not ASCII.
        #expect(!validator.isValid(signature: "é" + String(signature.dropFirst(2)), url: Self.url, parameters: Self.form))
    }

    @Test func anyOfSeveralTokensPasses() {
        let primary = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        let secondary = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
        let validator = SignatureValidator(tokens: [primary, secondary])
        for token in [primary, secondary] {
            let signature = SignatureValidator.signature(token: token, url: Self.url, parameters: Self.form)
            #expect(validator.isValid(signature: signature, url: Self.url, parameters: Self.form))
            let withPort = SignatureValidator.signature(token: token, url: "https://switchboard.example.com:443/twilio/voice", parameters: Self.form)
            #expect(validator.isValid(signature: withPort, url: Self.url, parameters: Self.form))
        }
        let other = SignatureValidator.signature(token: "c" + primary.dropFirst(), url: Self.url, parameters: Self.form)
        #expect(!validator.isValid(signature: other, url: Self.url, parameters: Self.form))
        #expect(
            !SignatureValidator(token: primary).isValid(
                signature: SignatureValidator.signature(token: secondary, url: Self.url, parameters: Self.form),
                url: Self.url,
                parameters: Self.form
            )
        )
    }

    @Test func getRequestIsTheURLAlone() {
        let url = Self.url + "?CallSid=CA1&From=%2B1555"
        let signature = SignatureValidator.signature(token: Self.token, url: url, parameters: [:])
        let validator = SignatureValidator(token: Self.token)
        #expect(validator.isValid(signature: signature, url: url, parameters: FormParameters()))
        #expect(validator.isValid(signature: signature, url: url, body: [UInt8]()))
        #expect(!validator.isValid(signature: signature, url: url, parameters: ["CallSid": "CA1"]))
    }

    @Test func rawBodyMayBeAnyCollection() {
        let body = #"{"a": 1}"#  // sha256 from hashlib
        let url = Self.url + "?bodySHA256=f9d86028c6e0d64e225186f96acb69338b2c59764df79162107f5c4bb34d1310"
        let signature = SignatureValidator.signature(token: Self.token, url: url, parameters: [:])
        let validator = SignatureValidator(token: Self.token)
        #expect(validator.isValid(signature: signature, url: url, body: Array(body.utf8)))
        #expect(validator.isValid(signature: signature, url: url, body: body.utf8))
        #expect(validator.isValid(signature: signature, url: url, body: body.utf8.lazy.map { $0 }))
        #expect(!validator.isValid(signature: signature, url: url, body: Array(#"{"a": 2}"#.utf8)))
    }

    @Test func stringToSignListsEachDistinctPairOnceInByteOrder() {
        let form: FormParameters = ["b": "2", "B": "1", "a": "", "é": "x", "a": "", "z": "\u{E9}", "z": "e\u{301}"]
        #expect(SignatureValidator.stringToSign(url: "u", parameters: form) == "uB1ab2ze\u{301}z\u{E9}\u{E9}x")
    }

    @Test func validationIsTheSameFromSeveralTasks() async {
        let validator = SignatureValidator(tokens: [Self.token, "x"])
        let signature = SignatureValidator.signature(token: Self.token, url: Self.url, parameters: Self.form)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<200).allSatisfy { _ in validator.isValid(signature: signature, url: Self.url, parameters: Self.form) } }
            }
            return await group.reduce(true) { $0 && $1 }
        }
        #expect(results)
    }

    @Test func anEmptyTokenListStopsTheProcess() async {
        await #expect(processExitsWith: .failure) {
            _ = SignatureValidator(tokens: [])
        }
    }

    @Test func anEmptyTokenStopsTheProcess() async {
        await #expect(processExitsWith: .failure) {
            _ = SignatureValidator(tokens: ["12345678901234567890123456789012", ""])
        }
    }
}
