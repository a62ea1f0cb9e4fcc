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
