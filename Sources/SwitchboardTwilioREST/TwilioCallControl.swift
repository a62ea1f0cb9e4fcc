/// What the agents' API needs of Twilio's REST API: to look up a call, to move a live call to new
/// TwiML, and to delete a park slot's queue once its caller has left. Twilio's client in production; recording fakes in tests that do not check the wire.
public protocol TwilioCallControl: Sendable {
    /// The call `callSid` as Twilio has it now: who it is from and to, and its status.
    func fetchCall(_ callSid: String) async throws(TwilioRESTError) -> TwilioCall

    /// Makes the live call `callSid` fetch its TwiML from `url` (with POST) now.
    func redirectCall(_ callSid: String, to url: String) async throws(TwilioRESTError)

    /// Deletes the call queue `queueSid`. Twilio deletes only an empty queue: one that still holds a
    /// call is refused (an error), so a queue a caller has just entered again is never taken from it.
    func deleteQueue(_ queueSid: String) async throws(TwilioRESTError)
}
