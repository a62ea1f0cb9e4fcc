/// Writes TwiML bytes exactly as twilio-python's `to_xml()` does: the XML declaration, no whitespace,
/// attributes sorted by name, `<Tag />` for empty elements, ElementTree's escaping. Unlike
/// twilio-python, it refuses characters XML 1.0 forbids.
///
/// Elements write their typed attributes in ascending name order; the writer merges the element's
/// ``ExtraAttributes`` into that order as it goes, so nothing is sorted or allocated per attribute.
struct TwiMLWriter: ~Copyable {
    private var buffer: ByteBuffer
    private var element: StaticString = "Response"
    private var extras: [Attribute] = []
    private var extraIndex = 0
    #if DEBUG
    private var lastName: [UInt8] = []
    #endif

    static let declaration: StaticString = #"<?xml version="1.0" encoding="UTF-8"?>"#

    init(capacity: Int = 1024) {
        buffer = ByteBuffer(capacity: capacity)
        buffer.append(Self.declaration)
    }

    /// Writes into lent memory first; see ``ByteBuffer/init(lending:)``.
    init(lending memory: UnsafeMutableBufferPointer<UInt8>) {
        buffer = ByteBuffer(lending: memory)
        buffer.append(Self.declaration)
    }

    /// The document's bytes.
    var bytes: [UInt8] { buffer.array() }

    /// How many bytes are written.
    var count: Int { buffer.count }

    /// Whether the bytes are all still in the lent memory.
    var isInLentMemory: Bool { buffer.isLent }

    @inline(__always)
    private mutating func append(_ string: StaticString) {
        buffer.append(string)
    }

    /// Writes `<name` and remembers the extra attributes to merge.
    mutating func start(_ name: StaticString, extras: ExtraAttributes) {
        buffer.append(UInt8(ascii: "<"))
        append(name)
        element = name
        extraIndex = 0
        // Most elements have no extras: skip the array retain and release then.
        if !extras.isEmpty {
            self.extras = extras.attributes
        } else if !self.extras.isEmpty {
            self.extras = []
        }
        #if DEBUG
        lastName = []
        #endif
    }

    /// Writes one typed attribute when `value` is not nil. Names must come in ascending order.
    @inline(__always)
    mutating func attribute(_ name: StaticString, _ value: String?) throws {
        guard let value else { return }
        try open(name)
        try escape(value, .attribute, attribute: name)
        buffer.append(UInt8(ascii: "\""))
    }

    /// Writes a URL attribute when `value` is not nil.
    @inline(__always)
    mutating func attribute(_ name: StaticString, _ value: URLReference?) throws {
        try attribute(name, value?.string)
    }

    /// Writes an integer attribute in decimal when `value` is not nil.
    @inline(__always)
    mutating func attribute(_ name: StaticString, _ value: Int?) throws {
        guard let value else { return }
        try open(name)
        appendDecimal(value)
        buffer.append(UInt8(ascii: "\""))
    }

    /// Writes `true` or `false` when `value` is not nil.
    @inline(__always)
    mutating func attribute(_ name: StaticString, _ value: Bool?) throws {
        guard let value else { return }
        try open(name)
        value ? append("true\"") : append("false\"")
    }

    /// Writes an enumerated word when `value` is not nil.
    @inline(__always)
    mutating func attribute<Value: EnumeratedAttributeValue>(_ name: StaticString, _ value: Value?) throws {
        guard let value else { return }
        try attribute(name, value.rawValue)
    }

    /// Writes a space-separated word list when `value` is not nil, word by word, without joining the
    /// words into a string first (each `<Client>` of a ring-all answer has one).
    @inline(__always)
    mutating func attribute<Word: EnumeratedAttributeValue>(_ name: StaticString, _ value: [Word]?) throws {
        guard let value else { return }
        try open(name)
        var first = true
        for word in value {
            if !first { buffer.append(UInt8(ascii: " ")) }
            first = false
            try escape(word.rawValue, .attribute, attribute: name)
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// Writes any other typed value (speech timeouts) when `value` is not nil.
    @inline(__always)
    mutating func attribute<Value: AttributeValue>(_ name: StaticString, _ value: Value?) throws {
        guard let value else { return }
        try attribute(name, value.attributeValue)
    }

    /// Writes ` name="` after any extra attributes that sort before `name`.
    @inline(__always)
    private mutating func open(_ name: StaticString) throws {
        if extraIndex < extras.count { try flushExtras(before: name) }
        #if DEBUG
        let nameBytes = Array(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        assert(lastName.lexicographicallyPrecedes(nameBytes), "attributes of <\(element)> out of order at \(name)")
        lastName = nameBytes
        #endif
        buffer.append(" ", name, "=\"")
    }

    /// Ends the start tag: ` />` when the element has no content, else `>`.
    mutating func endStart(empty: Bool) throws {
        if extraIndex < extras.count { try flushExtras(before: nil) }
        if empty {
            append(" />")
        } else {
            buffer.append(UInt8(ascii: ">"))
        }
    }

    /// Writes escaped element text.
    mutating func text(_ string: String) throws {
        try escape(string, .text, attribute: nil)
    }

    private mutating func escape(_ string: String, _ context: XMLCharacters.Context, attribute: StaticString?) throws {
        try escape(string, context, attributeName: attribute.map { $0.description })
    }

    /// Writes `</name>`.
    mutating func end(_ name: StaticString) {
        buffer.append("</", name, ">")
    }

    /// Writes an element that has no attributes at all (typed or extra): `<name>text</name>`, or
    /// `<name />` when `text` is nil or empty. Skips the attribute bookkeeping of ``start(_:extras:)``.
    mutating func bareElement(_ name: StaticString, text: String?) throws {
        element = name
        guard let text, !text.isEmpty else {
            buffer.append("<", name, " />")
            return
        }
        buffer.append("<", name, ">")
        try self.text(text)
        end(name)
    }

    /// Writes a leaf element: start tag, typed attributes through `attributes`, and text when non-empty.
    mutating func leaf(
        _ name: StaticString,
        extras: ExtraAttributes,
        text: String?,
        attributes: (inout TwiMLWriter) throws -> Void
    ) throws {
        start(name, extras: extras)
        try attributes(&self)
        guard let text, !text.isEmpty else { return try endStart(empty: true) }
        try endStart(empty: false)
        try self.text(text)
        end(name)
    }

    private mutating func flushExtras(before name: StaticString?) throws {
        while extraIndex < extras.count {
            let extra = extras[extraIndex]
            if let name {
                let order = compare(extra.name, name)
                if order > 0 { return }
                if order == 0 { throw TwiMLError.duplicateAttribute(extra.name, element: element.description) }
            }
            buffer.append(UInt8(ascii: " "))
            try escapeName(extra.name)
            buffer.append(UInt8(ascii: "="))
            buffer.append(UInt8(ascii: "\""))
            try escape(extra.value, .attribute, attributeName: extra.name)
            buffer.append(UInt8(ascii: "\""))
            extraIndex += 1
        }
    }

    /// Extra attribute names are written as given; anything that could not be an XML name is refused.
    private mutating func escapeName(_ name: String) throws {
        let valid =
            !name.isEmpty
            && name.unicodeScalars.allSatisfy { scalar in
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-"
                    || scalar == "." || scalar == ":"
            }
        guard valid, let first = name.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else {
            throw TwiMLError.invalidDocument([
                Diagnostic(rule: "attribute-name", message: "\"\(name)\" is not an XML attribute name", path: element.description)
            ])
        }
        buffer.append(Array(name.utf8))
    }

    private func compare(_ string: String, _ name: StaticString) -> Int {
        var utf8 = string.utf8.makeIterator()
        let other = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        for byte in other {
            guard let mine = utf8.next() else { return -1 }
            if mine != byte { return mine < byte ? -1 : 1 }
        }
        return utf8.next() == nil ? 0 : 1
    }

    /// The attribute name is only turned into a `String` when there is an error to report.
    @inline(__always)
    private mutating func escape(_ string: String, _ context: XMLCharacters.Context, attributeName: @autoclosure () -> String?) throws {
        // Reads the borrowed string's storage in place (a copy would retain it); falls back for the rare
        // non-contiguous string.
        var forbidden = string.utf8.withContiguousStorageIfAvailable { utf8 in
            XMLCharacters.appendEscaped(utf8, to: &buffer, context: context)
        }
        if forbidden == nil {
            var copy = string
            forbidden = copy.withUTF8 { utf8 in XMLCharacters.appendEscaped(utf8, to: &buffer, context: context) }
        }
        if let forbidden = forbidden ?? nil {
            throw TwiMLError.invalidCharacter(forbidden, element: element.description, attribute: attributeName())
        }
    }

    private mutating func appendDecimal(_ value: Int) {
        if value < 0 {
            buffer.append(UInt8(ascii: "-"))
        }
        var magnitude = value.magnitude
        if magnitude < 10 {
            buffer.append(UInt8(ascii: "0") + UInt8(magnitude))
            return
        }
        let start = buffer.count
        while magnitude > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        }
        buffer.reverseTail(from: start)
    }
}
