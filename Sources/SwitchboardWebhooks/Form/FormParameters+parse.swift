extension FormParameters {
    /// Parses an `application/x-www-form-urlencoded` body, keeping every pair in order.
    ///
    /// The rules are those of Python's `urllib.parse.parse_qsl(body, keep_blank_values=True)` (what
    /// twilio-python's users feed the validator) and of WHATWG `URLSearchParams`:
    /// - pairs are separated by `&` only; empty pieces (`a=1&&b=2`, a trailing `&`) are skipped;
    /// - a pair splits at its first `=`; `a=` gives value `""`, and `a` without `=` gives name `a`, value `""`;
    /// - in names and values, `+` is a space and `%XX` is the byte `XX`; the bytes must then be UTF-8.
    ///
    /// Unlike Python, which keeps a malformed escape as literal text and replaces invalid UTF-8 with
    /// U+FFFD, this throws: Twilio never sends either, and a silent guess would change what is signed.
    ///
    /// - Throws: ``FormError/malformedPercentEscape`` for a `%` not followed by two hex digits (`%zz`,
    ///   `%4` at the end of a pair); ``FormError/invalidUTF8`` when decoded bytes are not UTF-8.
    public static func parse(_ bytes: some Collection<UInt8>) throws(FormError) -> FormParameters {
        let result = bytes.withContiguousStorageIfAvailable { FormBodyParser.parse($0) }
        if let result {
            return try result.get()
        }
        return try Array(bytes).withUnsafeBufferPointer { FormBodyParser.parse($0) }.get()
    }

    /// Parses a form-encoded string (its UTF-8 bytes); see ``parse(_:)-(Collection<UInt8>)``.
    public static func parse(_ string: String) throws(FormError) -> FormParameters {
        var string = string
        return try string.withUTF8 { FormBodyParser.parse($0) }.get()
    }
}

/// The byte-level parser behind ``FormParameters/parse(_:)``.
///
/// One pass over the body finds the pairs and notes, for each name and value, whether it holds `%` or
/// `+` and whether it holds bytes past ASCII. Plain ASCII (most of what Twilio sends) becomes a string
/// straight from the body's bytes; text past ASCII is validated first; escaped text is decoded into one
/// scratch buffer the size of the body, allocated once per body.
private struct FormBodyParser {
    let body: UnsafeBufferPointer<UInt8>
    let scratch: UnsafeMutableBufferPointer<UInt8>

    /// What a name or value holds, as bits.
    private static let escaped: UInt8 = 1
    private static let pastASCII: UInt8 = 2

    static func parse(_ body: UnsafeBufferPointer<UInt8>) -> Result<FormParameters, FormError> {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(body.count, 1)) { scratch in
            var parser = FormBodyParser(body: body, scratch: scratch)
            do throws(FormError) {
                return .success(FormParameters(try parser.pairs()))
            } catch {
                return .failure(error)
            }
        }
    }

    mutating func pairs() throws(FormError) -> [FormParameters.Pair] {
        var pairs: [FormParameters.Pair] = []
        pairs.reserveCapacity(min(64, body.count / 8 + 1))
        let count = body.count
        var start = 0
        var equals = -1
        var nameFlags: UInt8 = 0
        var flags: UInt8 = 0
        var index = 0
        while true {
            let byte = index < count ? body[index] : UInt8(ascii: "&")
            if byte == UInt8(ascii: "&") {
                if index > start {
                    let nameEnd = equals < 0 ? index : equals
                    let name = try string(start..<nameEnd, equals < 0 ? flags : nameFlags, pairIndex: pairs.count, part: .name)
                    let value =
                        equals < 0
                        ? "" : try string(equals + 1..<index, flags, pairIndex: pairs.count, part: .value(name: name))
                    pairs.append(FormParameters.Pair(name: name, value: value))
                }
                guard index < count else { return pairs }
                start = index + 1
                equals = -1
                flags = 0
            } else if byte == UInt8(ascii: "=") {
                if equals < 0 {
                    equals = index
                    nameFlags = flags
                    flags = 0
                }
            } else if byte == UInt8(ascii: "%") || byte == UInt8(ascii: "+") {
                flags |= Self.escaped
            } else if byte >= 0x80 {
                flags |= Self.pastASCII
            }
            index += 1
        }
    }

    /// The text of `range`, decoded as `flags` says it must be.
    private func string(_ range: Range<Int>, _ flags: UInt8, pairIndex: Int, part: FormError.Part) throws(FormError) -> String {
        let raw = UnsafeBufferPointer(rebasing: body[range])
        if flags == 0 { return String(decoding: raw, as: UTF8.self) }
        if flags & Self.escaped == 0 {
            guard let string = UTF8Validation.string(raw) else {
                throw .invalidUTF8(pairIndex: pairIndex, part: part, raw: raw, offset: range.lowerBound)
            }
            return string
        }
        var written = 0
        var decodedPastASCII = false
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            if byte == UInt8(ascii: "+") {
                scratch[written] = UInt8(ascii: " ")
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < raw.count, let high = hexValue(raw[index + 1]), let low = hexValue(raw[index + 2]) else {
                    let escape = raw[index..<min(index + 3, raw.count)]
                    throw .malformedPercentEscape(escape, pairIndex: pairIndex, part: part, raw: raw, offset: range.lowerBound + index)
                }
                let decoded = high << 4 | low
                decodedPastASCII = decodedPastASCII || decoded >= 0x80
                scratch[written] = decoded
                index += 2
            } else {
                scratch[written] = byte
            }
            written += 1
            index += 1
        }
        let decoded = UnsafeBufferPointer(rebasing: scratch[0..<written])
        if !decodedPastASCII && flags & Self.pastASCII == 0 { return String(decoding: decoded, as: UTF8.self) }
        guard let string = UTF8Validation.string(decoded) else {
            throw .invalidUTF8(pairIndex: pairIndex, part: part, raw: raw, offset: range.lowerBound)
        }
        return string
    }

    @inline(__always)
    private func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }
}
