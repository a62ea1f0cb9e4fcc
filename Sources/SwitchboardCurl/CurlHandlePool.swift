import NIOConcurrencyHelpers

/// Idle easy handles, kept so that the next request reuses a handle and with it an open connection.
/// Last in, first out: the most recently used handle has the connection most likely still alive.
final class CurlHandlePool: Sendable {
    private let idle = NIOLockedValueBox<[CurlEasyHandle]>([])
    private let capacity: Int

    /// A pool keeping at most `capacity` idle handles.
    init(capacity: Int) {
        self.capacity = capacity
    }

    /// An idle handle, or a new one.
    func take() -> CurlEasyHandle? {
        idle.withLockedValue { $0.popLast() } ?? CurlEasyHandle()
    }

    /// Returns a handle for reuse; beyond capacity it is closed.
    func put(_ handle: CurlEasyHandle) {
        idle.withLockedValue { handles in
            if handles.count < capacity { handles.append(handle) }
        }
    }

    /// Closes every idle handle and their connections.
    func drain() {
        idle.withLockedValue { $0.removeAll() }
    }
}
