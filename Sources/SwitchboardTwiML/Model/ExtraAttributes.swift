/// Attributes the typed model does not know yet (Twilio adds some without notice), kept sorted by
/// name so the writer can merge them with the typed ones in one pass.
public struct ExtraAttributes: Equatable, Sendable, ExpressibleByDictionaryLiteral {
    /// The storage of ``attributes``; usable from inlinable code so that `[:]`, every element's default,
    /// compiles to an empty array at the call site instead of a call.
    @usableFromInline var storage: [Attribute]

    /// The attributes, sorted by name in code-point order; names are unique.
    public var attributes: [Attribute] { storage }

    /// No extra attributes.
    @inlinable
    public init() { storage = [] }

    /// Extra attributes from a literal such as `["fooBar": "1"]`.
    @inlinable
    public init(dictionaryLiteral elements: (String, String)...) {
        storage = []
        if !elements.isEmpty { insert(elements) }
    }

    @usableFromInline
    mutating func insert(_ elements: [(String, String)]) {
        for (name, value) in elements { self[name] = value }
    }

    /// The value of the extra attribute `name`; setting nil removes it.
    public subscript(name: String) -> String? {
        get { storage.first { $0.name == name }?.value }
        set {
            storage.removeAll { $0.name == name }
            guard let newValue else { return }
            let attribute = Attribute(name, newValue)
            let index = storage.firstIndex { attribute < $0 } ?? storage.endIndex
            storage.insert(attribute, at: index)
        }
    }

    /// Whether there are none.
    @inlinable
    public var isEmpty: Bool { storage.isEmpty }
}
