import Dispatch
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a ``StoreRetryJournal`` off the caller's thread, one write at a time, always the latest
/// items: a burst of changes costs one write per write's duration, not one each, and a stalled disk
/// holds up only the writer's own queue, never the routes or the cooperative pool.
final class JournalWriter<Item: Encodable & Sendable>: Sendable {
    private let journal: StoreRetryJournal
    private let logger: Logger
    private let queue: DispatchQueue
    /// The items to write next, and whether a write is scheduled to take them.
    private let next = Mutex<(items: [Item]?, scheduled: Bool)>((nil, false))
    /// Whether the last write failed (logged once, until one succeeds).
    private let failing = Mutex(false)
    /// The descriptor that holds this instance's lock (see ``StoreRetryJournal/lock()``), until released.
    private let lockDescriptor: Mutex<Int32?>

    /// A writer for `journal`, holding its instance's lock.
    init(journal: StoreRetryJournal, logger: Logger) {
        self.journal = journal
        self.logger = logger
        self.queue = DispatchQueue(label: "switchboard.journal.\(journal.name)")
        self.lockDescriptor = Mutex(journal.lock())
    }

    /// Releases this instance's lock: its file may then be adopted by a queue that starts. With
    /// `removingFile` (nothing waits, so no journal file is left to adopt) the lock file is removed.
    func releaseLock(removingFile: Bool) {
        lockDescriptor.withLock { descriptor in
            guard let held = descriptor else { return }
            if removingFile { unlink(StoreRetryJournal.lockFile(of: journal.file)) }
            close(held)
            descriptor = nil
        }
    }

    /// Has `items` written, replacing whatever was waiting to be.
    func write(_ items: [Item]) {
        let schedule = next.withLock { state -> Bool in
            state.items = items
            defer { state.scheduled = true }
            return !state.scheduled
        }
        if schedule { queue.async { self.drain() } }
    }

    /// Waits, up to `limit`, until every write asked for so far is done. True when they are and the last
    /// one succeeded; false when one failed, or the disk did not answer in time (a stalled disk must not
    /// hold a shutdown for ever).
    func flush(within limit: Duration) async -> Bool {
        let answer = OnceAnswer()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            answer.set(continuation)
            queue.async { answer.give(!self.failing.withLock { $0 }) }
            Task {
                try? await Task.sleep(for: limit)
                answer.give(false)
            }
        }
    }

    private func drain() {
        let items = next.withLock { state -> [Item]? in
            state.scheduled = false
            defer { state.items = nil }
            return state.items
        }
        guard let items else { return }
        do {
            try journal.save(items)
            let wasFailing = failing.withLock { failing in
                defer { failing = false }
                return failing
            }
            if wasFailing {
                logger.info("\(journal.name): the journal is written again", metadata: ["file": "\(journal.file)"])
            }
        } catch {
            let first = failing.withLock { was -> Bool in
                defer { was = true }
                return !was
            }
            if first {
                logger.error("\(journal.name): cannot write the journal; a restart would lose what waits", metadata: ["error": "\(error)"])
            }
        }
    }
}
