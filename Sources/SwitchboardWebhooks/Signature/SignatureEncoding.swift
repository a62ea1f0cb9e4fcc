/// Base64 and hex for signatures, with comparisons that take the same time wherever the bytes differ.
enum SignatureEncoding {
    private static let base64Alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    private static let hexAlphabet: StaticString = "0123456789abcdef"

    /// The length of standard padded Base64 for `count` bytes.
    static func base64Count(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    /// Standard Base64 with `=` padding (Python's `base64.b64encode`).
    static func base64(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: base64Count(bytes.count)) { output in
            var index = 0
            forEachBase64Byte(of: bytes) { character in
                output[index] = character
                index += 1
            }
            return index
        }
    }

    /// Whether `header` is exactly the padded Base64 of `digest`. Once the lengths agree, every byte is
    /// compared whatever the outcome (no early exit).
    static func base64Matches(_ digest: UnsafeRawBufferPointer, header: UnsafeBufferPointer<UInt8>) -> Bool {
        guard header.count == base64Count(digest.count) else { return false }
        var difference: UInt8 = 0
        var index = 0
        forEachBase64Byte(of: digest) { character in
            difference |= character ^ header[index]
            index += 1
        }
        return difference == 0
    }

    /// Whether `text` is exactly the lower-case hex of `digest` (Python's `hexdigest()`), comparing every
    /// byte once the lengths agree.
    static func hexMatches(_ digest: UnsafeRawBufferPointer, text: some Collection<UInt8>) -> Bool {
        guard text.count == digest.count * 2 else { return false }
        var difference: UInt8 = 0
        var expected = text.makeIterator()
        for byte in digest {
            difference |= hexAlphabet.utf8Start[Int(byte >> 4)] ^ expected.next()!
            difference |= hexAlphabet.utf8Start[Int(byte & 0x0F)] ^ expected.next()!
        }
        return difference == 0
    }

    @inline(__always)
    private static func forEachBase64Byte(of bytes: UnsafeRawBufferPointer, _ body: (UInt8) -> Void) {
        let alphabet = base64Alphabet.utf8Start
        var index = 0
        while index + 3 <= bytes.count {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            body(alphabet[Int(group >> 18 & 0x3F)])
            body(alphabet[Int(group >> 12 & 0x3F)])
            body(alphabet[Int(group >> 6 & 0x3F)])
            body(alphabet[Int(group & 0x3F)])
            index += 3
        }
        let remaining = bytes.count - index
        if remaining > 0 {
            let group = UInt32(bytes[index]) << 16 | (remaining == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            body(alphabet[Int(group >> 18 & 0x3F)])
            body(alphabet[Int(group >> 12 & 0x3F)])
            body(remaining == 2 ? alphabet[Int(group >> 6 & 0x3F)] : UInt8(ascii: "="))
            body(UInt8(ascii: "="))
        }
    }
}
