import SwitchboardCore
import Synchronization

/// The outcome of one ``StoreBudget`` run, given by whichever comes first: the work's own result, or
/// the budget's end. The caller is resumed by the first, and every later one is dropped, so the caller
/// never waits for work that outlives its budget (a query stuck behind a busy connection pool, a
/// stalled disk). At the budget's end the caller gets the answer the work gave early, if it gave one
/// (``ProvisionalAnswer``), else the timeout.
public final class BudgetOutcome<T: Sendable>: Sendable {
    private enum State {
        /// Nothing yet, and nobody waiting; the answer given early, if any.
        case pending(T?)
        /// Given before anyone waited.
        case given(Result<T, StoreError>)
        /// The caller waits; the answer given early, if any.
        case waiting(UnsafeContinuation<Result<T, StoreError>, Never>, T?)
        /// Taken by the caller.
        case taken
    }

    private let state = Mutex(State.pending(nil))

    init() {}

    /// Gives the work's outcome, unless one was given already.
    func give(_ result: Result<T, StoreError>) {
        resume { _ in result }
    }

    /// The budget ran out: the answer given early, else `timeout`, unless the work's came first.
    func expire(_ timeout: StoreError) {
        resume { early in early.map(Result.success) ?? .failure(timeout) }
    }

    /// Records an answer the caller gets if the budget runs out before the work ends.
    func answerEarly(_ value: T) {
        state.withLock { state in
            switch state {
            case .pending: state = .pending(value)
            case .waiting(let continuation, _): state = .waiting(continuation, value)
            case .given, .taken: break
            }
        }
    }

    private func resume(_ outcome: (T?) -> Result<T, StoreError>) {
        let waiter = state.withLock { state -> (UnsafeContinuation<Result<T, StoreError>, Never>, Result<T, StoreError>)? in
            switch state {
            case .pending(let early):
                state = .given(outcome(early))
                return nil
            case .waiting(let continuation, let early):
                state = .taken
                return (continuation, outcome(early))
            case .given, .taken:
                return nil
            }
        }
        if let (continuation, result) = waiter { continuation.resume(returning: result) }
    }

    /// The first outcome given, once there is one. Called once.
    func value() async -> Result<T, StoreError> {
        await withUnsafeContinuation { continuation in
            let ready = state.withLock { state -> Result<T, StoreError>? in
                switch state {
                case .given(let result):
                    state = .taken
                    return result
                case .pending(let early):
                    state = .waiting(continuation, early)
                    return nil
                case .waiting, .taken:
                    preconditionFailure("a budget's outcome is awaited once")
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// Lets store work name its answer before it is done (see ``StoreBudget/run(answeringEarly:)``).
public struct ProvisionalAnswer<T: Sendable>: Sendable {
    let outcome: BudgetOutcome<T>

    /// From now on, a budget that runs out gives the caller `value` rather than the timeout.
    public func set(_ value: T) { outcome.answerEarly(value) }
}
