import Dispatch
import Logging
import Synchronization

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

    init(journal: StoreRetryJournal, logger: Logger) {
        self.journal = journal
        self.logger = logger
        self.queue = DispatchQueue(label: "switchboard.journal.\(journal.name)")
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

    /// Returns once every write asked for so far is done.
    func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { continuation.resume() }
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
            if failing.withLock({ $0 }) {
                failing.withLock { $0 = false }
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
