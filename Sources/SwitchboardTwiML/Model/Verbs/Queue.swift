/// `<Queue>`: dequeues the caller at the front of a named queue.
public struct Queue: Equatable, Sendable {
    // Spelled `Optional<T>`, not `T?`: see the note on ``ElementModel``.
    /// The queue name.
    public var name: Optional<String>
    /// TwiML played to the dequeued caller before the bridge.
    public var url: Optional<URLReference>
    /// How to request `url`.
    public var method: Optional<HTTPMethod>
    /// A TaskRouter reservation SID.
    public var reservationSid: Optional<String>
    /// A TaskRouter activity SID for after the call.
    public var postWorkActivitySid: Optional<String>
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Queue>`.
    @inlinable
    public init(
        _ name: String? = nil,
        url: URLReference? = nil,
        method: HTTPMethod? = nil,
        reservationSid: String? = nil,
        postWorkActivitySid: String? = nil,
        extraAttributes: ExtraAttributes = [:]
    ) {
        self.name = name
        self.url = url
        self.method = method
        self.reservationSid = reservationSid
        self.postWorkActivitySid = postWorkActivitySid
        self.extraAttributes = extraAttributes
    }
}

extension Queue: ElementModel {
    static let tag = "Queue"
    static let textRule = TextRule.required("the queue name", maxLength: 64)
    static let attributeSpecs: [AttributeSpec<Queue>] = [
        .init("method", \.method),
        .init("postWorkActivitySid", \.postWorkActivitySid),
        .init("reservationSid", \.reservationSid),
        .init("url", \.url),
    ]
    init() { self.init(nil) }
    var textContent: String? {
        get { name }
        set { name = newValue }
    }

    func render(into writer: inout TwiMLWriter) throws {
        try writer.leaf("Queue", extras: extraAttributes, text: name) { writer in
            try writer.attribute("method", method)
            try writer.attribute("postWorkActivitySid", postWorkActivitySid)
            try writer.attribute("reservationSid", reservationSid)
            try writer.attribute("url", url)
        }
    }
}
