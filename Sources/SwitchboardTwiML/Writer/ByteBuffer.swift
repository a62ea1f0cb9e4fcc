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
        let length = bytes.count
        reserve(length)
        let target = UnsafeMutableRawPointer(base + count)
        if length >= 8 && length <= 64 {
            // Names, short values and the declaration: word copies, the last one overlapping the one before,
            // instead of a call to memmove.
            let raw = UnsafeRawPointer(source)
            var offset = 0
            while offset + 8 < length {
                target.storeBytes(of: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
                offset += 8
            }
            let last = raw.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
            target.storeBytes(of: last, toByteOffset: length - 8, as: UInt64.self)
        } else {
            target.copyMemory(from: source, byteCount: length)
        }
        count += length
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
        target.update(from: head.utf8Start, count: headCount)
        (target + headCount).update(from: name.utf8Start, count: nameCount)
        (target + headCount + nameCount).update(from: tail.utf8Start, count: tailCount)
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
