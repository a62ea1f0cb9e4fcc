/// An error raised while building, rendering or reading a TwiML document.
///
/// Match on the code: `catch let error as TwiMLError where error == .invalidCharacter`.
public struct TwiMLError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case invalidCharacter
        case duplicateAttribute
        case invalidDocument
    }

    private let code: Code
    /// A sentence saying what is wrong and where.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A character XML 1.0 forbids (a control character other than tab, newline and carriage return,
    /// U+FFFE or U+FFFF) appeared in text or an attribute value.
    public static let invalidCharacter = TwiMLError(.invalidCharacter, "")
    /// The same attribute name was given twice on one element (a typed attribute and an extra one).
    public static let duplicateAttribute = TwiMLError(.duplicateAttribute, "")
    /// A document or element tree does not fit the TwiML model; ``message`` names every problem.
    public static let invalidDocument = TwiMLError(.invalidDocument, "")

    static func invalidCharacter(_ scalar: UInt32, element: String, attribute: String?) -> TwiMLError {
        let hex = String(scalar, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let place = attribute.map { "attribute \($0) of <\(element)>" } ?? "text of <\(element)>"
        return TwiMLError(.invalidCharacter, "\(code) is not allowed in XML 1.0 (\(place))")
    }

    static func duplicateAttribute(_ name: String, element: String) -> TwiMLError {
        TwiMLError(.duplicateAttribute, "attribute \(name) is given twice on <\(element)>")
    }

    /// A document that does not fit the model, with the diagnostics that say why.
    public static func invalidDocument(_ diagnostics: [Diagnostic]) -> TwiMLError {
        TwiMLError(.invalidDocument, diagnostics.map(\.description).joined(separator: "\n"))
    }

    public var description: String { message }

    public static func == (lhs: TwiMLError, rhs: TwiMLError) -> Bool { lhs.code == rhs.code }
}
