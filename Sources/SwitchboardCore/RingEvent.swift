#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Something that happened to one agent's ring of one call, so every dashboard card rings and clears
/// together.
public struct RingEvent: Equatable, Sendable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The agent's client is ringing.
        case ringing
        /// The agent answered (won the claim).
        case answered
        /// The agent declined.
        case declined
        /// The ring ended without the agent answering (no answer, busy, failed, canceled).
        case missed
        /// The call was parked.
        case parked
        /// A parked call was retrieved.
        case retrieved
        /// The system set the agent away; the detail says why (such as missed rings in a row).
        case away

        /// Whether the event ends an agent's ring of a call: `answered`, `declined` or `missed`.
        public var endsTheRing: Bool { self == .answered || self == .declined || self == .missed }
    }

    /// Assigned by the store, increasing in the order events were recorded; 0 before it is stored.
    public var sequence: Int64
    /// The inbound call's SID.
    public var callSid: String
    /// The tenant.
    public var tenant: TenantID
    /// The agent concerned.
    public var agentIdentity: String
    /// What happened.
    public var kind: Kind
    /// When it happened.
    public var occurredAt: Date
    /// Optional detail, such as Twilio's raw call status (`no-answer`, `busy`…).
    public var detail: String?
    /// What tells apart events of one kind for one agent and call that really happened more than once,
    /// as when a park's timeout rings its parker again: the SID of the agent's leg for what Twilio
    /// reports of a ring (and for an `away` a missed ring caused), the park's id for `parked` and
    /// `retrieved`, empty when nothing tells them apart (the agents' API's Answer and Decline). Stores
    /// keep one event per call, agent, kind and occurrence, so a callback Twilio retries is stored once.
    public var occurrence: String

    /// Creates an event.
    public init(
        sequence: Int64 = 0,
        callSid: String,
        tenant: TenantID,
        agentIdentity: String,
        kind: Kind,
        occurredAt: Date,
        detail: String? = nil,
        occurrence: String = ""
    ) {
        self.sequence = sequence
        self.callSid = callSid
        self.tenant = tenant
        self.agentIdentity = agentIdentity
        self.kind = kind
        self.occurredAt = occurredAt
        self.detail = detail
        self.occurrence = occurrence
    }
}
