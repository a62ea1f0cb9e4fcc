/// `<Pause>`: waits silently.
public struct Pause: Equatable, Sendable {
    // Spelled `Optional<T>`, not `T?`: see the note on ``ElementModel``.
    /// Seconds to wait (default 1).
    public var length: Optional<Int>
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Pause>`.
    @inlinable
    public init(length: Int? = nil, extraAttributes: ExtraAttributes = [:]) {
        self.length = length
        self.extraAttributes = extraAttributes
    }
}

extension Pause: ElementModel {
    static let tag = "Pause"
    static let textRule = TextRule.none
    static let attributeSpecs: [AttributeSpec<Pause>] = [.init("length", \.length, range: 1...600)]
    init() { self.init(length: nil) }

    func render(into writer: inout TwiMLWriter) throws {
        try writer.leaf("Pause", extras: extraAttributes, text: nil) { try $0.attribute("length", length) }
    }
}
