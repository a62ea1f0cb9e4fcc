/// The request to a `<Record action>` URL once the caller has left a message.
///
/// Required: `CallSid`, `From`, `To`, `RecordingUrl`, `RecordingDuration`.
public struct RecordActionRequest: Equatable, Sendable {
    /// `CallSid`: the recorded call.
    public var callSid: String
    /// `From`: the caller.
    public var from: String
    /// `To`: the number or client that was called.
    public var to: String
    /// `RecordingUrl`: WAV by default (append `.mp3` for MP3); the file may not be ready yet, so wait
    /// for the recording status callback before fetching it.
    public var recordingUrl: String
    /// `RecordingDuration`, in seconds, before trimming.
    public var recordingDuration: Int
    /// `Digits`: the key that ended the recording, or `hangup` when the caller hung up.
    public var digits: String?
    /// `AccountSid`, when sent.
    public var accountSid: String?

    /// Creates a request from its fields.
    public init(
        callSid: String,
        from: String,
        to: String,
        recordingUrl: String,
        recordingDuration: Int,
        digits: String? = nil,
        accountSid: String? = nil
    ) {
        self.callSid = callSid
        self.from = from
        self.to = to
        self.recordingUrl = recordingUrl
        self.recordingDuration = recordingDuration
        self.digits = digits
        self.accountSid = accountSid
    }

    /// Reads a `<Record action>` request.
    ///
    /// - Throws: ``WebhookError/missingParameter`` naming a missing required parameter;
    ///   ``WebhookError/invalidParameter`` when `RecordingDuration` is not an integer.
    public init(_ form: FormParameters) throws(WebhookError) {
        let callback = "a <Record action> request"
        self.init(
            callSid: try form.required("CallSid", for: callback),
            from: try form.required("From", for: callback),
            to: try form.required("To", for: callback),
            recordingUrl: try form.required("RecordingUrl", for: callback),
            recordingDuration: try form.requiredInteger("RecordingDuration", for: callback),
            digits: form["Digits"],
            accountSid: form["AccountSid"]
        )
    }
}
