/// `<Record>`: records the caller, then requests `action` (without one Twilio requests the current
/// document again, which loops; the `record-without-action` rule reports that).
public struct Record: Equatable, Sendable {
    // Spelled `Optional<T>`, not `T?`: see the note on ``ElementModel``.
    /// Requested when the recording ends.
    public var action: Optional<URLReference>
    /// How to request `action`.
    public var method: Optional<HTTPMethod>
    /// Seconds of silence that end the recording (0 disables).
    public var timeout: Optional<Int>
    /// Keys that end the recording.
    public var finishOnKey: Optional<String>
    /// The longest recording, in seconds.
    public var maxLength: Optional<Int>
    /// Whether to beep before recording.
    public var playBeep: Optional<Bool>
    /// Whether to trim silence.
    public var trim: Optional<RecordingTrim>
    /// Requested when the recording file is ready.
    public var recordingStatusCallback: Optional<URLReference>
    /// How to request `recordingStatusCallback`.
    public var recordingStatusCallbackMethod: Optional<HTTPMethod>
    /// Which recording events to report.
    public var recordingStatusCallbackEvent: Optional<[RecordingEvent]>
    /// Whether to transcribe (a paid feature).
    public var transcribe: Optional<Bool>
    /// Requested with the transcription.
    public var transcribeCallback: Optional<URLReference>
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Record>`.
    @inlinable
    public init(
        action: URLReference? = nil,
        method: HTTPMethod? = nil,
        timeout: Int? = nil,
        finishOnKey: String? = nil,
        maxLength: Int? = nil,
        playBeep: Bool? = nil,
        trim: RecordingTrim? = nil,
        recordingStatusCallback: URLReference? = nil,
        recordingStatusCallbackMethod: HTTPMethod? = nil,
        recordingStatusCallbackEvent: [RecordingEvent]? = nil,
        transcribe: Bool? = nil,
        transcribeCallback: URLReference? = nil,
        extraAttributes: ExtraAttributes = [:]
    ) {
        self.action = action
        self.method = method
        self.timeout = timeout
        self.finishOnKey = finishOnKey
        self.maxLength = maxLength
        self.playBeep = playBeep
        self.trim = trim
        self.recordingStatusCallback = recordingStatusCallback
        self.recordingStatusCallbackMethod = recordingStatusCallbackMethod
        self.recordingStatusCallbackEvent = recordingStatusCallbackEvent
        self.transcribe = transcribe
        self.transcribeCallback = transcribeCallback
        self.extraAttributes = extraAttributes
    }
}

extension Record: ElementModel {
    static let tag = "Record"
    static let textRule = TextRule.none
    init() { self.init(action: nil) }
    static let attributeSpecs: [AttributeSpec<Record>] = [
        .init("action", \.action),
        .init("finishOnKey", \.finishOnKey, allowedCharacters: "0123456789#*"),
        .init("maxLength", \.maxLength, range: 1...86400),
        .init("method", \.method),
        .init("playBeep", \.playBeep),
        .init("recordingStatusCallback", \.recordingStatusCallback),
        .init("recordingStatusCallbackEvent", \.recordingStatusCallbackEvent),
        .init("recordingStatusCallbackMethod", \.recordingStatusCallbackMethod),
        .init("timeout", \.timeout, range: 0...3600),
        .init("transcribe", \.transcribe),
        .init("transcribeCallback", \.transcribeCallback),
        .init("trim", \.trim),
    ]

    func render(into writer: inout TwiMLWriter) throws {
        try writer.leaf("Record", extras: extraAttributes, text: nil) { writer in
            try writer.attribute("action", action)
            try writer.attribute("finishOnKey", finishOnKey)
            try writer.attribute("maxLength", maxLength)
            try writer.attribute("method", method)
            try writer.attribute("playBeep", playBeep)
            try writer.attribute("recordingStatusCallback", recordingStatusCallback)
            try writer.attribute("recordingStatusCallbackEvent", recordingStatusCallbackEvent)
            try writer.attribute("recordingStatusCallbackMethod", recordingStatusCallbackMethod)
            try writer.attribute("timeout", timeout)
            try writer.attribute("transcribe", transcribe)
            try writer.attribute("transcribeCallback", transcribeCallback)
            try writer.attribute("trim", trim)
        }
    }
}
