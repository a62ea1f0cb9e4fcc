import Foundation
import SQLiteNIO
import SwitchboardCore

extension SQLiteCallStore {
    /// The snapshot the routing cache can give without reading the database: the one
    /// ``routingSnapshot(forCalledNumber:at:limit:)`` would give, provided the routing version was read
    /// less than the configured ``Configuration/routingRecheckInterval`` ago and this process has written
    /// nothing since (see ``SQLiteRoutingCache``); nil otherwise. A change another process made in that
    /// interval is not seen yet.
    public func recentRoutingSnapshot(forCalledNumber number: String, at now: Date, limit: Int) -> RoutingSnapshot? {
        guard limit > 0 else { return nil }
        let entry = routingCache.recentEntry(for: number, now: .now, writeGeneration: session.writeGeneration)
        return entry?.snapshot(at: now, limit: limit)
    }

    /// The voice route's read: the tenant that owns the number (the default tenant while no number is
    /// mapped) and its available agents, ordered as ``availableAgents(in:at:limit:)`` orders them.
    ///
    /// Served from ``SQLiteRoutingCache`` when the routing version has not moved since the number was
    /// last read: one single-row statement instead of the join. Otherwise one statement reads the
    /// version, the tenant and its candidates together (a consistent snapshot) and refills the entry.
    public func routingSnapshot(forCalledNumber number: String, at now: Date, limit: Int) async throws(StoreError) -> RoutingSnapshot? {
        guard limit > 0 else {
            guard let tenant = try await tenant(forCalledNumber: number) else { return nil }
            return RoutingSnapshot(tenant: tenant, agents: [])
        }
        let cache = routingCache
        // In this order: a write of this process that the read might miss moves the generation after it.
        let generation = session.writeGeneration
        let started = ContinuousClock.now
        let cached = try await session.read { (runner) throws(StoreError) -> RoutingSnapshot?? in
            let rows = try runner.rows("SELECT version FROM routing_version WHERE id = 1")
            guard let row = rows.first else { throw .corrupt("The routing version is missing") }
            let version = try SQLiteRowReader(table: "routing_version", row: row).integer("version")
            cache.validated(version, at: started, writeGeneration: generation)
            if let entry = cache.entry(for: number, at: version) { return .some(entry.snapshot(at: now, limit: limit)) }
            guard let entry = try Self.readRoutingEntry(number, runner) else { return .none }
            cache.keep(entry, for: number)
            return .some(entry.snapshot(at: now, limit: limit))
        }
        if let cached { return cached }
        return try await uncachedRoutingSnapshot(forCalledNumber: number, at: now, limit: limit)
    }

    /// Reads the routing version, the owner of `number` and all of its candidates in one statement; nil
    /// when the tenant has more than ``SQLiteRoutingCache/maximumCandidates``.
    private static func readRoutingEntry(_ number: String, _ runner: SQLiteStatementRunner) throws(StoreError) -> SQLiteRoutingCache.Entry? {
        let sql = """
            WITH owner(owner_tenant) AS (
                SELECT COALESCE(
                    (SELECT tenant FROM numbers WHERE number = ?1),
                    CASE WHEN EXISTS (SELECT 1 FROM numbers) THEN NULL ELSE ?2 END
                )
            )
            SELECT (SELECT version FROM routing_version WHERE id = 1) AS routing_version, owner_tenant,
                \(SQLiteRowReader.agentColumns)
            FROM owner LEFT JOIN agents
                ON agents.tenant = owner.owner_tenant AND presence = 'available' AND current_call_sid IS NULL
            ORDER BY last_call_ended_at, identity
            LIMIT \(SQLiteRoutingCache.maximumCandidates + 1)
            """
        let rows = try runner.rows(sql, [.text(number), .text(TenantID.default.rawValue)])
        guard rows.count <= SQLiteRoutingCache.maximumCandidates else { return nil }
        guard let first = rows.first else { throw .corrupt("SQLite returned no row for a routing snapshot") }
        let head = SQLiteRowReader(table: "numbers", row: first)
        let version = try head.integer("routing_version")
        guard let tenant = try head.optionalText("owner_tenant") else {
            return SQLiteRoutingCache.Entry(version: version, tenant: nil, candidates: [])
        }
        var candidates: [(agent: Agent, wrapUpEndsAt: Double?)] = []
        candidates.reserveCapacity(rows.count)
        for row in rows {
            let reader = SQLiteRowReader(table: "agents", row: row)
            // The LEFT JOIN yields one row without an agent when the tenant has none available.
            guard try reader.optionalText("id") != nil else { continue }
            candidates.append((try reader.agent(), try reader.optionalUnixSeconds("wrap_up_ends_at")))
        }
        return SQLiteRoutingCache.Entry(version: version, tenant: TenantID(tenant), candidates: candidates)
    }

    /// The routing read without the cache, for tenants too large to keep: one statement, filtered and
    /// limited in SQL.
    private func uncachedRoutingSnapshot(forCalledNumber number: String, at now: Date, limit: Int) async throws(StoreError) -> RoutingSnapshot? {
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
