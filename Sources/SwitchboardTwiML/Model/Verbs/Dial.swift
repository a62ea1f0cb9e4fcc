/// `<Dial>`: connects the caller to other parties; with several nouns they ring at once and the first
/// to answer wins.
public struct Dial: Equatable, Sendable {
    /// What `<Dial>` may contain. The large, rarer nouns are boxed (`indirect`) so an array of ringing
    /// clients stays compact: a noun is as large as its largest inline case.
    public enum Noun: Equatable, Sendable {
        case client(Client)
        indirect case number(Number)
        indirect case queue(Queue)
        indirect case conference(Conference)
        indirect case sip(Sip)
    }

    // Spelled `Optional<T>`, not `T?`: see the note on ``ElementModel``.
    /// A phone number written as plain text, instead of nouns.
    public var phoneNumber: Optional<String>
    /// Whom to dial, in order.
    public var nouns: [Noun]
    /// Requested when the dialed leg ends; verbs after the `<Dial>` never run once it is set.
    public var action: Optional<URLReference>
    /// How to request `action`.
    public var method: Optional<HTTPMethod>
    /// Seconds to ring (5 to 600; Twilio adds about 5).
    public var timeout: Optional<Int>
    /// The caller ID shown to the dialed party.
    public var callerId: Optional<String>
    /// Recording mode.
    public var record: Optional<DialRecording>
    /// Whether to trim silence from the recording.
    public var trim: Optional<RecordingTrim>
    /// Keep the inbound call ringing until the dialed party answers.
    public var answerOnBridge: Optional<Bool>
    /// Country whose ringback tone to play.
    public var ringTone: Optional<RingTone>
    /// The longest call, in seconds.
    public var timeLimit: Optional<Int>
    /// Whether `*` hangs up the dialed party.
    public var hangupOnStar: Optional<Bool>
    /// Ring the nouns one after another instead of at once.
    public var sequential: Optional<Bool>
    /// Requested when the recording is ready.
    public var recordingStatusCallback: Optional<URLReference>
    /// How to request `recordingStatusCallback`.
    public var recordingStatusCallbackMethod: Optional<HTTPMethod>
    /// Which recording events to report.
    public var recordingStatusCallbackEvent: Optional<[RecordingEvent]>
    /// Which legs to record.
    public var recordingTrack: Optional<RecordingTrack>
    /// Requested on a SIP REFER.
    public var referUrl: Optional<URLReference>
    /// How to request `referUrl`.
    public var referMethod: Optional<HTTPMethod>
    /// Branded-calls reason, at most 50 characters.
    public var callReason: Optional<String>
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Dial>`.
    @inlinable
    public init(
        _ nouns: [Noun] = [],
        phoneNumber: String? = nil,
        action: URLReference? = nil,
        method: HTTPMethod? = nil,
        timeout: Int? = nil,
        callerId: String? = nil,
        record: DialRecording? = nil,
        trim: RecordingTrim? = nil,
        answerOnBridge: Bool? = nil,
        ringTone: RingTone? = nil,
        timeLimit: Int? = nil,
        hangupOnStar: Bool? = nil,
        sequential: Bool? = nil,
        recordingStatusCallback: URLReference? = nil,
        recordingStatusCallbackMethod: HTTPMethod? = nil,
        recordingStatusCallbackEvent: [RecordingEvent]? = nil,
        recordingTrack: RecordingTrack? = nil,
        referUrl: URLReference? = nil,
        referMethod: HTTPMethod? = nil,
        callReason: String? = nil,
        extraAttributes: ExtraAttributes = [:]
    ) {
        self.nouns = nouns
        self.phoneNumber = phoneNumber
        self.action = action
        self.method = method
        self.timeout = timeout
        self.callerId = callerId
        self.record = record
        self.trim = trim
        self.answerOnBridge = answerOnBridge
        self.ringTone = ringTone
        self.timeLimit = timeLimit
        self.hangupOnStar = hangupOnStar
        self.sequential = sequential
        self.recordingStatusCallback = recordingStatusCallback
        self.recordingStatusCallbackMethod = recordingStatusCallbackMethod
        self.recordingStatusCallbackEvent = recordingStatusCallbackEvent
        self.recordingTrack = recordingTrack
        self.referUrl = referUrl
        self.referMethod = referMethod
        self.callReason = callReason
        self.extraAttributes = extraAttributes
    }
}

extension Dial: ElementModel {
    static let tag = "Dial"
    static let textRule = TextRule.optional("a phone number")
    static let childTags = ["Client", "Number", "Queue", "Conference", "Sip"]
    static let attributeSpecs: [AttributeSpec<Dial>] = [
        .init("action", \.action),
        .init("answerOnBridge", \.answerOnBridge),
        .init("callReason", \.callReason, maxLength: 50),
        .init("callerId", \.callerId),
        .init("hangupOnStar", \.hangupOnStar),
        .init("method", \.method),
        .init("record", \.record),
        .init("recordingStatusCallback", \.recordingStatusCallback),
        .init("recordingStatusCallbackEvent", \.recordingStatusCallbackEvent),
        .init("recordingStatusCallbackMethod", \.recordingStatusCallbackMethod),
        .init("recordingTrack", \.recordingTrack),
        .init("referMethod", \.referMethod),
        .init("referUrl", \.referUrl),
        .init("ringTone", \.ringTone),
        .init("sequential", \.sequential),
        .init("timeLimit", \.timeLimit, range: 1...86400),
        .init("timeout", \.timeout, range: 5...600),
        .init("trim", \.trim),
    ]
    init() { self.init([]) }
    var textContent: String? {
        get { phoneNumber }
        set { phoneNumber = newValue }
    }

    mutating func appendChild(_ element: Element, decoder: inout ElementDecoder) {
        switch element.name {
        case "Client": nouns.append(.client(decoder.decode(Client.self, from: element)))
        case "Number": nouns.append(.number(decoder.decode(Number.self, from: element)))
        case "Queue": nouns.append(.queue(decoder.decode(Queue.self, from: element)))
        case "Conference": nouns.append(.conference(decoder.decode(Conference.self, from: element)))
        default: nouns.append(.sip(decoder.decode(Sip.self, from: element)))
        }
    }

    func childElements() -> [Element] {
        nouns.map { noun in
            switch noun {
            case .client(let client): return client.element()
            case .number(let number): return number.element()
            case .queue(let queue): return queue.element()
            case .conference(let conference): return conference.element()
            case .sip(let sip): return sip.element()
            }
        }
    }

    func render(into writer: inout TwiMLWriter) throws {
        writer.start("Dial", extras: extraAttributes)
        try writer.attribute("action", action)
        try writer.attribute("answerOnBridge", answerOnBridge)
        try writer.attribute("callReason", callReason)
        try writer.attribute("callerId", callerId)
        try writer.attribute("hangupOnStar", hangupOnStar)
        try writer.attribute("method", method)
        try writer.attribute("record", record)
        try writer.attribute("recordingStatusCallback", recordingStatusCallback)
        try writer.attribute("recordingStatusCallbackEvent", recordingStatusCallbackEvent)
        try writer.attribute("recordingStatusCallbackMethod", recordingStatusCallbackMethod)
        try writer.attribute("recordingTrack", recordingTrack)
        try writer.attribute("referMethod", referMethod)
        try writer.attribute("referUrl", referUrl)
        try writer.attribute("ringTone", ringTone)
        try writer.attribute("sequential", sequential)
        try writer.attribute("timeLimit", timeLimit)
        try writer.attribute("timeout", timeout)
        try writer.attribute("trim", trim)
        let hasText = !(phoneNumber ?? "").isEmpty
        try writer.endStart(empty: !hasText && nouns.isEmpty)
        guard hasText || !nouns.isEmpty else { return }
        if let phoneNumber, hasText { try writer.text(phoneNumber) }
        try nouns.forEachInPlace { noun in try noun.render(into: &writer) }
        writer.end("Dial")
    }
}

extension Dial.Noun {
    func render(into writer: inout TwiMLWriter) throws {
        switch self {
        case .client(let client): try client.render(into: &writer)
        case .number(let number): try number.render(into: &writer)
        case .queue(let queue): try queue.render(into: &writer)
        case .conference(let conference): try conference.render(into: &writer)
        case .sip(let sip): try sip.render(into: &writer)
        }
    }
}
