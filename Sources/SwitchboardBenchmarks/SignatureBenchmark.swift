import SwitchboardWebhooks

/// The signed 20-parameter voice callback of ../shared/bench/twilio_py_baseline.py (same token, URL
/// and parameters), validated as twilio-python's `validate` is there, plus the steps around it.
enum SignatureBenchmark {
    static let token = "12345678901234567890123456789012"
    static let url = "https://switchboard.example.com/twilio/voice"
    static let parameters: FormParameters = [
        "AccountSid": "AC11111111111111111111111111111111", "ApiVersion": "2010-04-01",
        "CallSid": "CA22222222222222222222222222222222", "CallStatus": "ringing", "Called": "+15005550006",
        "CalledCity": "", "CalledCountry": "US", "CalledState": "CA", "CalledZip": "", "Caller": "+14155551234",
        "CallerCity": "SAN FRANCISCO", "CallerCountry": "US", "CallerState": "CA", "CallerZip": "94103",
        "Direction": "inbound", "From": "+14155551234", "FromCity": "SAN FRANCISCO", "FromCountry": "US",
        "FromState": "CA", "To": "+15005550006",
    ]

    /// Lines of `name: N ns/op`, after the signature (which must be `/u3nZOQ3AyPOxXLjNY9ieQx+VdY=`).
    static func run() -> [String] {
        let validator = SignatureValidator(token: token)
        let rotating = SignatureValidator(tokens: ["00000000000000000000000000000000", token])
        let signature = SignatureValidator.signature(token: token, url: url, parameters: parameters)
        let wrong = String(signature.dropLast(2)) + "A="
        let body = Array(parameters.encoded().utf8)
        precondition(validator.isValid(signature: signature, url: url, parameters: parameters))
        precondition(!validator.isValid(signature: wrong, url: url, parameters: parameters))
        func count(_ valid: Bool) -> Int { valid ? 1 : 0 }
        return [
            "signature: " + signature,
            BenchmarkClock.measure("switchboard validate 20 params", iterations: 200_000) {
                count(validator.isValid(signature: signature, url: url, parameters: parameters))
            },
            BenchmarkClock.measure("switchboard validate 20 params, wrong signature (2 HMACs)", iterations: 200_000) {
                count(validator.isValid(signature: wrong, url: url, parameters: parameters))
            },
            BenchmarkClock.measure("switchboard validate 20 params, second of two tokens", iterations: 200_000) {
                count(rotating.isValid(signature: signature, url: url, parameters: parameters))
            },
            BenchmarkClock.measure("switchboard parse 20-param body", iterations: 200_000) {
                (try? FormParameters.parse(body))?.count ?? 0
            },
            BenchmarkClock.measure("switchboard parse+validate 20-param body", iterations: 200_000) {
                guard let form = try? FormParameters.parse(body) else { return 0 }
                return count(validator.isValid(signature: signature, url: url, parameters: form))
            },
            BenchmarkClock.measure("switchboard parse+validate+VoiceRequest 20-param body", iterations: 200_000) {
                guard let form = try? FormParameters.parse(body),
                    validator.isValid(signature: signature, url: url, parameters: form),
                    let request = try? VoiceRequest(form)
                else { return 0 }
                return request.callSid.utf8.count
            },
        ]
    }
}
