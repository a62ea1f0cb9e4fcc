import SQLiteNIO
import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SQLiteCallStore {
    public func availableAgents(in tenant: TenantID, at now: Date, limit: Int) async throws(StoreError) -> [Agent] {
        guard limit > 0 else { return [] }  // SQLite reads a negative LIMIT as "no limit".
        // The same rules as Agent.isAvailable(at:) and Agent.longestIdleFirst; NULLs sort first in
        // SQLite, so agents who never had a call come first, as the index already orders them. The limit is
        // written into the SQL, and the tenant compared through a CAST: SQLite would otherwise prepare
        // the statement again for every new value of either (see SQLiteHandle.rows).
        return try await agents(
            """
            SELECT \(SQLiteRowReader.agentColumns) FROM agents
            WHERE tenant = CAST(?1 AS TEXT) AND presence = 'available' AND current_call_sid IS NULL
                AND (wrap_up_ends_at IS NULL OR wrap_up_ends_at <= ?2)
            ORDER BY last_call_ended_at, identity
            LIMIT \(limit)
            """,
            [.text(tenant.rawValue), SQLiteData(now)]
        )
    }

    public func agents(in tenant: TenantID?) async throws(StoreError) -> [Agent] {
        if let tenant {
            return try await agents(
                "SELECT \(SQLiteRowReader.agentColumns) FROM agents WHERE tenant = ?1 ORDER BY identity",
                [.text(tenant.rawValue)]
            )
        }
        return try await agents("SELECT \(SQLiteRowReader.agentColumns) FROM agents ORDER BY tenant, identity", [])
    }

    public func agent(identity: String, in tenant: TenantID) async throws(StoreError) -> Agent {
        let found = try await agents(
            "SELECT \(SQLiteRowReader.agentColumns) FROM agents WHERE tenant = ?1 AND identity = ?2",
            [.text(tenant.rawValue), .text(identity)]
        )
        guard let agent = found.first else { throw .notFound("No agent \(identity) in tenant \(tenant)") }
        return agent
    }

    @discardableResult
    public func upsertAgent(_ agent: Agent) async throws(StoreError) -> Agent {
        try agent.checkRules()
        // One statement, so atomic: a new agent is stored whole (system fields included, for seeding);
        // an existing one keeps its id and the system-set call fields.
        let stored = try await agents(
            """
            INSERT INTO agents (\(SQLiteRowReader.agentColumns))
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            ON CONFLICT (tenant, identity) DO UPDATE SET
                name = excluded.name, email = excluded.email, presence = excluded.presence,
                chat_capacity = excluded.chat_capacity
            RETURNING \(SQLiteRowReader.agentColumns)
            """,
            [
                .text(agent.id.isEmpty ? UUID().uuidString : agent.id),
                .text(agent.tenant.rawValue),
                .text(agent.identity),
                .text(agent.name),
                .text(agent.email),
                .text(agent.presence.rawValue),
                SQLiteData(agent.currentCallSid),
                SQLiteData(agent.wrapUpEndsAt),
                SQLiteData(agent.lastCallEndedAt),
                .integer(agent.chatCapacity),
            ],
            writes: true
        )
        guard let result = stored.first else {
            throw .corrupt("SQLite stored agent \(agent.identity) in tenant \(agent.tenant) but returned no row")
        }
        return result
    }

    @discardableResult
    public func setPresence(_ presence: Presence, identity: String, in tenant: TenantID) async throws(StoreError) -> Agent {
        let updated = try await agents(
            """
            UPDATE agents SET presence = ?1 WHERE tenant = ?2 AND identity = ?3
            RETURNING \(SQLiteRowReader.agentColumns)
            """,
            [.text(presence.rawValue), .text(tenant.rawValue), .text(identity)],
            writes: true
        )
        guard let agent = updated.first else { throw .notFound("No agent \(identity) in tenant \(tenant)") }
        return agent
    }

    /// Runs one statement that returns agent rows, and reads them. A statement that `writes` runs on the
    /// writer; any other on a reader.
    func agents(_ sql: String, _ binds: [SQLiteData], writes: Bool = false) async throws(StoreError) -> [Agent] {
        let run = { @Sendable (runner: SQLiteStatementRunner) throws(StoreError) in try runner.rows(sql, binds) }
        let rows = writes ? try await session.exclusively(run) : try await session.read(run)
        var agents: [Agent] = []
        agents.reserveCapacity(rows.count)
        for row in rows {
            agents.append(try SQLiteRowReader(table: "agents", row: row).agent())
        }
        return agents
    }
}
