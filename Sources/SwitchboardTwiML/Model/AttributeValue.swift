/// A type that can be a TwiML attribute value: it reads from and writes to the attribute's string.
public protocol AttributeValue: Sendable, Equatable {
    /// Reads a value from attribute text, or nil when the text is not a valid value.
    init?(attributeValue: String)
    /// The attribute text for this value.
    var attributeValue: String { get }
    /// A short description of the accepted values, for error messages.
    static var expectation: String { get }
}

extension String: AttributeValue {
    public init?(attributeValue: String) { self = attributeValue }
    public var attributeValue: String { self }
    public static var expectation: String { "text" }
}

extension Int: AttributeValue {
    public init?(attributeValue: String) {
        guard let value = Int(attributeValue, radix: 10), !attributeValue.hasPrefix("+") else { return nil }
        self = value
    }
    public var attributeValue: String { String(self) }
    public static var expectation: String { "an integer" }
}

extension Bool: AttributeValue {
    public init?(attributeValue: String) {
        switch attributeValue {
        case "true": self = true
        case "false": self = false
        default: return nil
        }
    }
    public var attributeValue: String { self ? "true" : "false" }
    public static var expectation: String { "true or false" }
}

extension URLReference: AttributeValue {
    public init?(attributeValue: String) { self.init(attributeValue) }
    public var attributeValue: String { string }
    public static var expectation: String { "a URL" }
}

/// An attribute whose value is one of a fixed set of words.
public protocol EnumeratedAttributeValue: AttributeValue, RawRepresentable<String>, CaseIterable {}

extension EnumeratedAttributeValue {
    public init?(attributeValue: String) { self.init(rawValue: attributeValue) }
    public var attributeValue: String { rawValue }
    public static var expectation: String {
        "one of " + allCases.map(\.rawValue).joined(separator: ", ")
    }
}

extension Array: AttributeValue where Element: EnumeratedAttributeValue {
    /// A space-separated list of words, in the order given.
    public init?(attributeValue: String) {
        var values: [Element] = []
        for word in attributeValue.split(separator: " ", omittingEmptySubsequences: true) {
            guard let value = Element(rawValue: String(word)) else { return nil }
            values.append(value)
        }
        guard !values.isEmpty else { return nil }
        self = values
    }
    public var attributeValue: String { map(\.rawValue).joined(separator: " ") }
    public static var expectation: String {
        "space-separated words from " + Element.allCases.map(\.rawValue).joined(separator: ", ")
    }
}
