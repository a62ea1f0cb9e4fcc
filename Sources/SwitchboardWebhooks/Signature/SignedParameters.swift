/// The part of the string to sign that comes from the POST parameters, as twilio-python builds it: for
/// each name in `sorted(set(names))`, for each value in `sorted(set(values of that name))`, `name + value`.
///
/// Python sorts strings by code point, which for UTF-8 is plain byte order, and its sets compare code
/// points exactly, so everything here compares bytes (never Swift's canonical-equivalence `==`/`<`).
enum SignedParameters {
    /// The number of bytes ``write(_:to:)`` needs at most: every name and value once.
    static func capacity(for parameters: FormParameters) -> Int {
        parameters.withFields { bytes, _ in bytes.count }
    }

    /// Writes the parameter block into `output`, which must hold ``capacity(for:)`` bytes, and returns
    /// its length.
    ///
    /// The form keeps each pair's name and value back to back, so the block is those bytes in sorted
    /// order with repeated pairs left out. Twilio sends its parameters sorted by name, so the order is
    /// checked first and sorted only when it does not hold.
    static func write(_ parameters: FormParameters, to output: UnsafeMutableBufferPointer<UInt8>) -> Int {
        parameters.withFields { bytes, fields in
            guard let base = bytes.baseAddress, !fields.isEmpty else { return 0 }
            return withUnsafeTemporaryAllocation(of: FormParameters.Field.self, capacity: fields.count) { storage in
                var order = storage
                var sorted = true
                for (index, field) in fields.enumerated() {
                    order.initializeElement(at: index, to: field)
                    if index > 0, precedes(field, fields[index - 1], in: base) { sorted = false }
                }
                if !sorted { order.sort { precedes($0, $1, in: base) } }
                var written = 0
                var previous: FormParameters.Field?
                for field in order {
                    if let previous, equal(previous, field, in: base) { continue }
                    let count = field.nameCount + field.valueCount
                    (output.baseAddress! + written).initialize(from: base + field.start, count: count)
                    written += count
                    previous = field
                }
                return written
            }
        }
    }

    /// Whether `a` sorts before `b`: by name, then by value, byte by byte.
    private static func precedes(_ a: FormParameters.Field, _ b: FormParameters.Field, in base: UnsafePointer<UInt8>) -> Bool {
        let names = compare(base + a.start, a.nameCount, base + b.start, b.nameCount)
        if names != 0 { return names < 0 }
        return compare(base + a.start + a.nameCount, a.valueCount, base + b.start + b.nameCount, b.valueCount) < 0
    }

    /// Whether `a` and `b` are the same pair.
    private static func equal(_ a: FormParameters.Field, _ b: FormParameters.Field, in base: UnsafePointer<UInt8>) -> Bool {
        a.nameCount == b.nameCount && a.valueCount == b.valueCount
            && compare(base + a.start, a.nameCount + a.valueCount, base + b.start, b.nameCount + b.valueCount) == 0
    }

    /// Lexicographic comparison of two byte strings: negative, zero or positive.
    @inline(__always)
    private static func compare(_ a: UnsafePointer<UInt8>, _ aCount: Int, _ b: UnsafePointer<UInt8>, _ bCount: Int) -> Int {
        let common = min(aCount, bCount)
        var index = 0
        while index < common {
            let x = a[index]
            let y = b[index]
            if x != y { return x < y ? -1 : 1 }
            index += 1
        }
        return aCount - bCount
    }
}
