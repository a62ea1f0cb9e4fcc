import NIOCore
import NIOPosix
import SQLiteNIO
import SwitchboardCore
import Synchronization

/// The store's connections to one database: a writer with a thread of its own, and (for a file) a few
/// read-only connections that the calling task uses directly.
///
/// ## The writer
/// Every operation given to ``exclusively(_:)`` or ``transaction(_:)`` runs whole, as one job, on the
/// session's private one-thread `NIOThreadPool`, never on an event loop or a cooperative thread, so a
/// statement that waits for another process's lock (up to the busy timeout) blocks only this thread.
/// The pool runs jobs one at a time in the order they were submitted, so operations never interleave
/// statements or transactions on the connection, and an operation costs one trip to the thread however
/// many statements it runs.
///
/// ## The readers
/// ``read(_:)`` runs single-statement reads on a read-only connection held under its mutex by the calling
/// task itself, with no trip to another thread, unless that would leave the cooperative pool no thread
/// outside a read, which a stalled disk could then hold (see ``SQLiteReadThreads``). In WAL mode readers
/// take no lock that a writer holds, so such a read never waits for one (its busy timeout is zero; in
/// the rare cases where SQLite still answers busy, while another connection recovers the WAL for
/// instance, the read is retried on the writer's thread, which waits as long as the busy timeout
/// allows). A read sees every transaction committed before it started, the writer's included. When
/// every reader is in use the read goes to the writer's thread too. A `:memory:` database has no readers: another connection would open another
/// database.
///
/// The class is `Sendable` without `@unchecked`: its stored properties are immutable references to
/// `Sendable` objects. The writer's handle is used only on the thread pool's thread and each reader's
/// only under its mutex (see ``SQLiteHandle``).
final class SQLiteSession: Sendable {
    /// The database path, or `:memory:`.
    let path: String
    private let writer: SQLiteHandle
    /// How the writer waits for other connections' locks; kept alive here, as SQLite holds it unretained.
    private let busy: SQLiteBusyHandler
    private let readers: [Reader]
    private let threadPool: NIOThreadPool
    private let batch: SQLiteWriteBatch
    private let closed = Atomic<Bool>(false)
    /// The first damage to the file any of the connections met.
    let damage: SQLiteDamageReport
    /// How many jobs the writer has finished outside ``batchedWrite(_:_:)``, counted once each job's
    /// commit (or rollback) is over and before its caller hears of it (see ``writeGeneration``).
    private let finishedJobs = Atomic<Int>(0)

    /// A read-only connection and the lock that confines it.
    private final class Reader: Sendable {
        let handle: Mutex<SQLiteHandle>
        init(_ handle: SQLiteHandle) { self.handle = Mutex(handle) }
    }

    private init(
        path: String,
        writer: SQLiteHandle,
        busy: SQLiteBusyHandler,
        readers: [SQLiteHandle],
        threadPool: NIOThreadPool,
        recordLinger: Duration,
        damage: SQLiteDamageReport
    ) {
        self.path = path
        self.damage = damage
        self.writer = writer
        self.busy = busy
        self.readers = readers.map(Reader.init)
        self.threadPool = threadPool
        self.batch = SQLiteWriteBatch(writer: writer, busy: busy, threadPool: threadPool, linger: recordLinger)
    }

    /// How many read connections a file gets: one per core, up to four, as reads run on the callers'
    /// threads.
    private static var readerCount: Int { min(max(System.coreCount, 1), 4) }

    /// Opens the database at `path` (`:memory:` for a private in-memory one), gives the writer a
    /// ``SQLiteBusyHandler`` that waits up to `busyTimeout` and sets it up with `pragmas`, which run in
    /// order before anything else, and opens the readers with `busyTimeout: 0` and `query_only`. Writes
    /// queued without waiting linger up to `recordLinger` for company (see ``SQLiteWriteBatch``).
    static func open(
        path: String,
        busyTimeout: Duration,
        pragmas: [String],
        recordLinger: Duration = .zero
    ) async throws(StoreError) -> SQLiteSession {
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        let busy = SQLiteBusyHandler(timeout: busyTimeout)
        let damage = SQLiteDamageReport()
        do {
            let (writer, readers) = try await threadPool.runIfActive { () throws -> (SQLiteHandle, [SQLiteHandle]) in
                let writer = try SQLiteHandle(path: path, create: true, damage: damage)
                writer.install(busy)
                do {
                    for pragma in pragmas { _ = try writer.rows(pragma, [], cached: false) }
                } catch {
                    throw StoreError.unavailable("Cannot set up the SQLite database at \(path)", cause: "\(error)")
                }
                guard path != ":memory:" else { return (writer, []) }
                var readers: [SQLiteHandle] = []
                for _ in 0..<readerCount {
                    let reader = try SQLiteHandle(path: path, create: false, damage: damage)
                    _ = try reader.rows("PRAGMA busy_timeout = 0", [], cached: false)
                    _ = try reader.rows("PRAGMA query_only = ON", [], cached: false)
                    readers.append(reader)
                }
                return (writer, readers)
            }
            return SQLiteSession(
                path: path,
                writer: writer,
                busy: busy,
                readers: readers,
                threadPool: threadPool,
                recordLinger: recordLinger,
                damage: damage
            )
        } catch {
            try? await threadPool.shutdownGracefully()
            if let error = error as? StoreError { throw error }
            throw .unavailable("Cannot open the SQLite database at \(path)", cause: "\(error)")
        }
    }

    /// Runs `body` on the writer, on the session's thread, while nothing else uses the writer.
    /// Statements outside a transaction each commit on their own.
    ///
    /// When the calling task is cancelled before `body` starts, the call fails at once with
    /// ``StoreError/timeout`` and `body` never runs; once `body` runs, it stops waiting for other
    /// connections' locks (see ``SQLiteBusyHandler``) and the call returns its true outcome.
    func exclusively<T: Sendable>(_ body: @escaping @Sendable (SQLiteStatementRunner) throws(StoreError) -> T) async throws(StoreError) -> T {
        let writer = self.writer
        let busy = self.busy
        let threadPool = self.threadPool
        let waiter = SQLiteWaiter<T>()
        let result = await waiter.wait {
            self.batch.jobSubmitted()
            threadPool.submit { state in
                self.batch.jobStarted()
                guard waiter.start() else { return }
                guard state == .active, writer.isOpen else { return waiter.finish(.failure(Self.closedError)) }
                busy.job = waiter
                let outcome = Result { () throws(StoreError) in try body(SQLiteStatementRunner(handle: writer)) }
                busy.job = nil
                self.finishedJobs.add(1, ordering: .releasing)
                waiter.finish(outcome)
            }
        }
        return try result.get()
    }

    /// A number that changes whenever this session's writer may have changed the database, other than
    /// through ``batchedWrite(_:_:)``: it goes up after each job given to ``exclusively(_:)`` (and so to
    /// ``transaction(_:)`` and ``durably(_:)``) has committed or rolled back, before the job's caller is
    /// answered. Whoever reads it before reading the database and finds it unchanged afterwards knows that
    /// no such write of this process came in between. Changes by other connections do not move it.
    var writeGeneration: Int { finishedJobs.load(ordering: .acquiring) }

    /// As ``exclusively(_:)``, with every commit of `body` synced to disk before it counts
    /// (`PRAGMA synchronous = FULL`), then the connection's own setting again.
    ///
    /// The store runs in WAL mode with `synchronous = NORMAL`: a commit survives a crash of the process
    /// at once, but a power loss or an operating system crash only once the WAL is synced (at the next
    /// checkpoint). That is right for ring events and ringing records, and wrong for what Twilio will
    /// not send again once answered, a voicemail: its commit costs one `fsync` more. `body` must not
    /// leave a transaction open, and this must not run inside ``transaction(_:)``: SQLite refuses to
    /// change the setting within a transaction.
    func durably<T: Sendable>(_ body: @escaping @Sendable (SQLiteStatementRunner) throws(StoreError) -> T) async throws(StoreError) -> T {
        try await exclusively { (runner) throws(StoreError) -> T in
            let setting = try runner.rows("PRAGMA synchronous").first?.column("synchronous")?.integer ?? 1
            try runner.execute("PRAGMA synchronous = FULL")
            defer { try? runner.execute("PRAGMA synchronous = \(setting)") }
            return try body(runner)
        }
    }

    /// Runs `body` in one write transaction, committed when it returns and rolled back when it throws.
    ///
    /// `BEGIN IMMEDIATE` takes SQLite's write lock before the first read, so two writers (in this
    /// process or another) never both read the same state and then both write: the second waits, up
    /// to the busy timeout, and then reads what the first committed.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (SQLiteStatementRunner) throws(StoreError) -> T) async throws(StoreError) -> T {
        try await exclusively { (runner) throws(StoreError) -> T in
            try runner.execute("BEGIN IMMEDIATE")
            do throws(StoreError) {
                let result = try body(runner)
                try runner.execute("COMMIT")
                return result
            } catch {
                // Fails harmlessly when SQLite already rolled back (after SQLITE_FULL or an I/O error).
                try? runner.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs one write statement that needs no answer but success, committed together with the others
    /// queued at the same time (see ``SQLiteWriteBatch``); returns once it is committed. It must not
    /// change what the routing cache keeps (agents, numbers): it does not move ``writeGeneration``.
    func batchedWrite(_ sql: String, _ binds: [SQLiteData]) async throws(StoreError) {
        try await batch.write(sql, binds)
    }

    /// Queues one write as ``batchedWrite(_:_:)`` does, without waiting: returns at once, and `then` is
    /// called on the writer's thread once the write is committed (nil) or has failed. A write the batch
    /// cannot queue (too many wait already, see ``SQLiteWriteBatch/maximumQueued``) fails at once.
    func batchedWrite(_ sql: String, _ binds: [SQLiteData], then: @escaping @Sendable (StoreError?) -> Void) {
        batch.submit(sql, binds, then: then)
    }

    /// How many batches of writes shared one commit so far.
    var sharedCommits: Int { batch.sharedCommits.load(ordering: .relaxed) }

    /// Runs `body`, which must only read, on a free reader in the calling task (or on one of
    /// ``SQLiteReadThreads``' threads, when that would leave the cooperative pool no thread that is not
    /// inside a read); on the writer's thread when there is no free reader or SQLite answers busy (see
    /// the type's documentation).
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteStatementRunner) throws(StoreError) -> T) async throws(StoreError) -> T {
        let threads = SQLiteReadThreads.shared
        let attempt: Result<T, StoreError>?
        if threads.enterInline() {
            attempt = onFreeReader(body)
            threads.leaveInline()
        } else {
            attempt = try await threads.run { [self] in onFreeReader(body) }
        }
        switch attempt {
        case nil: return try await exclusively(body)  // Every reader is in use.
        case .success(let value)?: return value
        case .failure(let error)? where error == .timeout: return try await exclusively(body)
        case .failure(let error)?: throw error
        }
    }

    /// `body`'s outcome on the first reader not in use; nil when every reader is in use (or there is none).
    private func onFreeReader<T: Sendable>(_ body: @Sendable (SQLiteStatementRunner) throws(StoreError) -> T) -> Result<T, StoreError>? {
        for reader in readers {
            let outcome = reader.handle.withLockIfAvailable { (handle) -> Result<T, StoreError> in
                do throws(StoreError) {
                    guard handle.isOpen else { throw Self.closedError }
                    return .success(try body(SQLiteStatementRunner(handle: handle)))
                } catch {
                    return .failure(error)
                }
            }
            if let outcome { return outcome }
        }
        return nil
    }

    /// The kept statements of every connection that were prepared again, with how many times in all (see
    /// ``SQLiteHandle/reprepares``).
    func reprepares() async throws(StoreError) -> [String: Int] {
        var counts = try await exclusively { (runner) throws(StoreError) in runner.handle.reprepares }
        for reader in readers {
            counts.merge(reader.handle.withLock { $0.reprepares }, uniquingKeysWith: +)
        }
        return counts
    }

    /// A store dropped without ``close()`` still frees its connections (when the handles go) and its
    /// thread, in the background.
    deinit {
        guard !closed.load(ordering: .relaxed) else { return }
        threadPool.shutdownGracefully { _ in }
    }

    /// Waits for the operations already submitted, closes the connections and stops the thread. Later
    /// calls throw ``StoreError/unavailable``. Closing twice does nothing the second time.
    func close() async throws(StoreError) {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        let writer = self.writer
        var failure: (any Error)?
        // Not runIfActive, which skips the job when the calling task is cancelled: the writer must close
        // on its own thread whatever happens to the caller.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            batch.jobSubmitted()
            threadPool.submit { [batch] _ in
                batch.jobStarted()
                writer.close()
                done.resume()
            }
        }
        for reader in readers { reader.handle.withLock { $0.close() } }
        do { try await threadPool.shutdownGracefully() } catch { failure = failure ?? error }
        if let failure {
            throw .unavailable("Cannot close the SQLite database at \(path) cleanly", cause: "\(failure)")
        }
    }

    private static var closedError: StoreError { .unavailable("The SQLite store is closed") }
}
