/// How idempotent reads are retried: a bounded number of attempts, each after a delay drawn at random
/// between zero and an exponentially growing ceiling ("full jitter"), so instances that failed
/// together do not retry together. Writes are never retried.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; 1 means no retry.
    public var maxAttempts: Int
    /// The delay ceiling before the second attempt; it doubles for each later one.
    public var baseDelay: Duration
    /// The largest delay ceiling.
    public var maxDelay: Duration

    /// Creates a policy; the default retries twice within about 75 ms, well inside a voice route's
    /// budget.
    public init(maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(25), maxDelay: Duration = .milliseconds(250)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// No retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The delay before attempt `attempt` (2 for the first retry), given `random` in 0..<1.
    public func delay(beforeAttempt attempt: Int, random: Double) -> Duration {
        let doublings = max(0, min(attempt - 2, 20))
        let ceiling = min(maxDelay, baseDelay * (1 << doublings))
        return ceiling * min(max(random, 0), 1)
    }
}
