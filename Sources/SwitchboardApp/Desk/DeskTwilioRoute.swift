/// The Twilio routes the agents' API adds: signed POSTs like the voice routes, answering TwiML.
enum DeskTwilioRoute: String, Sendable, CaseIterable {
    /// Where a declined call is redirected: the voicemail prompt and recording.
    case voicemail = "/twilio/desk-voicemail"
    /// Where a parked call is redirected: `<Enqueue>` into its park slot.
    case park = "/twilio/park"
    /// The `<Enqueue waitUrl>`: hold music, and `<Leave>` once the park times out.
    case parkWait = "/twilio/park-wait"
    /// The `<Enqueue action>`: the caller left the slot (retrieved, hung up, timed out, failed).
    case parkStatus = "/twilio/park-status"
    /// The retrieving agent's TwiML: `<Dial><Queue>` of the parked call's slot.
    case retrieve = "/twilio/retrieve"

    /// The path with a query of already-safe names and values, percent-encoded.
    func path(query: [(String, String)]) -> String {
        guard !query.isEmpty else { return rawValue }
        return rawValue + "?" + query.map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
    }

    private static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF".unicodeScalars)
                out += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0f)])
            }
        }
        return out
    }
}
