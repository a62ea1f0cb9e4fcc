import SwitchboardCore

/// Runs store work within a time budget, so a slow store can never make Twilio wait past its own
/// 15-second limit: at the budget's end the caller gets ``StoreError/timeout`` and the work is
/// cancelled. The voice routes and `/readyz` both use it.
///
/// The work runs in a task of its own, and the caller does not wait for it past the budget: work that
/// cannot stop at once (a request queued behind a busy connection pool, a query on a stalled disk) ends
/// on its own later, and its result is dropped. So a timeout says nothing of whether a write happened;
/// every write the routes retry is idempotent. Deadlines are kept by one ``BudgetWatchdog`` per budget
/// rather than a sleeping timer task per run: on the voice route the timer, its cancellation and the
/// task group they needed cost more than the rest of the route's concurrency.
public struct StoreBudget: Sendable {
    /// The longest the work may take.
    public let duration: Duration
    private let watchdog: BudgetWatchdog

    /// A budget of `duration`.
    public init(duration: Duration) {
        self.duration = duration
        self.watchdog = BudgetWatchdog(duration: duration)
    }

    /// Runs `work`, throwing ``StoreError/timeout`` when it takes longer than ``duration``. Cancelling
    /// the caller cancels the work, whose own answer (or the timeout) the caller then gets.
    public func run<T: Sendable>(_ work: @escaping @Sendable () async throws(StoreError) -> T) async throws(StoreError) -> T {
        try await run(answeringEarly: { (_: ProvisionalAnswer<T>) async throws(StoreError) -> T in try await work() })
    }

    /// Runs `work` as ``run(_:)`` does, but `work` may give its answer before it is done: once it has
    /// set one on the ``ProvisionalAnswer`` it is handed, a budget that runs out gives the caller that
    /// answer rather than the timeout. The voice route decides whom to ring, then writes the call's
    /// record, which the decision does not need.
    public func run<T: Sendable>(
        answeringEarly work: @escaping @Sendable (ProvisionalAnswer<T>) async throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        let outcome = BudgetOutcome<T>()
        // Detached: the work needs none of the caller's task-local values, and copying them (the HTTP server
        // keeps several) cost three allocations per run.
        let task = Task.detached {
            do throws(StoreError) {
                outcome.give(.success(try await work(ProvisionalAnswer(outcome: outcome))))
            } catch {
                outcome.give(.failure(error))
            }
        }
        let duration = self.duration
        // Expire, then cancel: the other order let the work, woken by its cancellation, give its
        // cancelled failure first, and that failure beat an answer it had already given early.
        let ticket = watchdog.watch {
            outcome.expire(.timeout("the store did not answer within \(duration)"))
            task.cancel()
        }
        let result = await withTaskCancellationHandler {
            await outcome.value()
        } onCancel: {
            // A cancelled caller gets the work's own outcome (its cancelled failure, usually), not a
            // timeout: the budget did not run out. What it answered early matters to no one now.
            task.cancel()
        }
        _ = watchdog.finish(ticket)
        return try result.get()
    }
}
