/// Times a closure over many iterations and reports nanoseconds per operation, the best of several
/// rounds (the least disturbed by the other core's load).
enum BenchmarkClock {
    /// Keeps results alive so the optimizer cannot drop the work.
    nonisolated(unsafe) static var sink = 0

    static func measure(_ name: String, iterations: Int, rounds: Int = 5, _ operation: () throws -> Int) rethrows -> String {
        for _ in 0..<max(1, iterations / 10) { sink &+= try operation() }
        var times: [Duration] = []
        for _ in 0..<rounds {
            times.append(try ContinuousClock().measure { for _ in 0..<iterations { sink &+= try operation() } })
        }
        return report(name, best: times.min(), iterations: iterations)
    }

    /// ``measure(_:iterations:rounds:_:)`` for an async operation.
    static func measureAsync(_ name: String, iterations: Int, rounds: Int = 5, _ operation: () async throws -> Int) async throws -> String {
        for _ in 0..<max(1, iterations / 10) { sink &+= try await operation() }
        var times: [Duration] = []
        for _ in 0..<rounds {
            times.append(try await ContinuousClock().measure { for _ in 0..<iterations { sink &+= try await operation() } })
        }
        return report(name, best: times.min(), iterations: iterations)
    }

    /// `tasks` tasks each running `operation` `iterations` times at once: the best round's wall time per
    /// iteration, so it equals ``measureAsync(_:iterations:rounds:_:)``'s figure when the tasks slow each
    /// other down not at all (on as many cores as tasks), and is `tasks` times it when they run one at a time.
    static func measureConcurrently(
        _ name: String,
        tasks: Int,
        iterations: Int,
        rounds: Int = 5,
        _ operation: @escaping @Sendable () async throws -> Int
    ) async throws -> String {
        var times: [Duration] = []
        for _ in 0..<rounds {
            times.append(
                try await ContinuousClock().measure {
                    try await withThrowingTaskGroup(of: Int.self) { group in
                        for _ in 0..<tasks {
                            group.addTask {
                                var total = 0
                                for _ in 0..<iterations { total &+= try await operation() }
                                return total
                            }
                        }
                        for try await total in group { sink &+= total }
                    }
                }
            )
        }
        return report(name, best: times.min(), iterations: iterations)
    }

    /// `name: N ns/op` for the best round's time over `iterations`.
    private static func report(_ name: String, best: Duration?, iterations: Int) -> String {
        let elapsed = best ?? .zero
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        return "\(name): \(Int((nanoseconds / Double(max(iterations, 1))).rounded())) ns/op"
    }
}
