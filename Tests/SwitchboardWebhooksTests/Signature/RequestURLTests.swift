import SwitchboardWebhooks
import Testing

@Suite struct RequestURLTests {
    @Test func joinsBaseAndRequestTargetUnchanged() {
        let base = RequestURL(base: "https://switchboard.example.com/")
        #expect(base.base == "https://switchboard.example.com")
        #expect(base.url(requestTarget: "/twilio/voice?tenant=a%20b&x='") == "https://switchboard.example.com/twilio/voice?tenant=a%20b&x='")
        #expect(base.url(requestTarget: "twilio/voice") == "https://switchboard.example.com/twilio/voice")
    }

    @Test func joinsPathAndQuery() {
        let base = RequestURL(base: "https://example.com:8443/switchboard//")
        #expect(base.url(path: "/twilio/voice") == "https://example.com:8443/switchboard/twilio/voice")
        #expect(base.url(path: "/twilio/voice", query: "") == "https://example.com:8443/switchboard/twilio/voice")
        #expect(base.url(path: "twilio/voice", query: "a=1") == "https://example.com:8443/switchboard/twilio/voice?a=1")
        #expect(base.description == "https://example.com:8443/switchboard")
    }

    @Test func aJoinedURLValidatesWithTheSignatureOfTheRequestedURL() {
        let token = "12345678901234567890123456789012"
        let requested = "https://switchboard.example.com/twilio/voice?tenant=acme"
        let signature = SignatureValidator.signature(token: token, url: requested, parameters: ["CallSid": "CA1"])
        let url = RequestURL(base: "https://switchboard.example.com").url(requestTarget: "/twilio/voice?tenant=acme")
        #expect(SignatureValidator(token: token).isValid(signature: signature, url: url, parameters: ["CallSid": "CA1"]))
    }
}
