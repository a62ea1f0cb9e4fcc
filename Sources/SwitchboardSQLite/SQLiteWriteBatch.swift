import Dispatch
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
/// ## Lingering
/// A job whose writes nobody waits for (the ringing records the voice route queues and does not await)
/// first lingers for up to the batch's linger before it takes the queue, so the records of calls arriving
/// meanwhile share its commit and its thread's wake-up instead of each costing its own. Anything that
/// someone waits for cuts the linger short, or keeps it from starting: a write awaited here, and any
/// other job given to the writer's thread (``jobSubmitted()``), which would otherwise wait behind it. So
/// does a queue of ``enough`` writes, and a closed writer keeps a job from lingering at all.
///
/// ## Cancellation
/// A caller whose task is cancelled while its write is queued is answered at once, and the write is
/// dropped. One cancelled while its batch runs is answered when the batch ends, with the batch's true
/// outcome; the batch stops waiting for other connections' locks once every one of its callers has been
/// cancelled (see ``SQLiteBusyHandler``), and a write run alone stops once its caller has. Writes are
/// told apart by a number, so a write costs no object of its own.
final class SQLiteWriteBatch: SQLiteBusyHandler.Job {
    private let writer: SQLiteHandle
    private let busy: SQLiteBusyHandler
    private let threadPool: NIOThreadPool
    private let queue = Mutex(Queue())
    /// The number of the next write; writes are told apart by it.
    private let nextID = Atomic<Int>(0)
    /// How many batches of more than one write were committed together, for tests.
    let sharedCommits = Atomic<Int>(0)
    /// The most writes that may wait for the writer; past it a new one fails at once with
    /// ``StoreError/unavailable``, so a stalled disk cannot make the queue grow without end.
    let maximumQueued: Int
    /// How long a job of writes nobody waits for waits for more before it starts, in nanoseconds; zero
    /// never.
    private let lingerNanoseconds: Int
    /// Whether a job lingers now, waiting on ``wakeup``; whoever takes it back (``hurry()``, or the job
    /// when its wait ends) decides whether ``wakeup`` is signalled, so it is signalled at most once per
    /// linger and every signal is consumed.
    private let lingering = Atomic<Bool>(false)
    /// Ends a linger early. A semaphore's timed wait runs on the monotonic clock, so a step of the wall
    /// clock neither stretches nor cuts a linger.
    private let wakeup = DispatchSemaphore(value: 0)
    /// How many other jobs were submitted to the writer's thread and have not started.
    private let pendingJobs = Atomic<Int>(0)
    /// How many queued writes end a linger: enough to fill a commit, far below ``maximumQueued``, so a
    /// long linger under load never makes the queue refuse writes.
    static let enough = 1_000

    private struct Write: Sendable {
        let id: Int
        let sql: String
        let binds: [SQLiteData]
        let done: Done
    }

    /// Who hears of a write's outcome: a caller waiting for it, or a function called with it.
    private enum Done: Sendable {
        case waiting(CheckedContinuation<Result<Void, StoreError>, Never>)
        case calling(@Sendable (StoreError?) -> Void)

        /// Whether nobody waits for the write.
        var isCalling: Bool {
            if case .calling = self { return true }
            return false
        }

        func resume(returning result: Result<Void, StoreError>) {
            switch self {
            case .waiting(let continuation): continuation.resume(returning: result)
            case .calling(let then):
                switch result {
                case .success: then(nil)
                case .failure(let error): then(error)
                }
            }
        }
    }

    private struct Queue {
        var writes: [Write] = []
        var isScheduled = false
        /// The writes of the job running now …
        var running: [Write] = []
        /// … and the numbers of those whose callers have gone.
        var abandoned: [Int] = []
        /// The write running alone, when the job runs its writes one by one.
        var alone: Int?
    }

    /// A batch on `writer`, whose lock waits `busy` decides, and which is used only on `threadPool`'s one
    /// thread. A job of writes nobody waits for lingers up to `linger` (see the type's documentation).
    init(
        writer: SQLiteHandle,
        busy: SQLiteBusyHandler,
        threadPool: NIOThreadPool,
        maximumQueued: Int = 10_000,
        linger: Duration = .zero
    ) {
        self.writer = writer
        self.busy = busy
        self.threadPool = threadPool
        self.maximumQueued = maximumQueued
        // At most a million seconds, far beyond any sensible setting, so the nanoseconds cannot overflow.
        let (seconds, attoseconds) = linger.components
        self.lingerNanoseconds = seconds < 0 ? 0 : Int(min(seconds, 1_000_000)) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
    }

    /// Another job has been submitted to the writer's thread: no job of this batch lingers until it has
    /// started (``jobStarted()``), since it runs only after them.
    func jobSubmitted() {
        pendingJobs.add(1, ordering: .sequentiallyConsistent)
        hurry()
    }

    /// A job counted by ``jobSubmitted()`` has started (or been dropped by a stopped pool).
    func jobStarted() {
        pendingJobs.subtract(1, ordering: .sequentiallyConsistent)
    }

    /// Ends the linger of the job on the thread, if one lingers.
    private func hurry() {
        if lingering.exchange(false, ordering: .sequentiallyConsistent) { wakeup.signal() }
    }

    /// Waits up to the linger before a job takes the queue, unless or until someone waits for the
    /// writer's thread: a write awaited here, or another job submitted to it.
    ///
    /// The job says it lingers before it looks, and whoever comes to wait counts or queues itself before
    /// it hurries: so either the job sees them and does not linger, or their hurry finds it lingering
    /// and wakes it.
    private func lingerIfNobodyWaits() {
        guard lingerNanoseconds > 0 else { return }
        lingering.store(true, ordering: .sequentiallyConsistent)
        let nobodyWaits =
            pendingJobs.load(ordering: .sequentiallyConsistent) == 0
            && queue.withLock { $0.writes.count < Self.enough && $0.writes.allSatisfy(\.done.isCalling) }
        if nobodyWaits, wakeup.wait(timeout: .now() + .nanoseconds(lingerNanoseconds)) == .success { return }
        // Not woken: take the flag back. When a hurry took it first, its signal is on its way; consume it.
        if !lingering.exchange(false, ordering: .sequentiallyConsistent) { wakeup.wait() }
    }

    /// The failure of a write that found the queue full.
    private var fullError: StoreError {
        .unavailable("The SQLite store's writer has \(maximumQueued) writes waiting already")
    }

    /// Queues `sql` with `binds` for the next batch and returns at once; `then` is called, on the writer's
    /// thread, with nil once that batch is committed, or with the write's failure.
    func submit(_ sql: String, _ binds: [SQLiteData], then: @escaping @Sendable (StoreError?) -> Void) {
        let write = Write(id: newID(), sql: sql, binds: binds, done: .calling(then))
        if let refusal = enqueue(write) { then(refusal) }
    }

    /// Runs `sql` with `binds` in the next batch; returns once that batch is committed.
    func write(_ sql: String, _ binds: [SQLiteData]) async throws(StoreError) {
        let id = newID()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Result<Void, StoreError>, Never>) in
                // Checked under the queue's lock, so that a cancellation either came before (and is seen
                // here) or finds the write queued.
                let write = Write(id: id, sql: sql, binds: binds, done: .waiting(done))
                if let refusal = enqueue(write, unless: { Task.isCancelled ? SQLiteWaiter<Void>.cancelled : nil }) {
                    done.resume(returning: .failure(refusal))
                }
            }
        } onCancel: {
            cancel(id)
        }
        try result.get()
    }

    /// A number no other write of this batch has.
    private func newID() -> Int {
        nextID.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    /// Queues `write` and schedules a job when none is, all under the queue's lock, then ends a linger when
    /// someone waits for the write or the queue holds ``enough``; returns why it was not queued instead:
    /// what `refusal` answers (asked under the lock), or a full queue.
    private func enqueue(_ write: Write, unless refusal: () -> StoreError? = { nil }) -> StoreError? {
        var hurryNow = false
        defer { if hurryNow { hurry() } }
        let schedule = queue.withLock { queue -> Result<Bool, StoreError> in
            if let refused = refusal() { return .failure(refused) }
            guard queue.writes.count < maximumQueued else { return .failure(fullError) }
            queue.writes.append(write)
            hurryNow = !write.done.isCalling || queue.writes.count >= Self.enough
            guard !queue.isScheduled else { return .success(false) }
            queue.isScheduled = true
            return .success(true)
        }
        switch schedule {
        case .failure(let error): return error
        case .success(true): threadPool.submit { state in self.run(isActive: state == .active) }
        case .success(false): break
        }
        return nil
    }

    /// The caller of write `id` has gone: a queued write is dropped and answered now; a running one is
    /// marked, for ``isAbandoned``.
    private func cancel(_ id: Int) {
        let dropped = queue.withLock { queue -> Write? in
            if let index = queue.writes.firstIndex(where: { $0.id == id }) { return queue.writes.remove(at: index) }
            if queue.running.contains(where: { $0.id == id }) { queue.abandoned.append(id) }
            return nil
        }
        dropped?.done.resume(returning: .failure(SQLiteWaiter<Void>.cancelled))
    }

    /// Whether nobody waits any more for what the writer is doing now: the write running alone, or else
    /// every write of the batch. Asked by the busy handler on the writer's thread.
    var isAbandoned: Bool {
        queue.withLock { queue in
            if let alone = queue.alone { return queue.abandoned.contains(alone) }
            return queue.abandoned.count == queue.running.count
        }
    }

    /// One job on the writer's thread: everything queued so far, after the linger when nobody waits for it.
    private func run(isActive: Bool) {
        // Not on a closed writer: its writes fail at once, and `close` waits for this thread.
        if isActive, writer.isOpen { lingerIfNobodyWaits() }
        let writes = queue.withLock { queue -> [Write] in
            defer {
                queue.writes = []
                queue.isScheduled = false
            }
            // A stopped pool calls this on whatever thread submits or shuts down, maybe while the writer's
            // thread still runs a batch: only a job that runs on the writer's thread marks itself running.
            if isActive { queue.running = queue.writes }
            return queue.writes
        }
        guard isActive, writer.isOpen else {
            if isActive { queue.withLock { $0.running = [] } }
            for write in writes { write.done.resume(returning: .failure(.unavailable("The SQLite store is closed"))) }
            return
        }
        defer {
            busy.job = nil
            queue.withLock { queue in
                queue.running = []
                queue.abandoned = []
                queue.alone = nil
            }
        }
        busy.job = self
        if writes.count > 1, runTogether(writes) {
            sharedCommits.add(1, ordering: .relaxed)
            for write in writes { write.done.resume(returning: .success(())) }
            return
        }
        for write in writes {
            let abandoned = queue.withLock { queue in
                queue.alone = write.id
                return queue.abandoned.contains(write.id)
            }
            if abandoned {
                write.done.resume(returning: .failure(SQLiteWaiter<Void>.cancelled))
                continue
            }
            let result = Result { () throws(StoreError) in _ = try writer.rows(write.sql, write.binds) }
            write.done.resume(returning: result)
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
