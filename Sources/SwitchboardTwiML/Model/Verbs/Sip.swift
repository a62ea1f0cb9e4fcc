/// `<Sip>`: a SIP URI to dial.
public struct Sip: Equatable, Sendable {
    // Spelled `Optional<T>`, not `T?`: see the note on ``ElementModel``.
    /// The SIP URI (fewer than 255 characters).
    public var uri: Optional<String>
    /// SIP digest user name.
    public var username: Optional<String>
    /// SIP digest password.
    public var password: Optional<String>
    /// TwiML run on the called party before the bridge.
    public var url: Optional<URLReference>
    /// How to request `url`.
    public var method: Optional<HTTPMethod>
    /// Requested with call-progress events of this leg.
    public var statusCallback: Optional<URLReference>
    /// Which events to report.
    public var statusCallbackEvent: Optional<[CallProgressEvent]>
    /// How to request `statusCallback`.
    public var statusCallbackMethod: Optional<HTTPMethod>
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Sip>`.
    @inlinable
    public init(
        _ uri: String? = nil,
        username: String? = nil,
        password: String? = nil,
        url: URLReference? = nil,
        method: HTTPMethod? = nil,
        statusCallback: URLReference? = nil,
        statusCallbackEvent: [CallProgressEvent]? = nil,
        statusCallbackMethod: HTTPMethod? = nil,
        extraAttributes: ExtraAttributes = [:]
    ) {
        self.uri = uri
        self.username = username
        self.password = password
        self.url = url
        self.method = method
        self.statusCallback = statusCallback
        self.statusCallbackEvent = statusCallbackEvent
        self.statusCallbackMethod = statusCallbackMethod
        self.extraAttributes = extraAttributes
    }
}

extension Sip: ElementModel {
    static let tag = "Sip"
    static let textRule = TextRule.required("a SIP URI", maxLength: 254)
    static let attributeSpecs: [AttributeSpec<Sip>] = [
        .init("method", \.method),
        .init("password", \.password),
        .init("statusCallback", \.statusCallback),
        .init("statusCallbackEvent", \.statusCallbackEvent),
        .init("statusCallbackMethod", \.statusCallbackMethod),
        .init("url", \.url),
        .init("username", \.username),
    ]
    init() { self.init(nil) }
    var textContent: String? {
        get { uri }
        set { uri = newValue }
    }

    func render(into writer: inout TwiMLWriter) throws {
        try writer.leaf("Sip", extras: extraAttributes, text: uri) { writer in
            try writer.attribute("method", method)
            try writer.attribute("password", password)
            try writer.attribute("statusCallback", statusCallback)
            try writer.attribute("statusCallbackEvent", statusCallbackEvent)
            try writer.attribute("statusCallbackMethod", statusCallbackMethod)
            try writer.attribute("url", url)
            try writer.attribute("username", username)
        }
    }
}
