import SwitchboardCore

/// A first-come, first-served async lock that can be shut.
///
/// SQLiteNIO runs each statement as its own job on a thread pool and does nothing to keep one task's
/// statements together, so two tasks sharing a connection would interleave their `BEGIN … COMMIT`
/// sequences (and one task's statement would silently join another's transaction). Every use of the
/// connection therefore passes through this gate: one holder at a time, waiters served in arrival
/// order. An actor alone cannot do this, because it admits other calls whenever the holder awaits.
actor SerialGate {
    private var isHeld = false
    private var isShut = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Waits for the gate, then holds it. Throws, holding nothing, once the gate is shut.
    func enter() async throws(StoreError) {
        guard !isShut else { throw Self.shutError }
        if isHeld {
            await withCheckedContinuation { waiters.append($0) }
            // Handed over by `leave()`, still held on our behalf.
            guard !isShut else {
                leave()
                throw Self.shutError
            }
        } else {
            isHeld = true
        }
    }

    /// Releases the gate to the next waiter, if any.
    func leave() {
        if waiters.isEmpty {
            isHeld = false
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Shuts the gate for good: later and waiting `enter()` calls throw. Call it while holding the gate.
    func shut() {
        isShut = true
    }

    private static let shutError = StoreError.unavailable("The SQLite store is closed")
}
