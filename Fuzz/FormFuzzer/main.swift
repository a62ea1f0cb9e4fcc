// libFuzzer entry point for the form parser and the signature validator. Not a SwiftPM target: it is
// compiled together with Sources/SwitchboardWebhooks (as one module, so internals are reachable) by
// scripts/fuzz.sh, with -sanitize=fuzzer,address.
//
// Input layout: the bytes up to the first newline are a URL, the rest a request body. Every input goes
// through every path; besides "never crash", each path checks an invariant that must hold for any input.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormAndSignature(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: count)
    let newline = input.firstIndex(of: UInt8(ascii: "\n")) ?? count
    let url = String(decoding: input[..<newline], as: UTF8.self)
    let body = Array(input[min(newline + 1, count)...])

    check(UTF8Validation.isValid(input) == (String(validating: input, as: UTF8.self) != nil), "UTF-8 validation differs from the stdlib")
    checkFormRoundTrip(Array(input))
    checkFormRoundTrip(body)
    checkSignatures(url: url, body: body)
    return 0
}

private let token = "12345678901234567890123456789012"
private let validator = SignatureValidator(tokens: ["00000000000000000000000000000000", token])

/// Parsing either fails with a typed error or gives pairs that encode and parse back to themselves.
private func checkFormRoundTrip(_ bytes: [UInt8]) {
    let form: FormParameters
    do {
        form = try FormParameters.parse(bytes)
    } catch {
        check(!error.message.isEmpty, "an error without a message")
        return
    }
    let encoded = form.encoded()
    guard let again = try? FormParameters.parse(encoded) else { fatalError("encoded form does not parse: \(encoded)") }
    check(again == form, "round trip changed the pairs: \(encoded)")
    // The typed callbacks read any form without crashing.
    _ = try? VoiceRequest(form)
    _ = try? DialActionRequest(form)
    _ = try? ClientStatusCallback(form)
    _ = try? RecordActionRequest(form)
    _ = try? RecordingStatusCallback(form)
}

/// The validator answers for any URL and body; a signature over the URL it would sign validates, and a
/// changed one does not.
private func checkSignatures(url: String, body: [UInt8]) {
    let form = (try? FormParameters.parse(body)) ?? FormParameters()
    _ = validator.isValid(signature: nil, url: url, parameters: form)
    _ = validator.isValid(signature: "/u3nZOQ3AyPOxXLjNY9ieQx+VdY=", url: url, body: body)

    guard let (signed, hasBodySHA256) = withoutPortVariant(of: url) else {
        // Python raises for this URL: nothing may validate.
        let any = SignatureValidator.signature(token: token, url: url, parameters: form)
        check(!validator.isValid(signature: any, url: url, parameters: form), "a URL Python rejects validated")
        return
    }
    let signature = SignatureValidator.signature(token: token, url: signed, parameters: form)
    check(validator.isValid(signature: signature, url: url, parameters: form), "own signature rejected for \(url.debugDescription)")
    let extra = FormParameters.Pair(name: "X", value: "1")
    if !form.pairs.contains(extra) {  // a repeated pair is signed once, so it would not change anything
        var changed = form
        changed.pairs.append(extra)
        check(!validator.isValid(signature: signature, url: url, parameters: changed), "signature accepted an extra parameter")
    }
    if body.isEmpty && !hasBodySHA256 {
        check(validator.isValid(signature: signature, url: url, body: body), "empty raw body rejected")
    }
}

/// The string `remove_port(urlparse(url))` and whether the query has a `bodySHA256`, or nil where
/// Python raises.
private func withoutPortVariant(of url: String) -> (String, Bool)? {
    var url = url
    return url.withUTF8 { raw in
        let cleaned = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: raw.count)
        let output = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: SigningURL.capacity(forCleanedCount: raw.count))
        defer {
            cleaned.deallocate()
            output.deallocate()
        }
        let cleanedCount = SigningURL.clean(raw, into: cleaned)
        guard let signingURL = SigningURL(UnsafeBufferPointer(rebasing: cleaned[0..<cleanedCount])) else { return nil }
        let withPortCount = signingURL.write(.withPort, to: output)
        check(withPortCount <= output.count, "variant longer than its capacity")
        let withoutPort = String(decoding: output[0..<signingURL.write(.withoutPort, to: output)], as: UTF8.self)
        return (withoutPort, signingURL.bodySHA256 != nil)
    }
}

/// Like `precondition`, but the message survives `-O` (libFuzzer prints it with the crash).
private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
