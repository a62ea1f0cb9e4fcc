import Foundation
import SwitchboardHTTP
import Testing

/// The strict decoding of path segments, checked against Foundation's `removingPercentEncoding`, which
/// decodes the same way (`+` kept, nil for a malformed escape) except that it repairs bytes that are not
/// UTF-8 with U+FFFD where this decoding refuses them.
@Suite struct PercentDecodingTests {
    @Test(arguments: [
        ("agent%5Fann", "agent_ann"),
        ("a+b", "a+b"),
        ("caf%C3%A9", "café"),
        ("caf%c3%a9", "café"),
        ("%F0%9F%93%9E", "📞"),
        ("%25", "%"),
        ("plain", "plain"),
        ("", ""),
    ])
    func decodesEscapesToUTF8(encoded: String, decoded: String) {
        #expect(PercentEncoding.decode(encoded[...]) == decoded)
    }

    @Test(arguments: ["%", "%4", "a%zz", "%G0", "%C3", "%FF", "%C3%28", "%ED%A0%80"])
    func refusesMalformedEscapesAndInvalidUTF8(encoded: String) {
        #expect(PercentEncoding.decode(encoded[...]) == nil)
    }

    @Test func agreesWithFoundationOnGeneratedText() {
        // Pieces that make valid and invalid escapes, multi-byte UTF-8 and its fragments.
        let pieces = ["a", "Z", "_", "+", " ", "%", "%2", "%25", "%41", "%7e", "%C3", "%A9", "%E2%82", "%AC", "%F0", "%9F", "%zz", "é", "%00"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let foundation = text.removingPercentEncoding
            if let foundation, foundation.unicodeScalars.contains("\u{FFFD}") {
                #expect(PercentEncoding.decode(text[...]) == nil, "\(text)")  // Not UTF-8: Foundation repaired it.
            } else {
                #expect(PercentEncoding.decode(text[...]) == foundation, "\(text)")
            }
        }
    }

    @Test func decodesWhatEncodeWrote() {
        for text in ["agent_ann", "jane doe", "a+b/c?d", "café 📞", "%41"] {
            #expect(PercentEncoding.decode(PercentEncoding.encode(text)[...]) == text)
        }
    }
}
