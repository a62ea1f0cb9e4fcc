import SQLiteNIO
import SwitchboardCore

/// One SQLite connection with a thread of its own, used by one task at a time.
///
/// Every statement runs on the session's private one-thread `NIOThreadPool`, never on an event loop
/// or a cooperative thread, so a statement that waits for another process's lock (up to the busy
/// timeout) blocks only this session. Work is done in ``exclusively(_:)`` or ``transaction(_:)``,
/// which hold the ``SerialGate`` for the whole sequence of statements, so concurrent tasks never
/// interleave statements or transactions on the connection.
///
/// The class is `Sendable` without `@unchecked`: its stored properties are immutable references to
/// `Sendable` objects (SQLiteNIO's connection, whose handle it confines to the thread pool, the thread
/// pool, and the gate actor).
final class SQLiteSession: Sendable {
    /// The database path, or `:memory:`.
    let path: String
    private let connection: SQLiteConnection
    private let threadPool: NIOThreadPool
    private let gate = SerialGate()

    private init(path: String, connection: SQLiteConnection, threadPool: NIOThreadPool) {
        self.path = path
        self.connection = connection
        self.threadPool = threadPool
    }

    /// Opens the database at `path` (`:memory:` for a private in-memory one) and sets the connection up
    /// with `pragmas`, which run in order before anything else.
    static func open(path: String, pragmas: [String]) async throws(StoreError) -> SQLiteSession {
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(
                storage: path == ":memory:" ? .memory : .file(path: path),
                threadPool: threadPool,
                on: MultiThreadedEventLoopGroup.singleton.any()
            )
        } catch {
            try? await threadPool.shutdownGracefully()
            throw .unavailable("Cannot open the SQLite database at \(path)", cause: "\(error)")
        }
        let session = SQLiteSession(path: path, connection: connection, threadPool: threadPool)
        do {
            for pragma in pragmas {
                _ = try await connection.query(pragma)
            }
        } catch {
            try? await session.close()
            throw .unavailable("Cannot set up the SQLite database at \(path)", cause: "\(error)")
        }
        return session
    }

    /// Runs `body` while no other task uses the connection. Statements outside a transaction each
    /// commit on their own.
    func exclusively<T>(_ body: (SQLiteStatementRunner) async throws(StoreError) -> T) async throws(StoreError) -> T {
        try await gate.enter()
        do throws(StoreError) {
            let result = try await body(SQLiteStatementRunner(connection: connection))
            await gate.leave()
            return result
        } catch {
            await gate.leave()
            throw error
        }
    }

    /// Runs `body` in one write transaction, committed when it returns and rolled back when it throws.
    ///
    /// `BEGIN IMMEDIATE` takes SQLite's write lock before the first read, so two writers (in this
    /// process or another) never both read the same state and then both write: the second waits, up
    /// to the busy timeout, and then reads what the first committed.
    func transaction<T>(_ body: (SQLiteStatementRunner) async throws(StoreError) -> T) async throws(StoreError) -> T {
        try await exclusively { (runner) async throws(StoreError) -> T in
            try await runner.execute("BEGIN IMMEDIATE")
            do throws(StoreError) {
                let result = try await body(runner)
                try await runner.execute("COMMIT")
                return result
            } catch {
                // Fails harmlessly when SQLite already rolled back (after SQLITE_FULL or an I/O error).
                try? await runner.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Waits for the task using the connection, closes the connection and stops the thread. Later
    /// calls, and calls waiting for the connection, throw ``StoreError/unavailable``. Closing twice
    /// does nothing the second time.
    func close() async throws(StoreError) {
        do {
            try await gate.enter()
        } catch {
            return  // Already closed.
        }
        await gate.shut()
        var failure: (any Error)?
        do { try await connection.close() } catch { failure = error }
        do { try await threadPool.shutdownGracefully() } catch { failure = failure ?? error }
        await gate.leave()
        if let failure {
            throw .unavailable("Cannot close the SQLite database at \(path) cleanly", cause: "\(failure)")
        }
    }
}
