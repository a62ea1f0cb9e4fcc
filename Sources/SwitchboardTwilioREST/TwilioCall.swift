/// A call as Twilio's REST API describes it (`GET …/Calls/{CallSid}.json`): the fields the agents'
/// API checks before it moves a call it was only told the SID of.
public struct TwilioCall: Decodable, Equatable, Sendable {
    /// The call's SID.
    public var sid: String
    /// Who made the call: an E.164 number, or `client:<identity>` for a Voice SDK client (empty when
    /// Twilio gives none).
    public var from: String
    /// Who received it, in the same form (empty when Twilio gives none).
    public var to: String
    /// `queued`, `ringing`, `in-progress`, `canceled`, `completed`, `failed`, `busy` or `no-answer`.
    public var status: String
    /// `inbound` (it reached Twilio: a phone's call, or a Voice SDK client's connect), `outbound-api` or
    /// `outbound-dial` (Twilio placed it); empty when Twilio gives none.
    public var direction: String

    /// Creates a call.
    public init(sid: String, from: String, to: String, status: String, direction: String = "inbound") {
        self.sid = sid
        self.from = from
        self.to = to
        self.status = status
        self.direction = direction
    }

    private enum CodingKeys: String, CodingKey {
        case sid, from, to, status, direction
    }

    /// Decodes Twilio's JSON, where `from`, `to` and `direction` may be null.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sid = try container.decode(String.self, forKey: .sid)
        from = try container.decodeIfPresent(String.self, forKey: .from) ?? ""
        to = try container.decodeIfPresent(String.self, forKey: .to) ?? ""
        status = try container.decode(String.self, forKey: .status)
        direction = try container.decodeIfPresent(String.self, forKey: .direction) ?? ""
    }

    /// Whether the call is still on: Twilio redirects only such calls.
    public var isLive: Bool { status == "queued" || status == "ringing" || status == "in-progress" }

    /// Whether the Voice SDK client `identity` is this call's agent (``isLeg(from:to:direction:of:)``).
    public func isLeg(of identity: String) -> Bool {
        Self.isLeg(from: from, to: to, direction: direction, of: identity)
    }

    /// Whether a call with these ends is a leg of the Voice SDK client `identity`, judged by the end
    /// Twilio vouches for: a call Twilio placed (`outbound-…`) by its `To`, which Twilio set; any other
    /// (`inbound`, or no direction given) by its `From`, Twilio's name for whoever placed it. Never by a
    /// client's own `To`: a Voice SDK client chooses the `To` of the calls it makes, so `To` of an
    /// inbound call proves nothing.
    public static func isLeg(from: String?, to: String?, direction: String?, of identity: String) -> Bool {
        let client = "client:" + identity
        if direction?.hasPrefix("outbound") == true { return to == client }
        return from == client
    }
}
