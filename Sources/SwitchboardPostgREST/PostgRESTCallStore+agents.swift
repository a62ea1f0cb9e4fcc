import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PostgRESTCallStore {
    public func agents(in tenant: TenantID?) async throws(StoreError) -> [Agent] {
        let query = PostgRESTQuery(
            "agents",
            select: AgentRow.columns,
            filters: tenant.map { [.eq("tenant_id", $0.rawValue)] } ?? [],
            order: [PostgRESTOrder("tenant_id"), PostgRESTOrder("identity")]
        )
        return try await client.allRows(query, as: AgentRow.self, key: { "\($0.tenant_id)/\($0.identity)" }, operation: "listing agents")
            .map { (row) throws(StoreError) in try row.agent() }
    }

    public func agent(identity: String, in tenant: TenantID) async throws(StoreError) -> Agent {
        let query = PostgRESTQuery(
            "agents",
            select: AgentRow.columns,
            filters: [.eq("tenant_id", tenant.rawValue), .eq("identity", identity)]
        )
        guard let row = try await client.rows(query, as: AgentRow.self, operation: "reading agent \(identity)").first else {
            throw .notFound("No agent \(identity) in tenant \(tenant)")
        }
        return try row.agent()
    }

    /// The `upsert_agent` SQL function: one statement, so atomic.
    @discardableResult
    public func upsertAgent(_ agent: Agent) async throws(StoreError) -> Agent {
        try agent.asCurrent.checkRules()
        let row = try await client.rpc(
            "upsert_agent",
            UpsertAgentArguments(agent),
            as: AgentRow.self,
            idempotent: false,
            operation: "storing agent \(agent.identity) in tenant \(agent.tenant)"
        )
        return try row.agent()
    }

    /// The `move_agent` SQL function: the retirement and the upsert in one transaction.
    @discardableResult
    public func moveAgent(_ agent: Agent, at now: Date) async throws(StoreError) -> AgentMove {
        try agent.asCurrent.checkRules()
        let result = try await client.rpc(
            "move_agent",
            UpsertAgentArguments(agent, retiredAt: now),
            as: MoveAgentResult.self,
            idempotent: false,
            operation: "moving agent \(agent.identity) to tenant \(agent.tenant)"
        )
        return AgentMove(
            agent: try result.agent.agent(),
            retiredIn: result.retired_in.map { TenantID($0) },
            chatsReturned: result.chats_returned ?? 0
        )
    }

    /// A retired agent's presence does not change: the update skips it, and a second read tells a
    /// retired agent from a missing one.
    @discardableResult
    public func setPresence(_ presence: Presence, identity: String, in tenant: TenantID) async throws(StoreError) -> Agent {
        let response = try await client.update(
            PostgRESTQuery(
                "agents",
                select: AgentRow.columns,
                filters: [.eq("tenant_id", tenant.rawValue), .eq("identity", identity), .is("retired_at", .null)]
            ),
            ["presence": presence.rawValue],
            preferences: PostgRESTPreferences(returning: .representation),
            operation: "setting the presence of agent \(identity)"
        )
        let rows = try client.decode([AgentRow].self, from: response, operation: "setting the presence of agent \(identity)")
        if let row = rows.first { return try row.agent() }
        _ = try await agent(identity: identity, in: tenant)
        throw .agentRetired(identity, tenant: tenant)
    }
}

/// `move_agent`'s answer: the stored agent, the tenant whose record it retired, and how many of that
/// record's active chats went back to pending (absent before migration `20261124040000`).
private struct MoveAgentResult: Decodable {
    let agent: AgentRow
    let retired_in: String?
    let chats_returned: Int?
}

/// `upsert_agent`'s arguments; every key is sent, nulls included, because PostgREST picks a function
/// by its full set of argument names.
/// `move_agent` takes the same and `p_retired_at`.
private struct UpsertAgentArguments: Encodable {
    let agent: Agent
    /// When a move retires the identity's record elsewhere; nil for `upsert_agent`, which has no such
    /// argument.
    let retiredAt: Date?

    init(_ agent: Agent, retiredAt: Date? = nil) {
        self.agent = agent
        self.retiredAt = retiredAt
    }

    enum CodingKeys: String, CodingKey {
        case p_id, p_tenant_id, p_identity, p_name, p_email, p_presence, p_current_call_sid, p_wrap_up_ends_at, p_last_call_ended_at,
            p_chat_capacity, p_retired_at
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(agent.id.isEmpty ? nil : agent.id, forKey: .p_id)
        try container.encode(agent.tenant.rawValue, forKey: .p_tenant_id)
        try container.encode(agent.identity, forKey: .p_identity)
        try container.encode(agent.name, forKey: .p_name)
        try container.encode(agent.email, forKey: .p_email)
        try container.encode(agent.presence.rawValue, forKey: .p_presence)
        try container.encode(agent.currentCallSid, forKey: .p_current_call_sid)
        try container.encode(agent.wrapUpEndsAt, forKey: .p_wrap_up_ends_at)
        try container.encode(agent.lastCallEndedAt, forKey: .p_last_call_ended_at)
        try container.encode(agent.chatCapacity, forKey: .p_chat_capacity)
        if let retiredAt { try container.encode(retiredAt, forKey: .p_retired_at) }
    }
}
