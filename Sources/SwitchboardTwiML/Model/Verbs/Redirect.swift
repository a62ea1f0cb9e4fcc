/// `<Redirect>`: continues the call with the TwiML at another URL.
public struct Redirect: Equatable, Sendable {
    // Spelled `Optional<T>`, not `T?`: see the note on ``ElementModel``.
    /// Where the next TwiML comes from.
    public var url: Optional<URLReference>
    /// How to request it (default POST).
    public var method: Optional<HTTPMethod>
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Redirect>`.
    @inlinable
    public init(_ url: URLReference? = nil, method: HTTPMethod? = nil, extraAttributes: ExtraAttributes = [:]) {
        self.url = url
        self.method = method
        self.extraAttributes = extraAttributes
    }
}

extension Redirect: ElementModel {
    static let tag = "Redirect"
    static let textRule = TextRule.required("the URL to continue with")
    static let attributeSpecs: [AttributeSpec<Redirect>] = [.init("method", \.method)]
    init() { self.init(nil) }
    var textContent: String? {
        get { url?.string }
        set { url = newValue.map { URLReference($0) } }
    }

    func render(into writer: inout TwiMLWriter) throws {
        try writer.leaf("Redirect", extras: extraAttributes, text: url?.string) { try $0.attribute("method", method) }
    }
}
