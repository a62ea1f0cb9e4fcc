/// Moves a live call to new TwiML: what the agents' API needs of Twilio's REST API. Twilio's client
/// in production; recording fakes in tests that do not check the wire.
public protocol CallRedirecting: Sendable {
    /// Makes the live call `callSid` fetch its TwiML from `url` (with POST) now.
    func redirectCall(_ callSid: String, to url: String) async throws(TwilioRESTError)
}
