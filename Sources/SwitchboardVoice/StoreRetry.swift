import Logging
import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Something the store could not record while it was failing, that a ``StoreRetry`` records again (and
/// keeps in its ``StoreRetryJournal``, as JSON).
public protocol StoreRetryItem: Equatable, Sendable, Codable {
    /// The call it belongs to, named in the logs.
    var callSid: String { get }
    /// Whether it may wait at all; one that may not is refused by ``StoreRetry/add(_:)``.
    var mayWait: Bool { get }
    /// What the logs call these items, in the plural ("ring events").
    static var noun: String { get }
    /// When it happened: an item taken up from a journal is aged from then (see ``StoreRetry/lifetime``).
    var occurredAt: Date { get }
}

/// Writes the store could not make while it was failing (``StoreError/isWorthRetrying``), made again in
/// the background once it is back: the records of ringing calls (``RingingCallRetry``), so that calls
/// reach the dashboards; the ends of agents' rings (``RingEventRetry``), so that dashboards' cards clear;
/// the ends of calls (``CallEndRetry``), so that agents are rung again; and the claims of answering legs
/// (``ClaimRetry``), so that an agent who talks is not rung.
///
/// Items are tried oldest first, after a pause that doubles from 1 s to 30 s while the store keeps
/// failing; one the store refuses for good is logged and dropped, and one older than ``lifetime`` is
/// dropped unrecorded. Each item carries the time it happened, and recording one twice changes nothing
/// (see ``CallStore``). At most ``capacity`` wait; past that a new item is lost.
///
/// With a ``StoreRetryJournal`` the waiting items are also kept on disk, written in the background after
/// each change and at ``stop()``, and a queue that starts takes up those a previous run left, so neither
/// a restart nor a crash (once the write is done, milliseconds after the item) loses them: an agent whose
/// call ended while the store was down is not left "on a call" for good. Without one, ``stop()`` logs how
/// many were still waiting, and they are lost.
public actor StoreRetry<Item: StoreRetryItem> {
    /// Records one item, as the route does: true when it changed the store, false when it was already
    /// there.
    public typealias Record = @Sendable (Item) async throws(StoreError) -> Bool

    /// The most items that wait at once.
    public let capacity: Int
    /// How long an item may wait.
    public let lifetime: Duration
    private let record: Record
    private let logger: Logger
    private let firstPause: Duration
    private let longestPause: Duration
    private var pending: [(item: Item, queuedAt: ContinuousClock.Instant)] = []
    private var worker: Task<Void, Never>?
    private var isStopped = false
    private let journalWriter: JournalWriter<Item>?

    /// Creates an empty retry queue.
    /// - Parameters:
    ///   - firstPause, longestPause: the pause before the first round and the longest between rounds
    ///     (tests shorten them).
    ///   - journal: where the waiting items are kept on disk; the queue starts with those it holds.
    public init(
        capacity: Int = 10_000,
        logger: Logger,
        lifetime: Duration = .seconds(600),
        firstPause: Duration = .seconds(1),
        longestPause: Duration = .seconds(30),
        journal: StoreRetryJournal? = nil,
        record: @escaping Record
    ) {
        self.capacity = max(capacity, 1)
        self.logger = logger
        self.lifetime = lifetime
        self.firstPause = firstPause
        self.longestPause = longestPause
        self.record = record
        self.journalWriter = journal.map { JournalWriter(journal: $0, logger: logger) }
        guard let journal else { return }
        let adopted = journal.adopt(Item.self)
        for file in adopted.unreadable {
            logger.error("\(Item.noun): a journal file that cannot be read is left alone", metadata: ["file": "\(file)"])
        }
        guard !adopted.items.isEmpty else { return }
        let kept = Array(adopted.items.suffix(self.capacity))
        // Aged from when each happened, so a restart does not give an item a new lifetime.
        let now = ContinuousClock.now
        let wallNow = Date()
        pending = kept.map { item in
            let age = max(0, wallNow.timeIntervalSince(item.occurredAt))
            return (item, now - .milliseconds(Int64(min(age, 1e9) * 1000)))
        }
        // In this process's file before the adopted files go, so that a crash now loses nothing.
        do {
            try journal.save(kept)
            journal.remove(adopted.files)
        } catch {
            logger.error("\(Item.noun): cannot write the journal; the adopted files stay", metadata: ["error": "\(error)"])
        }
        logger.warning(
            "\(Item.noun) from the journal wait for the store",
            metadata: ["count": "\(kept.count)", "dropped": "\(adopted.items.count - kept.count)", "journal": "\(journal.directory)"]
        )
        Task { await self.startWorker() }
    }

    private func startWorker() {
        if worker == nil, !pending.isEmpty, !isStopped {
            worker = Task { await self.work() }
        }
    }

    /// Has the journal, if any, written with what waits now.
    private func journalChanged() {
        journalWriter?.write(pending.map(\.item))
    }

    /// The items waiting.
    public var count: Int { pending.count }

    /// Whether an item that satisfies `predicate` waits.
    public func holds(where predicate: (Item) -> Bool) -> Bool {
        pending.contains { predicate($0.item) }
    }

    /// Queues an item the store could not record. Returns false when it is not queued: one that may not
    /// wait (``StoreRetryItem/mayWait``), a full queue, or a stopped one.
    public func add(_ item: Item) -> Bool {
        guard item.mayWait, !isStopped else { return false }
        dropExpired()
        guard pending.count < capacity else { return false }
        pending.append((item, .now))
        journalChanged()
        startWorker()
        return true
    }

    /// What a route does with an item the store failed to record: queues it when the failure is worth
    /// retrying (``StoreError/isWorthRetrying``), and logs what became of it. Returns whether it waits.
    public func keep(_ item: Item, failing error: StoreError) -> Bool {
        var metadata: Logger.Metadata = ["callSid": "\(item.callSid)", "item": "\(item)", "error": "\(error)"]
        guard error.isWorthRetrying else {
            logger.error("\(Item.noun): one refused by the store", metadata: metadata)
            return false
        }
        let queued = add(item)
        metadata["queued"] = "\(queued)"
        logger.error(queued ? "\(Item.noun): one the store could not record will be tried again" : "\(Item.noun): one lost", metadata: metadata)
        return queued
    }

    /// Stops retrying, after the record under way; writes what still waits to the journal, if any, for
    /// the next start, and logs how many items were still waiting.
    public func stop() async {
        isStopped = true
        worker?.cancel()
        await worker?.value
        var kept = false
        if let journalWriter {
            journalWriter.write(pending.map(\.item))
            kept = await journalWriter.flush(within: .seconds(5))
            // Stopped: a queue that starts may take up what the file holds (and with nothing held, the
            // lock file goes too).
            journalWriter.releaseLock(removingFile: pending.isEmpty && kept)
        }
        if !pending.isEmpty {
            let metadata: Logger.Metadata = ["count": "\(pending.count)", "first": "\(pending.prefix(5).map(\.item.callSid).joined(separator: ","))"]
            if kept {
                logger.warning("\(Item.noun) kept in the journal for the next start", metadata: metadata)
            } else if journalWriter != nil {
                logger.error("\(Item.noun) lost at shutdown: the journal could not be written", metadata: metadata)
            } else {
                logger.error("\(Item.noun) lost at shutdown", metadata: metadata)
            }
        }
        pending.removeAll()
    }

    private func work() async {
        var pause = firstPause
        while !pending.isEmpty, !isStopped, !Task.isCancelled {
            try? await Task.sleep(for: pause)
            guard !isStopped, !Task.isCancelled else { break }
            pause = await round() ? firstPause : min(pause * 2, longestPause)
        }
        worker = nil
    }

    /// Tries every waiting item once, oldest first, until the store fails; true when none failed.
    private func round() async -> Bool {
        dropExpired()
        var recorded = 0
        var removed = false
        defer {
            if removed { journalChanged() }
            if recorded > 0 { logger.info("\(Item.noun) recorded after a retry", metadata: ["count": "\(recorded)", "waiting": "\(pending.count)"]) }
        }
        while !isStopped, !Task.isCancelled, let item = pending.first?.item {
            do {
                _ = try await record(item)
                recorded += 1
            } catch let error where error.isWorthRetrying {
                return false
            } catch {
                logger.error("\(Item.noun): one refused by the store", metadata: ["item": "\(item)", "error": "\(error)"])
            }
            // Only this actor removes items, but the queue may have grown while the store worked.
            if let index = pending.firstIndex(where: { $0.item == item }) {
                pending.remove(at: index)
                removed = true
            }
        }
        return true
    }

    /// Drops the items that waited longer than ``lifetime``, logging how many.
    private func dropExpired() {
        let before = pending.count
        let now = ContinuousClock.now
        pending.removeAll { $0.queuedAt.duration(to: now) > lifetime }
        if pending.count < before {
            journalChanged()
            logger.error("\(Item.noun) lost: they waited too long", metadata: ["count": "\(before - pending.count)"])
        }
    }
}
