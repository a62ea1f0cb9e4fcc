/// One header field.
public struct HTTPHeader: Sendable, Equatable, CustomStringConvertible {
    /// The field name as sent or received.
    public var name: String
    /// The field value, without surrounding whitespace.
    public var value: String

    /// Creates a header field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// Whether the field is called `name`, compared case-insensitively as HTTP requires.
    public func hasName(_ name: String) -> Bool {
        self.name.utf8.count == name.utf8.count && self.name.lowercased() == name.lowercased()
    }

    /// `Name: value`.
    public var description: String { "\(name): \(value)" }
}
