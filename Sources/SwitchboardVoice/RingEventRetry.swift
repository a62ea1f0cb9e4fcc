import Logging
import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Ring events the store could not record while it was failing (``VoicemailOutbox/isWorthRetrying(_:)``),
/// recorded again in the background, so the dashboards' cards still clear once the store is back.
///
/// A ring event is worth less with age, and one arriving late must not undo a later one: a `ringing`
/// recorded after the same agent's `answered` or `missed` would make that agent's card ring again. So:
/// - a `ringing` event waits at most ``ringingLifetime`` (a dial rings for seconds) and is dropped as
///   soon as an end of the same agent's ring (`answered`, `missed`, `declined`) is queued or recorded
///   (``supersede(callSid:agentIdentity:)``);
/// - the other kinds wait at most ``lifetime``;
/// - every event keeps its own `occurredAt`, and recording one twice changes nothing (see ``CallStore``).
///
/// Events are tried oldest first, after a pause that doubles from 1 s to 30 s while the store keeps
/// failing; an event the store refuses for good is logged and dropped. Nothing is kept on disk: what is
/// still waiting at ``stop()`` or at its deadline is logged, one line per event.
public actor RingEventRetry {
    /// Records one event, as the route does: true when recorded, false when it was already there.
    public typealias Record = @Sendable (Pending) async throws(StoreError) -> Bool

    /// An event that waits, with what the route knew of it (the tenant is looked up when it is recorded).
    public struct Pending: Equatable, Sendable {
        /// The caller's call.
        public var callSid: String
        /// The agent rung.
        public var agentIdentity: String
        /// What happened.
        public var kind: RingEvent.Kind
        /// When it happened.
        public var occurredAt: Date
        /// Twilio's call status.
        public var detail: String?

        /// Creates a pending event.
        public init(callSid: String, agentIdentity: String, kind: RingEvent.Kind, occurredAt: Date, detail: String?) {
            self.callSid = callSid
            self.agentIdentity = agentIdentity
            self.kind = kind
            self.occurredAt = occurredAt
            self.detail = detail
        }

        /// Whether this event ends the agent's ring.
        public var endsTheRing: Bool { kind == .answered || kind == .missed || kind == .declined }
    }

    /// The most events that wait at once. Past it the oldest `ringing` event makes room (it is the one
    /// worth least), and when there is none the new event is lost.
    public let capacity: Int
    /// How long a `ringing` event may wait.
    public let ringingLifetime: Duration
    /// How long any other event may wait.
    public let lifetime: Duration
    private let record: Record
    private let logger: Logger
    private let firstPause: Duration
    private let longestPause: Duration
    private var pending: [(event: Pending, queuedAt: ContinuousClock.Instant)] = []
    private var worker: Task<Void, Never>?
    private var isStopped = false

    /// Creates an empty retry queue.
    /// - Parameters:
    ///   - firstPause, longestPause: the pause before the first round and the longest between rounds
    ///     (tests shorten them).
    public init(
        capacity: Int = 10_000,
        logger: Logger,
        ringingLifetime: Duration = .seconds(60),
        lifetime: Duration = .seconds(600),
        firstPause: Duration = .seconds(1),
        longestPause: Duration = .seconds(30),
        record: @escaping Record
    ) {
        self.capacity = max(capacity, 1)
        self.logger = logger
        self.ringingLifetime = ringingLifetime
        self.lifetime = lifetime
        self.firstPause = firstPause
        self.longestPause = longestPause
        self.record = record
    }

    /// The events waiting.
    public var count: Int { pending.count }

    /// Queues an event the store could not record; a `ringing` event of an agent whose ring already
    /// ended in the queue is not queued (it is stale), and an end drops the same agent's queued
    /// `ringing`. Returns false when the event is lost: the queue is full of ends, or has stopped.
    @discardableResult
    public func add(_ event: Pending) -> Bool {
        guard !isStopped else {
            logger.error("ring event lost: the retry queue has stopped", metadata: Self.metadata(event))
            return false
        }
        if event.endsTheRing {
            drop(ringingOf: event.callSid, agentIdentity: event.agentIdentity)
        } else if event.kind == .ringing,
            pending.contains(where: { $0.event.endsTheRing && $0.event.callSid == event.callSid && $0.event.agentIdentity == event.agentIdentity })
        {
            return true
        }
        if pending.count >= capacity {
            guard let oldestRinging = pending.firstIndex(where: { $0.event.kind == .ringing }) else {
                logger.error("ring event lost: the retry queue is full", metadata: Self.metadata(event))
                return false
            }
            logger.error("ring event lost: the retry queue is full", metadata: Self.metadata(pending[oldestRinging].event))
            pending.remove(at: oldestRinging)
        }
        pending.append((event, .now))
        logger.warning("ring event queued", metadata: Self.metadata(event))
        if worker == nil {
            worker = Task { await self.work() }
        }
        return true
    }

    /// The end of an agent's ring was recorded: its queued `ringing`, if any, is stale.
    public func supersede(callSid: String, agentIdentity: String) {
        drop(ringingOf: callSid, agentIdentity: agentIdentity)
    }

    /// Stops retrying; what is still waiting is logged as lost.
    public func stop() async {
        isStopped = true
        worker?.cancel()
        await worker?.value
        for (event, _) in pending {
            logger.error("ring event lost at shutdown", metadata: Self.metadata(event))
        }
        pending.removeAll()
    }

    private func drop(ringingOf callSid: String, agentIdentity: String) {
        pending.removeAll { $0.event.kind == .ringing && $0.event.callSid == callSid && $0.event.agentIdentity == agentIdentity }
    }

    private func work() async {
        var pause = firstPause
        while !pending.isEmpty, !Task.isCancelled {
            try? await Task.sleep(for: pause)
            guard !Task.isCancelled else { break }
            pause = await round() ? firstPause : min(pause * 2, longestPause)
        }
        worker = nil
    }

    /// Tries every waiting event once, oldest first, until the store fails; true when none failed.
    private func round() async -> Bool {
        while let (event, queuedAt) = pending.first {
            let lifetime = event.kind == .ringing ? ringingLifetime : self.lifetime
            if queuedAt.duration(to: .now) > lifetime {
                pending.removeFirst()
                logger.error("ring event lost: it waited too long", metadata: Self.metadata(event))
                continue
            }
            do {
                let recorded = try await record(event)
                logger.info("ring event recorded after a retry", metadata: Self.metadata(event).merging(["new": "\(recorded)"]) { $1 })
            } catch let error where VoicemailOutbox.isWorthRetrying(error) {
                return false
            } catch {
                logger.error("ring event refused by the store", metadata: Self.metadata(event).merging(["error": "\(error)"]) { $1 })
            }
            // The queue may have changed while the store worked: remove this event where it is now.
            if let index = pending.firstIndex(where: { $0.event == event }) { pending.remove(at: index) }
            if event.endsTheRing { drop(ringingOf: event.callSid, agentIdentity: event.agentIdentity) }
        }
        return true
    }

    private static func metadata(_ event: Pending) -> Logger.Metadata {
        ["callSid": "\(event.callSid)", "agent": "\(event.agentIdentity)", "kind": "\(event.kind.rawValue)"]
    }
}
