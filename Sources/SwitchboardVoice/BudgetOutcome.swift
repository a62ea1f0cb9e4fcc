import SwitchboardCore
import Synchronization

/// The outcome of one ``StoreBudget`` run, given by whichever comes first: the work's own result, or
/// the budget's timeout. The caller is resumed by the first, and every later one is dropped, so the
/// caller never waits for work that outlives its budget (a query stuck behind a busy connection pool,
/// a stalled disk).
final class BudgetOutcome<T: Sendable>: Sendable {
    private enum State {
        /// Nothing yet, and nobody waiting.
        case pending
        /// Given before anyone waited.
        case given(Result<T, StoreError>)
        /// The caller waits.
        case waiting(CheckedContinuation<Result<T, StoreError>, Never>)
        /// Taken by the caller.
        case taken
    }

    private let state = Mutex(State.pending)

    /// Gives the outcome, unless one was given already; answers whether this one counts.
    @discardableResult
    func give(_ result: Result<T, StoreError>) -> Bool {
        let (counts, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Result<T, StoreError>, Never>?) in
            switch state {
            case .pending:
                state = .given(result)
                return (true, nil)
            case .waiting(let continuation):
                state = .taken
                return (true, continuation)
            case .given, .taken:
                return (false, nil)
            }
        }
        waiter?.resume(returning: result)
        return counts
    }

    /// The first outcome given, once there is one. Called once.
    func value() async -> Result<T, StoreError> {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Result<T, StoreError>? in
                guard case .given(let result) = state else {
                    state = .waiting(continuation)
                    return nil
                }
                state = .taken
                return result
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
