import SwitchboardWebhooks
import Testing

/// `SignatureValidator` against twilio-python 9.13.0 on every golden case (`Fixtures/signatures`).
@Suite struct SignatureGoldenTests {
    @Test func fixtureIsPresentAndHoldsTheBenchmarkCallback() throws {
        let cases = try WebhookFixtures.signatureCases()
        #expect(cases.count >= 80)
        let voice = try #require(cases.first { $0.name == "voice callback, 20 parameters" })
        #expect(voice.signature == "/u3nZOQ3AyPOxXLjNY9ieQx+VdY=")
        #expect(voice.params.count == 20)
        #expect(voice.valid)
        #expect(cases.contains { $0.valid } && cases.contains { !$0.valid })
    }

    @Test func validationAgreesWithTwilioPythonOnEveryCase() throws {
        for golden in try WebhookFixtures.signatureCases() {
            let validator = SignatureValidator(tokens: golden.tokens ?? [golden.token])
            switch golden.kind {
            case .form:
                let form = try FormParameters.parse(Array(golden.body.utf8))
                #expect(form == FormParameters(golden.pairs), "\(golden.name): body parses to the params")
                let answer = validator.isValid(signature: golden.signature, url: golden.url, parameters: form)
                #expect(answer == golden.valid, "\(golden.name)")
            case .raw:
                let answer = validator.isValid(signature: golden.signature, url: golden.url, body: Array(golden.body.utf8))
                #expect(answer == golden.valid, "\(golden.name)")
            }
        }
    }

    @Test func computedSignatureAgreesWithComputeSignature() throws {
        for golden in try WebhookFixtures.signatureCases() {
            let parameters = golden.kind == .form ? FormParameters(golden.pairs) : FormParameters()
            let signature = SignatureValidator.signature(token: golden.tokens?.first ?? golden.token, url: golden.url, parameters: parameters)
            #expect(signature == golden.computed, "\(golden.name)")
        }
    }

    /// A signature valid for some case is never valid once one parameter value changes by one byte.
    @Test func changingAnyValueOfAValidCaseInvalidatesIt() throws {
        for golden in try WebhookFixtures.signatureCases() where golden.kind == .form && golden.valid && !golden.params.isEmpty {
            let validator = SignatureValidator(tokens: golden.tokens ?? [golden.token])
            for index in golden.params.indices {
                var pairs = FormParameters(golden.pairs).pairs
                pairs[index].value += "x"
                let changed = FormParameters(pairs)
                #expect(!validator.isValid(signature: golden.signature, url: golden.url, parameters: changed), "\(golden.name) #\(index)")
            }
        }
    }
}
