import SQLiteNIO
import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Chat handoffs. A pickup runs in one `BEGIN IMMEDIATE` transaction that reads the handoff, the
/// agent's capacity and its active handoffs, and writes the pickup, so across every connection to the
/// file neither two agents take one handoff nor one agent passes its capacity.
extension SQLiteCallStore {
    public func createHandoff(
        tenant: TenantID,
        conversationID: String,
        customerName: String?,
        summary: String?,
        at now: Date
    ) async throws(StoreError) -> HandoffCreation {
        // One write transaction (BEGIN IMMEDIATE) looks for the open handoff and inserts only without one,
        // so concurrent creates, in this process or another, create one.
        let id = UUID().uuidString.lowercased()
        let (rows, created) = try await session.transaction { (runner) throws(StoreError) -> ([SQLiteResultRow], Bool) in
            let open = try runner.rows(
                """
                SELECT \(SQLiteRowReader.handoffColumns) FROM chat_handoffs
                WHERE tenant = ?1 AND conversation_id = ?2 AND status IN ('pending', 'active')
                ORDER BY created_at, id LIMIT 1
                """,
                [.text(tenant.rawValue), .text(conversationID)]
            )
            guard open.isEmpty else { return (open, false) }
            let inserted = try runner.rows(
                """
                INSERT INTO chat_handoffs (id, tenant, conversation_id, customer_name, summary, status, created_at)
                VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6)
                RETURNING \(SQLiteRowReader.handoffColumns)
                """,
                [.text(id), .text(tenant.rawValue), .text(conversationID), SQLiteData(customerName), SQLiteData(summary), SQLiteData(now)]
            )
            return (inserted, true)
        }
        guard let handoff = try rows.records(from: "chat_handoffs", { (row) throws(StoreError) in try row.chatHandoff() }).first else {
            throw .corrupt("SQLite stored handoff for conversation \(conversationID) but returned no row")
        }
        return created ? .created(handoff) : .alreadyOpen(handoff)
    }

    /// The tenant's handoffs, oldest first; ties by id.
    public func handoffs(in tenant: TenantID, status: ChatHandoff.Status?) async throws(StoreError) -> [ChatHandoff] {
        let rows = try await session.exclusively { (runner) throws(StoreError) in
            try runner.rows(
                """
                SELECT \(SQLiteRowReader.handoffColumns) FROM chat_handoffs
                WHERE tenant = ?1 AND (?2 IS NULL OR status = ?2)
                ORDER BY created_at, id
                """,
                [.text(tenant.rawValue), SQLiteData(status?.rawValue)]
            )
        }
        return try rows.records(from: "chat_handoffs") { (row) throws(StoreError) in try row.chatHandoff() }
    }

    /// Picks the handoff up in one `BEGIN IMMEDIATE` transaction. In order: an unknown agent or
    /// handoff is ``StoreError/notFound``; a released one is `.released(by:)`; a handoff this agent holds
    /// is `.pickedUp` again, unchanged; one another agent has is `.alreadyPickedUp(by:)`; an agent at capacity gets
    /// `.atCapacity`; otherwise the agent picks it up.
    public func pickUpHandoff(
        id: String,
        tenant: TenantID,
        agentIdentity: String,
        at now: Date
    ) async throws(StoreError)
        -> PickupOutcome
    {
        try await session.transaction { (runner) throws(StoreError) -> PickupOutcome in
            let agents = try runner.rows(
                "SELECT chat_capacity, retired_at FROM agents WHERE tenant = ?1 AND identity = ?2",
                [.text(tenant.rawValue), .text(agentIdentity)]
            )
            guard let agent = agents.first else { throw .notFound("No agent \(agentIdentity) in tenant \(tenant)") }
            let reader = SQLiteRowReader(table: "agents", row: agent)
            // A retired record (see Agent.retiredAt) picks up nothing.
            guard try reader.optionalDate("retired_at") == nil else {
                throw .noCurrentAgent(agentIdentity, tenant: tenant)
            }
            let capacity = try reader.integer("chat_capacity")
            let handoff = try Self.handoff(id: id, in: tenant, runner)
            if let holder = handoff.pickedUpBy {
                guard handoff.status != .released else { return .released(by: holder) }
                return holder == agentIdentity ? .pickedUp(handoff) : .alreadyPickedUp(by: holder)
            }
            let counted = try runner.rows(
                "SELECT count(*) AS active FROM chat_handoffs WHERE tenant = ?1 AND picked_up_by = ?2 AND status = 'active'",
                [.text(tenant.rawValue), .text(agentIdentity)]
            )
            guard let countRow = counted.first else { throw .corrupt("SQLite returned no row for a count of active handoffs") }
            let active = try SQLiteRowReader(table: "chat_handoffs", row: countRow).integer("active")
            guard active < capacity else { return .atCapacity(active: active, capacity: capacity) }
            let updated = try runner.rows(
                """
                UPDATE chat_handoffs SET status = 'active', picked_up_by = ?2, picked_up_at = ?3
                WHERE id = ?1 AND status = 'pending'
                RETURNING \(SQLiteRowReader.handoffColumns)
                """,
                [.text(handoff.id), .text(agentIdentity), SQLiteData(now)]
            )
            // The write lock held since BEGIN IMMEDIATE makes a miss unreachable; checked all the same.
            guard let pickedUp = try updated.records(from: "chat_handoffs", { (row) throws(StoreError) in try row.chatHandoff() }).first
            else {
                throw .conflict("Handoff \(id) changed while agent \(agentIdentity) was picking it up")
            }
            return .pickedUp(pickedUp)
        }
    }

    @discardableResult
    public func releaseHandoff(id: String, tenant: TenantID, agentIdentity: String, at now: Date) async throws(StoreError) -> ChatHandoff {
        try await session.transaction { (runner) throws(StoreError) -> ChatHandoff in
            let handoff = try Self.handoff(id: id, in: tenant, runner)
            guard handoff.status == .active, handoff.pickedUpBy == agentIdentity else {
                throw .conflict("Handoff \(id) is not active with agent \(agentIdentity)")
            }
            let updated = try runner.rows(
                """
                UPDATE chat_handoffs SET status = 'released', released_at = ?2
                WHERE id = ?1 AND status = 'active'
                RETURNING \(SQLiteRowReader.handoffColumns)
                """,
                [.text(handoff.id), SQLiteData(now)]
            )
            guard let released = try updated.records(from: "chat_handoffs", { (row) throws(StoreError) in try row.chatHandoff() }).first
            else {
                throw .conflict("Handoff \(id) changed while agent \(agentIdentity) was releasing it")
            }
            return released
        }
    }

    /// The handoff with `id` in the tenant, or ``StoreError/notFound``.
    private static func handoff(id: String, in tenant: TenantID, _ runner: SQLiteStatementRunner) throws(StoreError) -> ChatHandoff {
        let rows = try runner.rows(
            "SELECT \(SQLiteRowReader.handoffColumns) FROM chat_handoffs WHERE id = ?1 AND tenant = ?2",
            [.text(id.lowercased()), .text(tenant.rawValue)]
        )
        guard let handoff = try rows.records(from: "chat_handoffs", { (row) throws(StoreError) in try row.chatHandoff() }).first else {
            throw .notFound("No handoff \(id) in tenant \(tenant)")
        }
        return handoff
    }
}
