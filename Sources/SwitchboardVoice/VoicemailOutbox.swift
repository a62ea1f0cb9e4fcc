import Logging
import SwitchboardCore
import SwitchboardWebhooks
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Voicemails the store could not take when Twilio reported their recording, saved again in the
/// background until the store takes each one, so that a store outage loses no voicemail.
///
/// Twilio does not retry a recording status callback (by default it retries once, and only when it
/// cannot connect), and the voice routes never answer a 5xx, so the callback's one delivery is the only
/// one: a voicemail the store refused then was lost, apart from a log line. Now it waits here, oldest
/// first, and a worker tries the oldest again after a pause that doubles from one second to a minute
/// while the store keeps failing; once the store takes one, the rest follow at once. A repeat
/// delivery is harmless: saving a voicemail is idempotent by recording SID.
///
/// Only a store that is down or slow (``StoreError/unavailable``, ``StoreError/timeout``) or refuses
/// its credentials (``StoreError/unauthorized``, which an operator can fix) is waited for; see
/// ``StoreError/isWorthRetrying``. A voicemail the store rejects for good (its data breaks a rule, say) would
/// fail forever and hold up every voicemail behind it, so it is set aside instead (``setAside(_:receivedAt:error:)``):
/// logged, and kept in the spool's `rejected/` when there is a spool.
///
/// With a ``VoicemailSpool`` each queued voicemail is also kept on disk until the store takes it, so a
/// restart or a crash loses none: a new outbox over the same spool starts with them. Memory holds at
/// most ``capacity`` of them; past it, a new one is kept on disk only and loaded once the queue drains.
/// Without a spool the queue lives only in memory, and past ``capacity`` a new voicemail is refused.
/// Either way each voicemail is logged with its recording's SID and URL when it is queued, refused or
/// saved, and ``stop()`` logs what is left.
///
/// The outbox runs on its own serial queue (``BlockingIOExecutor``), not on the cooperative pool: the
/// spool's writes end in `fsync`, and they come in bursts exactly while the store is down, when they
/// must not hold up the voice routes' threads.
public actor VoicemailOutbox {
    /// Saves one voicemail (received at the date, of the tenant its callback named if any): true when
    /// stored, false when it was already there.
    public typealias Save = @Sendable (RecordingStatusCallback, Date, TenantID?) async throws(StoreError) -> Bool

    private struct Entry: Sendable {
        let callback: RecordingStatusCallback
        let receivedAt: Date
        let tenant: TenantID?
        /// Whether the spool holds it (a failed write is tried again before each round of saves).
        var isOnDisk: Bool
    }

    /// The most voicemails held in memory. Past it a new one is kept on disk only, with a spool, or
    /// refused (only its log line remains) without one.
    public let capacity: Int
    private let save: Save
    private let pause: @Sendable (Duration) async -> Void
    private let logger: Logger
    /// Where queued voicemails are kept on disk, if anywhere.
    public nonisolated let spool: VoicemailSpool?
    private var entries: [Entry] = [] {
        didSet { waiting.store(entries.count, ordering: .relaxed) }
    }
    /// How many entries wait, readable without the outbox's queue, which a stalled disk may hold up.
    private nonisolated let waiting = Atomic<Int>(0)
    /// Whether the spool holds voicemails that memory had no room for.
    private var spoolHoldsMore = false
    /// Whether a worker is saving the queue; `worker` is its task, for ``stop()``.
    private var isWorking = false
    private var worker: Task<Void, Never>?
    /// The worker the initializer starts for the spool's voicemails (an initializer cannot set `worker`
    /// once the task holds `self`).
    private let spoolWorker = Mutex<Task<Void, Never>?>(nil)
    private var isStopped = false
    private let executor = BlockingIOExecutor(label: "switchboard.voicemail-outbox")

    /// The outbox's isolation runs on its own queue, where blocking on the disk holds up no other task.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// Whether the outbox's own work runs off the cooperative pool, on its queue (for tests).
    var runsOnItsQueue: Bool { executor.isCurrent }

    /// The first pause after a failure, and the longest.
    static let firstPause = Duration.seconds(1)
    static let longestPause = Duration.seconds(60)

    /// An outbox that saves through `save` and waits through `pause` (tests pass one that records
    /// instead of sleeping). With a `spool`, it starts with the voicemails the spool keeps, oldest first,
    /// and saves them at once.
    public init(
        capacity: Int = 10_000,
        logger: Logger,
        spool: VoicemailSpool? = nil,
        pause: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) },
        save: @escaping Save
    ) {
        self.capacity = capacity
        self.logger = logger
        self.spool = spool
        self.pause = pause
        self.save = save
        guard let spool else { return }
        let (loaded, more, _) = Self.load(spool, capacity: capacity, logger: logger)
        entries = loaded
        waiting.store(loaded.count, ordering: .relaxed)
        spoolHoldsMore = more
        guard !loaded.isEmpty else { return }
        logger.warning("voicemails from the spool wait for the store", metadata: ["count": "\(loaded.count)", "spool": "\(spool.directory)"])
        // The first try comes at once: these may have waited for a restart.
        isWorking = true
        let task = Task { await self.work(firstPause: .zero) }
        spoolWorker.withLock { $0 = task }
    }

    /// How many voicemails wait for the store in memory (those kept on disk only, past ``capacity``,
    /// are not counted). Read without the outbox's queue, so `/metrics` answers while a stalled disk
    /// holds that queue up.
    public nonisolated var count: Int { waiting.load(ordering: .relaxed) }

    /// Queues the voicemail of `callback`, received at `receivedAt` (of `tenant`, when its callback named
    /// one), to be saved again. Returns false when
    /// it was refused: memory is full and there is no spool (or the spool cannot take it), or the outbox
    /// has stopped and the spool cannot take it.
    @discardableResult
    public func add(_ callback: RecordingStatusCallback, receivedAt: Date, tenant: TenantID? = nil) -> Bool {
        let isOnDisk = keep(callback, receivedAt: receivedAt, tenant: tenant)
        guard !isStopped else {
            if isOnDisk {
                logger.warning("voicemail not stored yet; it waits in the spool for the next start", metadata: Self.metadata(callback))
            } else {
                logger.error("voicemail NOT stored: the service is stopping", metadata: Self.metadata(callback))
            }
            return isOnDisk
        }
        guard entries.count < capacity else {
            guard isOnDisk else {
                logger.error("voicemail NOT stored: the retry queue is full", metadata: Self.metadata(callback))
                return false
            }
            spoolHoldsMore = true
            logger.warning("voicemail not stored yet; the retry queue is full, so it waits in the spool", metadata: Self.metadata(callback))
            return true
        }
        entries.append(Entry(callback: callback, receivedAt: receivedAt, tenant: tenant, isOnDisk: isOnDisk))
        var metadata = Self.metadata(callback)
        if isOnDisk, let spool { metadata["spool"] = "\(spool.directory)" }
        logger.warning("voicemail not stored yet; retrying in the background", metadata: metadata)
        if !isWorking {
            isWorking = true
            worker = Task { await work(firstPause: Self.firstPause) }
        }
        return true
    }

    /// Logs a voicemail the store rejects for good and, with a spool, keeps it in `rejected/` for an
    /// operator, so that it is not lost although it cannot be stored.
    public func setAside(_ callback: RecordingStatusCallback, receivedAt: Date, tenant: TenantID? = nil, error: StoreError) {
        var metadata = Self.metadata(callback, error: error)
        if let spool {
            // A later delivery of the same recording that still waits keeps the spool's copy.
            let keepsWaiting = entries.contains { $0.callback.recordingSid == callback.recordingSid }
            do {
                metadata["keptAt"] = "\(try spool.reject(callback, receivedAt: receivedAt, tenant: tenant, removingWaitingCopy: !keepsWaiting))"
            } catch {
                metadata["spoolError"] = "\(error)"
            }
        }
        logger.error("voicemail NOT stored: the store rejects it", metadata: metadata)
    }

    /// Logs, whole, a recording status callback that cannot be read as a voicemail (a required parameter
    /// is missing) and, with a spool, keeps it in `rejected/`: whatever recording it names is not lost
    /// without a trace.
    public func setAsideUnreadable(_ form: FormParameters, receivedAt: Date, tenant: TenantID?, error: WebhookError) {
        var metadata: Logger.Metadata = [
            "callSid": "\(form["CallSid"] ?? "")", "recordingSid": "\(form["RecordingSid"] ?? "")",
            "url": "\(form["RecordingUrl"] ?? "")", "error": "\(error)", "form": "\(form.encoded())",
        ]
        if let spool {
            do {
                metadata["keptAt"] = "\(try spool.rejectUnreadable(form, receivedAt: receivedAt, tenant: tenant, reason: error.description))"
            } catch {
                metadata["spoolError"] = "\(error)"
            }
        }
        logger.error("voicemail NOT stored: its recording status callback cannot be read", metadata: metadata)
    }

    /// Stops trying: the pause under way ends, a save under way is cancelled (the voicemail stays
    /// queued), and no other starts. What is left is logged: voicemails in the spool wait there for the
    /// next start; each one that is not on disk is logged as not stored, with its recording's SID and URL.
    public func stop() async {
        isStopped = true
        for worker in [self.worker, spoolWorker.withLock { $0 }] {
            worker?.cancel()
            await worker?.value
        }
        persistPending()
        let onDisk = entries.filter(\.isOnDisk).count
        if onDisk > 0 || spoolHoldsMore, let spool {
            logger.warning(
                "stopping with voicemails not stored yet; they wait in the spool for the next start",
                metadata: ["count": "\(onDisk)", "spool": "\(spool.directory)", "more": "\(spoolHoldsMore)"]
            )
        }
        for entry in entries where !entry.isOnDisk {
            logger.error("voicemail NOT stored: the service stopped before the store took it", metadata: Self.metadata(entry.callback))
        }
    }

    /// Stops as ``stop()`` does, waiting for it at most `limit`. On a spool whose disk stalls (a frozen
    /// filesystem, a hung network mount) a spool write under way never returns, and ``stop()`` waits
    /// behind it on the outbox's queue: past the limit, what waits is logged by count (the voicemails on
    /// disk wait there for the next start; one held only in memory is lost with the process), and the
    /// stop goes on in the background. Answers whether it stopped within the limit.
    @discardableResult
    public nonisolated func stop(within limit: Duration) async -> Bool {
        let stopped = await OnceAnswer.finishes(within: limit) { await self.stop() }
        if !stopped {
            logger.error(
                "the voicemail spool did not answer at shutdown; voicemails not stored yet may be lost",
                metadata: ["waiting": "\(count)", "spool": "\(spool?.directory ?? "-")", "limit": "\(limit)"]
            )
        }
        return stopped
    }

    /// Saves the queue, oldest first, pausing longer after every failure, until it is empty (and the
    /// spool holds no more) or the outbox stops.
    private func work(firstPause: Duration) async {
        var delay = firstPause
        while !isStopped {
            if entries.isEmpty {
                guard spoolHoldsMore, let spool else { break }
                let (loaded, more, failed) = Self.load(spool, capacity: capacity, logger: logger)
                entries = loaded
                // A spool that cannot be read now is tried again after a pause, not given up.
                spoolHoldsMore = more || failed
                if entries.isEmpty {
                    guard failed else { break }
                    await pause(max(delay, Self.firstPause))
                    delay = min(max(delay * 2, Self.firstPause), Self.longestPause)
                    continue
                }
            }
            if delay > .zero { await pause(delay) }
            guard !isStopped else { break }
            persistPending()
            delay = await saveQueued() ? Self.firstPause : min(max(delay * 2, Self.firstPause), Self.longestPause)
        }
        isWorking = false
    }

    /// Saves queued voicemails, oldest first, until the queue is empty (true) or the store fails (false).
    private func saveQueued() async -> Bool {
        while !isStopped, let entry = entries.first {
            do {
                let stored = try await save(entry.callback, entry.receivedAt, entry.tenant)
                // Only this worker removes entries, always the first; `add` only appends.
                entries.removeFirst()
                var metadata = Self.metadata(entry.callback)
                metadata["stored"] = "\(stored)"
                logger.info("voicemail stored on retry", metadata: metadata)
                forget(entry)
            } catch {
                guard error.isWorthRetrying else {
                    entries.removeFirst()
                    setAside(entry.callback, receivedAt: entry.receivedAt, tenant: entry.tenant, error: error)
                    continue
                }
                var metadata = Self.metadata(entry.callback, error: error)
                metadata["waiting"] = "\(entries.count)"
                logger.warning("voicemail still not stored", metadata: metadata)
                return false
            }
        }
        return true
    }

    /// Writes `callback` to the spool; true when it is there.
    private func keep(_ callback: RecordingStatusCallback, receivedAt: Date, tenant: TenantID?) -> Bool {
        guard let spool else { return false }
        do {
            try spool.keep(callback, receivedAt: receivedAt, tenant: tenant)
            return true
        } catch {
            // It still waits in memory; the worker tries the disk again before each round.
            logger.error("cannot keep the voicemail in the spool", metadata: Self.metadata(callback, error: error))
            return false
        }
    }

    /// Tries the spool again for queued voicemails it could not take when they came, stopping at the
    /// first that still fails (a full disk fails them all alike).
    private func persistPending() {
        guard spool != nil else { return }
        for index in entries.indices where !entries[index].isOnDisk {
            entries[index].isOnDisk = keep(entries[index].callback, receivedAt: entries[index].receivedAt, tenant: entries[index].tenant)
            if !entries[index].isOnDisk { return }
        }
    }

    /// Removes a stored voicemail from the spool, unless a later delivery of the same recording waits
    /// too (it shares the file).
    private func forget(_ entry: Entry) {
        guard let spool, !entries.contains(where: { $0.callback.recordingSid == entry.callback.recordingSid }) else { return }
        do {
            try spool.remove(entry.callback.recordingSid)
        } catch {
            // The next start saves it again, which changes nothing.
            logger.warning("cannot remove a stored voicemail from the spool", metadata: Self.metadata(entry.callback, error: error))
        }
    }

    /// Up to `capacity` voicemails of the spool, oldest first, whether it holds more, and whether it
    /// could not be read.
    private static func load(_ spool: VoicemailSpool, capacity: Int, logger: Logger) -> ([Entry], Bool, Bool) {
        do {
            let contents = try spool.load()
            for path in contents.unreadable {
                logger.error("spool file is not a voicemail this version reads; left where it is", metadata: ["path": "\(path)"])
            }
            let entries = contents.voicemails.prefix(capacity).map {
                Entry(callback: $0.callback, receivedAt: $0.receivedAt, tenant: $0.tenant, isOnDisk: true)
            }
            return (Array(entries), contents.voicemails.count > capacity, false)
        } catch {
            logger.error("cannot read the voicemail spool", metadata: ["error": "\(error)"])
            return ([], false, true)
        }
    }

    private static func metadata(_ callback: RecordingStatusCallback, error: (any Error)? = nil) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "callSid": "\(callback.callSid)", "recordingSid": "\(callback.recordingSid)", "url": "\(callback.recordingUrl)",
        ]
        if let error { metadata["error"] = "\(error)" }
        return metadata
    }
}
