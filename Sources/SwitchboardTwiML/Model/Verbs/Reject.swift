/// `<Reject>`: refuses the call without answering (not billed).
public struct Reject: Equatable, Sendable {
    // Spelled `Optional<T>`, not `T?`: see the note on ``ElementModel``.
    /// What the caller hears (default `rejected`).
    public var reason: Optional<RejectReason>
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Reject>`.
    @inlinable
    public init(reason: RejectReason? = nil, extraAttributes: ExtraAttributes = [:]) {
        self.reason = reason
        self.extraAttributes = extraAttributes
    }
}

extension Reject: ElementModel {
    static let tag = "Reject"
    static let textRule = TextRule.none
    static let attributeSpecs: [AttributeSpec<Reject>] = [.init("reason", \.reason)]
    init() { self.init(reason: nil) }

    func render(into writer: inout TwiMLWriter) throws {
        try writer.leaf("Reject", extras: extraAttributes, text: nil) { try $0.attribute("reason", reason) }
    }
}
