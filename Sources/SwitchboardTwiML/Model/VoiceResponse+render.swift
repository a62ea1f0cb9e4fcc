extension VoiceResponse {
    /// The document's bytes exactly as twilio-python 9.x `to_xml()` writes them: the XML declaration, no
    /// whitespace, attributes sorted by name, `<Tag />` for empty elements.
    ///
    /// - Throws: ``TwiMLError/invalidCharacter`` when text or an attribute holds a character XML 1.0
    ///   forbids; ``TwiMLError/duplicateAttribute`` when an extra attribute repeats a typed one.
    public func renderBytes() throws -> [UInt8] {
        var writer = TwiMLWriter(capacity: 1024)
        try render(into: &writer)
        return writer.bytes
    }

    /// The document as a string; see ``renderBytes()``.
    public func render() throws -> String {
        String(decoding: try renderBytes(), as: UTF8.self)
    }
}
