import NIOPosix
import SQLiteNIO
import SwitchboardCore
import Synchronization

/// Group commit for independent single-statement writes on a session's writer.
///
/// Every inbound call records its ringing call, and on its own each such insert is a transaction: the
/// WAL write lock taken and released, the changed pages appended to the WAL. Writes queued here instead
/// run together, in arrival order, as one job on the writer's thread inside one `BEGIN IMMEDIATE …
/// COMMIT`: a job picks up everything queued since the previous job started, so under load many writes
/// share one commit, and a lone write waits for nothing but its own job. Each caller is answered only
/// after the commit that holds its write, so a write is never acknowledged before it is in the database.
///
/// When anything in a batch fails (the `BEGIN`, a statement, the `COMMIT`), the batch is rolled back and
/// its writes run again one by one, each in its own transaction, so every caller gets its own outcome,
/// exactly as without batching.
///
/// A caller whose task is cancelled before its batch starts is answered at once and its write is
/// dropped; one cancelled while its batch runs is answered when the batch ends, and the batch stops
/// waiting for other connections' locks once all of its callers have been cancelled (see
/// ``SQLiteWaiter``).
final class SQLiteWriteBatch: Sendable {
    private let writer: SQLiteHandle
    private let busy: SQLiteBusyHandler
    private let threadPool: NIOThreadPool
    private let queue = Mutex(Queue())
    /// How many batches of more than one write were committed together, for tests.
    let sharedCommits = Atomic<Int>(0)

    private struct Write: Sendable {
        let sql: String
        let binds: [SQLiteData]
        let waiter: SQLiteWaiter<Void>
    }

    private struct Queue {
        var writes: [Write] = []
        var isScheduled = false
    }

    /// A batch on `writer`, whose lock waits `busy` decides, and which is used only on `threadPool`'s one
    /// thread.
    init(writer: SQLiteHandle, busy: SQLiteBusyHandler, threadPool: NIOThreadPool) {
        self.writer = writer
        self.busy = busy
        self.threadPool = threadPool
    }

    /// Runs `sql` with `binds` in the next batch; returns once that batch is committed.
    func write(_ sql: String, _ binds: [SQLiteData]) async throws(StoreError) {
        let waiter = SQLiteWaiter<Void>()
        let result = await waiter.wait {
            let schedule = queue.withLock { queue -> Bool in
                queue.writes.append(Write(sql: sql, binds: binds, waiter: waiter))
                guard !queue.isScheduled else { return false }
                queue.isScheduled = true
                return true
            }
            if schedule {
                threadPool.submit { state in self.run(isActive: state == .active) }
            }
        }
        try result.get()
    }

    /// One job on the writer's thread: everything queued so far.
    private func run(isActive: Bool) {
        let queued = queue.withLock { queue -> [Write] in
            defer {
                queue.writes = []
                queue.isScheduled = false
            }
            return queue.writes
        }
        // Writes whose callers have gone are dropped here.
        let writes = queued.filter { $0.waiter.start() }
        guard isActive, writer.isOpen else {
            for write in writes { write.waiter.finish(.failure(.unavailable("The SQLite store is closed"))) }
            return
        }
        defer { busy.isAbandoned = nil }
        if writes.count > 1 {
            busy.isAbandoned = { writes.allSatisfy(\.waiter.isAbandoned) }
            if runTogether(writes) {
                sharedCommits.add(1, ordering: .relaxed)
                for write in writes { write.waiter.finish(.success(())) }
                return
            }
        }
        for write in writes {
            guard !write.waiter.isAbandoned else {
                write.waiter.finish(.failure(SQLiteWaiter<Void>.cancelled))
                continue
            }
            let waiter = write.waiter
            busy.isAbandoned = { waiter.isAbandoned }
            write.waiter.finish(Result { () throws(StoreError) in _ = try writer.rows(write.sql, write.binds) })
        }
    }

    /// Runs `writes` in one transaction; false, with everything rolled back, when anything failed.
    private func runTogether(_ writes: [Write]) -> Bool {
        do throws(StoreError) {
            _ = try writer.rows("BEGIN IMMEDIATE", [])
        } catch {
            return false
        }
        do throws(StoreError) {
            for write in writes { _ = try writer.rows(write.sql, write.binds) }
            _ = try writer.rows("COMMIT", [])
            return true
        } catch {
            // Fails harmlessly when SQLite already rolled back.
            _ = try? writer.rows("ROLLBACK", [])
            return false
        }
    }
}
