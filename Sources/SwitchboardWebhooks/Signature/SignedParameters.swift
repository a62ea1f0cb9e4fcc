/// The part of the string to sign that comes from the POST parameters, as twilio-python builds it: for
/// each name in `sorted(set(names))`, for each value in `sorted(set(values of that name))`, `name + value`.
///
/// Python sorts strings by code point, which for UTF-8 is plain byte order, and its sets compare code
/// points exactly, so everything here compares bytes (never Swift's canonical-equivalence `==`/`<`).
enum SignedParameters {
    /// The number of bytes ``write(_:to:)`` needs at most: every name and value once.
    static func capacity(for parameters: FormParameters) -> Int {
        var total = 0
        for pair in parameters.pairs { total += pair.name.utf8.count + pair.value.utf8.count }
        return total
    }

    /// Writes the parameter block into `output` and returns its length; `arena` and `output` must each
    /// hold ``capacity(for:)`` bytes.
    ///
    /// Copies every pair's bytes once into `arena`, sorts small index records by comparing those bytes,
    /// and copies the distinct pairs to `output` in that order.
    static func write(
        _ parameters: FormParameters,
        arena: UnsafeMutableBufferPointer<UInt8>,
        to output: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        let pairs = parameters.pairs
        guard !pairs.isEmpty else { return 0 }
        return withUnsafeTemporaryAllocation(of: Entry.self, capacity: pairs.count) { storage in
            var entries = storage
            var offset = 0
            for (index, pair) in pairs.enumerated() {
                let nameCount = copy(pair.name, to: arena, at: offset)
                let valueCount = copy(pair.value, to: arena, at: offset + nameCount)
                entries.initializeElement(at: index, to: Entry(start: offset, nameCount: nameCount, valueCount: valueCount))
                offset += nameCount + valueCount
            }
            let base = UnsafePointer(arena.baseAddress!)
            entries.sort { Entry.precedes($0, $1, in: base) }
            var written = 0
            var previous: Entry?
            for entry in entries {
                if let previous, Entry.equal(previous, entry, in: base) { continue }
                let count = entry.nameCount + entry.valueCount
                (output.baseAddress! + written).initialize(from: base + entry.start, count: count)
                written += count
                previous = entry
            }
            return written
        }
    }

    private static func copy(_ string: String, to arena: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        let utf8 = string.utf8
        if let count = utf8.withContiguousStorageIfAvailable({ source -> Int in
            if let start = source.baseAddress { (arena.baseAddress! + offset).initialize(from: start, count: source.count) }
            return source.count
        }) {
            return count
        }
        var count = 0
        for byte in utf8 {
            arena[offset + count] = byte
            count += 1
        }
        return count
    }

    /// One pair's place in the arena: the name's bytes, immediately followed by the value's.
    private struct Entry {
        var start: Int
        var nameCount: Int
        var valueCount: Int

        /// Orders by name bytes, then value bytes, as Python's sorts over code points do.
        static func precedes(_ a: Entry, _ b: Entry, in base: UnsafePointer<UInt8>) -> Bool {
            let names = compare(base + a.start, a.nameCount, base + b.start, b.nameCount)
            if names != 0 { return names < 0 }
            return compare(base + a.start + a.nameCount, a.valueCount, base + b.start + b.nameCount, b.valueCount) < 0
        }

        static func equal(_ a: Entry, _ b: Entry, in base: UnsafePointer<UInt8>) -> Bool {
            a.nameCount == b.nameCount && a.valueCount == b.valueCount
                && compare(base + a.start, a.nameCount + a.valueCount, base + b.start, b.nameCount + b.valueCount) == 0
        }

        /// Lexicographic byte comparison; a proper prefix sorts first.
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
}
