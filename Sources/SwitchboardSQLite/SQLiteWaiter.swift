import SwitchboardCore
import Synchronization

/// One caller's wait for a job on the writer's thread, answered exactly once.
///
/// The writer's thread runs jobs one at a time, so a caller may wait behind other jobs, some of them
/// waiting for another process's lock. A caller whose task is cancelled stops waiting at once when its
/// job has not started (the job is then skipped), and otherwise marks the job abandoned: the writer's
/// busy handler stops waiting for locks on its behalf (see ``SQLiteBusyHandler``), so the job ends
/// promptly, committed or rolled back, and the caller gets its true outcome.
final class SQLiteWaiter<T: Sendable>: SQLiteBusyHandler.Job {
    private enum State {
        /// Not waiting yet.
        case idle
        /// Waiting for the job to start.
        case queued(CheckedContinuation<Result<T, StoreError>, Never>)
        /// The job is running; the caller waits for its end even when cancelled.
        case running(CheckedContinuation<Result<T, StoreError>, Never>)
        /// Answered, or cancelled before it waited.
        case over
    }

    private let state = Mutex(State.idle)
    private let abandoned = Atomic<Bool>(false)

    init() {}

    /// The failure of a job whose caller stopped waiting before it started.
    static var cancelled: StoreError { .timeout("The store operation was cancelled before it ran") }

    /// Whether the caller's task was cancelled. Read on the writer's thread while the job runs.
    var isAbandoned: Bool { abandoned.load(ordering: .relaxed) }

    /// Waits for the job that `submit` hands to the writer's thread, which must call ``start()`` and then
    /// ``finish(_:)``.
    func wait(submitting submit: () -> Void) async -> Result<T, StoreError> {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, StoreError>, Never>) in
                let waits = state.withLock { state -> Bool in
                    guard case .idle = state else { return false }
                    state = .queued(continuation)
                    return true
                }
                if waits {
                    submit()
                } else {
                    continuation.resume(returning: .failure(Self.cancelled))
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// On the writer's thread, before the job: true when the caller still waits, and the job must run
    /// and end with ``finish(_:)``; false when the caller has gone, and the job must not run.
    func start() -> Bool {
        state.withLock { state in
            guard case .queued(let continuation) = state else { return false }
            state = .running(continuation)
            return true
        }
    }

    /// Answers the caller with the job's result.
    func finish(_ result: Result<T, StoreError>) {
        let continuation = state.withLock { state -> CheckedContinuation<Result<T, StoreError>, Never>? in
            guard case .running(let continuation) = state else { return nil }
            state = .over
            return continuation
        }
        continuation?.resume(returning: result)
    }

    private func cancel() {
        abandoned.store(true, ordering: .relaxed)
        let continuation = state.withLock { state -> CheckedContinuation<Result<T, StoreError>, Never>? in
            switch state {
            case .idle:
                state = .over
                return nil
            case .queued(let continuation):
                state = .over
                return continuation
            case .running, .over:
                return nil
            }
        }
        continuation?.resume(returning: .failure(Self.cancelled))
    }
}
