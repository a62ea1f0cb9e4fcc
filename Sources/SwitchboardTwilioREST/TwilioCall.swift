/// A call as Twilio's REST API describes it (`GET …/Calls/{CallSid}.json`): the fields the agents'
/// API checks before it moves a call it was only told the SID of.
public struct TwilioCall: Decodable, Equatable, Sendable {
    /// The call's SID.
    public var sid: String
    /// Who made the call: an E.164 number, or `client:<identity>` for a Voice SDK client.
    public var from: String
    /// Who received it, in the same form.
    public var to: String
    /// `queued`, `ringing`, `in-progress`, `canceled`, `completed`, `failed`, `busy` or `no-answer`.
    public var status: String

    /// Creates a call.
    public init(sid: String, from: String, to: String, status: String) {
        self.sid = sid
        self.from = from
        self.to = to
        self.status = status
    }

    /// Whether the call is still on: Twilio redirects only such calls.
    public var isLive: Bool { status == "queued" || status == "ringing" || status == "in-progress" }

    /// Whether the Voice SDK client `identity` is one end of the call: it placed the call (`From`), or
    /// the call rang it (`To`).
    public func isLeg(of identity: String) -> Bool {
        let client = "client:" + identity
        return from == client || to == client
    }
}
