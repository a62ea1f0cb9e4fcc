/// `<Leave>`: takes the call out of its queue.
public struct Leave: Equatable, Sendable {
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Leave>`.
    @inlinable
    public init(extraAttributes: ExtraAttributes = [:]) { self.extraAttributes = extraAttributes }
}

extension Leave: ElementModel {
    static let tag = "Leave"
    static let textRule = TextRule.none
    static let attributeSpecs: [AttributeSpec<Leave>] = []
    init() { self.init(extraAttributes: [:]) }

    func render(into writer: inout TwiMLWriter) throws {
        try writer.leaf("Leave", extras: extraAttributes, text: nil) { _ in }
    }
}
