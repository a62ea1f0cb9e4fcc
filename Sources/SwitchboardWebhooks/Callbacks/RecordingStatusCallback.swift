/// A recording's status, sent to `recordingStatusCallback` (of `<Record>` or `<Dial record>`).
///
/// Required: `AccountSid`, `CallSid`, `RecordingSid`, `RecordingUrl`, `RecordingStatus`.
public struct RecordingStatusCallback: Equatable, Sendable {
    /// `AccountSid`.
    public var accountSid: String
    /// `CallSid`: the recorded call (the parent leg for `<Dial record>`).
    public var callSid: String
    /// `RecordingSid` (`RE…`).
    public var recordingSid: String
    /// `RecordingUrl`: where the recording can be fetched once `completed`.
    public var recordingUrl: String
    /// `RecordingStatus`.
    public var recordingStatus: RecordingStatus
    /// `RecordingDuration`, in seconds.
    public var recordingDuration: Int?
    /// `RecordingChannels`: 1 for `<Record>`, 1 or 2 for `<Dial record>`.
    public var recordingChannels: Int?
    /// `RecordingSource`: `RecordVerb`, `DialVerb`, ….
    public var recordingSource: String?
    /// `RecordingStartTime` (sent for `<Dial record>`), as Twilio formats it.
    public var recordingStartTime: String?

    /// Creates a callback from its fields.
    public init(
        accountSid: String,
        callSid: String,
        recordingSid: String,
        recordingUrl: String,
        recordingStatus: RecordingStatus,
        recordingDuration: Int? = nil,
        recordingChannels: Int? = nil,
        recordingSource: String? = nil,
        recordingStartTime: String? = nil
    ) {
        self.accountSid = accountSid
        self.callSid = callSid
        self.recordingSid = recordingSid
        self.recordingUrl = recordingUrl
        self.recordingStatus = recordingStatus
        self.recordingDuration = recordingDuration
        self.recordingChannels = recordingChannels
        self.recordingSource = recordingSource
        self.recordingStartTime = recordingStartTime
    }

    /// Reads a recording status callback.
    ///
    /// - Throws: ``WebhookError/missingParameter`` naming a missing required parameter;
    ///   ``WebhookError/invalidParameter`` when `RecordingDuration` or `RecordingChannels` is not an integer.
    public init(_ form: FormParameters) throws(WebhookError) {
        try self.init(essentialsOf: form)
        // What the essentials let pass, held to the full rules.
        accountSid = try form.required("AccountSid", for: "a recording status callback")
        recordingDuration = try form.integer("RecordingDuration")
        recordingChannels = try form.integer("RecordingChannels")
    }

    /// Reads what a voicemail needs of a callback that ``init(_:)`` refuses, so that a malformed field it
    /// can do without does not lose the recording: `CallSid`, `RecordingSid`, `RecordingUrl` and
    /// `RecordingStatus` are required as before; `AccountSid` may be missing (empty), and
    /// `RecordingDuration` or `RecordingChannels` that is not an integer is left out (nil).
    ///
    /// - Throws: ``WebhookError/missingParameter`` naming a missing required parameter.
    public init(essentialsOf form: FormParameters) throws(WebhookError) {
        let callback = "a recording status callback"
        self.init(
            accountSid: form["AccountSid"] ?? "",
            callSid: try form.required("CallSid", for: callback),
            recordingSid: try form.required("RecordingSid", for: callback),
            recordingUrl: try form.required("RecordingUrl", for: callback),
            recordingStatus: RecordingStatus(rawValue: try form.required("RecordingStatus", for: callback)),
            recordingDuration: form.integerIfValid("RecordingDuration"),
            recordingChannels: form.integerIfValid("RecordingChannels"),
            recordingSource: form["RecordingSource"],
            recordingStartTime: form["RecordingStartTime"]
        )
    }
}
