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

    // Spelled `Optional<T>`, not `T?`: see the note on ``ElementModel``.
    /// The identity in the simple form.
    public var identity: Optional<String>
    /// How to request `url`.
    public var method: Optional<HTTPMethod>
    /// How to request `statusCallback`.
    public var statusCallbackMethod: Optional<HTTPMethod>
    /// The properties a ringing `<Client>` rarely sets, boxed and nil while all are empty: a `Dial` often
    /// holds many clients, and each copy or destruction of one then costs two reference counts instead of
    /// seven. The box is immutable (a setter stores a new one), so copies never share a mutation.
    @usableFromInline var box: Optional<DetailsBox>

    /// The rarely set properties of a ``Client``.
    @usableFromInline
    struct Details: Equatable, Sendable {
        @usableFromInline var children: [Child]
        @usableFromInline var url: Optional<URLReference>
        @usableFromInline var statusCallback: Optional<URLReference>
        @usableFromInline var statusCallbackEvent: Optional<[CallProgressEvent]>
        @usableFromInline var clientNotificationUrl: Optional<URLReference>
        @usableFromInline var extraAttributes: ExtraAttributes

        @inlinable
        init(
            children: [Child] = [],
            url: URLReference? = nil,
            statusCallback: URLReference? = nil,
            statusCallbackEvent: [CallProgressEvent]? = nil,
            clientNotificationUrl: URLReference? = nil,
            extraAttributes: ExtraAttributes = [:]
        ) {
            self.children = children
            self.url = url
            self.statusCallback = statusCallback
            self.statusCallbackEvent = statusCallbackEvent
            self.clientNotificationUrl = clientNotificationUrl
            self.extraAttributes = extraAttributes
        }

        @inlinable
        var isEmpty: Bool {
            children.isEmpty && url == nil && statusCallback == nil && statusCallbackEvent == nil
                && clientNotificationUrl == nil && extraAttributes.isEmpty
        }
    }

    /// An immutable box around ``Details``; `Sendable` because its only property is a `let` of a
    /// `Sendable` value.
    @usableFromInline
    final class DetailsBox: Equatable, Sendable {
        @usableFromInline let details: Details

        @inlinable
        init(_ details: Details) { self.details = details }

        @inlinable
        static func == (lhs: DetailsBox, rhs: DetailsBox) -> Bool {
            lhs === rhs || lhs.details == rhs.details
        }
    }

    /// All the rarely set properties; setting stores a new box, or none when they are all empty.
    @inlinable
    var details: Details {
        get { box?.details ?? Details() }
        set { box = newValue.isEmpty ? nil : DetailsBox(newValue) }
    }

    /// The rich form's children, in order.
    public var children: [Child] {
        get { box?.details.children ?? [] }
        set { details.children = newValue }
    }
    /// TwiML run on the answering client before the bridge (screening, whisper).
    public var url: URLReference? {
        get { box?.details.url }
        set { details.url = newValue }
    }
    /// Requested with call-progress events of this leg.
    public var statusCallback: URLReference? {
        get { box?.details.statusCallback }
        set { details.statusCallback = newValue }
    }
    /// Which events to report to `statusCallback`.
    public var statusCallbackEvent: [CallProgressEvent]? {
        get { box?.details.statusCallbackEvent }
        set { details.statusCallbackEvent = newValue }
    }
    /// Custom push-notification URL for mobile SDK clients.
    public var clientNotificationUrl: URLReference? {
        get { box?.details.clientNotificationUrl }
        set { details.clientNotificationUrl = newValue }
    }
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes {
        get { box?.details.extraAttributes ?? [:] }
        set { details.extraAttributes = newValue }
    }

    /// Creates a `<Client>`.
    @inlinable
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
        self.method = method
        self.statusCallbackMethod = statusCallbackMethod
        // Tested on the arguments so the common simple form never builds (and destroys) a `Details`.
        if children.isEmpty && url == nil && statusCallback == nil && statusCallbackEvent == nil
            && clientNotificationUrl == nil && extraAttributes.isEmpty
        {
            box = nil
        } else {
            box = DetailsBox(
                Details(
                    children: children,
                    url: url,
                    statusCallback: statusCallback,
                    statusCallbackEvent: statusCallbackEvent,
                    clientNotificationUrl: clientNotificationUrl,
                    extraAttributes: extraAttributes
                )
            )
        }
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
        guard let box else {
            // The common simple form: only the inline properties can be set.
            if method == nil && statusCallbackMethod == nil { return try writer.bareElement("Client", text: identity) }
            writer.start("Client", extras: ExtraAttributes())
            try writer.attribute("method", method)
            try writer.attribute("statusCallbackMethod", statusCallbackMethod)
            let hasText = !(identity ?? "").isEmpty
            try writer.endStart(empty: !hasText)
            guard let identity, hasText else { return }
            try writer.text(identity)
            writer.end("Client")
            return
        }
        writer.start("Client", extras: box.details.extraAttributes)
        try writer.attribute("clientNotificationUrl", box.details.clientNotificationUrl)
        try writer.attribute("method", method)
        try writer.attribute("statusCallback", box.details.statusCallback)
        try writer.attribute("statusCallbackEvent", box.details.statusCallbackEvent)
        try writer.attribute("statusCallbackMethod", statusCallbackMethod)
        try writer.attribute("url", box.details.url)
        let hasText = !(identity ?? "").isEmpty
        try writer.endStart(empty: !hasText && box.details.children.isEmpty)
        guard hasText || !box.details.children.isEmpty else { return }
        if let identity, hasText { try writer.text(identity) }
        try box.details.children.forEachInPlace { child in
            switch child {
            case .identity(let identity): try identity.render(into: &writer)
            case .parameter(let parameter): try parameter.render(into: &writer)
            }
        }
        writer.end("Client")
    }
}

/// `<Identity>`: the identity of a rich-form `<Client>`.
public struct Identity: Equatable, Sendable {
    // Spelled `Optional<T>`, not `T?`: see the note on ``ElementModel``.
    /// The client identity.
    public var identity: Optional<String>
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates an `<Identity>`.
    @inlinable
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
    // Spelled `Optional<T>`, not `T?`: see the note on ``ElementModel``.
    /// The parameter name.
    public var name: Optional<String>
    /// The parameter value.
    public var value: Optional<String>
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Parameter>`.
    @inlinable
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
