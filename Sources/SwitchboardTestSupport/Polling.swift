/// Waits for work done in the background: reads `value` every 10 ms until `done` holds for it or
/// `limit` has passed, and answers the last value read (the caller's expectation then says what was
/// missing).
public func polled<Value: Sendable>(
    isolation: isolated (any Actor)? = #isolation,
    within limit: Duration = .seconds(2),
    reading value: () async -> Value,
    until done: (Value) -> Bool
) async -> Value {
    let deadline = ContinuousClock.now + limit
    var current = await value()
    while !done(current), ContinuousClock.now < deadline {
        try? await Task.sleep(for: .milliseconds(10))
        current = await value()
    }
    return current
}
