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
/// `+` and whether it holds bytes past ASCII. Each name and value is then written, decoded, straight
/// into the parameters' storage, allocated once at the body's size (decoding never lengthens text):
/// plain ASCII (most of what Twilio sends) is copied, text past ASCII is validated as UTF-8, escapes are
/// decoded in place. No string is made here.
private struct FormBodyParser {
    let body: UnsafeBufferPointer<UInt8>
    /// The parameters' storage; `written` bytes of it are initialized.
    let output: UnsafeMutableBufferPointer<UInt8>
    var written = 0
    var fields: [FormParameters.Field] = []

    /// What a name or value holds, as bits.
    private static let escaped: UInt8 = 1
    private static let pastASCII: UInt8 = 2
    /// The bytes below 64 that mean something in a form (`%`, `&`, `+`, `=`), as bits of a mask.
    private static let specials: UInt64 =
        1 << UInt64(UInt8(ascii: "%")) | 1 << UInt64(UInt8(ascii: "&")) | 1 << UInt64(UInt8(ascii: "+"))
        | 1 << UInt64(UInt8(ascii: "="))

    /// Which text of a pair is being decoded, for errors: a value's error names its pair's name.
    private enum Piece {
        case name
        case value(name: Range<Int>)
    }

    static func parse(_ body: UnsafeBufferPointer<UInt8>) -> Result<FormParameters, FormError> {
        var fields: [FormParameters.Field] = []
        var failure: FormError?
        let storage = [UInt8](unsafeUninitializedCapacity: body.count) { output, count in
            var parser = FormBodyParser(body: body, output: output)
            do throws(FormError) {
                try parser.run()
            } catch {
                failure = error
            }
            fields = parser.fields
            count = parser.written
        }
        if let failure { return .failure(failure) }
        return .success(FormParameters(storage: storage, fields: fields))
    }

    mutating func run() throws(FormError) {
        fields.reserveCapacity(min(64, body.count / 8 + 1))
        let count = body.count
        var start = 0
        var equals = -1
        var nameFlags: UInt8 = 0
        var flags: UInt8 = 0
        var index = 0
        while true {
            let byte = index < count ? body[index] : UInt8(ascii: "&")
            // Most bytes are plain text: one or two comparisons let them through.
            if byte < 0x80, byte >= 64 || Self.specials & (1 << UInt64(byte)) == 0 {
                index += 1
                continue
            }
            if byte == UInt8(ascii: "&") {
                if index > start {
                    let nameEnd = equals < 0 ? index : equals
                    let fieldStart = written
                    let nameCount = try decode(start..<nameEnd, equals < 0 ? flags : nameFlags, piece: .name)
                    let valueCount =
                        equals < 0
                        ? 0 : try decode(equals + 1..<index, flags, piece: .value(name: fieldStart..<fieldStart + nameCount))
                    fields.append(FormParameters.Field(start: fieldStart, nameCount: nameCount, valueCount: valueCount))
                }
                guard index < count else { return }
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

    /// Writes the text of `range`, decoded as `flags` says it must be, after what is written; answers
    /// how many bytes it wrote.
    private mutating func decode(_ range: Range<Int>, _ flags: UInt8, piece: Piece) throws(FormError) -> Int {
        let raw = UnsafeBufferPointer(rebasing: body[range])
        let start = written
        if flags & Self.escaped == 0 {
            if flags & Self.pastASCII != 0, !UTF8Validation.isValid(raw) {
                throw .invalidUTF8(pairIndex: fields.count, part: part(piece), raw: raw, offset: range.lowerBound)
            }
            if let source = raw.baseAddress, !raw.isEmpty {
                (output.baseAddress! + start).initialize(from: source, count: raw.count)
            }
            written += raw.count
            return raw.count
        }
        var decodedPastASCII = false
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            if byte == UInt8(ascii: "+") {
                output[written] = UInt8(ascii: " ")
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < raw.count, let high = hexValue(raw[index + 1]), let low = hexValue(raw[index + 2]) else {
                    let escape = raw[index..<min(index + 3, raw.count)]
                    throw .malformedPercentEscape(escape, pairIndex: fields.count, part: part(piece), raw: raw, offset: range.lowerBound + index)
                }
                let decoded = high << 4 | low
                decodedPastASCII = decodedPastASCII || decoded >= 0x80
                output[written] = decoded
                index += 2
            } else {
                output[written] = byte
            }
            written += 1
            index += 1
        }
        if decodedPastASCII || flags & Self.pastASCII != 0,
            !UTF8Validation.isValid(UnsafeBufferPointer(rebasing: output[start..<written]))
        {
            throw .invalidUTF8(pairIndex: fields.count, part: part(piece), raw: raw, offset: range.lowerBound)
        }
        return written - start
    }

    /// The error's description of `piece`; a value's carries its pair's name, decoded before it.
    private func part(_ piece: Piece) -> FormError.Part {
        switch piece {
        case .name: .name
        case .value(let name): .value(name: String(decoding: UnsafeBufferPointer(rebasing: output[name]), as: UTF8.self))
        }
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
