/// A growable byte buffer the writer owns alone: appends are plain stores, with no uniqueness checks
/// or generic sequence machinery. Non-copyable, so its memory has exactly one owner and is freed once.
///
/// It either owns its memory or starts in memory lent for the duration of one call (the uninitialized
/// storage of the array being returned, so the finished bytes need no copy). Lent memory is never freed
/// here; if it fills up, the buffer moves to memory of its own and ``isLent`` turns false, and the caller
/// takes the bytes with ``array()`` instead.
struct ByteBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0
    /// Whether `base` is lent memory, which this buffer must not free.
    private(set) var isLent: Bool

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
        isLent = false
    }

    /// Writes into `memory`, which must stay valid and untouched by others while this buffer lives (the
    /// caller's closure scope: the buffer is non-copyable and cannot outlive it).
    init(lending memory: UnsafeMutableBufferPointer<UInt8>) {
        base = memory.baseAddress ?? .allocate(capacity: 0)
        capacity = memory.count
        isLent = memory.baseAddress != nil
    }

    deinit {
        if !isLent { base.deallocate() }
    }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = max(64, capacity * 2)
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        if !isLent { base.deallocate() }
        isLent = false
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        Self.copy(source, to: base + count, count: bytes.count)
        count += bytes.count
    }

    /// Copies `count` bytes between memory that does not overlap. Runs up to 64 bytes (names, short
    /// values, the declaration) are copied with word moves, the last one overlapping the one before,
    /// instead of a call to memmove.
    @inline(__always)
    private static func copy(_ source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count: Int) {
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(target)
        if count >= 8 {
            guard count <= 64 else { return to.copyMemory(from: from, byteCount: count) }
            var offset = 0
            while offset + 8 < count {
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
                offset += 8
            }
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self), toByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4 {
            to.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self), toByteOffset: count - 4, as: UInt32.self)
        } else {
            for index in 0..<count { target[index] = source[index] }
        }
    }

    @inline(__always)
    mutating func append(_ string: StaticString) {
        append(UnsafeBufferPointer(start: string.utf8Start, count: string.utf8CodeUnitCount))
    }

    /// Appends `head`, `name`, then `tail` (`</` `Dial` `>`), with one capacity check.
    @inline(__always)
    mutating func append(_ head: StaticString, _ name: StaticString, _ tail: StaticString) {
        let headCount = head.utf8CodeUnitCount
        let nameCount = name.utf8CodeUnitCount
        let tailCount = tail.utf8CodeUnitCount
        reserve(headCount + nameCount + tailCount)
        let target = base + count
        Self.copy(head.utf8Start, to: target, count: headCount)
        Self.copy(name.utf8Start, to: target + headCount, count: nameCount)
        Self.copy(tail.utf8Start, to: target + headCount + nameCount, count: tailCount)
        count += headCount + nameCount + tailCount
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Reverses the bytes from `start` to the end (for digits written least significant first).
    mutating func reverseTail(from start: Int) {
        var tail = UnsafeMutableBufferPointer(start: base + start, count: count - start)
        tail.reverse()
    }

    /// The bytes written, copied into an array.
    func array() -> [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }
}
