/// Percent-encoding for URLs and form bodies: RFC 3986's unreserved bytes (letters, digits, `-._~`)
/// stay as they are, and so do the extra bytes a caller allows; every other byte of the UTF-8 text
/// becomes `%XX`, with a space as `+` in form bodies.
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
