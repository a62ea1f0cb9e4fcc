import SwitchboardWebhooks
import Testing

/// The vectors of sections 4.1 and 4.6 of the shared Twilio reference: twilio-python's and twilio-node's
/// own unit tests, and Twilio's documented example. Literals copied from the reference.
@Suite struct SignatureReferenceVectorTests {
    static let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    static let validator = SignatureValidator(token: "12345")
    static let base: FormParameters = [
        "CallSid": "CA1234567890ABCDE", "Digits": "1234", "From": "+14158675309", "To": "+18005551212", "Caller": "+14158675309",
    ]

    @Test func documentedWorkedExample() {
        let form: FormParameters = [
            "Digits": "1234", "To": "+18005551212", "From": "+14158675310", "Caller": "+14158675310", "CallSid": "CA1234567890ABCDE",
        ]
        let url = "https://example.com/myapp.php?foo=1&bar=2"
        #expect(
            SignatureValidator.stringToSign(url: url, parameters: form)
                == "https://example.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+14158675310Digits1234From+14158675310To+18005551212"
        )
        #expect(SignatureValidator.signature(token: "12345", url: url, parameters: form) == "L/OH5YylLD5NRKLltdqwSvS0BnU=")
        #expect(Self.validator.isValid(signature: "L/OH5YylLD5NRKLltdqwSvS0BnU=", url: url, parameters: form))
    }

    @Test func computeSignature() {
        #expect(SignatureValidator.signature(token: "12345", url: Self.url, parameters: Self.base) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    }

    @Test func validation() {
        #expect(Self.validator.isValid(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url: Self.url, parameters: Self.base))
        #expect(!Self.validator.isValid(signature: "WRONG_SIGNATURE", url: Self.url, parameters: Self.base))
        #expect(!Self.validator.isValid(signature: nil, url: Self.url, parameters: Self.base))
    }

    @Test func duplicateMultiDictValuesAreSortedAndDeduplicated() {
        let form: FormParameters = ["Sid": "CA123", "SidAccount": "AC123", "Digits": "5678", "Digits": "1234", "Digits": "1234"]
        #expect(SignatureValidator.stringToSign(url: Self.url, parameters: form).hasSuffix("Digits1234Digits5678SidCA123SidAccountAC123"))
        #expect(SignatureValidator.signature(token: "12345", url: Self.url, parameters: form) == "IK+Dwps556ElfBT0I3Rgjkr1wJU=")
        #expect(Self.validator.isValid(signature: "IK+Dwps556ElfBT0I3Rgjkr1wJU=", url: Self.url, parameters: form))
    }

    @Test func arrayValuesInEitherOrder() {
        let forward: FormParameters = ["MessagingBinding.Address": "+1325xxxxxxx", "MessagingBinding.Address": "+1415xxxxxxx"]
        let backward: FormParameters = ["MessagingBinding.Address": "+1415xxxxxxx", "MessagingBinding.Address": "+1325xxxxxxx"]
        #expect(Self.validator.isValid(signature: "83O6e2vORAoJHUNzJjDWN1jz+BA=", url: Self.url, parameters: forward))
        #expect(Self.validator.isValid(signature: "83O6e2vORAoJHUNzJjDWN1jz+BA=", url: Self.url, parameters: backward))
    }

    @Test func removesPortOnHTTPS() {
        let url = "https://mycompany.com:1234/myapp.php?foo=1&bar=2"
        #expect(Self.validator.isValid(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url: url, parameters: Self.base))
    }

    @Test func keepsPortOnHTTP() {
        let url = "http://mycompany.com:1234/myapp.php?foo=1&bar=2"
        #expect(Self.validator.isValid(signature: "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", url: url, parameters: Self.base))
    }

    @Test func addsPortOnHTTPS() {
        #expect(Self.validator.isValid(signature: "kvajT1Ptam85bY51eRf/AJRuM3w=", url: Self.url, parameters: Self.base))
    }

    @Test func addsPortOnHTTP() {
        let url = "http://mycompany.com/myapp.php?foo=1&bar=2"
        #expect(Self.validator.isValid(signature: "0ZXoZLH/DfblKGATFgpif+LLRf4=", url: url, parameters: Self.base))
    }

    @Test func bodyHashUnicodeVectorAndBodyValidation() {
        let body = Array(#"{"property": "value", "boolean": true}"#.utf8)
        let url = Self.url + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
        #expect(Self.validator.isValid(signature: "a9nBmqA0ju/hNViExpshrM61xv4=", url: url, body: body))
        let wrongHash = Self.url + "&bodySHA256=WRONG_HASH"
        #expect(!Self.validator.isValid(signature: "a9nBmqA0ju/hNViExpshrM61xv4=", url: wrongHash, body: body))
        #expect(
            SignatureValidator.signature(
                token: "12345",
                url: "https://mycompany.com/myapp.php?bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620",
                parameters: [:]
            ) == "y77kIzt2vzLz71DgmJGsen2scGs="
        )
    }

    @Test func emptyJSONBodyIsSignedWithTheDefaultPort() {
        let url = Self.url + "&bodySHA256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        #expect(Self.validator.isValid(signature: "Ldidvp12m26NI7eqEvxnEpkd9Hc=", url: url, body: Array("{}".utf8)))
        #expect(Self.validator.isValid(signature: "rw/jVviOgicj2+kHZULvebnA4ag=", url: url, body: Array("{}".utf8)))
    }

    @Test func rawBodyWithoutBodySHA256Fails() {
        let body = Array(#"{"property": "value", "boolean": true}"#.utf8)
        #expect(!Self.validator.isValid(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url: Self.url, body: body))
    }

    @Test func credentialsArePartOfTheSignedURL() {
        let credentials = "https://user:pass@mycompany.com/myapp.php?foo=1&bar=2"
        #expect(Self.validator.isValid(signature: "CukzLTc1tT5dXEDIHm/tKBanW10=", url: credentials, parameters: Self.base))
        #expect(Self.validator.isValid(signature: "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI=", url: credentials, parameters: Self.base))
        let user = "https://user@mycompany.com/myapp.php?foo=1&bar=2"
        #expect(Self.validator.isValid(signature: "2YRLlVAflCqxaNicjMpJcSTgzSs=", url: user, parameters: Self.base))
    }

    /// Python signs the URL as given; node's WHATWG form (`'` encoded) is a different URL to it.
    @Test func quoteInTheQueryIsSignedAsIs() {
        let url = Self.url + "&Body=It's+amazing"
        #expect(Self.validator.isValid(signature: "dsq4Ehbj6cs+KdTkpF5sSSplOWw=", url: url, parameters: Self.base))
        #expect(!Self.validator.isValid(signature: "TfZzewPq8wqrGlMfyAud8+/IvJ0=", url: url, parameters: Self.base))
        #expect(Self.validator.isValid(signature: "TfZzewPq8wqrGlMfyAud8+/IvJ0=", url: Self.url + "&Body=It%27s+amazing", parameters: Self.base))
    }

    @Test func nodeWebhookSpecURLsWithoutParameters() {
        let validator = SignatureValidator(token: "s3cr3t")
        let url = "https://example.com/path?test=param"
        #expect(validator.isValid(signature: "loLgTitFAoWx57yy5oEU4Hlddzw=", url: url, parameters: [:]))
        #expect(!validator.isValid(signature: "loLgTitFAoWx57yy5oEU4Hlddzw=", url: "https://example.com/path?test=param2", parameters: [:]))
        #expect(validator.isValid(signature: "De7bak0ehNIYPffbL8v7JywCK2Y=", url: "https://example.com/path?test=param2", parameters: [:]))
        #expect(validator.isValid(signature: "IdwMFypqvNxti3YgvWWmfcNL26M=", url: url, parameters: [:]))
        #expect(validator.isValid(signature: "IdwMFypqvNxti3YgvWWmfcNL26M=", url: "https://example.com:443/path?test=param", parameters: [:]))
        #expect(validator.isValid(signature: "loLgTitFAoWx57yy5oEU4Hlddzw=", url: "https://example.com:443/path?test=param", parameters: [:]))
        #expect(validator.isValid(signature: "GfI7onHX/KQ2k1oVS3cUTVk4IEw=", url: "https://example.com/path?test=param'WithQuote", parameters: [:]))
        #expect(validator.isValid(signature: "HkuXLxVQ7zHv9LmGpzlLuGaxhJY=", url: "https://example.com/path?test=param%27WithQuote", parameters: [:]))
    }

    @Test func benchmarkCallbackSignature() {
        let voice: FormParameters = [
            "AccountSid": "AC11111111111111111111111111111111", "ApiVersion": "2010-04-01",
            "CallSid": "CA22222222222222222222222222222222", "CallStatus": "ringing", "Called": "+15005550006",
            "CalledCity": "", "CalledCountry": "US", "CalledState": "CA", "CalledZip": "", "Caller": "+14155551234",
            "CallerCity": "SAN FRANCISCO", "CallerCountry": "US", "CallerState": "CA", "CallerZip": "94103",
            "Direction": "inbound", "From": "+14155551234", "FromCity": "SAN FRANCISCO", "FromCountry": "US",
            "FromState": "CA", "To": "+15005550006",
        ]
        let url = "https://switchboard.example.com/twilio/voice"
        let token = "12345678901234567890123456789012"
        #expect(SignatureValidator.signature(token: token, url: url, parameters: voice) == "/u3nZOQ3AyPOxXLjNY9ieQx+VdY=")
        #expect(SignatureValidator(token: token).isValid(signature: "/u3nZOQ3AyPOxXLjNY9ieQx+VdY=", url: url, parameters: voice))
    }
}
