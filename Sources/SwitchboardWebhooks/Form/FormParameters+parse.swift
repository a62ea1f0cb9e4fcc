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
/// Names and values without `%` or `+` become strings straight from the body's bytes (one validation
/// pass, no per-byte work beyond the scan); the others are decoded into one reused scratch buffer.
private struct FormBodyParser {
    let body: UnsafeBufferPointer<UInt8>
    var scratch: [UInt8] = []

    static func parse(_ body: UnsafeBufferPointer<UInt8>) -> Result<FormParameters, FormError> {
        var parser = FormBodyParser(body: body)
        do {
            return .success(FormParameters(try parser.pairs()))
        } catch {
            return .failure(error)
        }
    }

    mutating func pairs() throws(FormError) -> [FormParameters.Pair] {
        var pairs: [FormParameters.Pair] = []
        let count = body.count
        pairs.reserveCapacity(min(64, body.reduce(1) { $0 + ($1 == UInt8(ascii: "&") ? 1 : 0) }))
        var start = 0
        while start < count {
            var end = start
            var equals = -1
            while end < count {
                let byte = body[end]
                if byte == UInt8(ascii: "&") { break }
                if byte == UInt8(ascii: "=") && equals < 0 { equals = end }
                end += 1
            }
            if end > start {
                let nameEnd = equals < 0 ? end : equals
                let name = try decode(start..<nameEnd, pairIndex: pairs.count, part: .name)
                let value =
                    equals < 0 ? "" : try decode(equals + 1..<end, pairIndex: pairs.count, part: .value(name: name))
                pairs.append(FormParameters.Pair(name: name, value: value))
            }
            start = end + 1
        }
        return pairs
    }

    private mutating func decode(_ range: Range<Int>, pairIndex: Int, part: FormError.Part) throws(FormError) -> String {
        let raw = UnsafeBufferPointer(rebasing: body[range])
        var needsDecoding = false
        for byte in raw where byte == UInt8(ascii: "%") || byte == UInt8(ascii: "+") {
            needsDecoding = true
            break
        }
        if !needsDecoding {
            guard let string = UTF8Validation.string(raw) else {
                throw .invalidUTF8(pairIndex: pairIndex, part: part, raw: raw, offset: range.lowerBound)
            }
            return string
        }
        scratch.removeAll(keepingCapacity: true)
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            if byte == UInt8(ascii: "+") {
                scratch.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < raw.count, let high = hexValue(raw[index + 1]), let low = hexValue(raw[index + 2]) else {
                    let escape = raw[index..<min(index + 3, raw.count)]
                    throw .malformedPercentEscape(escape, pairIndex: pairIndex, part: part, raw: raw, offset: range.lowerBound + index)
                }
                scratch.append(high << 4 | low)
                index += 2
            } else {
                scratch.append(byte)
            }
            index += 1
        }
        guard let string = scratch.withUnsafeBufferPointer(UTF8Validation.string) else {
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
