extension FormParameters {
    /// The pairs form-encoded, in order, as Python's `urllib.parse.urlencode(pairs)` writes them.
    ///
    /// `A–Z a–z 0–9 _ . - ~` stay as they are, a space becomes `+`, and every other byte of the UTF-8
    /// becomes `%XX` with upper-case hex. ``parse(_:)`` gives back the same pairs.
    public func encoded() -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(pairs.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 2 } * 2)
        for (index, pair) in pairs.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: "&")) }
            Self.appendEncoded(pair.name, to: &bytes)
            bytes.append(UInt8(ascii: "="))
            Self.appendEncoded(pair.value, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendEncoded(_ string: String, to bytes: inout [UInt8]) {
        let hexDigits: StaticString = "0123456789ABCDEF"
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"),
                UInt8(ascii: "~"):
                bytes.append(byte)
            case UInt8(ascii: " "):
                bytes.append(UInt8(ascii: "+"))
            default:
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hexDigits.utf8Start[Int(byte >> 4)])
                bytes.append(hexDigits.utf8Start[Int(byte & 0x0F)])
            }
        }
    }
}
