import SwitchboardHTTP

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
    /// The `<Client url>` of a park's ring-back: the parker answered, and is put back on the call.
    case recall = "/twilio/recall"

    /// The path with a query of already-safe names and values, percent-encoded.
    func path(query: [(String, String)]) -> String {
        guard !query.isEmpty else { return rawValue }
        return rawValue + "?" + query.map { "\($0.0)=\(PercentEncoding.encode($0.1))" }.joined(separator: "&")
    }
}
