#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What ``CallStore/moveAgent(_:at:)`` did: the agent it stored as the identity's current record, the
/// tenant whose record it retired, if the identity was current elsewhere, and how many of that record's
/// active chats went back to pending.
public struct AgentMove: Equatable, Sendable {
    /// The stored agent, current in its tenant.
    public var agent: Agent
    /// The tenant whose record of the identity was retired; nil when it was current nowhere else.
    public var retiredIn: TenantID?
    /// How many chat handoffs the retired record held (active) went back to pending in its tenant, for
    /// a colleague to pick up: nobody could release them once the record was retired.
    public var chatsReturned: Int

    /// Creates a move's result.
    public init(agent: Agent, retiredIn: TenantID?, chatsReturned: Int = 0) {
        self.agent = agent
        self.retiredIn = retiredIn
        self.chatsReturned = chatsReturned
    }
}

extension StoreError {
    /// The error every store gives when an agent would be current in a second tenant.
    public static func identityInAnotherTenant(_ identity: String, tenant: TenantID) -> StoreError {
        .conflict(
            "Identity \(identity) is already a current agent of tenant \(tenant): a Twilio client name rings in every tenant "
                + "that holds it, so it can be current in one tenant only"
        )
    }

    /// The error every store gives when a move would retire a record that is on a call: the agent
    /// would be free in the new tenant, and rung, while still talking in the old one.
    public static func agentOnCallElsewhere(_ identity: String, tenant: TenantID, callSid: String) -> StoreError {
        .conflict("Agent \(identity) is on call \(callSid) in tenant \(tenant): move it when that call ends")
    }

    /// The error every store gives when a retired record would take a call, a park or a chat: as for an
    /// unknown agent, since the record is not one of the tenant's agents any more.
    public static func noCurrentAgent(_ identity: String, tenant: TenantID) -> StoreError {
        .notFound("No current agent \(identity) in tenant \(tenant): its record is retired")
    }

    /// The error every store gives when a retired agent's presence would change.
    public static func agentRetired(_ identity: String, tenant: TenantID) -> StoreError {
        .conflict("Agent \(identity) in tenant \(tenant) is retired: its identity moved to another tenant")
    }
}
