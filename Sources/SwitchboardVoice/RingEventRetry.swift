import Logging
import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The ends of agents' rings (`answered`, `missed`, `declined`) that the store could not record while it
/// was failing (``StoreError/isWorthRetrying``), recorded again in the background, so that the
/// dashboards' cards still clear once the store is back.
///
/// Only ends wait. A `ringing` event recorded late could land after the end of the same ring (recorded
/// meanwhile by this instance or another one sharing the store) and make the agent's card ring again, so
/// it is not retried (``add(_:)`` refuses it); the agent's phone rang all the same.
///
/// Events are tried oldest first, after a pause that doubles from 1 s to 30 s while the store keeps
/// failing; one the store refuses for good is logged and dropped, and one older than ``lifetime`` is
/// dropped unrecorded. Every event keeps its own `occurredAt`, and recording one twice changes nothing
/// (see ``CallStore``). At most ``capacity`` wait; past that a new event is lost. Nothing is kept on
/// disk: ``stop()`` logs how many were still waiting.
///
/// The missed-rings policy of the agents' API looks only at misses recorded at once, so a miss
/// recorded here later does not count toward setting its agent away until the agent's next miss.
public actor RingEventRetry {
    /// Records one event, as the route does: true when recorded, false when it was already there.
    public typealias Record = @Sendable (Pending) async throws(StoreError) -> Bool

    /// An event that waits, with what the route knew of it (the tenant is looked up when it is recorded).
    public struct Pending: Equatable, Sendable {
        /// The caller's call.
        public var callSid: String
        /// The agent rung.
        public var agentIdentity: String
        /// How the ring ended.
        public var kind: RingEvent.Kind
        /// When it happened.
        public var occurredAt: Date
        /// Twilio's call status.
        public var detail: String?
        /// The tenant the callback's URL named, if any (else the call's record decides).
        public var tenant: TenantID?

        /// Creates a pending event.
        public init(callSid: String, agentIdentity: String, kind: RingEvent.Kind, occurredAt: Date, detail: String?, tenant: TenantID? = nil) {
            self.callSid = callSid
            self.agentIdentity = agentIdentity
            self.kind = kind
            self.occurredAt = occurredAt
            self.detail = detail
            self.tenant = tenant
        }
    }

    /// The most events that wait at once.
    public let capacity: Int
    /// How long an event may wait.
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

    /// The events waiting.
    public var count: Int { pending.count }

    /// Queues the end of a ring that the store could not record. Returns false when it is not queued: a
    /// `ringing` event (see the type), a full queue, or a stopped one.
    public func add(_ event: Pending) -> Bool {
        // Only the end of a ring waits (RingEvent.Kind.endsTheRing).
        guard event.kind.endsTheRing, !isStopped else { return false }
        dropExpired()
        guard pending.count < capacity else { return false }
        pending.append((event, .now))
        if worker == nil {
            worker = Task { await self.work() }
        }
        return true
    }

    /// Stops retrying, after the record under way; logs how many events were still waiting.
    public func stop() async {
        isStopped = true
        worker?.cancel()
        await worker?.value
        if !pending.isEmpty {
            logger.error(
                "ring events lost at shutdown",
                metadata: ["count": "\(pending.count)", "first": "\(pending.prefix(5).map(\.event.callSid).joined(separator: ","))"]
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

    /// Tries every waiting event once, oldest first, until the store fails; true when none failed.
    private func round() async -> Bool {
        dropExpired()
        var recorded = 0
        defer {
            if recorded > 0 { logger.info("ring events recorded after a retry", metadata: ["count": "\(recorded)", "waiting": "\(pending.count)"]) }
        }
        while !isStopped, !Task.isCancelled, let event = pending.first?.event {
            do {
                _ = try await record(event)
                recorded += 1
            } catch let error where error.isWorthRetrying {
                return false
            } catch {
                logger.error(
                    "ring event refused by the store",
                    metadata: ["callSid": "\(event.callSid)", "agent": "\(event.agentIdentity)", "error": "\(error)"]
                )
            }
            // Only this actor removes events, but the queue may have grown while the store worked.
            if let index = pending.firstIndex(where: { $0.event == event }) { pending.remove(at: index) }
        }
        return true
    }

    /// Drops the events that waited longer than ``lifetime``, logging how many.
    private func dropExpired() {
        let before = pending.count
        let now = ContinuousClock.now
        pending.removeAll { $0.queuedAt.duration(to: now) > lifetime }
        if pending.count < before {
            logger.error("ring events lost: they waited too long", metadata: ["count": "\(before - pending.count)"])
        }
    }
}
