#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The dashboard's operations in memory. Each method runs in one visit to the actor, so retrievals
/// and pickups check and change in one step, as the contract's atomicity asks.
///
/// Rules shared with the other stores:
/// - Ringing calls, parked calls and handoffs are ordered by time, ties by call SID (ringing and
///   parked calls) or id (handoffs).
/// - Parking a call recorded for another tenant is ``StoreError/notFound``; parking a call waiting in
///   any slot, or one another agent is on, is ``StoreError/conflict``.
/// - A retrieval or pickup repeated by the agent who won it succeeds again and changes nothing.
/// - A retrieval sets the retriever's current call to the parked call's SID, unless the agent is on
///   another call (`.agentBusy`, checked after the call's own state) or another agent is still on
///   this one (`.parkInProgress`).
/// - A pickup of a handoff that is not pending names the agent who has it, or who released it (then it
///   is closed), before capacity is considered.
extension InMemoryCallStore: DeskStore {
    public func ringingCalls(in tenant: TenantID, startedSince: Date?) throws(StoreError) -> [RingingCall] {
        calls.values
            .filter { $0.call.tenant == tenant && $0.answeredBy == nil && $0.finishedAt == nil }
            .filter { record in startedSince.map { record.call.startedAt >= $0 } ?? true }
            .map(\.call)
            .sorted { ($0.startedAt, $0.callSid) < ($1.startedAt, $1.callSid) }
    }

    @discardableResult
    public func finishCall(_ callSid: String, at now: Date) throws(StoreError) -> CallFinish {
        guard var record = calls[callSid] else { return .unknown }
        guard record.answeredBy == nil else { return .notFinished }
        guard record.finishedAt == nil else { return .finishedBefore }
        record.finishedAt = now
        calls[callSid] = record
        return .finishedNow
    }

    public func ringEvents(forCall callSid: String, in tenant: TenantID) throws(StoreError) -> [RingEvent] {
        if let record = calls[callSid], record.call.tenant != tenant {
            throw .notFound("No call \(callSid) in tenant \(tenant)")
        }
        return events.filter { $0.callSid == callSid && $0.tenant == tenant }
    }

    public func ringOutcomes(of identity: String, in tenant: TenantID, limit: Int) throws(StoreError) -> [RingEvent] {
        guard limit > 0 else { return [] }
        let outcomes: Set<RingEvent.Kind> = [.answered, .declined, .missed]
        return Array(
            events.reversed().lazy
                .filter { $0.tenant == tenant && $0.agentIdentity == identity && outcomes.contains($0.kind) }
                .prefix(limit)
        )
    }

    public func releaseAgent(identity: String, in tenant: TenantID, onCall callSid: String?, at now: Date) throws(StoreError) -> AgentRelease {
        let agent = try agent(identity: identity, in: tenant)
        guard !agent.isRetired else { throw .agentRetired(identity, tenant: tenant) }
        guard agent.currentCallSid == callSid else { return .callChanged(agent) }
        let released = agent.released(at: now)
        agentsByKey[AgentKey(tenant: tenant, identity: identity)] = released
        return .released(released)
    }

    public func setAwayIfFree(identity: String, in tenant: TenantID) throws(StoreError) -> Agent? {
        var agent = try agent(identity: identity, in: tenant)
        guard !agent.isRetired, agent.presence == .available, agent.currentCallSid == nil else { return nil }
        agent.presence = .away
        agentsByKey[AgentKey(tenant: tenant, identity: identity)] = agent
        return agent
    }

    public func parkCall(
        _ callSid: String,
        tenant: TenantID,
        slot: String,
        parkedBy identity: String,
        at now: Date
    ) throws(StoreError) -> ParkedCall {
        _ = try currentAgent(identity: identity, in: tenant)
        if let record = calls[callSid], record.call.tenant != tenant {
            throw .notFound("No call \(callSid) in tenant \(tenant)")
        }
        if hasWaitingPark(callSid) {
            throw .conflict("Call \(callSid) is already parked")
        }
        if let holder = holder(of: callSid, other: identity, in: tenant) {
            throw .conflict("Call \(callSid) is with agent \(holder), who retrieved it")
        }
        let parked = ParkedCall(
            id: UUID().uuidString.lowercased(),
            tenant: tenant,
            callSid: callSid,
            slot: slot,
            parkedBy: identity,
            parkedAt: now
        )
        parkedByID[parked.id] = parked
        return parked
    }

    public func parkedCalls(in tenant: TenantID, arrivedOrParkedSince: Date?) throws(StoreError) -> [ParkedCall] {
        parkedByID.values
            .filter { $0.tenant == tenant && $0.isWaiting }
            .filter { parked in arrivedOrParkedSince.map(parked.isCallerExpected(since:)) ?? true }
            .sorted { ($0.parkedAt, $0.callSid) < ($1.parkedAt, $1.callSid) }
    }

    public func parkedCall(id: String, in tenant: TenantID) throws(StoreError) -> ParkedCall {
        guard let parked = parkedByID[id.lowercased()], parked.tenant == tenant else {
            throw .notFound("No parked call \(id) in tenant \(tenant)")
        }
        return parked
    }

    public func reclaimParkedCall(id: String, tenant: TenantID, agentIdentity: String, at now: Date) throws(StoreError) -> ClaimOutcome {
        let agent = try currentAgent(identity: agentIdentity, in: tenant)
        let parked = try parkedCall(id: id, in: tenant)
        if let retriever = parked.retrievedBy, retriever != agentIdentity { return .alreadyAnswered(by: retriever) }
        if parked.parkedBy != agentIdentity { return .alreadyAnswered(by: parked.parkedBy) }
        if let current = agent.currentCallSid, current != parked.callSid { return .agentBusy(currentCallSid: current) }
        // A parker the store still shows on the call (the park's end was not recorded) holds it already.
        if agent.currentCallSid == nil, let other = holder(of: parked.callSid, other: agentIdentity, in: tenant) {
            return .alreadyAnswered(by: other)
        }
        // Either way, they got on it again now.
        put(AgentKey(tenant: tenant, identity: agentIdentity), on: parked.callSid, since: now)
        return .won
    }

    public func retrieveParkedCall(
        id: String,
        tenant: TenantID,
        agentIdentity: String,
        at now: Date
    ) throws(StoreError)
        -> RetrievalOutcome
    {
        let agent = try currentAgent(identity: agentIdentity, in: tenant)
        var parked = try parkedCall(id: id, in: tenant)
        if let retriever = parked.retrievedBy {
            return retriever == agentIdentity ? .retrieved(parked) : .alreadyRetrieved(by: retriever)
        }
        if parked.endedAt != nil { return .ended }
        if let current = agent.currentCallSid, current != parked.callSid { return .agentBusy(currentCallSid: current) }
        if let other = holder(of: parked.callSid, other: agentIdentity, in: tenant) { return .parkInProgress(heldBy: other) }
        parked.retrievedBy = agentIdentity
        parked.retrievedAt = now
        parkedByID[parked.id] = parked
        put(AgentKey(tenant: tenant, identity: agentIdentity), on: parked.callSid, since: now)
        return .retrieved(parked)
    }

    @discardableResult
    public func releaseRetrieval(id: String, tenant: TenantID, agentIdentity: String, retrievedAt: Date) throws(StoreError) -> Bool {
        try release(id: id, tenant: tenant, agentIdentity: agentIdentity, retrievedAt: retrievedAt, as: .unreached)
    }

    @discardableResult
    public func releaseStrandedRetrieval(
        id: String,
        tenant: TenantID,
        agentIdentity: String,
        retrievedAt: Date,
        arrivedBefore: Date
    ) throws(StoreError) -> Bool {
        try release(id: id, tenant: tenant, agentIdentity: agentIdentity, retrievedAt: retrievedAt, as: .stranded(arrivedBefore: arrivedBefore))
    }

    @discardableResult
    public func endUnbridgedPark(id: String, tenant: TenantID, callSid: String, at now: Date) throws(StoreError) -> ParkedCall? {
        let found = try parkedCall(id: id, in: tenant)
        guard found.callSid == callSid else { throw .notFound("No parked call \(id) of call \(callSid) in tenant \(tenant)") }
        guard found.endedAt == nil else { return nil }
        var parked = found
        undoRetrieval(of: &parked)
        parked.endedAt = now
        parkedByID[parked.id] = parked
        return found
    }

    /// Clears the park's retrieval (and its leg's arrival), and takes its retriever off the call when it
    /// is their current one, with no wrap-up and no last-call time: they never spoke to the caller.
    private func undoRetrieval(of parked: inout ParkedCall) {
        if let retriever = parked.retrievedBy {
            let key = AgentKey(tenant: parked.tenant, identity: retriever)
            if agentsByKey[key]?.currentCallSid == parked.callSid { agentsByKey[key]?.currentCallSid = nil }
        }
        parked.retrievedBy = nil
        parked.retrievedAt = nil
        parked.retrieverArrivedAt = nil
    }

    /// Undoes the agent's retrieval made at `retrievedAt` of a park that has not ended, if `rule` takes
    /// its leg's arrival, and frees the agent.
    private func release(
        id: String,
        tenant: TenantID,
        agentIdentity: String,
        retrievedAt: Date,
        as rule: RetrievalRelease
    ) throws(StoreError) -> Bool {
        _ = try agent(identity: agentIdentity, in: tenant)
        var parked = try parkedCall(id: id, in: tenant)
        guard parked.retrievedBy == agentIdentity, parked.retrievedAt == retrievedAt, parked.endedAt == nil,
            rule.releases(arrival: parked.retrieverArrivedAt)
        else { return false }
        undoRetrieval(of: &parked)
        parkedByID[parked.id] = parked
        return true
    }

    public func confirmParkArrival(id: String, tenant: TenantID, callSid: String, at now: Date) throws(StoreError) -> ParkArrival {
        var parked = try parkedCall(id: id, in: tenant)
        guard parked.callSid == callSid else { throw .notFound("No parked call \(id) of call \(callSid) in tenant \(tenant)") }
        if parked.endedAt == nil {
            if parked.arrivedAt == nil { parked.arrivedAt = now }
            parkedByID[parked.id] = parked
            return .confirmed(parked)
        }
        guard parked.arrivedAt == nil, parked.retrievedAt == nil, !hasWaitingPark(callSid) else { return .notWaiting }
        parked.endedAt = nil
        parked.arrivedAt = now
        parkedByID[parked.id] = parked
        return .restored(parked)
    }

    public func confirmRetrieverArrival(id: String, tenant: TenantID, agentIdentity: String, at now: Date) throws(StoreError) -> Bool {
        var parked = try parkedCall(id: id, in: tenant)
        guard parked.retrievedBy == agentIdentity, parked.endedAt == nil else { return false }
        parked.retrieverArrivedAt = max(parked.retrieverArrivedAt ?? now, now)
        parkedByID[parked.id] = parked
        return true
    }

    @discardableResult
    public func endParkersPart(id: String, tenant: TenantID, at now: Date, wrapUpSeconds: Int) throws(StoreError) -> Bool {
        let wrapUpEnd = try Agent.wrapUpEnd(afterCallEndedAt: now, seconds: wrapUpSeconds)
        let parked = try parkedCall(id: id, in: tenant)
        guard parked.retrievedBy != parked.parkedBy else { return false }
        endPart(in: parked.callSid, of: AgentKey(tenant: tenant, identity: parked.parkedBy), at: now, wrapUpEnd: wrapUpEnd, joinedBy: nil)
        return true
    }

    public func withdrawPark(id: String, tenant: TenantID, at now: Date) throws(StoreError) -> ParkWithdrawal {
        var parked = try parkedCall(id: id, in: tenant)
        guard parked.isWaiting else { return .notWaiting }
        guard parked.arrivedAt == nil else { return .callerArrived }
        parked.endedAt = now
        parkedByID[parked.id] = parked
        return .withdrawn
    }

    /// Whether a park of `callSid` waits in a slot (not retrieved, not ended).
    private func hasWaitingPark(_ callSid: String) -> Bool {
        parkedByID.values.contains { $0.callSid == callSid && $0.isWaiting }
    }

    /// The identity of an agent other than `identity` in `tenant` whose current call is `callSid`, if any.
    private func holder(of callSid: String, other identity: String, in tenant: TenantID) -> String? {
        let asking = AgentKey(tenant: tenant, identity: identity)
        return agentsByKey.first { $0.key != asking && $0.value.currentCallSid == callSid }?.value.identity
    }

    @discardableResult
    public func endCall(
        _ callSid: String,
        of identity: String,
        in tenant: TenantID,
        at now: Date,
        wrapUpSeconds: Int,
        joinedBy: Date?
    ) throws(StoreError)
        -> Bool
    {
        let wrapUpEnd = try Agent.wrapUpEnd(afterCallEndedAt: now, seconds: wrapUpSeconds)
        let key = AgentKey(tenant: tenant, identity: identity)
        guard !joinedByRetrieval(key, of: callSid) else { return false }
        return endPart(in: callSid, of: key, at: now, wrapUpEnd: wrapUpEnd, joinedBy: joinedBy)
    }

    /// Ends the agent's part in `callSid` while it is their current call (and, with `joinedBy`, they got
    /// on it by then). Answers whether it ended.
    @discardableResult
    private func endPart(in callSid: String, of key: AgentKey, at now: Date, wrapUpEnd: Date, joinedBy: Date?) -> Bool {
        guard var agent = agentsByKey[key], agent.currentCallSid == callSid, joined(key, by: joinedBy) else { return false }
        agent.currentCallSid = nil
        agent.lastCallEndedAt = now
        agent.wrapUpEndsAt = wrapUpEnd
        agentsByKey[key] = agent
        return true
    }

    @discardableResult
    public func endParkedCall(_ callSid: String, at now: Date) throws(StoreError) -> ParkedCall? {
        guard var parked = parkedByID.values.first(where: { $0.callSid == callSid && $0.isWaiting }) else { return nil }
        parked.endedAt = now
        parkedByID[parked.id] = parked
        return parked
    }

    public func createHandoff(
        tenant: TenantID,
        conversationID: String,
        customerName: String?,
        summary: String?,
        at now: Date
    ) throws(StoreError) -> HandoffCreation {
        let open = handoffsByID.values.filter {
            $0.tenant == tenant && $0.conversationID == conversationID && $0.status != .released
        }
        if let oldest = open.min(by: { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }) {
            return .alreadyOpen(oldest)
        }
        let handoff = ChatHandoff(
            id: UUID().uuidString.lowercased(),
            tenant: tenant,
            conversationID: conversationID,
            customerName: customerName,
            summary: summary,
            createdAt: now
        )
        handoffsByID[handoff.id] = handoff
        return .created(handoff)
    }

    public func handoffs(in tenant: TenantID, status: ChatHandoff.Status?) throws(StoreError) -> [ChatHandoff] {
        handoffsByID.values
            .filter { $0.tenant == tenant && (status == nil || $0.status == status) }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func pickUpHandoff(
        id: String,
        tenant: TenantID,
        agentIdentity: String,
        at now: Date
    ) throws(StoreError)
        -> PickupOutcome
    {
        let agent = try currentAgent(identity: agentIdentity, in: tenant)
        var handoff = try handoff(id: id, in: tenant)
        if let holder = handoff.pickedUpBy {
            guard handoff.status != .released else { return .released(by: holder) }
            return holder == agentIdentity ? .pickedUp(handoff) : .alreadyPickedUp(by: holder)
        }
        let active = handoffsByID.values.count { $0.tenant == tenant && $0.status == .active && $0.pickedUpBy == agentIdentity }
        guard active < agent.chatCapacity else { return .atCapacity(active: active, capacity: agent.chatCapacity) }
        handoff.status = .active
        handoff.pickedUpBy = agentIdentity
        handoff.pickedUpAt = now
        handoffsByID[handoff.id] = handoff
        return .pickedUp(handoff)
    }

    @discardableResult
    public func releaseHandoff(id: String, tenant: TenantID, agentIdentity: String, at now: Date) throws(StoreError) -> ChatHandoff {
        var handoff = try handoff(id: id, in: tenant)
        guard handoff.status == .active, handoff.pickedUpBy == agentIdentity else {
            throw .conflict("Handoff \(id) is not active with agent \(agentIdentity)")
        }
        handoff.status = .released
        handoff.releasedAt = now
        handoffsByID[handoff.id] = handoff
        return handoff
    }

    private func handoff(id: String, in tenant: TenantID) throws(StoreError) -> ChatHandoff {
        guard let handoff = handoffsByID[id.lowercased()], handoff.tenant == tenant else {
            throw .notFound("No handoff \(id) in tenant \(tenant)")
        }
        return handoff
    }
}
