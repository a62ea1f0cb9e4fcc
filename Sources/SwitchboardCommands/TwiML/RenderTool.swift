import SwitchboardTwiML

/// What `switchboard render` does, free of files and standard streams so tests run it directly.
public enum RenderTool {
    /// Renders one JSON element tree as TwiML bytes with any warnings, or returns every error, each
    /// naming its element path.
    public static func render(json: [UInt8], allowUnknownAttributes: Bool = false) -> Result<Rendered, RenderFailure> {
        let element: Element
        do {
            element = try ElementJSON.decode(json)
        } catch {
            return .failure(RenderFailure(messages: [error.description]))
        }
        let (document, diagnostics) = VoiceResponse.decode(element, options: DecodingOptions(allowUnknownAttributes: allowUnknownAttributes))
        let errors = diagnostics.filter { $0.severity == .error }
        guard let document, errors.isEmpty else {
            return .failure(RenderFailure(messages: errors.map(\.description)))
        }
        do {
            let warnings = diagnostics.map { "warning: \($0)" }
            return .success(Rendered(bytes: try document.renderBytes(), warnings: warnings))
        } catch {
            return .failure(RenderFailure(messages: ["\(error)"]))
        }
    }
}

/// Why a document could not be rendered: one line per problem.
public struct RenderFailure: Error, Equatable {
    /// One message per problem, each starting with the element path.
    public var messages: [String]
}

/// A rendered document and the warnings its rules raised.
public struct Rendered: Equatable {
    /// The TwiML bytes.
    public var bytes: [UInt8]
    /// One line per rule the document breaks without being unrenderable.
    public var warnings: [String]
}
