import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The ends of agents' rings (`answered`, `missed`, `declined`) that the store could not record, recorded
/// again in the background so that the dashboards' cards still clear once the store is back.
///
/// The missed-rings policy of the agents' API looks only at misses recorded at once, so a miss recorded
/// here later does not count toward setting its agent away until the agent's next miss.
public typealias RingEventRetry = StoreRetry<PendingRingEvent>

/// A ring event that waits in a ``RingEventRetry``, with what the route knew of it (the tenant is looked
/// up when it is recorded).
///
/// Only ends wait. A `ringing` event recorded late could land after the end of the same ring (recorded
/// meanwhile by this instance or another one sharing the store) and make the agent's card ring again, so
/// it may not wait; the agent's phone rang all the same.
public struct PendingRingEvent: StoreRetryItem {
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
    /// The SID of the agent's leg that rang (``RingEvent/occurrence``).
    public var legSid: String

    /// Creates a pending event.
    public init(
        callSid: String,
        agentIdentity: String,
        kind: RingEvent.Kind,
        occurredAt: Date,
        detail: String?,
        tenant: TenantID? = nil,
        legSid: String
    ) {
        self.callSid = callSid
        self.agentIdentity = agentIdentity
        self.kind = kind
        self.occurredAt = occurredAt
        self.detail = detail
        self.tenant = tenant
        self.legSid = legSid
    }

    /// Only the end of a ring waits (``RingEvent/Kind/endsTheRing``).
    public var mayWait: Bool { kind.endsTheRing }

    /// "ring events".
    public static var noun: String { "ring events" }
}
