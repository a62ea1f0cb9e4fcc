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
        let current = agent.asCurrent
        try current.checkRules()
        return try await session.transaction { (runner) throws(StoreError) in
            if let elsewhere = try Self.currentRecordElsewhere(of: current, runner) {
                throw .identityInAnotherTenant(current.identity, tenant: elsewhere.tenant)
            }
            return try Self.store(current, runner)
        }
    }

    @discardableResult
    public func moveAgent(_ agent: Agent, at now: Date) async throws(StoreError) -> AgentMove {
        let current = agent.asCurrent
        try current.checkRules()
        return try await session.transaction { (runner) throws(StoreError) in
            let elsewhere = try Self.currentRecordElsewhere(of: current, runner)
            if let elsewhere, let callSid = elsewhere.callSid {
                throw .agentOnCallElsewhere(current.identity, tenant: elsewhere.tenant, callSid: callSid)
            }
            var returned = 0
            if let elsewhere {
                try runner.execute(
                    """
                    UPDATE agents SET presence = 'offline', retired_at = ?1
                    WHERE identity = ?2 AND tenant <> ?3 AND retired_at IS NULL
                    """,
                    [SQLiteData(now), .text(current.identity), .text(current.tenant.rawValue)]
                )
                // Its active chats go back to pending: nobody could release them once it is retired.
                returned = try runner.rows(
                    """
                    UPDATE chat_handoffs SET status = 'pending', picked_up_by = NULL, picked_up_at = NULL
                    WHERE tenant = ?1 AND picked_up_by = ?2 AND status = 'active'
                    RETURNING id
                    """,
                    [.text(elsewhere.tenant.rawValue), .text(current.identity)]
                ).count
            }
            return AgentMove(agent: try Self.store(current, runner), retiredIn: elsewhere?.tenant, chatsReturned: returned)
        }
    }

    /// The tenant other than the agent's own where its identity is current, and the call that record
    /// is on, if any.
    private static func currentRecordElsewhere(
        of agent: Agent,
        _ runner: SQLiteStatementRunner
    ) throws(StoreError) -> (tenant: TenantID, callSid: String?)? {
        let rows = try runner.rows(
            "SELECT tenant, current_call_sid FROM agents WHERE identity = ?1 AND tenant <> ?2 AND retired_at IS NULL LIMIT 1",
            [.text(agent.identity), .text(agent.tenant.rawValue)]
        )
        guard let row = rows.first else { return nil }
        let reader = SQLiteRowReader(table: "agents", row: row)
        return (TenantID(try reader.text("tenant")), try reader.optionalText("current_call_sid"))
    }

    /// Stores a current agent in one statement: a new agent whole (system fields included, for
    /// seeding); an existing one keeps its id and the system-set call fields and is current again.
    private static func store(_ agent: Agent, _ runner: SQLiteStatementRunner) throws(StoreError) -> Agent {
        let rows = try runner.rows(
            """
            INSERT INTO agents (\(SQLiteRowReader.agentColumns))
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL)
            ON CONFLICT (tenant, identity) DO UPDATE SET
                name = excluded.name, email = excluded.email, presence = excluded.presence,
                chat_capacity = excluded.chat_capacity, retired_at = NULL
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
            ]
        )
        guard let row = rows.first else {
            throw .corrupt("SQLite stored agent \(agent.identity) in tenant \(agent.tenant) but returned no row")
        }
        return try SQLiteRowReader(table: "agents", row: row).agent()
    }

    @discardableResult
    public func setPresence(_ presence: Presence, identity: String, in tenant: TenantID) async throws(StoreError) -> Agent {
        try await session.transaction { (runner) throws(StoreError) in
            let rows = try runner.rows(
                """
                UPDATE agents SET presence = ?1 WHERE tenant = ?2 AND identity = ?3 AND retired_at IS NULL
                RETURNING \(SQLiteRowReader.agentColumns)
                """,
                [.text(presence.rawValue), .text(tenant.rawValue), .text(identity)]
            )
            if let row = rows.first { return try SQLiteRowReader(table: "agents", row: row).agent() }
            let retired = try runner.rows("SELECT 1 FROM agents WHERE tenant = ?1 AND identity = ?2", [.text(tenant.rawValue), .text(identity)])
            throw retired.isEmpty ? .notFound("No agent \(identity) in tenant \(tenant)") : .agentRetired(identity, tenant: tenant)
        }
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
