import Foundation
import SQLiteNIO
import SwitchboardCore

extension SQLiteCallStore {
    /// The voice route's read in one statement, so one trip to the store's thread: the tenant that owns
    /// the number (the default tenant while no number is mapped) joined with its available agents,
    /// ordered as ``availableAgents(in:at:limit:)`` orders them.
    public func routingSnapshot(forCalledNumber number: String, at now: Date, limit: Int) async throws(StoreError) -> RoutingSnapshot? {
        guard limit > 0 else {
            guard let tenant = try await tenant(forCalledNumber: number) else { return nil }
            return RoutingSnapshot(tenant: tenant, agents: [])
        }
        let sql = """
            WITH owner(owner_tenant) AS (
                SELECT COALESCE(
                    (SELECT tenant FROM numbers WHERE number = ?1),
                    CASE WHEN EXISTS (SELECT 1 FROM numbers) THEN NULL ELSE ?3 END
                )
            )
            SELECT owner_tenant, \(SQLiteRowReader.agentColumns)
            FROM owner LEFT JOIN agents
                ON agents.tenant = owner.owner_tenant AND presence = 'available' AND current_call_sid IS NULL
                AND (wrap_up_ends_at IS NULL OR wrap_up_ends_at <= ?2)
            ORDER BY last_call_ended_at, identity
            LIMIT \(limit)
            """
        let binds: [SQLiteData] = [.text(number), SQLiteData(now), .text(TenantID.default.rawValue)]
        let rows = try await session.read { (runner) throws(StoreError) in try runner.rows(sql, binds) }
        guard let first = rows.first else { throw .corrupt("SQLite returned no row for a routing snapshot") }
        guard let tenant = try SQLiteRowReader(table: "numbers", row: first).optionalText("owner_tenant") else { return nil }
        var agents: [Agent] = []
        agents.reserveCapacity(rows.count)
        for row in rows {
            let reader = SQLiteRowReader(table: "agents", row: row)
            // The LEFT JOIN yields one row without an agent when the tenant has none available.
            guard try reader.optionalText("id") != nil else { continue }
            agents.append(try reader.agent())
        }
        return RoutingSnapshot(tenant: TenantID(tenant), agents: agents)
    }
}
