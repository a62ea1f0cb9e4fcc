import SQLiteNIO
import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Parked calls. Parking and retrieval run in one `BEGIN IMMEDIATE` transaction each, so across every
/// connection to the file one retriever at a time reads the parked call and the agent's current call
/// and writes both.
extension SQLiteCallStore {
    /// Parks the call. In order: an unknown agent, or a call recorded for another tenant, is
    /// ``StoreError/notFound``; a call waiting in any slot, or one another agent is on, is
    /// ``StoreError/conflict``.
    public func parkCall(
        _ callSid: String,
        tenant: TenantID,
        slot: String,
        parkedBy identity: String,
        at now: Date
    ) async throws(StoreError) -> ParkedCall {
        let rows = try await session.transaction { (runner) throws(StoreError) in
            _ = try Self.currentCall(ofAgent: identity, in: tenant, runner)
            let calls = try runner.rows("SELECT tenant FROM calls WHERE call_sid = ?1", [.text(callSid)])
            if let call = calls.first, try SQLiteRowReader(table: "calls", row: call).text("tenant") != tenant.rawValue {
                throw .notFound("No call \(callSid) in tenant \(tenant)")
            }
            guard try !Self.hasWaitingPark(callSid, runner) else { throw .conflict("Call \(callSid) is already parked") }
            if let holder = try Self.holder(of: callSid, other: identity, in: tenant, runner) {
                throw .conflict("Call \(callSid) is with agent \(holder), who retrieved it")
            }
            return try runner.rows(
                """
                INSERT INTO parked_calls (id, tenant, call_sid, slot, parked_by, parked_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                RETURNING \(SQLiteRowReader.parkedCallColumns)
                """,
                [
                    .text(UUID().uuidString.lowercased()), .text(tenant.rawValue), .text(callSid), .text(slot), .text(identity),
                    SQLiteData(now),
                ]
            )
        }
        guard let parked = try rows.records(from: "parked_calls", { (row) throws(StoreError) in try row.parkedCall() }).first else {
            throw .corrupt("SQLite parked call \(callSid) but returned no row")
        }
        return parked
    }

    /// The tenant's waiting parked calls, oldest first; ties by call SID.
    public func parkedCalls(in tenant: TenantID, arrivedOrParkedSince: Date?) async throws(StoreError) -> [ParkedCall] {
        let rows = try await session.exclusively { (runner) throws(StoreError) in
            try runner.rows(
                """
                SELECT \(SQLiteRowReader.parkedCallColumns) FROM parked_calls
                WHERE tenant = ?1 AND retrieved_at IS NULL AND ended_at IS NULL
                    AND (?2 IS NULL OR arrived_at IS NOT NULL OR parked_at >= ?2)
                ORDER BY parked_at, call_sid
                """,
                [.text(tenant.rawValue), SQLiteData(arrivedOrParkedSince)]
            )
        }
        return try rows.records(from: "parked_calls") { (row) throws(StoreError) in try row.parkedCall() }
    }

    public func parkedCall(id: String, in tenant: TenantID) async throws(StoreError) -> ParkedCall {
        try await session.exclusively { (runner) throws(StoreError) in try Self.parkedCall(id: id, in: tenant, runner) }
    }

    /// Retrieves the call in one `BEGIN IMMEDIATE` transaction, which also puts the agent on it. In
    /// order: an unknown agent or parked call is ``StoreError/notFound``; a call retrieved by this agent
    /// is `.retrieved` again, unchanged; by another, `.alreadyRetrieved(by:)`; an ended one, `.ended`;
    /// an agent on another call, `.agentBusy(currentCallSid:)`; a call another agent is still on (the
    /// parker, before Twilio moved the caller), `.parkInProgress(heldBy:)`; otherwise the parked call records the
    /// retriever and the agent's current call becomes the call's SID.
    public func retrieveParkedCall(
        id: String,
        tenant: TenantID,
        agentIdentity: String,
        at now: Date
    ) async throws(StoreError)
        -> RetrievalOutcome
    {
        try await session.transaction { (runner) throws(StoreError) -> RetrievalOutcome in
            let currentCallSid = try Self.currentCall(ofAgent: agentIdentity, in: tenant, runner)
            let parked = try Self.parkedCall(id: id, in: tenant, runner)
            if let retriever = parked.retrievedBy {
                return retriever == agentIdentity ? .retrieved(parked) : .alreadyRetrieved(by: retriever)
            }
            if parked.endedAt != nil { return .ended }
            if let currentCallSid, currentCallSid != parked.callSid { return .agentBusy(currentCallSid: currentCallSid) }
            if let holder = try Self.holder(of: parked.callSid, other: agentIdentity, in: tenant, runner) { return .parkInProgress(heldBy: holder) }
            let updated = try runner.rows(
                """
                UPDATE parked_calls SET retrieved_by = ?2, retrieved_at = ?3
                WHERE id = ?1 AND retrieved_at IS NULL AND ended_at IS NULL
                RETURNING \(SQLiteRowReader.parkedCallColumns)
                """,
                [.text(parked.id), .text(agentIdentity), SQLiteData(now)]
            )
            // The write lock held since BEGIN IMMEDIATE makes a miss unreachable; checked all the same.
            guard let retrieved = try updated.records(from: "parked_calls", { (row) throws(StoreError) in try row.parkedCall() }).first
            else {
                throw .conflict("Parked call \(id) changed while agent \(agentIdentity) was retrieving it")
            }
            try Self.put(agentIdentity, in: tenant, on: retrieved.callSid, since: now, runner)
            return .retrieved(retrieved)
        }
    }

    /// Undoes the agent's retrieval in one `BEGIN IMMEDIATE` transaction (see the protocol).
    @discardableResult
    public func releaseRetrieval(id: String, tenant: TenantID, agentIdentity: String, retrievedAt: Date) async throws(StoreError) -> Bool {
        try await release(id: id, tenant: tenant, agentIdentity: agentIdentity, retrievedAt: retrievedAt, as: .unreached)
    }

    /// Undoes the agent's retrieval whose leg reached the slot before `arrivedBefore`, in one `BEGIN IMMEDIATE`
    /// transaction (see the protocol).
    @discardableResult
    public func releaseStrandedRetrieval(
        id: String,
        tenant: TenantID,
        agentIdentity: String,
        retrievedAt: Date,
        arrivedBefore: Date
    ) async throws(StoreError) -> Bool {
        try await release(
            id: id,
            tenant: tenant,
            agentIdentity: agentIdentity,
            retrievedAt: retrievedAt,
            as: .stranded(arrivedBefore: arrivedBefore)
        )
    }

    /// Ends the park its caller left unbridged and undoes its retrieval in one `BEGIN IMMEDIATE` transaction, so no
    /// retrieval on any connection lands between the two (see the protocol).
    @discardableResult
    public func endUnbridgedPark(id: String, tenant: TenantID, callSid: String, at now: Date) async throws(StoreError) -> ParkedCall? {
        try await session.transaction { (runner) throws(StoreError) -> ParkedCall? in
            let parked = try Self.parkedCall(id: id, in: tenant, runner)
            guard parked.callSid == callSid else { throw .notFound("No parked call \(id) of call \(callSid) in tenant \(tenant)") }
            guard parked.endedAt == nil else { return nil }
            if let retriever = parked.retrievedBy { try Self.takeOffCall(retriever, in: tenant, callSid: callSid, runner) }
            try runner.execute(
                """
                UPDATE parked_calls SET ended_at = ?2, retrieved_by = NULL, retrieved_at = NULL, retriever_arrived_at = NULL
                WHERE id = ?1
                """,
                [.text(parked.id), SQLiteData(now)]
            )
            return parked
        }
    }

    /// Clears the agent's current call when it is `callSid`, with no wrap-up and no last-call time (an
    /// undone retrieval: the agent never spoke to the caller), inside the caller's transaction.
    private static func takeOffCall(_ identity: String, in tenant: TenantID, callSid: String, _ runner: SQLiteStatementRunner) throws(StoreError) {
        try runner.execute(
            "UPDATE agents SET current_call_sid = NULL WHERE tenant = ?1 AND identity = ?2 AND current_call_sid = ?3",
            [.text(tenant.rawValue), .text(identity), .text(callSid)]
        )
    }

    /// Undoes the agent's retrieval made at `retrievedAt` of a park that has not ended, if `rule` takes
    /// its leg's arrival, and frees the agent. The arrival is read under the transaction's write lock, so
    /// it cannot change before the update.
    private func release(
        id: String,
        tenant: TenantID,
        agentIdentity: String,
        retrievedAt: Date,
        as rule: RetrievalRelease
    ) async throws(StoreError) -> Bool {
        try await session.transaction { (runner) throws(StoreError) -> Bool in
            // A retired record too: its retrieval is undone all the same, or the caller would wait for an
            // agent who no longer works here.
            _ = try Self.currentCall(ofAgent: agentIdentity, in: tenant, retiredToo: true, runner)
            let parked = try Self.parkedCall(id: id, in: tenant, runner)
            guard parked.retrievedBy == agentIdentity, parked.endedAt == nil, rule.releases(arrival: parked.retrieverArrivedAt) else {
                return false
            }
            // Compared in SQL, as stored: the instant the retrieval wrote, in the same REAL form.
            let released = try runner.rows(
                """
                UPDATE parked_calls SET retrieved_by = NULL, retrieved_at = NULL, retriever_arrived_at = NULL
                WHERE id = ?1 AND retrieved_at = ?2 RETURNING id
                """,
                [.text(parked.id), SQLiteData(retrievedAt)]
            )
            guard !released.isEmpty else { return false }
            try Self.takeOffCall(agentIdentity, in: tenant, callSid: parked.callSid, runner)
            return true
        }
    }

    /// Records the caller's arrival in the slot, or restores a withdrawn park, in one `BEGIN IMMEDIATE`
    /// transaction (see the protocol for the order).
    public func confirmParkArrival(id: String, tenant: TenantID, callSid: String, at now: Date) async throws(StoreError) -> ParkArrival {
        try await session.transaction { (runner) throws(StoreError) -> ParkArrival in
            let parked = try Self.parkedCall(id: id, in: tenant, runner)
            guard parked.callSid == callSid else { throw .notFound("No parked call \(id) of call \(callSid) in tenant \(tenant)") }
            // An ended park is restored only when no arrival was recorded, nobody retrieved it, and no other
            // park of the call waits.
            let restoring = parked.endedAt != nil
            if restoring {
                guard parked.arrivedAt == nil, parked.retrievedAt == nil, try !Self.hasWaitingPark(callSid, runner) else { return .notWaiting }
            }
            let rows = try runner.rows(
                """
                UPDATE parked_calls SET ended_at = NULL, arrived_at = coalesce(arrived_at, ?2) WHERE id = ?1
                RETURNING \(SQLiteRowReader.parkedCallColumns)
                """,
                [.text(parked.id), SQLiteData(now)]
            )
            // The write lock held since BEGIN IMMEDIATE makes a miss unreachable; checked all the same.
            guard let updated = try rows.records(from: "parked_calls", { (row) throws(StoreError) in try row.parkedCall() }).first else {
                throw .conflict("Parked call \(id) changed while its caller arrived")
            }
            return restoring ? .restored(updated) : .confirmed(updated)
        }
    }

    /// Records the retriever's arrival in one `BEGIN IMMEDIATE` transaction: the parked call's read (for
    /// its tenant), then an `UPDATE` guarded by the retriever (see the protocol).
    public func confirmRetrieverArrival(id: String, tenant: TenantID, agentIdentity: String, at now: Date) async throws(StoreError) -> Bool {
        try await session.transaction { (runner) throws(StoreError) -> Bool in
            let parked = try Self.parkedCall(id: id, in: tenant, runner)
            let rows = try runner.rows(
                """
                UPDATE parked_calls SET retriever_arrived_at = max(coalesce(retriever_arrived_at, ?3), ?3)
                WHERE id = ?1 AND retrieved_by = ?2 AND ended_at IS NULL
                RETURNING id
                """,
                [.text(parked.id), .text(agentIdentity), SQLiteData(now)]
            )
            return !rows.isEmpty
        }
    }

    /// Ends the parker's part, unless she retrieved the park, in one `BEGIN IMMEDIATE` transaction, so
    /// no retrieval on any connection lands between the check and the end (see the protocol).
    @discardableResult
    public func endParkersPart(id: String, tenant: TenantID, at now: Date, wrapUpSeconds: Int) async throws(StoreError) -> Bool {
        let wrapUpEnd = try Agent.wrapUpEnd(afterCallEndedAt: now, seconds: wrapUpSeconds)
        return try await session.transaction { (runner) throws(StoreError) -> Bool in
            let parked = try Self.parkedCall(id: id, in: tenant, runner)
            guard parked.retrievedBy != parked.parkedBy else { return false }
            _ = try Self.endCall(parked.callSid, of: parked.parkedBy, in: tenant, at: now, wrapUpEnd: wrapUpEnd, joinedBy: nil, runner)
            return true
        }
    }

    /// Withdraws the park in one `BEGIN IMMEDIATE` transaction (see the protocol).
    public func withdrawPark(id: String, tenant: TenantID, at now: Date) async throws(StoreError) -> ParkWithdrawal {
        try await session.transaction { (runner) throws(StoreError) -> ParkWithdrawal in
            let parked = try Self.parkedCall(id: id, in: tenant, runner)
            guard parked.isWaiting else { return .notWaiting }
            guard parked.arrivedAt == nil else { return .callerArrived }
            try runner.execute("UPDATE parked_calls SET ended_at = ?2 WHERE id = ?1", [.text(parked.id), SQLiteData(now)])
            return .withdrawn
        }
    }

    /// Puts the parker back on the call in one `BEGIN IMMEDIATE` transaction (see the protocol for the order).
    public func reclaimParkedCall(id: String, tenant: TenantID, agentIdentity: String, at now: Date) async throws(StoreError) -> ClaimOutcome {
        try await session.transaction { (runner) throws(StoreError) -> ClaimOutcome in
            let currentCallSid = try Self.currentCall(ofAgent: agentIdentity, in: tenant, runner)
            let parked = try Self.parkedCall(id: id, in: tenant, runner)
            if let retriever = parked.retrievedBy, retriever != agentIdentity { return .alreadyAnswered(by: retriever) }
            if parked.parkedBy != agentIdentity { return .alreadyAnswered(by: parked.parkedBy) }
            if let currentCallSid {
                guard currentCallSid == parked.callSid else { return .agentBusy(currentCallSid: currentCallSid) }
                // Still on the call in the store (the park's end was not recorded): they got on it again now.
                try Self.put(agentIdentity, in: tenant, on: parked.callSid, since: now, runner)
                return .won
            }
            if let holder = try Self.holder(of: parked.callSid, other: agentIdentity, in: tenant, runner) { return .alreadyAnswered(by: holder) }
            try Self.put(agentIdentity, in: tenant, on: parked.callSid, since: now, runner)
            return .won
        }
    }

    /// A condition on an `agents` row in an `UPDATE` (`?3` the call): its current time on the call began
    /// with a retrieval of one of its parks, which set `current_call_since` to its own instant.
    static let joinedByRetrieval = """
        EXISTS (
            SELECT 1 FROM parked_calls
            WHERE parked_calls.call_sid = ?3 AND parked_calls.tenant = agents.tenant AND parked_calls.retrieved_by = agents.identity
                AND parked_calls.retrieved_at = agents.current_call_since
        )
        """

    /// Ends the agent's part in the call with one `UPDATE` guarded by its current call and by how it got
    /// on it (``joinedByRetrieval``).
    @discardableResult
    public func endCall(
        _ callSid: String,
        of identity: String,
        in tenant: TenantID,
        at now: Date,
        wrapUpSeconds: Int,
        joinedBy: Date?
    ) async throws(StoreError)
        -> Bool
    {
        let wrapUpEnd = try Agent.wrapUpEnd(afterCallEndedAt: now, seconds: wrapUpSeconds)
        return try await session.exclusively { (runner) throws(StoreError) -> Bool in
            try Self.endCall(callSid, of: identity, in: tenant, at: now, wrapUpEnd: wrapUpEnd, joinedBy: joinedBy, sparingRetrievers: true, runner)
        }
    }

    /// The agent's part in the call ended, inside the caller's transaction: one `UPDATE` guarded by its
    /// current call (and, with `joinedBy`, by when it got on it; `sparingRetrievers`, not for an agent whose
    /// time on it began with a retrieval, ``joinedByRetrieval``). Answers whether it ended.
    static func endCall(
        _ callSid: String,
        of identity: String,
        in tenant: TenantID,
        at now: Date,
        wrapUpEnd: Date,
        joinedBy: Date?,
        sparingRetrievers: Bool = false,
        _ runner: SQLiteStatementRunner
    ) throws(StoreError) -> Bool {
        let rows = try runner.rows(
            """
            UPDATE agents SET current_call_sid = NULL, last_call_ended_at = ?1, wrap_up_ends_at = ?2
            WHERE current_call_sid = ?3 AND tenant = ?4 AND identity = ?5
                AND (?6 IS NULL OR current_call_since IS NULL OR current_call_since <= ?6)
                AND (?7 = 0 OR NOT \(Self.joinedByRetrieval))
            RETURNING identity
            """,
            [
                SQLiteData(now), SQLiteData(wrapUpEnd), .text(callSid),
                .text(tenant.rawValue), .text(identity), SQLiteData(joinedBy), .integer(sparingRetrievers ? 1 : 0),
            ]
        )
        return !rows.isEmpty
    }

    /// One statement: ends the call's waiting parked call, if any.
    @discardableResult
    public func endParkedCall(_ callSid: String, at now: Date) async throws(StoreError) -> ParkedCall? {
        let rows = try await session.exclusively { (runner) throws(StoreError) in
            try runner.rows(
                """
                UPDATE parked_calls SET ended_at = ?2
                WHERE call_sid = ?1 AND retrieved_at IS NULL AND ended_at IS NULL
                RETURNING \(SQLiteRowReader.parkedCallColumns)
                """,
                [.text(callSid), SQLiteData(now)]
            )
        }
        return try rows.records(from: "parked_calls") { (row) throws(StoreError) in try row.parkedCall() }.first
    }

    /// Whether a park of `callSid` waits in a slot (not retrieved, not ended), read inside the caller's
    /// transaction.
    private static func hasWaitingPark(_ callSid: String, _ runner: SQLiteStatementRunner) throws(StoreError) -> Bool {
        let rows = try runner.rows(
            "SELECT id FROM parked_calls WHERE call_sid = ?1 AND retrieved_at IS NULL AND ended_at IS NULL",
            [.text(callSid)]
        )
        return !rows.isEmpty
    }

    /// The call the agent is on (its `current_call_sid`), read inside the caller's transaction, before
    /// the agent takes or parks a call.
    /// - Throws: ``StoreError/notFound`` when the tenant has no such agent; ``StoreError/noCurrentAgent(_:tenant:)``
    ///   when its record is retired (a retired record takes no call; see ``Agent/retiredAt``), unless
    ///   `retiredToo` (a retired record's retrieval may still be undone).
    static func currentCall(
        ofAgent identity: String,
        in tenant: TenantID,
        retiredToo: Bool = false,
        _ runner: SQLiteStatementRunner
    ) throws(StoreError) -> String? {
        let rows = try runner.rows(
            "SELECT current_call_sid, retired_at FROM agents WHERE tenant = ?1 AND identity = ?2",
            [.text(tenant.rawValue), .text(identity)]
        )
        guard let row = rows.first else { throw .notFound("No agent \(identity) in tenant \(tenant)") }
        let reader = SQLiteRowReader(table: "agents", row: row)
        let retired = try reader.optionalDate("retired_at") != nil
        guard retiredToo || !retired else {
            throw .noCurrentAgent(identity, tenant: tenant)
        }
        return try reader.optionalText("current_call_sid")
    }

    /// The identity of an agent other than `identity` in `tenant` whose current call is `callSid`, if any.
    private static func holder(
        of callSid: String,
        other identity: String,
        in tenant: TenantID,
        _ runner: SQLiteStatementRunner
    ) throws(StoreError) -> String? {
        let rows = try runner.rows(
            "SELECT identity FROM agents WHERE current_call_sid = ?1 AND NOT (tenant = ?2 AND identity = ?3) LIMIT 1",
            [.text(callSid), .text(tenant.rawValue), .text(identity)]
        )
        return try rows.first.map { (row) throws(StoreError) in try SQLiteRowReader(table: "agents", row: row).text("identity") }
    }

    /// Sets the agent's current call, and when they got on it (a won claim, a retrieval, a reclaimed
    /// ring-back), inside the caller's transaction.
    static func put(
        _ identity: String,
        in tenant: TenantID,
        on callSid: String,
        since: Date,
        _ runner: SQLiteStatementRunner
    ) throws(StoreError) {
        try runner.execute(
            "UPDATE agents SET current_call_sid = ?1, current_call_since = ?4 WHERE tenant = ?2 AND identity = ?3",
            [.text(callSid), .text(tenant.rawValue), .text(identity), SQLiteData(since)]
        )
    }

    /// The parked call `id` in `tenant`, inside the caller's transaction.
    /// - Throws: ``StoreError/notFound`` when the tenant has no such parked call.
    private static func parkedCall(id: String, in tenant: TenantID, _ runner: SQLiteStatementRunner) throws(StoreError) -> ParkedCall {
        let rows = try runner.rows(
            "SELECT \(SQLiteRowReader.parkedCallColumns) FROM parked_calls WHERE id = ?1 AND tenant = ?2",
            [.text(id.lowercased()), .text(tenant.rawValue)]
        )
        guard let parked = try rows.records(from: "parked_calls", { (row) throws(StoreError) in try row.parkedCall() }).first else {
            throw .notFound("No parked call \(id) in tenant \(tenant)")
        }
        return parked
    }
}
