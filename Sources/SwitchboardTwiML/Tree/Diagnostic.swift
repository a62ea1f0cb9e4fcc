/// One problem found in a TwiML element tree: which rule, where, and why.
public struct Diagnostic: Equatable, Sendable, CustomStringConvertible {
    /// How bad a problem is.
    public enum Severity: String, Sendable {
        /// The tree does not fit the model (unknown names, nesting, wrong value types, forbidden
        /// characters): it cannot be rendered.
        case error
        /// The document renders, but breaks one of Twilio's rules (ranges, limits, unreachable verbs…).
        case warning
    }

    /// Rules whose findings are errors; every other rule warns.
    public static let errorRules: Set<String> = [
        "root", "unknown-element", "unknown-attribute", "duplicate-attribute", "nesting", "bad-value", "invalid-character",
    ]

    /// A stable rule name such as `unknown-attribute` or `dial-noun-limit`.
    public var rule: String
    /// A sentence describing the problem.
    public var message: String
    /// The element's path, such as `Response/Dial[1]/Client[3]` (indexes count siblings of that name from 1).
    public var path: String
    /// Where the element starts in its source, when known.
    public var position: SourcePosition?

    /// Creates a diagnostic.
    public init(rule: String, message: String, path: String, position: SourcePosition? = nil) {
        self.rule = rule
        self.message = message
        self.path = path
        self.position = position
    }

    /// ``Severity/error`` for the structural rules in ``errorRules``, else ``Severity/warning``.
    public var severity: Severity { Self.errorRules.contains(rule) ? .error : .warning }

    /// `path: rule: message`.
    public var description: String { "\(path): \(rule): \(message)" }
}
