/// Percent-encoding for URLs and form bodies: RFC 3986's unreserved bytes (letters, digits, `-._~`)
/// stay as they are, and so do the extra bytes a caller allows; every other byte of the UTF-8 text
/// becomes `%XX`, with a space as `+` in form bodies. And its strict decoding, for path segments.
public enum PercentEncoding {
    /// `text` percent-encoded, keeping the unreserved bytes and those in `allowed`; a space becomes
    /// `+` when `spaceAsPlus` (form bodies), else `%20`.
    public static func encode(_ text: String, allowing allowed: Set<UInt8> = [], spaceAsPlus: Bool = false) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || allowed.contains(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else if byte == UInt8(ascii: " ") && spaceAsPlus {
                result.unicodeScalars.append("+")
            } else {
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(hexDigits[Int(byte >> 4)])
                result.unicodeScalars.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return result
    }

    /// `name=value&…` as `application/x-www-form-urlencoded`.
    public static func form(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(encode($0.0, spaceAsPlus: true))=\(encode($0.1, spaceAsPlus: true))" }.joined(separator: "&")
    }

    /// `text` with every `%XX` replaced by the byte it stands for, read as UTF-8: a path segment's
    /// decoding, so `+` stays `+` (only form bodies make it a space). Nil when a `%` is not followed by
    /// two hexadecimal digits, or the bytes are not valid UTF-8: a caller answers such input with a clear
    /// error, never with a guess.
    public static func decode(_ text: Substring) -> String? {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The value of one hexadecimal digit, either case; nil for any other byte.
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".unicodeScalars)
}
