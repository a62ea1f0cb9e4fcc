import SwitchboardCore

/// Runs store work within a time budget, so a slow store can never make Twilio wait past its own
/// 15-second limit: past the budget the work is cancelled, and its failure (cancelled work fails, or
/// answers at once) becomes ``StoreError/timeout``. The voice routes and `/readyz` both use it.
///
/// The work runs in a task of its own, so the caller is answered even while it runs. As before, the
/// caller then waits for the cancelled work to stop, which every store does promptly: a store must honour
/// cancellation. Deadlines are kept by one ``BudgetWatchdog`` per budget rather than a sleeping timer
/// task per run: on the voice route the timer, its cancellation and the task group they needed cost more
/// than the rest of the route's concurrency.
public struct StoreBudget: Sendable {
    /// The longest the work may take.
    public let duration: Duration
    private let watchdog: BudgetWatchdog

    /// A budget of `duration`.
    public init(duration: Duration) {
        self.duration = duration
        self.watchdog = BudgetWatchdog(duration: duration)
    }

    /// Runs `work`, throwing ``StoreError/timeout`` when it takes longer than ``duration``.
    public func run<T: Sendable>(_ work: @escaping @Sendable () async throws(StoreError) -> T) async throws(StoreError) -> T {
        // Detached: the work needs none of the caller's task-local values, and copying them (the HTTP server
        // keeps several) cost three allocations per run.
        let task = Task.detached { () async -> Result<T, StoreError> in
            do throws(StoreError) {
                return .success(try await work())
            } catch {
                return .failure(error)
            }
        }
        let ticket = watchdog.watch { task.cancel() }
        let result = await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        let expired = watchdog.finish(ticket)
        switch result {
        case .success(let value):
            // Work that answered although it was cancelled at the deadline (it was already done, or its
            // turn on a busy machine came late) still gives its answer: the caller has waited anyway.
            return value
        case .failure(let error):
            if expired { throw .timeout("the store did not answer within \(duration)") }
            throw error
        }
    }
}
