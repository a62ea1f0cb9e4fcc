extension Array {
    /// Calls `body` with each element where the array stores it, in order, so a renderer reads an enum's
    /// payload in place instead of copying it out first: a read from an unsafe buffer or the array's
    /// subscript is a copy (a `Client` copy is seven retains and seven releases), because the optimizer
    /// cannot prove that the calls made meanwhile leave that memory alone, but an `inout` element is
    /// exclusive, so switching over it borrows.
    ///
    /// `body` must only read its argument. Why this is sound: the mutable pointer exists only to pass each
    /// element `inout`; nothing writes through it (every caller's closure reads only), so the array's
    /// possibly shared storage is never modified. The pointer is valid and bound to `Element` for the
    /// whole call, and the array cannot change meanwhile: `self` is borrowed for it.
    @inline(__always)
    func forEachInPlace(_ body: (inout Element) throws -> Void) rethrows {
        try withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let elements = UnsafeMutablePointer(mutating: base)
            for index in 0..<buffer.count { try body(&elements[index]) }
        }
    }
}
