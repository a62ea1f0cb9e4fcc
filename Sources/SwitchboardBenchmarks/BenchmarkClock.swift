/// Times a closure over many iterations and reports nanoseconds per operation, the best of several
/// rounds (the least disturbed by the other core's load).
enum BenchmarkClock {
    /// Keeps results alive so the optimizer cannot drop the work.
    nonisolated(unsafe) static var sink = 0

    static func measure(_ name: String, iterations: Int, rounds: Int = 5, _ operation: () throws -> Int) rethrows -> String {
        for _ in 0..<max(1, iterations / 10) { sink &+= try operation() }
        var best = Double.infinity
        let clock = ContinuousClock()
        for _ in 0..<rounds {
            let start = clock.now
            for _ in 0..<iterations { sink &+= try operation() }
            let elapsed = start.duration(to: clock.now)
            let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
            best = min(best, nanoseconds / Double(iterations))
        }
        return "\(name): \(Int(best.rounded())) ns/op"
    }
}

extension BenchmarkClock {
    /// ``measure(_:iterations:rounds:_:)`` for an async operation.
    static func measureAsync(_ name: String, iterations: Int, rounds: Int = 5, _ operation: () async throws -> Int) async throws -> String {
        for _ in 0..<max(1, iterations / 10) { sink &+= try await operation() }
        var best = Double.infinity
        let clock = ContinuousClock()
        for _ in 0..<rounds {
            let start = clock.now
            for _ in 0..<iterations { sink &+= try await operation() }
            let elapsed = start.duration(to: clock.now)
            let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
            best = min(best, nanoseconds / Double(iterations))
        }
        return "\(name): \(Int(best.rounded())) ns/op"
    }
}
