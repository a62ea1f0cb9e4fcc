/// The name-value pairs of an `application/x-www-form-urlencoded` body (what Twilio POSTs), in body order.
///
/// Repeated names are kept, each pair where it appeared. ``subscript(_:)`` answers the first value of a
/// name and ``values(named:)`` all of them. Names and values compare byte for byte (UTF-8), never by
/// Unicode canonical equivalence, because the signature covers the exact bytes Twilio sent.
///
/// Build one with ``parse(_:)`` from a request body, or in code for tests and the `sign` command:
///
///     let form: FormParameters = ["CallSid": "CA123", "Digits": "1", "Digits": "2"]
public struct FormParameters: Hashable, Sendable {
    /// One `name=value` pair.
    public struct Pair: Hashable, Sendable, CustomStringConvertible {
        /// The decoded name.
        public var name: String
        /// The decoded value; empty for `name=` and for a bare `name`.
        public var value: String

        /// Creates a pair.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }

        /// Byte-for-byte equality of name and value.
        public static func == (lhs: Pair, rhs: Pair) -> Bool {
            sameBytes(lhs.name, rhs.name) && sameBytes(lhs.value, rhs.value)
        }

        /// Hashes the UTF-8 bytes, consistent with ``==(_:_:)``.
        public func hash(into hasher: inout Hasher) {
            for byte in name.utf8 { hasher.combine(byte) }
            hasher.combine(0xFF as UInt8)  // never a UTF-8 byte: separates name from value
            for byte in value.utf8 { hasher.combine(byte) }
        }

        /// `name=value`, undecoded, for diagnostics.
        public var description: String { "\(name)=\(value)" }
    }

    /// The decoded bytes of every name and value, back to back, in body order.
    ///
    /// A request's pairs live in this one buffer, not in two strings per pair: a parsed body costs two
    /// allocations, the signature is computed from these bytes, and a string is made only for a field
    /// that is read. Every name and value in it is valid UTF-8.
    private var storage: [UInt8]
    /// Where each pair lies in ``storage``, in order; the fields tile it exactly, so two equal forms have
    /// equal storage (the synthesized equality compares the bytes, never Unicode equivalence).
    private var fields: [Field]

    /// One pair's place in the storage: the name's bytes, then the value's.
    struct Field: Hashable, Sendable {
        var start: Int
        var nameCount: Int
        var valueCount: Int

        var name: Range<Int> { start..<start + nameCount }
        var value: Range<Int> { start + nameCount..<start + nameCount + valueCount }
        var end: Int { start + nameCount + valueCount }
    }

    /// Parameters made from decoded bytes and their fields; the parser's way in.
    ///
    /// - Precondition: `fields` tile `storage` in order, and each name and value is valid UTF-8.
    init(storage: [UInt8], fields: [Field]) {
        self.storage = storage
        self.fields = fields
    }

    /// Every pair, in body order, repeated names included. Reading makes two strings per pair; the
    /// routes read single fields with ``subscript(_:)`` instead.
    public var pairs: [Pair] {
        get { (0..<fields.count).map { Pair(name: name(at: $0), value: value(at: $0)) } }
        set { self = FormParameters(newValue) }
    }

    /// Creates parameters from pairs, kept in the given order.
    public init(_ pairs: [Pair] = []) {
        self.init(storage: [], fields: [])
        for pair in pairs { append(name: pair.name, value: pair.value) }
    }

    /// Creates parameters from `(name, value)` tuples, kept in the given order.
    public init(_ pairs: some Sequence<(name: String, value: String)>) {
        self.init(storage: [], fields: [])
        for pair in pairs { append(name: pair.name, value: pair.value) }
    }

    /// Whether there are no pairs (an empty body).
    public var isEmpty: Bool { fields.isEmpty }

    /// How many pairs there are, repeated names included.
    public var count: Int { fields.count }

    /// The first value of `name`, or nil when no pair has that name. Names match byte for byte.
    public subscript(name: String) -> String? {
        firstIndex(named: name).map { value(at: $0) }
    }

    /// Every value of `name`, in body order (`Digits=1&Digits=2` gives `["1", "2"]`).
    public func values(named name: String) -> [String] {
        var name = name
        return name.withUTF8 { key in
            fields.indices.compactMap { index in matches(fields[index], key) ? value(at: index) : nil }
        }
    }

    /// Appends a pair after the others.
    public mutating func append(name: String, value: String) {
        let start = storage.count
        storage.append(contentsOf: name.utf8)
        storage.append(contentsOf: value.utf8)
        fields.append(Field(start: start, nameCount: name.utf8.count, valueCount: value.utf8.count))
    }

    /// Calls `body` with the storage and the fields, for the signature, which needs every pair's bytes.
    func withFields<Result>(_ body: (UnsafeBufferPointer<UInt8>, [Field]) -> Result) -> Result {
        storage.withUnsafeBufferPointer { body($0, fields) }
    }

    private func firstIndex(named name: String) -> Int? {
        var name = name
        return name.withUTF8 { key in fields.indices.first { matches(fields[$0], key) } }
    }

    private func matches(_ field: Field, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard field.nameCount == key.count else { return false }
        return storage.withUnsafeBufferPointer { bytes in
            var index = 0
            while index < key.count {
                guard bytes[field.start + index] == key[index] else { return false }
                index += 1
            }
            return true
        }
    }

    private func name(at index: Int) -> String { string(fields[index].name) }

    private func value(at index: Int) -> String { string(fields[index].value) }

    private func string(_ range: Range<Int>) -> String {
        storage.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }
}

extension FormParameters: ExpressibleByDictionaryLiteral {
    /// Creates parameters from a literal; unlike a dictionary, repeated names are kept, in order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(storage: [], fields: [])
        for (name, value) in elements { append(name: name, value: value) }
    }
}

extension FormParameters: CustomStringConvertible {
    /// The form-encoded body, as ``encoded()`` gives it.
    public var description: String { encoded() }
}

/// Byte-for-byte equality of two strings' UTF-8 (not Swift's canonical equivalence); the length check
/// answers most lookups of one name among many.
@inline(__always)
func sameBytes(_ a: String, _ b: String) -> Bool {
    let (aUTF8, bUTF8) = (a.utf8, b.utf8)
    guard aUTF8.count == bUTF8.count else { return false }
    let fast = aUTF8.withContiguousStorageIfAvailable { aBytes in
        bUTF8.withContiguousStorageIfAvailable { bBytes in aBytes.elementsEqual(bBytes) }
    }
    return (fast ?? nil) ?? aUTF8.elementsEqual(bUTF8)
}
