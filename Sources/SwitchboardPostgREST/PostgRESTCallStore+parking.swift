import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Parked calls: parking and retrieval are SQL functions (`park_call`, `retrieve_parked_call`), each
/// one transaction; the rest are plain table requests.
extension PostgRESTCallStore {
    /// The `park_call` SQL function: an unknown agent or another tenant's call is
    /// ``StoreError/notFound``; a call already waiting in a slot, or one another agent is on,
    /// ``StoreError/conflict`` (`supabase/migrations/20261125070000_park_refused_while_another_agent_holds_the_call.sql`).
    public func parkCall(
        _ callSid: String,
        tenant: TenantID,
        slot: String,
        parkedBy identity: String,
        at now: Date
    ) async throws(StoreError) -> ParkedCall {
        try await client.rpc(
            "park_call",
            ParkArguments(p_call_sid: callSid, p_tenant_id: tenant.rawValue, p_slot: slot, p_parked_by: identity, p_parked_at: now),
            as: ParkedCallRow.self,
            idempotent: false,
            operation: "parking call \(callSid)"
        ).parkedCall
    }

    /// The tenant's waiting parked calls, oldest first; ties by call SID.
    public func parkedCalls(in tenant: TenantID, arrivedOrParkedSince: Date?) async throws(StoreError) -> [ParkedCall] {
        let since = arrivedOrParkedSince.map {
            [PostgRESTFilter.or([.not(.is("arrived_at", .null)), .compare("parked_at", .gte, PostgRESTTimestamp.format($0))])]
        }
        let query = PostgRESTQuery(
            "parked_calls",
            select: ParkedCallRow.columns,
            filters: [.eq("tenant_id", tenant.rawValue), .is("retrieved_at", .null), .is("ended_at", .null)] + (since ?? []),
            order: [PostgRESTOrder("parked_at"), PostgRESTOrder("call_sid")]
        )
        return try await client.allRows(query, as: ParkedCallRow.self, key: \.id, operation: "reading the parked calls of tenant \(tenant)").map(
            \.parkedCall
        )
    }

    public func parkedCall(id: String, in tenant: TenantID) async throws(StoreError) -> ParkedCall {
        guard Self.isUUID(id) else { throw .notFound("No parked call \(id) in tenant \(tenant)") }
        let query = PostgRESTQuery(
            "parked_calls",
            select: ParkedCallRow.columns,
            filters: [.eq("id", id), .eq("tenant_id", tenant.rawValue)]
        )
        guard let row = try await client.rows(query, as: ParkedCallRow.self, operation: "reading parked call \(id)").first else {
            throw .notFound("No parked call \(id) in tenant \(tenant)")
        }
        return row.parkedCall
    }

    /// The `retrieve_parked_call` SQL function, which locks the agent's row, then the parked call's,
    /// and sets the agent's current call with the retrieval
    /// (`supabase/migrations/20261123060000_retrieval_sets_current_call.sql`).
    public func retrieveParkedCall(
        id: String,
        tenant: TenantID,
        agentIdentity: String,
        at now: Date
    ) async throws(StoreError)
        -> RetrievalOutcome
    {
        guard Self.isUUID(id) else { throw .notFound("No parked call \(id) in tenant \(tenant)") }
        let result = try await client.rpc(
            "retrieve_parked_call",
            RetrieveArguments(p_id: id, p_tenant_id: tenant.rawValue, p_agent_identity: agentIdentity, p_at: now),
            as: RetrievalResult.self,
            idempotent: false,
            operation: "retrieving parked call \(id) for agent \(agentIdentity)"
        )
        switch (result.outcome, result.parked_call, result.retrieved_by, result.current_call_sid, result.held_by) {
        case ("retrieved", let row?, _, _, _): return .retrieved(row.parkedCall)
        case ("already_retrieved", _, let retriever?, _, _): return .alreadyRetrieved(by: retriever)
        case ("ended", _, _, _, _): return .ended
        case ("agent_busy", _, _, let current?, _): return .agentBusy(currentCallSid: current)
        case ("park_in_progress", _, _, _, let holder?): return .parkInProgress(heldBy: holder)
        default: throw .corrupt("retrieve_parked_call answered an unknown outcome \(result.outcome) for parked call \(id)")
        }
    }

    /// The `release_retrieval` SQL function, which locks the agent's row, then the parked call's
    /// (`supabase/migrations/20261123090000_failed_retrieval_released.sql`, and since
    /// `20261123100000_park_confirmed_by_arrival.sql` never for a retriever whose leg reached the slot).
    @discardableResult
    public func releaseRetrieval(id: String, tenant: TenantID, agentIdentity: String, retrievedAt: Date) async throws(StoreError) -> Bool {
        guard Self.isUUID(id) else { throw .notFound("No parked call \(id) in tenant \(tenant)") }
        return try await client.rpc(
            "release_retrieval",
            ReleaseArguments(p_id: id, p_tenant_id: tenant.rawValue, p_agent_identity: agentIdentity, p_retrieved_at: retrievedAt),
            as: Bool.self,
            idempotent: false,
            operation: "releasing agent \(agentIdentity)'s retrieval of parked call \(id)"
        )
    }

    /// The `release_stranded_retrieval` SQL function, which locks the agent's row, then the parked
    /// call's (`supabase/migrations/20261125020000_stranded_retrieval_released.sql`).
    @discardableResult
    public func releaseStrandedRetrieval(
        id: String,
        tenant: TenantID,
        agentIdentity: String,
        retrievedAt: Date,
        arrivedBefore: Date
    ) async throws(StoreError) -> Bool {
        guard Self.isUUID(id) else { throw .notFound("No parked call \(id) in tenant \(tenant)") }
        return try await client.rpc(
            "release_stranded_retrieval",
            StrandedReleaseArguments(
                p_id: id,
                p_tenant_id: tenant.rawValue,
                p_agent_identity: agentIdentity,
                p_retrieved_at: retrievedAt,
                p_arrived_before: arrivedBefore
            ),
            as: Bool.self,
            idempotent: false,
            operation: "releasing agent \(agentIdentity)'s stranded retrieval of parked call \(id)"
        )
    }

    /// The `end_unbridged_park` SQL function, which locks the retriever's row, then the parked call's
    /// (`supabase/migrations/20261125050000_unbridged_park_end.sql`).
    @discardableResult
    public func endUnbridgedPark(id: String, tenant: TenantID, callSid: String, at now: Date) async throws(StoreError) -> ParkedCall? {
        guard Self.isUUID(id) else { throw .notFound("No parked call \(id) in tenant \(tenant)") }
        let result = try await client.rpc(
            "end_unbridged_park",
            ParkOfCallArguments(p_id: id, p_tenant_id: tenant.rawValue, p_call_sid: callSid, p_at: now),
            as: ParkOutcome.self,
            idempotent: false,
            operation: "ending parked call \(id) of call \(callSid), its caller gone unbridged"
        )
        switch (result.outcome, result.parked_call) {
        case ("ended_now", let row?): return row.parkedCall
        case ("ended", _): return nil
        default: throw .corrupt("end_unbridged_park answered an unknown outcome \(result.outcome) for parked call \(id)")
        }
    }

    /// The `confirm_park_arrival` SQL function, which locks the parked call's row
    /// (`supabase/migrations/20261123100000_park_confirmed_by_arrival.sql`).
    public func confirmParkArrival(id: String, tenant: TenantID, callSid: String, at now: Date) async throws(StoreError) -> ParkArrival {
        guard Self.isUUID(id) else { throw .notFound("No parked call \(id) in tenant \(tenant)") }
        let result = try await client.rpc(
            "confirm_park_arrival",
            ParkOfCallArguments(p_id: id, p_tenant_id: tenant.rawValue, p_call_sid: callSid, p_at: now),
            as: ParkOutcome.self,
            idempotent: false,
            operation: "confirming the arrival of call \(callSid) in parked call \(id)"
        )
        switch (result.outcome, result.parked_call) {
        case ("confirmed", let row?): return .confirmed(row.parkedCall)
        case ("restored", let row?): return .restored(row.parkedCall)
        case ("not_waiting", _): return .notWaiting
        default: throw .corrupt("confirm_park_arrival answered an unknown outcome \(result.outcome) for parked call \(id)")
        }
    }

    /// The `confirm_retriever_arrival` SQL function, which locks the parked call's row
    /// (`supabase/migrations/20261123100000_park_confirmed_by_arrival.sql`).
    public func confirmRetrieverArrival(id: String, tenant: TenantID, agentIdentity: String, at now: Date) async throws(StoreError) -> Bool {
        guard Self.isUUID(id) else { throw .notFound("No parked call \(id) in tenant \(tenant)") }
        return try await client.rpc(
            "confirm_retriever_arrival",
            RetrieveArguments(p_id: id, p_tenant_id: tenant.rawValue, p_agent_identity: agentIdentity, p_at: now),
            as: Bool.self,
            idempotent: true,
            operation: "confirming agent \(agentIdentity)'s arrival in parked call \(id)"
        )
    }

    /// The `end_parkers_part` SQL function, which locks the parker's row, then the parked call's
    /// (`supabase/migrations/20261125040000_parkers_part_ended_in_one_step.sql`).
    @discardableResult
    public func endParkersPart(id: String, tenant: TenantID, at now: Date, wrapUpSeconds: Int) async throws(StoreError) -> Bool {
        let wrapUpEnd = try Agent.wrapUpEnd(afterCallEndedAt: now, seconds: wrapUpSeconds)
        guard Self.isUUID(id) else { throw .notFound("No parked call \(id) in tenant \(tenant)") }
        return try await client.rpc(
            "end_parkers_part",
            ParkersPartArguments(p_id: id, p_tenant_id: tenant.rawValue, p_at: now, p_wrap_up_ends_at: wrapUpEnd),
            as: Bool.self,
            idempotent: true,
            operation: "ending the parker's part in parked call \(id)"
        )
    }

    /// The `withdraw_park` SQL function, which locks the parked call's row
    /// (`supabase/migrations/20261123100000_park_confirmed_by_arrival.sql`).
    public func withdrawPark(id: String, tenant: TenantID, at now: Date) async throws(StoreError) -> ParkWithdrawal {
        guard Self.isUUID(id) else { throw .notFound("No parked call \(id) in tenant \(tenant)") }
        let outcome = try await client.rpc(
            "withdraw_park",
            WithdrawArguments(p_id: id, p_tenant_id: tenant.rawValue, p_at: now),
            as: String.self,
            idempotent: false,
            operation: "withdrawing parked call \(id)"
        )
        switch outcome {
        case "withdrawn": return .withdrawn
        case "caller_arrived": return .callerArrived
        case "not_waiting": return .notWaiting
        default: throw .corrupt("withdraw_park answered an unknown outcome \(outcome) for parked call \(id)")
        }
    }

    /// The `reclaim_parked_call` SQL function, which locks the agent's row, then the parked call's
    /// (`supabase/migrations/20261123070000_recalled_parker_is_on_the_call.sql`).
    public func reclaimParkedCall(id: String, tenant: TenantID, agentIdentity: String, at now: Date) async throws(StoreError) -> ClaimOutcome {
        guard Self.isUUID(id) else { throw .notFound("No parked call \(id) in tenant \(tenant)") }
        let result = try await client.rpc(
            "reclaim_parked_call",
            RetrieveArguments(p_id: id, p_tenant_id: tenant.rawValue, p_agent_identity: agentIdentity, p_at: now),
            as: ClaimResult.self,
            idempotent: false,
            operation: "putting agent \(agentIdentity) back on parked call \(id)"
        )
        return try result.claimOutcome(from: "reclaim_parked_call", for: "parked call \(id)")
    }

    /// The `end_agent_leg` SQL function, which locks the agent's row before it checks how they got on the
    /// call (`supabase/migrations/20261125090000_dial_end_keeps_a_retriever.sql`).
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
        return try await client.rpc(
            "end_agent_leg",
            AgentLegArguments(
                p_call_sid: callSid,
                p_tenant_id: tenant.rawValue,
                p_identity: identity,
                p_at: now,
                p_wrap_up_ends_at: wrapUpEnd,
                p_joined_by: joinedBy
            ),
            as: Bool.self,
            idempotent: true,
            operation: "ending agent \(identity)'s part in call \(callSid)"
        )
    }

    /// One conditional update of the call's waiting parked call.
    @discardableResult
    public func endParkedCall(_ callSid: String, at now: Date) async throws(StoreError) -> ParkedCall? {
        let operation = "ending the park of call \(callSid)"
        let response = try await client.update(
            PostgRESTQuery(
                "parked_calls",
                select: ParkedCallRow.columns,
                filters: [.eq("call_sid", callSid), .is("retrieved_at", .null), .is("ended_at", .null)]
            ),
            ["ended_at": PostgRESTTimestamp.format(now)],
            preferences: PostgRESTPreferences(returning: .representation),
            operation: operation
        )
        return try client.decode([ParkedCallRow].self, from: response, operation: operation).first?.parkedCall
    }
}

private struct ParkArguments: Encodable {
    var p_call_sid: String
    var p_tenant_id: String
    var p_slot: String
    var p_parked_by: String
    var p_parked_at: Date
}

private struct RetrieveArguments: Encodable {
    var p_id: String
    var p_tenant_id: String
    var p_agent_identity: String
    var p_at: Date
}

private struct ReleaseArguments: Encodable {
    var p_id: String
    var p_tenant_id: String
    var p_agent_identity: String
    var p_retrieved_at: Date
}

private struct StrandedReleaseArguments: Encodable {
    var p_id: String
    var p_tenant_id: String
    var p_agent_identity: String
    var p_retrieved_at: Date
    var p_arrived_before: Date
}

private struct ParkersPartArguments: Encodable {
    var p_id: String
    var p_tenant_id: String
    var p_at: Date
    var p_wrap_up_ends_at: Date
}

/// The arguments of `confirm_park_arrival` and `end_unbridged_park`.
private struct ParkOfCallArguments: Encodable {
    var p_id: String
    var p_tenant_id: String
    var p_call_sid: String
    var p_at: Date
}

private struct WithdrawArguments: Encodable {
    var p_id: String
    var p_tenant_id: String
    var p_at: Date
}

/// The answer of `confirm_park_arrival` and `end_unbridged_park`: an outcome, and the park when it changed.
private struct ParkOutcome: Decodable {
    var outcome: String
    var parked_call: ParkedCallRow?
}

private struct RetrievalResult: Decodable {
    var outcome: String
    var parked_call: ParkedCallRow?
    var retrieved_by: String?
    var current_call_sid: String?
    var held_by: String?
}

/// `end_agent_leg`'s arguments; every key is sent, a null `p_joined_by` included, because PostgREST
/// picks a function by its full set of argument names.
private struct AgentLegArguments: Encodable {
    var p_call_sid: String
    var p_tenant_id: String
    var p_identity: String
    var p_at: Date
    var p_wrap_up_ends_at: Date
    var p_joined_by: Date?

    enum CodingKeys: String, CodingKey { case p_call_sid, p_tenant_id, p_identity, p_at, p_wrap_up_ends_at, p_joined_by }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(p_call_sid, forKey: .p_call_sid)
        try container.encode(p_tenant_id, forKey: .p_tenant_id)
        try container.encode(p_identity, forKey: .p_identity)
        try container.encode(p_at, forKey: .p_at)
        try container.encode(p_wrap_up_ends_at, forKey: .p_wrap_up_ends_at)
        try container.encode(p_joined_by, forKey: .p_joined_by)
    }
}
