/// A call-progress event of one `<Client>` leg, sent to `<Client statusCallback>`.
///
/// Events arrive as separate requests and their order is not guaranteed; ``sequenceNumber`` orders them.
/// Required: `CallSid`, `ParentCallSid`, `CallStatus`, `To`.
public struct ClientStatusCallback: Equatable, Sendable {
    /// `CallSid`: the child leg ringing the client.
    public var callSid: String
    /// `ParentCallSid`: the caller's call, whose `<Dial>` created this leg.
    public var parentCallSid: String
    /// `CallStatus`: the leg's state at this event.
    public var callStatus: CallStatus
    /// `To`: the client, as `client:<identity>`.
    public var to: String
    /// `AccountSid`, when sent.
    public var accountSid: String?
    /// `From`, when sent.
    public var from: String?
    /// `CallDuration`, in seconds, on the `completed` event.
    public var callDuration: Int?
    /// `Timestamp`: when the event happened, RFC 2822 in UTC as Twilio sends it
    /// (`Fri, 20 Aug 2010 01:13:42 +0000`).
    public var timestamp: String?
    /// `SequenceNumber`: the event's position among this leg's events, from 0.
    public var sequenceNumber: Int?
    /// `CallbackSource`, `call-progress-events` for these callbacks.
    public var callbackSource: String?

    /// Creates a callback from its fields.
    public init(
        callSid: String,
        parentCallSid: String,
        callStatus: CallStatus,
        to: String,
        accountSid: String? = nil,
        from: String? = nil,
        callDuration: Int? = nil,
        timestamp: String? = nil,
        sequenceNumber: Int? = nil,
        callbackSource: String? = nil
    ) {
        self.callSid = callSid
        self.parentCallSid = parentCallSid
        self.callStatus = callStatus
        self.to = to
        self.accountSid = accountSid
        self.from = from
        self.callDuration = callDuration
        self.timestamp = timestamp
        self.sequenceNumber = sequenceNumber
        self.callbackSource = callbackSource
    }

    /// Reads a `<Client statusCallback>` request.
    ///
    /// - Throws: ``WebhookError/missingParameter`` naming a missing required parameter;
    ///   ``WebhookError/invalidParameter`` when `CallDuration` or `SequenceNumber` is not an integer.
    public init(_ form: FormParameters) throws(WebhookError) {
        try self.init(essentialsOf: form)
        // What the essentials let pass, held to the full rules.
        callDuration = try form.integer("CallDuration")
        sequenceNumber = try form.integer("SequenceNumber")
    }

    /// Reads what a leg's status needs of a callback that ``init(_:)`` refuses, so that a malformed
    /// field it can do without does not lose the event (a leg's end would leave its agent on the call):
    /// `CallSid`, `ParentCallSid`, `CallStatus` and `To` are required as before; `CallDuration` or
    /// `SequenceNumber` that is not an integer is left out (nil).
    ///
    /// - Throws: ``WebhookError/missingParameter`` naming a missing required parameter.
    public init(essentialsOf form: FormParameters) throws(WebhookError) {
        let callback = "a <Client statusCallback> request"
        self.init(
            callSid: try form.required("CallSid", for: callback),
            parentCallSid: try form.required("ParentCallSid", for: callback),
            callStatus: CallStatus(rawValue: try form.required("CallStatus", for: callback)),
            to: try form.required("To", for: callback),
            accountSid: form["AccountSid"],
            from: form["From"],
            callDuration: form.integerIfValid("CallDuration"),
            timestamp: form["Timestamp"],
            sequenceNumber: form.integerIfValid("SequenceNumber"),
            callbackSource: form["CallbackSource"]
        )
    }

    /// The client's identity: ``to`` without its `client:` prefix, or nil when ``to`` is not a client.
    public var clientIdentity: String? {
        let prefix = "client:"
        guard to.utf8.starts(with: prefix.utf8) else { return nil }
        return String(to.utf8.dropFirst(prefix.utf8.count))
    }
}
