import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Chat handoffs: creates, pickups and releases are SQL functions (`create_handoff`,
/// `pick_up_handoff`, `release_handoff`), each one transaction; listing is a plain table request.
extension PostgRESTCallStore {
    /// The `create_handoff` SQL function: the conversation's open handoff, or a new one. Safe to repeat,
    /// so it is retried like a read: a repeat after a lost answer finds the handoff the first created.
    public func createHandoff(
        tenant: TenantID,
        conversationID: String,
        customerName: String?,
        summary: String?,
        at now: Date
    ) async throws(StoreError) -> HandoffCreation {
        let result = try await client.rpc(
            "create_handoff",
            NewHandoffArguments(
                p_tenant_id: tenant.rawValue,
                p_conversation_id: conversationID,
                p_customer_name: customerName,
                p_summary: summary,
                p_at: now
            ),
            as: CreationResult.self,
            idempotent: true,
            operation: "creating a handoff of conversation \(conversationID)"
        )
        switch result.outcome {
        case "created": return .created(try result.handoff.handoff())
        case "already_open": return .alreadyOpen(try result.handoff.handoff())
        default: throw .corrupt("create_handoff answered an unknown outcome \(result.outcome) for conversation \(conversationID)")
        }
    }

    /// The tenant's handoffs, oldest first; ties by id.
    public func handoffs(in tenant: TenantID, status: ChatHandoff.Status?) async throws(StoreError) -> [ChatHandoff] {
        var filters: [PostgRESTFilter] = [.eq("tenant_id", tenant.rawValue)]
        if let status { filters.append(.eq("status", status.rawValue)) }
        let query = PostgRESTQuery(
            "chat_handoffs",
            select: HandoffRow.columns,
            filters: filters,
            order: [PostgRESTOrder("created_at"), PostgRESTOrder("id")]
        )
        return try await client.allRows(query, as: HandoffRow.self, key: \.id, operation: "reading the handoffs of tenant \(tenant)")
            .map { (row) throws(StoreError) in try row.handoff() }
    }

    /// The `pick_up_handoff` SQL function, which locks the agent's row, then the handoff's, and counts
    /// the agent's active handoffs in the same transaction.
    public func pickUpHandoff(
        id: String,
        tenant: TenantID,
        agentIdentity: String,
        at now: Date
    ) async throws(StoreError)
        -> PickupOutcome
    {
        guard Self.isUUID(id) else { throw .notFound("No handoff \(id) in tenant \(tenant)") }
        let result = try await client.rpc(
            "pick_up_handoff",
            HandoffArguments(p_id: id, p_tenant_id: tenant.rawValue, p_agent_identity: agentIdentity, p_at: now),
            as: PickupResult.self,
            idempotent: false,
            operation: "picking up handoff \(id) for agent \(agentIdentity)"
        )
        switch (result.outcome, result.handoff, result.picked_up_by, result.active, result.capacity) {
        case ("picked_up", let row?, _, _, _): return .pickedUp(try row.handoff())
        case ("already_picked_up", _, let holder?, _, _):
            // Without the status (a project before 20261125000000), a released handoff reads as picked up.
            return result.status == ChatHandoff.Status.released.rawValue ? .released(by: holder) : .alreadyPickedUp(by: holder)
        case ("at_capacity", _, _, let active?, let capacity?): return .atCapacity(active: active, capacity: capacity)
        default: throw .corrupt("pick_up_handoff answered an unknown outcome \(result.outcome) for handoff \(id)")
        }
    }

    /// The `release_handoff` SQL function: an unknown handoff is ``StoreError/notFound``, one not
    /// active with this agent ``StoreError/conflict``.
    @discardableResult
    public func releaseHandoff(id: String, tenant: TenantID, agentIdentity: String, at now: Date) async throws(StoreError) -> ChatHandoff {
        guard Self.isUUID(id) else { throw .notFound("No handoff \(id) in tenant \(tenant)") }
        return try await client.rpc(
            "release_handoff",
            HandoffArguments(p_id: id, p_tenant_id: tenant.rawValue, p_agent_identity: agentIdentity, p_at: now),
            as: HandoffRow.self,
            idempotent: false,
            operation: "releasing handoff \(id) for agent \(agentIdentity)"
        ).handoff()
    }
}

private struct NewHandoffArguments: Encodable {
    var p_tenant_id: String
    var p_conversation_id: String
    var p_customer_name: String?
    var p_summary: String?
    var p_at: Date

    enum CodingKeys: String, CodingKey { case p_tenant_id, p_conversation_id, p_customer_name, p_summary, p_at }

    /// Every argument, nulls included: PostgREST picks the function by the names of the arguments sent.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(p_tenant_id, forKey: .p_tenant_id)
        try container.encode(p_conversation_id, forKey: .p_conversation_id)
        try container.encode(p_customer_name, forKey: .p_customer_name)
        try container.encode(p_summary, forKey: .p_summary)
        try container.encode(p_at, forKey: .p_at)
    }
}

private struct CreationResult: Decodable {
    var outcome: String
    var handoff: HandoffRow
}

private struct HandoffArguments: Encodable {
    var p_id: String
    var p_tenant_id: String
    var p_agent_identity: String
    var p_at: Date
}

private struct PickupResult: Decodable {
    var outcome: String
    var handoff: HandoffRow?
    var picked_up_by: String?
    /// The handoff's status beside `already_picked_up` (since migration 20261125000000).
    var status: String?
    var active: Int?
    var capacity: Int?
}
