/// The request to a `<Dial action>` URL when the dialed leg ends: the standard voice parameters plus the
/// dial's outcome.
///
/// Required: the ``VoiceRequest`` ones and `DialCallStatus`.
public struct DialActionRequest: Equatable, Sendable {
    /// The standard voice parameters of the caller's (parent) call.
    public var call: VoiceRequest
    /// `DialCallStatus`: how the dial ended.
    public var dialCallStatus: DialCallStatus
    /// `DialCallSid`: the dialed (child) leg; not sent for a conference.
    public var dialCallSid: String?
    /// `DialCallDuration`, in seconds; not sent for a conference or a child leg redirected to new TwiML.
    public var dialCallDuration: Int?
    /// `DialBridged`: whether the caller was actually connected to the dialed party.
    public var dialBridged: Bool?
    /// `RecordingUrl`, when `<Dial record>` was set (the file may not be ready yet).
    public var recordingUrl: String?

    /// Creates a request from its fields.
    public init(
        call: VoiceRequest,
        dialCallStatus: DialCallStatus,
        dialCallSid: String? = nil,
        dialCallDuration: Int? = nil,
        dialBridged: Bool? = nil,
        recordingUrl: String? = nil
    ) {
        self.call = call
        self.dialCallStatus = dialCallStatus
        self.dialCallSid = dialCallSid
        self.dialCallDuration = dialCallDuration
        self.dialBridged = dialBridged
        self.recordingUrl = recordingUrl
    }

    /// Reads a `<Dial action>` request.
    ///
    /// - Throws: ``WebhookError/missingParameter`` naming a missing required parameter;
    ///   ``WebhookError/invalidParameter`` when `DialCallDuration` is not an integer or `DialBridged` not
    ///   `true`/`false`.
    public init(_ form: FormParameters) throws(WebhookError) {
        let callback = "a <Dial action> request"
        self.init(
            call: try VoiceRequest(form, callback: callback),
            dialCallStatus: DialCallStatus(rawValue: try form.required("DialCallStatus", for: callback)),
            dialCallSid: form["DialCallSid"],
            dialCallDuration: try form.integer("DialCallDuration"),
            dialBridged: try form.boolean("DialBridged"),
            recordingUrl: form["RecordingUrl"]
        )
    }
}
