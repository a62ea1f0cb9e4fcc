/// Writes TwiML bytes exactly as twilio-python's `to_xml()` does: the XML declaration, no whitespace,
/// attributes sorted by name, `<Tag />` for empty elements, ElementTree's escaping. Unlike
/// twilio-python, it refuses characters XML 1.0 forbids.
///
/// Elements write their typed attributes in ascending name order; the writer merges the element's
/// ``ExtraAttributes`` into that order as it goes, so nothing is sorted or allocated per attribute.
struct TwiMLWriter {
    private(set) var bytes: [UInt8]
    private var element: StaticString = "Response"
    private var extras: [Attribute] = []
    private var extraIndex = 0
    #if DEBUG
    private var lastName: [UInt8] = []
    #endif

    static let declaration: StaticString = #"<?xml version="1.0" encoding="UTF-8"?>"#

    init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
        append(Self.declaration)
    }

    @inline(__always)
    private mutating func append(_ string: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: string.utf8Start, count: string.utf8CodeUnitCount))
    }

    /// Writes `<name` and remembers the extra attributes to merge.
    mutating func start(_ name: StaticString, extras: ExtraAttributes) {
        bytes.append(UInt8(ascii: "<"))
        append(name)
        element = name
        self.extras = extras.attributes
        extraIndex = 0
        #if DEBUG
        lastName = []
        #endif
    }

    /// Writes one typed attribute when `value` is not nil. Names must come in ascending order.
    @inline(__always)
    mutating func attribute(_ name: StaticString, _ value: (some AttributeValue)?) throws {
        guard let value else { return }
        try flushExtras(before: name)
        #if DEBUG
        let nameBytes = Array(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        assert(lastName.lexicographicallyPrecedes(nameBytes), "attributes of <\(element)> out of order at \(name)")
        lastName = nameBytes
        #endif
        bytes.append(UInt8(ascii: " "))
        append(name)
        bytes.append(UInt8(ascii: "="))
        bytes.append(UInt8(ascii: "\""))
        switch value {
        case let flag as Bool: flag ? append("true") : append("false")
        case let number as Int: appendDecimal(number)
        case let string as String: try escape(string, .attribute, attribute: name.description)
        case let url as URLReference: try escape(url.string, .attribute, attribute: name.description)
        default: try escape(value.attributeValue, .attribute, attribute: name.description)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Ends the start tag: ` />` when the element has no content, else `>`.
    mutating func endStart(empty: Bool) throws {
        try flushExtras(before: nil)
        if empty {
            append(" />")
        } else {
            bytes.append(UInt8(ascii: ">"))
        }
    }

    /// Writes escaped element text.
    mutating func text(_ string: String) throws {
        try escape(string, .text, attribute: nil)
    }

    /// Writes `</name>`.
    mutating func end(_ name: StaticString) {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(UInt8(ascii: "/"))
        append(name)
        bytes.append(UInt8(ascii: ">"))
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
            bytes.append(UInt8(ascii: " "))
            try escapeName(extra.name)
            bytes.append(UInt8(ascii: "="))
            bytes.append(UInt8(ascii: "\""))
            try escape(extra.value, .attribute, attribute: extra.name)
            bytes.append(UInt8(ascii: "\""))
            extraIndex += 1
        }
    }

    /// Extra attribute names are written as given; anything that could not be an XML name is refused.
    private mutating func escapeName(_ name: String) throws {
        let valid = !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-"
                || scalar == "." || scalar == ":"
        }
        guard valid, let first = name.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else {
            throw TwiMLError.invalidDocument([
                Diagnostic(rule: "attribute-name", message: "\"\(name)\" is not an XML attribute name", path: element.description)
            ])
        }
        bytes.append(contentsOf: name.utf8)
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

    private mutating func escape(_ string: String, _ context: XMLCharacters.Context, attribute: String?) throws {
        var string = string
        let forbidden = string.withUTF8 { buffer in
            XMLCharacters.appendEscaped(buffer, to: &bytes, context: context)
        }
        if let forbidden {
            throw TwiMLError.invalidCharacter(forbidden, element: element.description, attribute: attribute)
        }
    }

    private mutating func appendDecimal(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
        }
        var magnitude = value.magnitude
        if magnitude < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude))
            return
        }
        let start = bytes.count
        while magnitude > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        }
        bytes[start...].reverse()
    }
}
