/// A typed TwiML element: its tag, its attribute table, how its text and children map to the plain
/// ``Element`` tree, and how it writes itself.
///
/// Note on stored optionals: the elements built on hot paths spell them `Optional<T>`, not `T?`. A
/// `var x: T?` gets an implicit `= nil` initial value, so an init first stores nil in it and then assigns
/// the argument; with that, the optimizer built each element in a temporary and then copied it (every
/// reference retained) and destroyed the temporary, in the init and again where `.say(Say(...))` puts it
/// in an enum. `Optional<T>` has no implicit initial value, so the init stores each argument once, in
/// place. Both spellings are the same type: the public API does not change. (Measured: voicemail
/// build+render ~436 -> ~354 ns, ring_all_10 ~722 -> ~642 ns.)
protocol ElementModel: Sendable, Equatable {
    /// The tag name.
    static var tag: String { get }
    /// Typed attributes, any order.
    static var attributeSpecs: [AttributeSpec<Self>] { get }
    /// How the element's text is used.
    static var textRule: TextRule { get }
    /// Tags of the children this element accepts, in the words of error messages.
    static var childTags: [String] { get }

    /// An element with no attributes, text or children.
    init()

    /// Attributes the model has no property for.
    var extraAttributes: ExtraAttributes { get set }
    /// The element's text.
    var textContent: String? { get set }

    /// Decodes one child element; called only for tags in ``childTags``.
    mutating func appendChild(_ element: Element, decoder: inout ElementDecoder)
    /// The children as plain elements, in order.
    func childElements() -> [Element]

    /// Writes the element, attributes in ascending name order.
    func render(into writer: inout TwiMLWriter) throws
}

/// Whether an element takes text, and whether it needs it.
struct TextRule: Sendable {
    /// Text is not allowed.
    static let none = TextRule(allowed: false, required: false, maxLength: nil, what: "")
    let allowed: Bool
    /// A missing or empty text is reported by the `required` rule.
    let required: Bool
    let maxLength: Int?
    /// What the text is, for messages (`a phone number`, `the client identity`).
    let what: String

    static func optional(_ what: String, maxLength: Int? = nil) -> TextRule {
        TextRule(allowed: true, required: false, maxLength: maxLength, what: what)
    }

    static func required(_ what: String, maxLength: Int? = nil) -> TextRule {
        TextRule(allowed: true, required: true, maxLength: maxLength, what: what)
    }
}

extension ElementModel {
    static var childTags: [String] { [] }
    var textContent: String? {
        get { nil }
        set {}
    }
    mutating func appendChild(_ element: Element, decoder: inout ElementDecoder) {}
    func childElements() -> [Element] { [] }

    /// The element as a plain tree.
    func element() -> Element {
        var attributes = Self.attributeSpecs.compactMap { spec in spec.encode(self).map { Attribute(spec.name, $0) } }
        attributes += extraAttributes.attributes
        return Element(Self.tag, attributes: attributes, text: textContent, children: childElements())
    }
}
