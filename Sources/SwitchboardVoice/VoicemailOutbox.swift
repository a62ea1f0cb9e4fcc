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
/// ``isWorthRetrying(_:)``. A voicemail the store rejects for good (its data breaks a rule, say) would
/// fail forever and hold up every voicemail behind it, so it is logged and dropped instead.
///
/// The queue holds at most ``capacity`` voicemails. With a ``VoicemailSpool`` each one is also kept on
/// disk until the store takes it, so a restart or a crash loses none: a new outbox over the same spool
/// starts with them (and a voicemail the store rejects for good moves to the spool's `rejected/`).
/// Without one the queue lives only in memory. Either way each voicemail is logged with its recording's
/// SID and URL when it is queued, refused (the queue is full) or saved, and ``stop()`` logs what is left.
public actor VoicemailOutbox {
    /// Saves one voicemail: true when stored, false when it was already there.
    public typealias Save = @Sendable (RecordingStatusCallback, Date) async throws(StoreError) -> Bool

    private struct Entry: Sendable {
        let callback: RecordingStatusCallback
        let receivedAt: Date
    }

    /// The most voicemails kept waiting; past it a new one is refused, and only its log line remains.
    public let capacity: Int
    private let save: Save
    private let pause: @Sendable (Duration) async -> Void
    private let logger: Logger
    /// Where queued voicemails are kept on disk, if anywhere.
    public nonisolated let spool: VoicemailSpool?
    private var entries: [Entry] = []
    /// Whether a worker is saving the queue; `worker` is its task, for ``stop()``.
    private var isWorking = false
    private var worker: Task<Void, Never>?
    /// The worker the initializer starts for the spool's voicemails (an initializer cannot set `worker`
    /// once the task holds `self`).
    private let spoolWorker = Mutex<Task<Void, Never>?>(nil)
    private var isStopped = false

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
        var loaded: [Entry] = []
        do {
            let contents = try spool.load()
            for path in contents.unreadable {
                logger.error("spool file is not a voicemail this version reads; left where it is", metadata: ["path": "\(path)"])
            }
            loaded = contents.voicemails.map { Entry(callback: $0.callback, receivedAt: $0.receivedAt) }
        } catch {
            logger.error("cannot read the voicemail spool", metadata: ["error": "\(error)"])
        }
        entries = loaded
        guard !loaded.isEmpty else { return }
        logger.warning("voicemails from the spool wait for the store", metadata: ["count": "\(loaded.count)", "spool": "\(spool.directory)"])
        // The first try comes at once: these may have waited for a restart.
        isWorking = true
        let task = Task { await self.work(firstPause: .zero) }
        spoolWorker.withLock { $0 = task }
    }

    /// How many voicemails wait for the store.
    public var count: Int { entries.count }

    /// Whether saving again may succeed after `error`: the store was down, slow or refused its
    /// credentials. Anything else would fail the same way every time.
    public nonisolated static func isWorthRetrying(_ error: StoreError) -> Bool {
        error == .unavailable || error == .timeout || error == .unauthorized
    }

    /// Queues the voicemail of `callback`, received at `receivedAt`, to be saved again. Returns false when
    /// the queue is full and the voicemail was refused.
    @discardableResult
    public func add(_ callback: RecordingStatusCallback, receivedAt: Date) -> Bool {
        guard entries.count < capacity else {
            logger.error("voicemail NOT stored: the retry queue is full", metadata: Self.metadata(callback))
            return false
        }
        var metadata = Self.metadata(callback)
        if let spool {
            do {
                try spool.keep(callback, receivedAt: receivedAt)
                metadata["spool"] = "\(spool.directory)"
            } catch {
                // It still waits in memory; only a restart before the store takes it would lose it.
                logger.error("cannot keep the voicemail in the spool", metadata: Self.metadata(callback, error: error))
            }
        }
        entries.append(Entry(callback: callback, receivedAt: receivedAt))
        logger.warning("voicemail not stored yet; retrying in the background", metadata: metadata)
        if !isWorking, !isStopped {
            isWorking = true
            worker = Task { await work(firstPause: Self.firstPause) }
        }
        return true
    }

    /// Stops trying: the pause under way ends, a save under way finishes, and no other starts. What is
    /// left is logged: voicemails in the spool wait there for the next start; without a spool each one
    /// is logged as not stored, with its recording's SID and URL.
    public func stop() async {
        isStopped = true
        for worker in [self.worker, spoolWorker.withLock { $0 }] {
            worker?.cancel()
            await worker?.value
        }
        guard !entries.isEmpty else { return }
        if let spool {
            logger.warning(
                "stopping with voicemails not stored yet; they wait in the spool for the next start",
                metadata: ["count": "\(entries.count)", "spool": "\(spool.directory)"]
            )
        } else {
            for entry in entries {
                logger.error("voicemail NOT stored: the service stopped before the store took it", metadata: Self.metadata(entry.callback))
            }
        }
    }

    /// Saves the queue, oldest first, pausing longer after every failure, until it is empty or the
    /// outbox stops.
    private func work(firstPause: Duration) async {
        var delay = firstPause
        while !entries.isEmpty, !isStopped {
            if delay > .zero { await pause(delay) }
            guard !isStopped else { break }
            delay = await saveQueued() ? Self.firstPause : min(max(delay * 2, Self.firstPause), Self.longestPause)
        }
        isWorking = false
    }

    /// Saves queued voicemails, oldest first, until the queue is empty (true) or the store fails (false).
    private func saveQueued() async -> Bool {
        while !isStopped, let entry = entries.first {
            do {
                let stored = try await save(entry.callback, entry.receivedAt)
                // Only this worker removes entries, always the first; `add` only appends.
                entries.removeFirst()
                var metadata = Self.metadata(entry.callback)
                metadata["stored"] = "\(stored)"
                logger.info("voicemail stored on retry", metadata: metadata)
                forget(entry)
            } catch {
                var metadata = Self.metadata(entry.callback, error: error)
                guard Self.isWorthRetrying(error) else {
                    entries.removeFirst()
                    setAside(entry, metadata: metadata)
                    continue
                }
                metadata["waiting"] = "\(entries.count)"
                logger.warning("voicemail still not stored", metadata: metadata)
                return false
            }
        }
        return true
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

    /// Logs a voicemail the store rejects for good and moves it to the spool's `rejected/`.
    private func setAside(_ entry: Entry, metadata: Logger.Metadata) {
        var metadata = metadata
        if let spool, !entries.contains(where: { $0.callback.recordingSid == entry.callback.recordingSid }) {
            do {
                metadata["keptAt"] = "\(try spool.setAside(entry.callback.recordingSid))"
            } catch {
                metadata["spoolError"] = "\(error)"
            }
        }
        logger.error("voicemail NOT stored: the store rejects it", metadata: metadata)
    }

    private static func metadata(_ callback: RecordingStatusCallback, error: (any Error)? = nil) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "callSid": "\(callback.callSid)", "recordingSid": "\(callback.recordingSid)", "url": "\(callback.recordingUrl)",
        ]
        if let error { metadata["error"] = "\(error)" }
        return metadata
    }
}
