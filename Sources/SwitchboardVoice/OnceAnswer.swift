import Synchronization

/// A continuation resumed by the first of several answers; the later ones are dropped.
final class OnceAnswer: Sendable {
    private let continuation = Mutex<CheckedContinuation<Bool, Never>?>(nil)

    func set(_ continuation: CheckedContinuation<Bool, Never>) {
        self.continuation.withLock { $0 = continuation }
    }

    func give(_ value: Bool) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }

    /// Runs `work` in a task of its own and waits for it at most `limit`: true when it ended within the
    /// limit, false when the limit came first, and `work` goes on in the background. For waits that a
    /// stalled disk may hold for ever (a shutdown must end).
    static func finishes(within limit: Duration, _ work: @escaping @Sendable () async -> Void) async -> Bool {
        let answer = OnceAnswer()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            answer.set(continuation)
            let timer = Task {
                try? await Task.sleep(for: limit)
                answer.give(false)
            }
            Task {
                await work()
                answer.give(true)
                timer.cancel()
            }
        }
    }
}
