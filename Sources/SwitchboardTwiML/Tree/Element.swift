/// A TwiML element as a plain tree: what `switchboard render` reads from JSON, what the XML reader
/// produces, and what the rules check. The typed model converts to and from it.
public struct Element: Equatable, Sendable {
    /// The tag name, case-sensitive (`Response`, `Dial`, …).
    public var name: String
    /// Attributes in the order they were written.
    public var attributes: [Attribute]
    /// The element's text, or nil for none. Whitespace-only text between child elements is dropped.
    public var text: String?
    /// Child elements in document order.
    public var children: [Element]
    /// Where the element starts in its source file, when it came from one. Not part of equality.
    public var position: SourcePosition?

    /// Creates an element.
    public init(
        _ name: String,
        attributes: [Attribute] = [],
        text: String? = nil,
        children: [Element] = [],
        position: SourcePosition? = nil
    ) {
        self.name = name
        self.attributes = attributes
        self.text = text
        self.children = children
        self.position = position
    }

    /// The value of the first attribute called `name`.
    public subscript(attribute name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    /// Equal when names, attributes (as sets, since TwiML attribute order carries no meaning), text and
    /// children are equal; positions are ignored.
    public static func == (lhs: Element, rhs: Element) -> Bool {
        lhs.name == rhs.name
            && lhs.attributes.sorted() == rhs.attributes.sorted()
            && (lhs.text ?? "") == (rhs.text ?? "")
            && lhs.children == rhs.children
    }
}

/// One attribute of an ``Element``, its value already a string.
public struct Attribute: Hashable, Comparable, Sendable {
    /// The attribute's name, case-sensitive.
    public var name: String
    /// The attribute's value, unescaped.
    public var value: String

    /// Creates an attribute.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// Orders by name in Unicode code-point order (what twilio-python sorts by), then by value.
    public static func < (lhs: Attribute, rhs: Attribute) -> Bool {
        if lhs.name != rhs.name { return lhs.name.unicodeScalars.lexicographicallyPrecedes(rhs.name.unicodeScalars) }
        return lhs.value.unicodeScalars.lexicographicallyPrecedes(rhs.value.unicodeScalars)
    }
}

/// A line and column in a source file, both counting from 1.
public struct SourcePosition: Equatable, Sendable, CustomStringConvertible {
    /// The line, from 1.
    public var line: Int
    /// The column, from 1.
    public var column: Int

    /// Creates a position.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}
