import SwitchboardCore

/// Runs store work within a time budget, so a slow store can never make Twilio wait past its own
/// 15-second limit: past the budget the work is cancelled and ``StoreError/timeout`` is thrown. The
/// voice routes and `/readyz` both use it.
public struct StoreBudget: Sendable {
    /// The longest the work may take.
    public let duration: Duration

    /// A budget of `duration`.
    public init(duration: Duration) { self.duration = duration }

    /// Runs `work`, throwing ``StoreError/timeout`` when it takes longer than ``duration``.
    public func run<T: Sendable>(_ work: @escaping @Sendable () async throws(StoreError) -> T) async throws(StoreError) -> T {
        let budget = duration
        let result: Result<T, StoreError> = await withTaskGroup(of: Result<T, StoreError>?.self) { group in
            group.addTask {
                do throws(StoreError) {
                    return .success(try await work())
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: budget)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(.timeout("the store did not answer within \(budget)"))
        }
        return try result.get()
    }
}
