/// Derives the Voice SDK identity of a user's agent from the user id (`sub`), deterministically, so
/// the same user always rings the same client and two users never share one.
///
/// A Voice SDK identity here is 1 to 256 ASCII letters, digits and underscores. A UUID user id (what
/// Supabase issues) becomes `agent_` and its 32 lowercase hex digits: `agent_0b7d…`. Any other id
/// becomes `agent_u_` followed by the id with each byte other than an ASCII letter or digit written
/// as `_` and two lowercase hex digits (`_` itself is `_5f`), which no UUID form can produce and no
/// two ids share.
public enum AgentIdentity {
    /// The identity for `userID`, or nil when the id is empty or the identity would pass 256
    /// characters.
    public static func derive(fromUserID userID: String) -> String? {
        guard !userID.isEmpty else { return nil }
        if let hex = uuidHex(userID) { return "agent_" + hex }
        var identity = "agent_u_"
        for byte in userID.utf8 {
            if isLetterOrDigit(byte) {
                identity.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                identity += "_" + hexByte(byte)
            }
        }
        return identity.utf8.count <= 256 ? identity : nil
    }

    /// The 32 lowercase hex digits of a UUID written in its 8-4-4-4-12 form, else nil.
    static func uuidHex(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return nil }
        var hex = ""
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let digit = lowercaseHexDigit(byte) else { return nil }
            hex.unicodeScalars.append(Unicode.Scalar(digit))
        }
        return hex
    }

    private static func lowercaseHexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): return byte
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte + 32
        default: return nil
        }
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef".unicodeScalars)
        return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0f)])
    }
}
