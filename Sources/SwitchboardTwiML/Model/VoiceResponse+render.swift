extension VoiceResponse {
    /// The first array capacity ``renderBytes()`` writes into, enough for most documents. With the array's
    /// 32-byte header the allocation stays within glibc's per-thread cache (chunks up to 1,032 bytes);
    /// 1,024 bytes of capacity fell outside it and cost a slower malloc and free.
    static let firstCapacity = 960

    /// The document's bytes exactly as twilio-python 9.x `to_xml()` writes them: the XML declaration, no
    /// whitespace, attributes sorted by name, `<Tag />` for empty elements.
    ///
    /// - Throws: ``TwiMLError/invalidCharacter`` when text or an attribute holds a character XML 1.0
    ///   forbids; ``TwiMLError/duplicateAttribute`` when an extra attribute repeats a typed one.
    public func renderBytes() throws -> [UInt8] {
        // Writes straight into the array returned; only a document longer than the first guess is copied
        // once more, from the writer's own memory.
        // (`append(addingCapacity:)` rather than `init(unsafeUninitializedCapacity:)`, whose allocation is an
        // unspecialized runtime call that looks up the array type's metadata on every document.)
        var bytes: [UInt8] = []
        var larger: [UInt8]?
        try bytes.append(addingCapacity: Self.firstCapacity) { span in
            try span.withUnsafeMutableBufferPointer { memory, initializedCount in
                var writer = TwiMLWriter(lending: memory)
                try render(into: &writer)
                if writer.isInLentMemory {
                    initializedCount = writer.count
                } else {
                    larger = writer.bytes
                }
            }
        }
        return larger ?? bytes
    }

    /// The document as a string; see ``renderBytes()``.
    public func render() throws -> String {
        String(decoding: try renderBytes(), as: UTF8.self)
    }
}
