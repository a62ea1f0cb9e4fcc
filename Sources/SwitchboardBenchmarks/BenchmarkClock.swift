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

    /// `name: N ns/op` for the best round's time over `iterations`.
    private static func report(_ name: String, best: Duration?, iterations: Int) -> String {
        let elapsed = best ?? .zero
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        return "\(name): \(Int((nanoseconds / Double(max(iterations, 1))).rounded())) ns/op"
    }
}
