extension VoiceResponse {
    /// Reads a document from a plain element tree, reporting every problem at once.
    ///
    /// Warnings (rules a renderable document breaks) do not stop it; ``diagnostics()`` lists them.
    ///
    /// - Throws: ``TwiMLError/invalidDocument`` listing each error ``Diagnostic``: unknown elements and
    ///   attributes, nesting Twilio forbids, values of the wrong type, forbidden characters.
    public init(element: Element, options: DecodingOptions = DecodingOptions()) throws {
        let (document, diagnostics) = Self.decode(element, options: options)
        let errors = diagnostics.filter { $0.severity == .error }
        guard let document, errors.isEmpty else { throw TwiMLError.invalidDocument(errors) }
        self = document
    }

    /// Reads a document and returns it with every problem found, errors and warnings; the document is nil
    /// only when the root is not `<Response>`. Elements and attributes with errors are left out of it.
    public static func decode(_ element: Element, options: DecodingOptions = DecodingOptions()) -> (VoiceResponse?, [Diagnostic]) {
        guard element.name == tag else {
            let diagnostic = Diagnostic(
                rule: "root",
                message: "the root element must be <Response>, not <\(element.name)>",
                path: element.name,
                position: element.position
            )
            return (nil, [diagnostic])
        }
        var decoder = ElementDecoder(options: options)
        let document = decoder.decodeRoot(VoiceResponse.self, from: element)
        return (document, decoder.diagnostics)
    }

    /// The document as a plain element tree, attributes in table order then extras.
    public func element() -> Element {
        Element(Self.tag, attributes: extraAttributes.attributes, children: childElements())
    }

    /// Every rule violation in this document, as `switchboard lint` would report it.
    public func diagnostics() -> [Diagnostic] {
        Self.decode(element(), options: DecodingOptions(allowUnknownAttributes: true)).1
    }
}
