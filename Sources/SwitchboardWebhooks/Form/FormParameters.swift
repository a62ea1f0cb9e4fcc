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

    /// Every pair, in body order, repeated names included.
    public var pairs: [Pair]

    /// Creates parameters from pairs, kept in the given order.
    public init(_ pairs: [Pair] = []) {
        self.pairs = pairs
    }

    /// Creates parameters from `(name, value)` tuples, kept in the given order.
    public init(_ pairs: some Sequence<(name: String, value: String)>) {
        self.pairs = pairs.map { Pair(name: $0.name, value: $0.value) }
    }

    /// Whether there are no pairs (an empty body).
    public var isEmpty: Bool { pairs.isEmpty }

    /// The first value of `name`, or nil when no pair has that name. Names match byte for byte.
    public subscript(name: String) -> String? {
        for pair in pairs where sameBytes(pair.name, name) {
            return pair.value
        }
        return nil
    }

    /// Every value of `name`, in body order (empty when no pair has that name).
    public func values(named name: String) -> [String] {
        pairs.compactMap { sameBytes($0.name, name) ? $0.value : nil }
    }

    /// Appends a pair at the end.
    public mutating func append(name: String, value: String) {
        pairs.append(Pair(name: name, value: value))
    }
}

extension FormParameters: ExpressibleByDictionaryLiteral {
    /// Creates parameters from a literal; unlike a dictionary, repeated names are kept, in order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.pairs = elements.map { Pair(name: $0.0, value: $0.1) }
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
