/// `<Number>`: a phone number to dial.
public struct Number: Equatable, Sendable {
    /// The number, E.164 preferred.
    public var number: String?
    /// Digits to send after the call connects.
    public var sendDigits: String?
    /// TwiML run on the called party before the bridge.
    public var url: URLReference?
    /// How to request `url`.
    public var method: HTTPMethod?
    /// A BYOC trunk SID.
    public var byoc: String?
    /// Requested with call-progress events of this leg.
    public var statusCallback: URLReference?
    /// Which events to report.
    public var statusCallbackEvent: [CallProgressEvent]?
    /// How to request `statusCallback`.
    public var statusCallbackMethod: HTTPMethod?
    /// Answering-machine detection mode.
    public var machineDetection: MachineDetection?
    /// Seconds to spend on detection.
    public var machineDetectionTimeout: Int?
    /// Milliseconds of speech that mean a machine.
    public var machineDetectionSpeechThreshold: Int?
    /// Milliseconds of silence that end speech.
    public var machineDetectionSpeechEndThreshold: Int?
    /// Milliseconds of initial silence before giving up.
    public var machineDetectionSilenceTimeout: Int?
    /// Requested with the detection result.
    public var amdStatusCallback: URLReference?
    /// How to request `amdStatusCallback`.
    public var amdStatusCallbackMethod: HTTPMethod?
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Number>`.
    @inlinable
    public init(
        _ number: String? = nil,
        sendDigits: String? = nil,
        url: URLReference? = nil,
        method: HTTPMethod? = nil,
        statusCallback: URLReference? = nil,
        statusCallbackEvent: [CallProgressEvent]? = nil,
        statusCallbackMethod: HTTPMethod? = nil,
        extraAttributes: ExtraAttributes = [:]
    ) {
        self.number = number
        self.sendDigits = sendDigits
        self.url = url
        self.method = method
        self.statusCallback = statusCallback
        self.statusCallbackEvent = statusCallbackEvent
        self.statusCallbackMethod = statusCallbackMethod
        self.extraAttributes = extraAttributes
    }
}

extension Number: ElementModel {
    static let tag = "Number"
    static let textRule = TextRule.required("a phone number")
    static let attributeSpecs: [AttributeSpec<Number>] = [
        .init("amdStatusCallback", \.amdStatusCallback),
        .init("amdStatusCallbackMethod", \.amdStatusCallbackMethod),
        .init("byoc", \.byoc),
        .init("machineDetection", \.machineDetection),
        .init("machineDetectionSilenceTimeout", \.machineDetectionSilenceTimeout, range: 2000...10000),
        .init("machineDetectionSpeechEndThreshold", \.machineDetectionSpeechEndThreshold, range: 500...5000),
        .init("machineDetectionSpeechThreshold", \.machineDetectionSpeechThreshold, range: 1000...6000),
        .init("machineDetectionTimeout", \.machineDetectionTimeout, range: 3...60),
        .init("method", \.method),
        .init("sendDigits", \.sendDigits, allowedCharacters: "0123456789ABCDwW#*"),
        .init("statusCallback", \.statusCallback),
        .init("statusCallbackEvent", \.statusCallbackEvent),
        .init("statusCallbackMethod", \.statusCallbackMethod),
        .init("url", \.url),
    ]
    init() { self.init(nil) }
    var textContent: String? {
        get { number }
        set { number = newValue }
    }

    func render(into writer: inout TwiMLWriter) throws {
        try writer.leaf("Number", extras: extraAttributes, text: number) { writer in
            try writer.attribute("amdStatusCallback", amdStatusCallback)
            try writer.attribute("amdStatusCallbackMethod", amdStatusCallbackMethod)
            try writer.attribute("byoc", byoc)
            try writer.attribute("machineDetection", machineDetection)
            try writer.attribute("machineDetectionSilenceTimeout", machineDetectionSilenceTimeout)
            try writer.attribute("machineDetectionSpeechEndThreshold", machineDetectionSpeechEndThreshold)
            try writer.attribute("machineDetectionSpeechThreshold", machineDetectionSpeechThreshold)
            try writer.attribute("machineDetectionTimeout", machineDetectionTimeout)
            try writer.attribute("method", method)
            try writer.attribute("sendDigits", sendDigits)
            try writer.attribute("statusCallback", statusCallback)
            try writer.attribute("statusCallbackEvent", statusCallbackEvent)
            try writer.attribute("statusCallbackMethod", statusCallbackMethod)
            try writer.attribute("url", url)
        }
    }
}
