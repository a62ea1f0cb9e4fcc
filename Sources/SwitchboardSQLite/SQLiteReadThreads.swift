import NIOCore
import NIOPosix
import SwitchboardCore
import Synchronization

/// Where SQLite reads run when running them on the calling task's thread could leave the cooperative
/// pool with no thread free: threads of their own, shared by every store of the process.
///
/// A read runs synchronously in `sqlite3_step`, and on a stalled disk (a page not in the cache, a
/// saturated volume) it blocks its thread for as long as the disk takes. The cooperative pool has one
/// thread per core. Were every one of them inside such a read, every task of the process would stop:
/// the voice routes, the store budget's deadline, `/healthz`, so that Twilio would get no answer at all
/// instead of the voicemail the budget promises. So at most one read fewer than the pool has threads
/// (taken as NIO's count of usable cores, which is never above the pool's width) runs on the caller's
/// thread (``enterInline()``); the others come here, at the cost of a
/// trip to another thread and back, which reads of a few microseconds rarely need (two reads must
/// overlap). A stalled disk then holds up only the reads, and the work waiting for them, which the
/// budget gives up on in time, while one pool thread at least stays free; reads still waiting for a
/// thread when their caller is cancelled are dropped (see ``run(_:)``).
///
/// The threads (one per core, two to four) live as long as the process, so no read submitted can
/// outlive them.
final class SQLiteReadThreads: Sendable {
    /// The process's threads.
    static let shared = SQLiteReadThreads(threads: min(max(System.coreCount, 2), 4), inlineLimit: System.coreCount - 1)

    private let pool: NIOThreadPool
    private let inlineLimit: Int
    private let inline = Atomic<Int>(0)

    /// Threads of their own, `threads` of them, and at most `inlineLimit` reads on callers' threads.
    init(threads: Int, inlineLimit: Int) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        self.inlineLimit = inlineLimit
    }

    /// Counts a read about to run on the caller's thread and returns true, or returns false (counting
    /// nothing) when as many already do as the limit allows. After true, call ``leaveInline()`` once the
    /// read is done.
    func enterInline() -> Bool {
        guard inline.add(1, ordering: .acquiring).newValue > inlineLimit else { return true }
        inline.subtract(1, ordering: .releasing)
        return false
    }

    /// Ends a read that ``enterInline()`` let run on the caller's thread.
    func leaveInline() {
        inline.subtract(1, ordering: .releasing)
    }

    /// Runs `work` on one of the threads and returns its answer. When the caller is cancelled while
    /// `work` waits for a thread (the store budget gives up on reads queued behind a stalled disk),
    /// `work` is dropped: once a thread takes it up it does not run, and the caller gets
    /// ``StoreError/timeout``. So reads nobody waits for any more do not pile up behind the stall.
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws(StoreError) -> T {
        do {
            return try await pool.runIfActive(work)
        } catch {
            throw .timeout("The read was cancelled while it waited for a thread (\(error))")
        }
    }
}
