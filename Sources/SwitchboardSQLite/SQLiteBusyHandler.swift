import SQLiteNIO
import SwitchboardCore
import VaporCSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How the writer waits for another connection's lock on the file: in short sleeps, up to the busy
/// timeout, and no longer once the job it waits for has been abandoned.
///
/// SQLite's own busy timeout sleeps until the timeout whatever happens to the caller, so a store call
/// whose task was cancelled (the voice route's budget ran out, say) used to hold the writer's thread,
/// and its caller, for the whole timeout. This handler asks the running ``job`` before every sleep
/// whether its callers still wait (see ``SQLiteWaiter`` and ``SQLiteWriteBatch``), so a cancelled
/// operation gives up within one step (at most ``longestStep``) and fails as SQLite's busy error does,
/// with ``StoreError/timeout``.
///
/// `@unchecked Sendable`: ``job`` and the start of the current wait are used only on the writer's
/// thread, where SQLite calls the handler from inside the statement that waits.
final class SQLiteBusyHandler: @unchecked Sendable {
    /// Work on the writer's thread that can tell whether anyone still waits for it.
    protocol Job: AnyObject, Sendable {
        /// True when nobody wants the result of what the job is doing now.
        var isAbandoned: Bool { get }
    }

    /// The longest a statement waits for a lock.
    let timeout: Duration
    /// The job running on the writer's thread, set by the job itself; nil between jobs.
    var job: (any Job)?
    private var waitStarted = ContinuousClock.now

    /// The sleeps between tries, in milliseconds; the last one repeats. Short, so that an abandoned
    /// operation is noticed quickly; SQLite's own handler grows to 100 ms.
    private static let steps: [Int] = [1, 2, 5, 10]
    /// The longest sleep between tries.
    static var longestStep: Duration { .milliseconds(steps.last ?? 10) }

    /// A handler that waits up to `timeout`.
    init(timeout: Duration) { self.timeout = timeout }

    /// Installs the handler on `database`, replacing any busy timeout. The caller keeps the handler alive
    /// for as long as the connection is open: SQLite holds it unretained.
    func install(on database: OpaquePointer) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite_nio_sqlite3_busy_handler(
            database,
            { context, count in
                guard let context else { return 0 }
                return Unmanaged<SQLiteBusyHandler>.fromOpaque(context).takeUnretainedValue().retry(after: Int(count)) ? 1 : 0
            },
            context
        )
    }

    /// Whether to try again after `count` busy answers in a row for one statement, sleeping first.
    func retry(after count: Int) -> Bool {
        let now = ContinuousClock.now
        if count == 0 { waitStarted = now }
        if job?.isAbandoned == true { return false }
        let left = timeout - (now - waitStarted)
        guard left > .zero else { return false }
        let step = min(.milliseconds(Self.steps[min(count, Self.steps.count - 1)]), left)
        let (seconds, attoseconds) = step.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
        return true
    }
}
