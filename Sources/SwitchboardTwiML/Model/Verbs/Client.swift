/// `<Client>`: a Voice SDK client to ring, by identity.
///
/// Either the simple form, with the identity as text (`<Client>alice</Client>`), or the rich form with
/// an `<Identity>` child and `<Parameter>` children carrying custom data to the SDK.
public struct Client: Equatable, Sendable {
    /// What a rich-form `<Client>` may contain.
    public enum Child: Equatable, Sendable {
        case identity(Identity)
        case parameter(Parameter)
    }

    /// The identity in the simple form.
    public var identity: String?
    /// The rich form's children, in order.
    public var children: [Child]
    /// TwiML run on the answering client before the bridge (screening, whisper).
    public var url: URLReference?
    /// How to request `url`.
    public var method: HTTPMethod?
    /// Requested with call-progress events of this leg.
    public var statusCallback: URLReference?
    /// Which events to report to `statusCallback`.
    public var statusCallbackEvent: [CallProgressEvent]?
    /// How to request `statusCallback`.
    public var statusCallbackMethod: HTTPMethod?
    /// Custom push-notification URL for mobile SDK clients.
    public var clientNotificationUrl: URLReference?
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Client>`.
    public init(
        _ identity: String? = nil,
        children: [Child] = [],
        url: URLReference? = nil,
        method: HTTPMethod? = nil,
        statusCallback: URLReference? = nil,
        statusCallbackEvent: [CallProgressEvent]? = nil,
        statusCallbackMethod: HTTPMethod? = nil,
        clientNotificationUrl: URLReference? = nil,
        extraAttributes: ExtraAttributes = [:]
    ) {
        self.identity = identity
        self.children = children
        self.url = url
        self.method = method
        self.statusCallback = statusCallback
        self.statusCallbackEvent = statusCallbackEvent
        self.statusCallbackMethod = statusCallbackMethod
        self.clientNotificationUrl = clientNotificationUrl
        self.extraAttributes = extraAttributes
    }
}

extension Client: ElementModel {
    static let tag = "Client"
    static let textRule = TextRule.optional("the client identity")
    static let childTags = ["Identity", "Parameter"]
    static let attributeSpecs: [AttributeSpec<Client>] = [
        .init("clientNotificationUrl", \.clientNotificationUrl),
        .init("method", \.method),
        .init("statusCallback", \.statusCallback),
        .init("statusCallbackEvent", \.statusCallbackEvent),
        .init("statusCallbackMethod", \.statusCallbackMethod),
        .init("url", \.url),
    ]
    init() { self.init(nil) }
    var textContent: String? {
        get { identity }
        set { identity = newValue }
    }

    mutating func appendChild(_ element: Element, decoder: inout ElementDecoder) {
        if element.name == "Identity" {
            children.append(.identity(decoder.decode(Identity.self, from: element)))
        } else {
            children.append(.parameter(decoder.decode(Parameter.self, from: element)))
        }
    }

    func childElements() -> [Element] {
        children.map { child in
            switch child {
            case .identity(let identity): return identity.element()
            case .parameter(let parameter): return parameter.element()
            }
        }
    }

    func render(into writer: inout TwiMLWriter) throws {
        writer.start("Client", extras: extraAttributes)
        try writer.attribute("clientNotificationUrl", clientNotificationUrl)
        try writer.attribute("method", method)
        try writer.attribute("statusCallback", statusCallback)
        try writer.attribute("statusCallbackEvent", statusCallbackEvent)
        try writer.attribute("statusCallbackMethod", statusCallbackMethod)
        try writer.attribute("url", url)
        let hasText = !(identity ?? "").isEmpty
        try writer.endStart(empty: !hasText && children.isEmpty)
        guard hasText || !children.isEmpty else { return }
        if let identity, hasText { try writer.text(identity) }
        for index in children.indices {
            switch children[index] {
            case .identity(let identity): try identity.render(into: &writer)
            case .parameter(let parameter): try parameter.render(into: &writer)
            }
        }
        writer.end("Client")
    }
}

/// `<Identity>`: the identity of a rich-form `<Client>`.
public struct Identity: Equatable, Sendable {
    /// The client identity.
    public var identity: String?
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates an `<Identity>`.
    public init(_ identity: String? = nil, extraAttributes: ExtraAttributes = [:]) {
        self.identity = identity
        self.extraAttributes = extraAttributes
    }
}

extension Identity: ElementModel {
    static let tag = "Identity"
    static let textRule = TextRule.required("the client identity")
    static let attributeSpecs: [AttributeSpec<Identity>] = []
    init() { self.init(nil) }
    var textContent: String? {
        get { identity }
        set { identity = newValue }
    }

    func render(into writer: inout TwiMLWriter) throws {
        try writer.leaf("Identity", extras: extraAttributes, text: identity) { _ in }
    }
}

/// `<Parameter>`: a custom name/value pair delivered to the Voice SDK.
public struct Parameter: Equatable, Sendable {
    /// The parameter name.
    public var name: String?
    /// The parameter value.
    public var value: String?
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Parameter>`.
    public init(name: String? = nil, value: String? = nil, extraAttributes: ExtraAttributes = [:]) {
        self.name = name
        self.value = value
        self.extraAttributes = extraAttributes
    }
}

extension Parameter: ElementModel {
    static let tag = "Parameter"
    static let textRule = TextRule.none
    static let attributeSpecs: [AttributeSpec<Parameter>] = [.init("name", \.name), .init("value", \.value)]
    init() { self.init(name: nil) }

    func render(into writer: inout TwiMLWriter) throws {
        try writer.leaf("Parameter", extras: extraAttributes, text: nil) { writer in
            try writer.attribute("name", name)
            try writer.attribute("value", value)
        }
    }
}
