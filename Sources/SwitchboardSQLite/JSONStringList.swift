/// Writes a list of strings as a JSON array, the form the `calls.agents_rung` column keeps.
///
/// The voice route records a ringing call for every inbound call, and Foundation's `JSONEncoder` cost
/// more there than the SQL insert it feeds. This writes the same JSON (RFC 8259: quotes, backslashes
/// and control characters escaped, everything else as UTF-8), which `JSONDecoder` reads back.
enum JSONStringList {
    /// `strings` as a JSON array of strings.
    static func encode(_ strings: [String]) -> String {
        plain(strings) ?? escaped(strings)
    }

    /// The array when no string needs an escape (identities never do), written in one pass into the
    /// result's own storage; nil when one does.
    private static func plain(_ strings: [String]) -> String? {
        var length = strings.isEmpty ? 2 : 1 + strings.count * 3
        for var string in strings {
            let clean = string.withUTF8 { bytes in
                bytes.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
            }
            guard clean else { return nil }
            length += string.utf8.count
        }
        return String(unsafeUninitializedCapacity: length) { buffer in
            var index = 0
            func put(_ byte: UInt8) {
                buffer[index] = byte
                index += 1
            }
            put(UInt8(ascii: "["))
            for (position, var string) in strings.enumerated() {
                if position > 0 { put(UInt8(ascii: ",")) }
                put(UInt8(ascii: "\""))
                string.withUTF8 { bytes in
                    for byte in bytes { put(byte) }
                }
                put(UInt8(ascii: "\""))
            }
            put(UInt8(ascii: "]"))
            return index
        }
    }

    /// The array with every quote, backslash and control character escaped.
    private static func escaped(_ strings: [String]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        bytes.reserveCapacity(2 + strings.reduce(0) { $0 + $1.utf8.count + 3 })
        for (index, string) in strings.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            for byte in string.utf8 {
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0x00..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: Array("\\u00".utf8))
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 0x0F)])
                default: bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "]"))
        // Valid UTF-8: the input's own bytes and ASCII escapes.
        return String(decoding: bytes, as: UTF8.self)
    }
}
