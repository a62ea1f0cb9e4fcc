/// What the agents' API needs of Twilio's REST API: to look up a call, and to move a live call to new
/// TwiML. Twilio's client in production; recording fakes in tests that do not check the wire.
public protocol TwilioCallControl: Sendable {
    /// The call `callSid` as Twilio has it now: who it is from and to, and its status.
    func fetchCall(_ callSid: String) async throws(TwilioRESTError) -> TwilioCall

    /// Makes the live call `callSid` fetch its TwiML from `url` (with POST) now.
    func redirectCall(_ callSid: String, to url: String) async throws(TwilioRESTError)
}
