extension SigningURL {
    /// The first non-empty `bodySHA256` value of the query, decoded, as twilio-python finds it with
    /// `parse_qs(query)["bodySHA256"][0]`; nil when there is none.
    ///
    /// `parse_qs` skips pieces without `=` or with an empty value, and decodes leniently: `+` is a space,
    /// a malformed `%` escape stays as it is. Invalid UTF-8 (which Python turns into U+FFFD) cannot equal
    /// the ASCII name or a hex digest either way, so the bytes are compared as they are.
    var bodySHA256: [UInt8]? {
        let query = bytesOfQuery
        var start = query.startIndex
        while start < query.endIndex {
            let end = query[start...].firstIndex(of: UInt8(ascii: "&")) ?? query.endIndex
            let piece = query[start..<end]
            start = end + 1
            guard let equals = piece.firstIndex(of: UInt8(ascii: "=")), equals + 1 < piece.endIndex else { continue }
            guard Self.leniently(piece[..<equals]).elementsEqual("bodySHA256".utf8) else { continue }
            return Self.leniently(piece[(equals + 1)...])
        }
        return nil
    }

    /// `unquote(text.replace("+", " "))` on bytes, keeping malformed escapes.
    private static func leniently(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> [UInt8] {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: "+") {
                decoded.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < text.endIndex, let high = hexValue(text[index + 1]), let low = hexValue(text[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 2
            } else {
                decoded.append(byte)
            }
            index += 1
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
