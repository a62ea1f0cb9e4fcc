/// `<Hangup>`: ends the call.
public struct Hangup: Equatable, Sendable {
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Hangup>`.
    @inlinable
    public init(extraAttributes: ExtraAttributes = [:]) { self.extraAttributes = extraAttributes }
}

extension Hangup: ElementModel {
    static let tag = "Hangup"
    static let textRule = TextRule.none
    static let attributeSpecs: [AttributeSpec<Hangup>] = []
    init() { self.init(extraAttributes: [:]) }

    func render(into writer: inout TwiMLWriter) throws {
        try writer.leaf("Hangup", extras: extraAttributes, text: nil) { _ in }
    }
}
