/// Byte-level rules of XML 1.0 and of the escaping CPython's ElementTree applies (what twilio-python emits).
enum XMLCharacters {
    /// Where an escaped string goes: element text escapes `& < >`; attribute values also escape `"`,
    /// tab, newline and carriage return.
    enum Context {
        case text
        case attribute
    }

    /// The first character in `string` that XML 1.0 forbids, as a Unicode scalar value, or nil.
    static func firstForbiddenScalar(in string: String) -> UInt32? {
        var utf8 = string.utf8
        if let found = utf8.withContiguousStorageIfAvailable({ firstForbidden(in: $0) }) {
            return found
        }
        var copy = string
        copy.makeContiguousUTF8()
        utf8 = copy.utf8
        return utf8.withContiguousStorageIfAvailable { firstForbidden(in: $0) } ?? nil
    }

    private static func firstForbidden(in bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x20 {
                if byte != 0x09 && byte != 0x0A && byte != 0x0D { return UInt32(byte) }
            } else if byte == 0xEF && index + 2 < count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE {
                // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
                return 0xFFFE + UInt32(bytes[index + 2] - 0xBE)
            }
            index += 1
        }
        return nil
    }

    /// Whether a byte needs an entity in the given context.
    @inline(__always)
    static func needsEscape(_ byte: UInt8, _ context: Context) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"): return true
        case UInt8(ascii: "\""), 0x09, 0x0A, 0x0D: return context == .attribute
        default: return false
        }
    }

    /// Appends `bytes` to `output`, escaped for `context`. Returns the first forbidden scalar instead of
    /// writing it, leaving `output` partly written (the caller discards the document).
    @inline(__always)
    static func appendEscaped(
        _ bytes: UnsafeBufferPointer<UInt8>,
        to output: inout ByteBuffer,
        context: Context
    ) -> UInt32? {
        if isPlain(bytes) {
            output.append(bytes)
            return nil
        }
        var runStart = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte >= 0x3F && byte != 0xEF {
                index += 1
                continue
            }
            if needsEscape(byte, context) {
                output.append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                output.append(entity(for: byte))
                index += 1
                runStart = index
                continue
            }
            if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
                return UInt32(byte)
            }
            if byte == 0xEF && index + 2 < count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE {
                return 0xFFFE + UInt32(bytes[index + 2] - 0xBE)
            }
            index += 1
        }
        output.append(UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
        return nil
    }

    /// Whether `bytes` has no byte that could need an entity or be forbidden in either context: none below
    /// 0x20, no `"`, `&`, `<`, `>`, and no 0xEF (the lead byte of U+FFFE and U+FFFF). Most text and URLs
    /// pass, and are then appended in one copy. Tests eight bytes at a time with the classic bit tricks,
    /// each exact for "some byte matches": `(x - 0x01…) & ~x & 0x80…` is nonzero iff a byte of `x` is zero,
    /// and `(x - n…) & ~x & 0x80…` iff a byte is below `n` (for `n` up to 0x80).
    @inline(__always)
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        if count >= 8 {
            var found: UInt64 = 0
            var offset = 0
            while offset + 8 <= count {
                found |= specialBytes(in: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                offset += 8
            }
            // The last partial word is tested as the final eight bytes, overlapping bytes already tested.
            if offset < count {
                found |= specialBytes(in: raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
            }
            return found == 0
        }
        if count >= 4 {
            // Two overlapping halves make one word.
            let low = UInt64(raw.loadUnaligned(as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            return specialBytes(in: low | high << 32) == 0
        }
        // One to three bytes, padded with `a` (plain) to a whole word.
        var word: UInt64 = 0x6161_6161_6161_6161
        for index in 0..<count {
            word = word << 8 | UInt64(base[index])
        }
        let found = specialBytes(in: word)
        return found == 0
    }

    /// Nonzero when some byte of `word` is below 0x20 or one of `"`, `&`, `<`, `>`, 0xEF.
    @inline(__always)
    private static func specialBytes(in word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let below20 = (word &- ones &* 0x20) & ~word & highs
        return below20 | hasZero(word ^ (ones &* 0x22)) | hasZero(word ^ (ones &* 0x26))
            | hasZero(word ^ (ones &* 0x3C)) | hasZero(word ^ (ones &* 0x3E)) | hasZero(word ^ (ones &* 0xEF))
    }

    private static func entity(for byte: UInt8) -> StaticString {
        switch byte {
        case UInt8(ascii: "&"): return "&amp;"
        case UInt8(ascii: "<"): return "&lt;"
        case UInt8(ascii: ">"): return "&gt;"
        case UInt8(ascii: "\""): return "&quot;"
        case 0x09: return "&#09;"
        case 0x0A: return "&#10;"
        default: return "&#13;"
        }
    }
}
