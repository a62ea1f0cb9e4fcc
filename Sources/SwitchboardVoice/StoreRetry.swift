import Logging
import SwitchboardCore

/// Something the store could not record while it was failing, that a ``StoreRetry`` records again.
public protocol StoreRetryItem: Equatable, Sendable {
    /// The call it belongs to, named in the logs.
    var callSid: String { get }
    /// Whether it may wait at all; one that may not is refused by ``StoreRetry/add(_:)``.
    var mayWait: Bool { get }
    /// What the logs call these items, in the plural ("ring events").
    static var noun: String { get }
}

/// Writes the store could not make while it was failing (``StoreError/isWorthRetrying``), made again in
/// the background once it is back: the ends of agents' rings (``RingEventRetry``), so that dashboards'
/// cards clear, and the ends of calls (``CallEndRetry``), so that agents are rung again.
///
/// Items are tried oldest first, after a pause that doubles from 1 s to 30 s while the store keeps
/// failing; one the store refuses for good is logged and dropped, and one older than ``lifetime`` is
/// dropped unrecorded. Each item carries the time it happened, and recording one twice changes nothing
/// (see ``CallStore``). At most ``capacity`` wait; past that a new item is lost. Nothing is kept on disk:
/// ``stop()`` logs how many were still waiting.
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

    /// Creates an empty retry queue.
    /// - Parameters:
    ///   - firstPause, longestPause: the pause before the first round and the longest between rounds
    ///     (tests shorten them).
    public init(
        capacity: Int = 10_000,
        logger: Logger,
        lifetime: Duration = .seconds(600),
        firstPause: Duration = .seconds(1),
        longestPause: Duration = .seconds(30),
        record: @escaping Record
    ) {
        self.capacity = max(capacity, 1)
        self.logger = logger
        self.lifetime = lifetime
        self.firstPause = firstPause
        self.longestPause = longestPause
        self.record = record
    }

    /// The items waiting.
    public var count: Int { pending.count }

    /// Queues an item the store could not record. Returns false when it is not queued: one that may not
    /// wait (``StoreRetryItem/mayWait``), a full queue, or a stopped one.
    public func add(_ item: Item) -> Bool {
        guard item.mayWait, !isStopped else { return false }
        dropExpired()
        guard pending.count < capacity else { return false }
        pending.append((item, .now))
        if worker == nil {
            worker = Task { await self.work() }
        }
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

    /// Stops retrying, after the record under way; logs how many items were still waiting.
    public func stop() async {
        isStopped = true
        worker?.cancel()
        await worker?.value
        if !pending.isEmpty {
            logger.error(
                "\(Item.noun) lost at shutdown",
                metadata: ["count": "\(pending.count)", "first": "\(pending.prefix(5).map(\.item.callSid).joined(separator: ","))"]
            )
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
        defer {
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
            if let index = pending.firstIndex(where: { $0.item == item }) { pending.remove(at: index) }
        }
        return true
    }

    /// Drops the items that waited longer than ``lifetime``, logging how many.
    private func dropExpired() {
        let before = pending.count
        let now = ContinuousClock.now
        pending.removeAll { $0.queuedAt.duration(to: now) > lifetime }
        if pending.count < before {
            logger.error("\(Item.noun) lost: they waited too long", metadata: ["count": "\(before - pending.count)"])
        }
    }
}
