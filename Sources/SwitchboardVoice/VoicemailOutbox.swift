import Logging
import SwitchboardCore
import SwitchboardWebhooks

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
/// The queue lives in memory and holds at most ``capacity`` voicemails. Each one is logged with its
/// recording's SID and URL when it is queued, refused (the queue is full) or saved, so that an
/// operator can recover what a stopped process still held.
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
    private var entries: [Entry] = []
    private var isWorking = false

    /// The first pause after a failure, and the longest.
    static let firstPause = Duration.seconds(1)
    static let longestPause = Duration.seconds(60)

    /// An outbox that saves through `save` and waits through `pause` (tests pass one that records
    /// instead of sleeping).
    public init(
        capacity: Int = 10_000,
        logger: Logger,
        pause: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) },
        save: @escaping Save
    ) {
        self.capacity = capacity
        self.logger = logger
        self.pause = pause
        self.save = save
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
        entries.append(Entry(callback: callback, receivedAt: receivedAt))
        logger.warning("voicemail not stored yet; retrying in the background", metadata: Self.metadata(callback))
        if !isWorking {
            isWorking = true
            Task { await work() }
        }
        return true
    }

    /// Saves the queue, oldest first, pausing longer after every failure, until it is empty.
    private func work() async {
        var delay = Self.firstPause
        while !entries.isEmpty {
            await pause(delay)
            delay = await saveQueued() ? Self.firstPause : min(delay * 2, Self.longestPause)
        }
        isWorking = false
    }

    /// Saves queued voicemails, oldest first, until the queue is empty (true) or the store fails (false).
    private func saveQueued() async -> Bool {
        while let entry = entries.first {
            do {
                let stored = try await save(entry.callback, entry.receivedAt)
                // Only this worker removes entries, always the first; `add` only appends.
                entries.removeFirst()
                var metadata = Self.metadata(entry.callback)
                metadata["stored"] = "\(stored)"
                logger.info("voicemail stored on retry", metadata: metadata)
            } catch {
                var metadata = Self.metadata(entry.callback)
                metadata["error"] = "\(error)"
                guard Self.isWorthRetrying(error) else {
                    entries.removeFirst()
                    logger.error("voicemail NOT stored: the store rejects it", metadata: metadata)
                    continue
                }
                metadata["waiting"] = "\(entries.count)"
                logger.warning("voicemail still not stored", metadata: metadata)
                return false
            }
        }
        return true
    }

    private static func metadata(_ callback: RecordingStatusCallback) -> Logger.Metadata {
        ["callSid": "\(callback.callSid)", "recordingSid": "\(callback.recordingSid)", "url": "\(callback.recordingUrl)"]
    }
}
