/// Attributes the typed model does not know yet (Twilio adds some without notice), kept sorted by
/// name so the writer can merge them with the typed ones in one pass.
public struct ExtraAttributes: Equatable, Sendable, ExpressibleByDictionaryLiteral {
    /// The attributes, sorted by name in code-point order; names are unique.
    public private(set) var attributes: [Attribute]

    /// No extra attributes.
    public init() { attributes = [] }

    /// Extra attributes from a literal such as `["fooBar": "1"]`.
    public init(dictionaryLiteral elements: (String, String)...) {
        attributes = []
        for (name, value) in elements { self[name] = value }
    }

    /// The value of the extra attribute `name`; setting nil removes it.
    public subscript(name: String) -> String? {
        get { attributes.first { $0.name == name }?.value }
        set {
            attributes.removeAll { $0.name == name }
            guard let newValue else { return }
            let attribute = Attribute(name, newValue)
            let index = attributes.firstIndex { attribute < $0 } ?? attributes.endIndex
            attributes.insert(attribute, at: index)
        }
    }

    /// Whether there are none.
    public var isEmpty: Bool { attributes.isEmpty }
}
