import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PostgRESTCallStore {
    public func tenant(forCalledNumber number: String) async throws(StoreError) -> TenantID? {
        let tenant = try await client.rpc(
            "tenant_for_number",
            ["p_number": number],
            as: String?.self,
            idempotent: true,
            operation: "finding the tenant of \(number)"
        )
        return tenant.map(TenantID.init(rawValue:))
    }

    public func mapNumber(_ number: String, to tenant: TenantID) async throws(StoreError) {
        _ = try await client.insert(
            PostgRESTQuery("phone_numbers"),
            ["number": number, "tenant_id": tenant.rawValue],
            preferences: PostgRESTPreferences(returning: .minimal, resolution: .mergeDuplicates),
            operation: "mapping \(number) to tenant \(tenant)"
        )
    }

    @discardableResult
    public func unmapNumber(_ number: String) async throws(StoreError) -> TenantID? {
        struct Row: Decodable {
            var tenant_id: String
        }
        let operation = "removing the mapping of \(number)"
        let response = try await client.delete(
            PostgRESTQuery("phone_numbers", select: ["tenant_id"], filters: [.eq("number", number)]),
            preferences: PostgRESTPreferences(returning: .representation),
            operation: operation
        )
        return try client.decode([Row].self, from: response, operation: operation).first.map { TenantID($0.tenant_id) }
    }

    public func numberMappings() async throws(StoreError) -> [(number: String, tenant: TenantID)] {
        struct Row: Decodable {
            var number: String
            var tenant_id: String
        }
        let query = PostgRESTQuery("phone_numbers", select: ["number", "tenant_id"], order: [PostgRESTOrder("number")])
        return try await client.allRows(query, as: Row.self, key: \.number, operation: "reading the numbers' tenants")
            .map { (number: $0.number, tenant: TenantID($0.tenant_id)) }
    }

    public func availableAgents(in tenant: TenantID, at now: Date, limit: Int) async throws(StoreError) -> [Agent] {
        guard limit > 0 else { return [] }
        let query = PostgRESTQuery(
            "agents",
            select: AgentRow.columns,
            filters: [
                .eq("tenant_id", tenant.rawValue),
                .eq("presence", Presence.available.rawValue),
                .is("current_call_sid", .null),
                .or([.is("wrap_up_ends_at", .null), .compare("wrap_up_ends_at", .lte, PostgRESTTimestamp.format(now))]),
            ],
            order: [PostgRESTOrder("last_call_ended_at", nulls: .first), PostgRESTOrder("identity")],
            limit: limit
        )
        return try await client.rows(query, as: AgentRow.self, operation: "reading the available agents of tenant \(tenant)")
            .map { (row) throws(StoreError) in try row.agent() }
    }

    /// One request: the `routing_snapshot` SQL function.
    public func routingSnapshot(forCalledNumber number: String, at now: Date, limit: Int) async throws(StoreError) -> RoutingSnapshot? {
        let snapshot = try await client.rpc(
            "routing_snapshot",
            RoutingSnapshotArguments(p_called_number: number, p_at: now, p_limit: max(limit, 0)),
            as: RoutingSnapshotRow?.self,
            idempotent: true,
            operation: "routing a call to \(number)"
        )
        guard let snapshot else { return nil }
        return RoutingSnapshot(
            tenant: TenantID(snapshot.tenant),
            agents: try snapshot.agents.map { (row) throws(StoreError) in try row.agent() }
        )
    }
}

private struct RoutingSnapshotArguments: Encodable {
    var p_called_number: String
    var p_at: Date
    var p_limit: Int
}

private struct RoutingSnapshotRow: Decodable {
    var tenant: String
    var agents: [AgentRow]
}
