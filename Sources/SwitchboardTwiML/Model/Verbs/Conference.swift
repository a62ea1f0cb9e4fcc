/// `<Conference>`: joins the caller to a named conference room.
public struct Conference: Equatable, Sendable {
    /// The room name.
    public var name: String?
    /// Whether the participant joins muted.
    public var muted: Bool?
    /// When to beep.
    public var beep: ConferenceBeep?
    /// Whether this participant starts the conference.
    public var startConferenceOnEnter: Bool?
    /// Whether the conference ends when this participant leaves.
    public var endConferenceOnExit: Bool?
    /// A label unique in the conference.
    public var participantLabel: String?
    /// The jitter buffer size.
    public var jitterBufferSize: JitterBufferSize?
    /// Hold music or TwiML while waiting.
    public var waitUrl: URLReference?
    /// How to request `waitUrl`.
    public var waitMethod: HTTPMethod?
    /// At most this many participants (up to 250).
    public var maxParticipants: Int?
    /// Whether to record.
    public var record: ConferenceRecording?
    /// The media region.
    public var region: ConferenceRegion?
    /// Whether to trim silence from the recording.
    public var trim: RecordingTrim?
    /// A call SID to coach.
    public var coach: String?
    /// Which conference events to report.
    public var statusCallbackEvent: [ConferenceEvent]?
    /// Requested with conference events.
    public var statusCallback: URLReference?
    /// How to request `statusCallback`.
    public var statusCallbackMethod: HTTPMethod?
    /// Requested when the recording is ready.
    public var recordingStatusCallback: URLReference?
    /// How to request `recordingStatusCallback`.
    public var recordingStatusCallbackMethod: HTTPMethod?
    /// Which recording events to report.
    public var recordingStatusCallbackEvent: [RecordingEvent]?
    /// Requested with conference events (legacy).
    public var eventCallbackUrl: URLReference?
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Conference>`.
    @inlinable
    public init(
        _ name: String? = nil,
        muted: Bool? = nil,
        beep: ConferenceBeep? = nil,
        startConferenceOnEnter: Bool? = nil,
        endConferenceOnExit: Bool? = nil,
        waitUrl: URLReference? = nil,
        maxParticipants: Int? = nil,
        record: ConferenceRecording? = nil,
        extraAttributes: ExtraAttributes = [:]
    ) {
        self.name = name
        self.muted = muted
        self.beep = beep
        self.startConferenceOnEnter = startConferenceOnEnter
        self.endConferenceOnExit = endConferenceOnExit
        self.waitUrl = waitUrl
        self.maxParticipants = maxParticipants
        self.record = record
        self.extraAttributes = extraAttributes
    }
}

extension Conference: ElementModel {
    static let tag = "Conference"
    static let textRule = TextRule.required("the conference name")
    static let attributeSpecs: [AttributeSpec<Conference>] = [
        .init("beep", \.beep),
        .init("coach", \.coach),
        .init("endConferenceOnExit", \.endConferenceOnExit),
        .init("eventCallbackUrl", \.eventCallbackUrl),
        .init("jitterBufferSize", \.jitterBufferSize),
        .init("maxParticipants", \.maxParticipants, range: 2...250),
        .init("muted", \.muted),
        .init("participantLabel", \.participantLabel, maxLength: 128),
        .init("record", \.record),
        .init("recordingStatusCallback", \.recordingStatusCallback),
        .init("recordingStatusCallbackEvent", \.recordingStatusCallbackEvent),
        .init("recordingStatusCallbackMethod", \.recordingStatusCallbackMethod),
        .init("region", \.region),
        .init("startConferenceOnEnter", \.startConferenceOnEnter),
        .init("statusCallback", \.statusCallback),
        .init("statusCallbackEvent", \.statusCallbackEvent),
        .init("statusCallbackMethod", \.statusCallbackMethod),
        .init("trim", \.trim),
        .init("waitMethod", \.waitMethod),
        .init("waitUrl", \.waitUrl),
    ]
    init() { self.init(nil) }
    var textContent: String? {
        get { name }
        set { name = newValue }
    }

    func render(into writer: inout TwiMLWriter) throws {
        try writer.leaf("Conference", extras: extraAttributes, text: name) { writer in
            try writer.attribute("beep", beep)
            try writer.attribute("coach", coach)
            try writer.attribute("endConferenceOnExit", endConferenceOnExit)
            try writer.attribute("eventCallbackUrl", eventCallbackUrl)
            try writer.attribute("jitterBufferSize", jitterBufferSize)
            try writer.attribute("maxParticipants", maxParticipants)
            try writer.attribute("muted", muted)
            try writer.attribute("participantLabel", participantLabel)
            try writer.attribute("record", record)
            try writer.attribute("recordingStatusCallback", recordingStatusCallback)
            try writer.attribute("recordingStatusCallbackEvent", recordingStatusCallbackEvent)
            try writer.attribute("recordingStatusCallbackMethod", recordingStatusCallbackMethod)
            try writer.attribute("region", region)
            try writer.attribute("startConferenceOnEnter", startConferenceOnEnter)
            try writer.attribute("statusCallback", statusCallback)
            try writer.attribute("statusCallbackEvent", statusCallbackEvent)
            try writer.attribute("statusCallbackMethod", statusCallbackMethod)
            try writer.attribute("trim", trim)
            try writer.attribute("waitMethod", waitMethod)
            try writer.attribute("waitUrl", waitUrl)
        }
    }
}
