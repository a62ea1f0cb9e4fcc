/// The standard parameters of every voice webhook: an incoming call, and every TwiML fetch during a call.
///
/// Required: `CallSid`, `AccountSid`, `From`, `To`. Twilio documents `CallStatus`, `ApiVersion` and
/// `Direction` as always sent, but they are optional here: the voice routes decide nothing from them,
/// and a request Twilio signed should not be refused over a field the service does not use. Callbacks
/// whose meaning *is* a status (``ClientStatusCallback``, ``DialActionRequest``) require theirs.
public struct VoiceRequest: Equatable, Sendable {
    /// `CallSid`: the call's unique ID (`CA…`).
    public var callSid: String
    /// `AccountSid`: the account that owns the call (`AC…`, 34 characters).
    public var accountSid: String
    /// `From`: the caller, E.164 when possible, `client:<identity>` for a Voice SDK client, or whatever
    /// the carrier sent (`anonymous`, …).
    public var from: String
    /// `To`: the called number or `client:<identity>`.
    public var to: String
    /// `CallStatus`.
    public var callStatus: CallStatus?
    /// `Direction`.
    public var direction: CallDirection?
    /// `ApiVersion`, e.g. `2010-04-01`.
    public var apiVersion: String?
    /// `ForwardedFrom`: the number that forwarded the call, when the carrier says.
    public var forwardedFrom: String?
    /// `CallerName`: the caller ID name, when caller-name lookup is enabled on the number.
    public var callerName: String?
    /// `ParentCallSid`: the parent call, on child legs.
    public var parentCallSid: String?
    /// `CallToken`: a token for forwarding the call.
    public var callToken: String?

    /// Creates a request from its fields.
    public init(
        callSid: String,
        accountSid: String,
        from: String,
        to: String,
        callStatus: CallStatus? = nil,
        direction: CallDirection? = nil,
        apiVersion: String? = nil,
        forwardedFrom: String? = nil,
        callerName: String? = nil,
        parentCallSid: String? = nil,
        callToken: String? = nil
    ) {
        self.callSid = callSid
        self.accountSid = accountSid
        self.from = from
        self.to = to
        self.callStatus = callStatus
        self.direction = direction
        self.apiVersion = apiVersion
        self.forwardedFrom = forwardedFrom
        self.callerName = callerName
        self.parentCallSid = parentCallSid
        self.callToken = callToken
    }

    /// Reads the standard voice parameters; parameters it does not know are ignored.
    ///
    /// - Throws: ``WebhookError/missingParameter`` naming `CallSid`, `AccountSid`, `From` or `To`.
    public init(_ form: FormParameters) throws(WebhookError) {
        try self.init(form, callback: "a voice request")
    }

    init(_ form: FormParameters, callback: String) throws(WebhookError) {
        self.init(
            callSid: try form.required("CallSid", for: callback),
            accountSid: try form.required("AccountSid", for: callback),
            from: try form.required("From", for: callback),
            to: try form.required("To", for: callback),
            callStatus: form["CallStatus"].map(CallStatus.init(rawValue:)),
            direction: form["Direction"].map(CallDirection.init(rawValue:)),
            apiVersion: form["ApiVersion"],
            forwardedFrom: form["ForwardedFrom"],
            callerName: form["CallerName"],
            parentCallSid: form["ParentCallSid"],
            callToken: form["CallToken"]
        )
    }
}
