/// An `application/x-www-form-urlencoded` body that cannot be decoded.
///
/// Match on the code: `catch let error as FormError where error == .malformedPercentEscape`.
/// ``message`` names the pair (its index in ``FormParameters/pairs`` and, when it could be decoded, its
/// name), whether the name or the value is at fault, and the byte offset in the body.
public struct FormError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case malformedPercentEscape
        case invalidUTF8
    }

    private let code: Code
    /// A sentence saying what is wrong and where.
    public let message: String
    /// The index the offending pair would have had in ``FormParameters/pairs`` (counting from 0).
    public let pairIndex: Int

    private init(_ code: Code, _ message: String, pairIndex: Int) {
        self.code = code
        self.message = message
        self.pairIndex = pairIndex
    }

    /// A `%` not followed by two hexadecimal digits (`%zz`, or `%4` at the end of a pair).
    public static let malformedPercentEscape = FormError(.malformedPercentEscape, "", pairIndex: 0)
    /// A name or value whose bytes, once `+` and percent-escapes are decoded, are not valid UTF-8.
    public static let invalidUTF8 = FormError(.invalidUTF8, "", pairIndex: 0)

    /// Which half of a pair a problem is in.
    enum Part {
        case name
        case value(name: String)
    }

    static func malformedPercentEscape(
        _ escape: some Collection<UInt8>,
        pairIndex: Int,
        part: Part,
        raw: some Collection<UInt8>,
        offset: Int
    ) -> FormError {
        let text = "malformed percent-escape \(quoted(escape)) at byte \(offset) in \(describe(part, raw: raw, pairIndex: pairIndex))"
        return FormError(.malformedPercentEscape, text, pairIndex: pairIndex)
    }

    static func invalidUTF8(pairIndex: Int, part: Part, raw: some Collection<UInt8>, offset: Int) -> FormError {
        let text = "\(describe(part, raw: raw, pairIndex: pairIndex)) (starting at byte \(offset)) is not valid UTF-8 once decoded"
        return FormError(.invalidUTF8, text, pairIndex: pairIndex)
    }

    private static func describe(_ part: Part, raw: some Collection<UInt8>, pairIndex: Int) -> String {
        switch part {
        case .name:
            "the name \(quoted(raw)) of pair \(pairIndex)"
        case .value(let name):
            "the value of pair \(pairIndex) (name \(quoted(name.utf8)))"
        }
    }

    /// The bytes in quotes, undecoded, cut at 60 bytes; bytes that are not printable ASCII appear as `\xNN`.
    private static func quoted(_ bytes: some Collection<UInt8>) -> String {
        var text = "\""
        for byte in bytes.prefix(60) {
            if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                text += "\\x" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return text + (bytes.count > 60 ? "…\"" : "\"")
    }

    public var description: String { message }

    public static func == (lhs: FormError, rhs: FormError) -> Bool { lhs.code == rhs.code }
}
