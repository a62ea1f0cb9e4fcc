import Testing

@testable import SwitchboardWebhooks

/// `SigningURL` against twilio-python's own `remove_port(urlparse(url))` and `add_port(urlparse(url))`
/// (`Fixtures/signatures/urls.json`: hand-picked shapes plus seeded random ones).
@Suite struct SigningURLTests {
    /// The two variants, or nil where Python raises.
    private func variants(_ url: String) -> (withoutPort: String, withPort: String)? {
        var url = url
        return url.withUTF8 { raw in
            let capacity = SigningURL.capacity(forCleanedCount: raw.count)
            let cleaned = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: raw.count)
            let output = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
            defer {
                cleaned.deallocate()
                output.deallocate()
            }
            let count = SigningURL.clean(raw, into: cleaned)
            guard let signingURL = SigningURL(UnsafeBufferPointer(rebasing: cleaned[0..<count])) else { return nil }
            let withoutPort = String(decoding: output[0..<signingURL.write(.withoutPort, to: output)], as: UTF8.self)
            let withPort = String(decoding: output[0..<signingURL.write(.withPort, to: output)], as: UTF8.self)
            return (withoutPort, withPort)
        }
    }

    @Test func variantsAgreeWithTwilioPython() throws {
        let cases = try WebhookFixtures.urlCases()
        #expect(cases.count >= 400)
        #expect(cases.contains { $0.raises != nil })
        for urlCase in cases {
            let actual = variants(urlCase.url)
            if let raises = urlCase.raises {
                #expect(actual == nil, "\(urlCase.url.debugDescription): python raises \(raises)")
            } else {
                #expect(actual?.withoutPort == urlCase.withoutPort, "\(urlCase.url.debugDescription) without port")
                #expect(actual?.withPort == urlCase.withPort, "\(urlCase.url.debugDescription) with port")
            }
        }
    }

    @Test func typicalURLsByHand() {
        #expect(variants("https://h/x")! == ("https://h/x", "https://h:443/x"))
        #expect(variants("http://h:8080/x?q")! == ("http://h/x?q", "http://h:8080/x?q"))
        #expect(variants("https://h:99999/x") == nil)
    }
}
