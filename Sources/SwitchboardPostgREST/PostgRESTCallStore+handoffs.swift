import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Chat handoffs: pickups and releases are SQL functions (`pick_up_handoff`, `release_handoff`), each
/// one transaction; creating and listing are plain table requests.
extension PostgRESTCallStore {
    public func createHandoff(
        tenant: TenantID,
        conversationID: String,
        customerName: String?,
        summary: String?,
        at now: Date
    ) async throws(StoreError) -> ChatHandoff {
        let operation = "creating a handoff of conversation \(conversationID)"
        let response = try await client.insert(
            PostgRESTQuery("chat_handoffs", select: HandoffRow.columns),
            NewHandoffRow(
                tenant_id: tenant.rawValue,
                conversation_id: conversationID,
                customer_name: customerName,
                summary: summary,
                status: ChatHandoff.Status.pending.rawValue,
                created_at: now
            ),
            preferences: PostgRESTPreferences(returning: .representation),
            operation: operation
        )
        guard let row = try client.decode([HandoffRow].self, from: response, operation: operation).first else {
            throw .corrupt("Supabase stored a handoff of conversation \(conversationID) but returned no row")
        }
        return try row.handoff()
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
        return try await client.rows(query, as: HandoffRow.self, operation: "reading the handoffs of tenant \(tenant)")
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
        case ("already_picked_up", _, let holder?, _, _): return .alreadyPickedUp(by: holder)
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

private struct NewHandoffRow: Encodable {
    var tenant_id: String
    var conversation_id: String
    var customer_name: String?
    var summary: String?
    var status: String
    var created_at: Date

    enum CodingKeys: String, CodingKey { case tenant_id, conversation_id, customer_name, summary, status, created_at }

    /// Every key, nulls included, so the row's columns are the same whatever is known.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tenant_id, forKey: .tenant_id)
        try container.encode(conversation_id, forKey: .conversation_id)
        try container.encode(customer_name, forKey: .customer_name)
        try container.encode(summary, forKey: .summary)
        try container.encode(status, forKey: .status)
        try container.encode(created_at, forKey: .created_at)
    }
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
    var active: Int?
    var capacity: Int?
}
