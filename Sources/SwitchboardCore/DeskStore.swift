#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the agents' dashboard (the `/api` routes) needs beyond the voice routes' ``CallStore``:
/// ringing calls, parking, supervisor actions and chat handoffs. Every store implements it and runs
/// the same contract suite.
///
/// Contract, in addition to ``CallStore``'s:
/// - Every method is scoped to a tenant: another tenant's call, parked call or handoff is
///   ``StoreError/notFound``, never revealed.
/// - ``retrieveParkedCall(id:tenant:agentIdentity:at:)`` and ``pickUpHandoff(id:tenant:agentIdentity:at:)``
///   are atomic: among concurrent attempts exactly one succeeds; the others learn who won (or that
///   the agent is at capacity). Pickups count an agent's active handoffs against its chat capacity in
///   the same transaction.
/// - A retrieval puts the retriever on the call: in the same transaction it sets the agent's
///   `currentCallSid` to the parked call's SID (the caller's), so the agent stops being available
///   until ``CallStore/endCall(_:at:wrapUpSeconds:)`` of that SID. An agent on another call is refused
///   with ``RetrievalOutcome/agentBusy(currentCallSid:)`` and nothing changes; so one agent retrieving
///   several calls at once gets at most one of them.
/// - A call stops ringing when it is answered (a claim) or finished (``CallStore/finishCall(_:at:)``).
public protocol DeskStore: CallStore {
    /// The tenant's calls that are ringing: recorded by ``recordRinging(_:)``, not answered and not
    /// finished, and with `startedSince`, started at or after it; oldest first.
    func ringingCalls(in tenant: TenantID, startedSince: Date?) async throws(StoreError) -> [RingingCall]

    /// The ring events of one call, oldest first.
    /// - Throws: ``StoreError/notFound`` when the call is recorded for another tenant.
    func ringEvents(forCall callSid: String, in tenant: TenantID) async throws(StoreError) -> [RingEvent]

    /// The agent's latest answered, declined and missed ring events, newest first, at most `limit`:
    /// enough to tell how many rings in a row it missed.
    func ringOutcomes(of identity: String, in tenant: TenantID, limit: Int) async throws(StoreError) -> [RingEvent]

    /// A supervisor's release of an agent held on `callSid` (nil: on no call, held by wrap-up or by
    /// nothing), in one step with the check that the agent is still on that call: by
    /// ``Agent/released(at:)``, clears the current call and wrap-up, and makes an agent who was held
    /// available unless signed off. A release acting on what the supervisor read before the agent's
    /// latest answer changes nothing.
    /// - Returns: ``AgentRelease/released(_:)``, or ``AgentRelease/callChanged(_:)`` when the agent's
    ///   current call is not `callSid`.
    /// - Throws: ``StoreError/notFound`` when there is no such agent; ``StoreError/agentRetired(_:tenant:)``
    ///   for a retired one.
    func releaseAgent(identity: String, in tenant: TenantID, onCall callSid: String?, at now: Date) async throws(StoreError) -> AgentRelease

    /// Sets an agent away if, in the same step, they are available and on no call (the missed-rings rule:
    /// an answer, or a presence the agent set, landing after the rule read their rings wins).
    /// - Returns: the agent set away, or nil, changing nothing, when they are not available, are on a
    ///   call, or are retired.
    /// - Throws: ``StoreError/notFound`` when there is no such agent.
    func setAwayIfFree(identity: String, in tenant: TenantID) async throws(StoreError) -> Agent?

    /// Parks `callSid` in `slot`, parked by the agent.
    /// - Throws: ``StoreError/conflict`` when the call is already waiting in a slot, or when another
    ///   agent is on it (retrieved it from an earlier park: a late repeat of that park, a double click
    ///   whose request was slow, must not take the caller out of that agent's conversation), checked in
    ///   the same step; ``StoreError/notFound`` when the agent does not exist in the tenant.
    func parkCall(
        _ callSid: String,
        tenant: TenantID,
        slot: String,
        parkedBy identity: String,
        at now: Date
    ) async throws(StoreError)
        -> ParkedCall

    /// The tenant's calls waiting in a park slot, oldest first (ties by call SID). With
    /// `arrivedOrParkedSince`, only those whose caller reached the slot (``ParkedCall/arrivedAt``) or that
    /// were parked at or after that time: a park whose caller never arrived long after it was made is
    /// over (the caller hung up on the way, and Twilio tells nobody), though it was never ended.
    func parkedCalls(in tenant: TenantID, arrivedOrParkedSince: Date?) async throws(StoreError) -> [ParkedCall]

    /// The parked call with `id`, waiting or not.
    /// - Throws: ``StoreError/notFound`` when there is none in the tenant.
    func parkedCall(id: String, in tenant: TenantID) async throws(StoreError) -> ParkedCall

    /// Retrieves a parked call for the agent, atomically (see the contract), and puts the agent on it.
    ///
    /// In order: a retrieval repeated by the agent who retrieved the call is `.retrieved` again and
    /// changes nothing; one retrieved by another agent is `.alreadyRetrieved(by:)`; an ended park is
    /// `.ended`; an agent whose current call is set and is not this call's SID is `.agentBusy`; a call
    /// another agent is still on (the parker, until Twilio has moved the caller into the slot and the
    /// park has ended its part) is `.parkInProgress`; otherwise the agent retrieves the call and its
    /// current call becomes the call's SID. Presence and wrap-up are not checked (retrieval is the
    /// agent's explicit choice, as answering is; a claim does not check them either), and neither is
    /// changed.
    /// - Throws: ``StoreError/notFound`` for an unknown id or agent in the tenant.
    func retrieveParkedCall(id: String, tenant: TenantID, agentIdentity: String, at now: Date) async throws(StoreError) -> RetrievalOutcome

    /// Undoes `agentIdentity`'s retrieval of a parked call that the agent could not be connected to
    /// (Twilio refused to move the agent's leg to the slot), so the caller is not left waiting in a slot
    /// that nobody may retrieve: the call waits again for any agent to retrieve it, and the agent is off
    /// it (its current call cleared when it is the call's SID, with no wrap-up and no last-call time, as
    /// it never spoke to the caller).
    ///
    /// Only the agent's own retrieval of a park that has not ended, made at `retrievedAt` (the instant
    /// given to ``retrieveParkedCall(id:tenant:agentIdentity:at:)``), whose leg has not reached the slot
    /// (``confirmRetrieverArrival(id:tenant:agentIdentity:at:)``), is undone: a repeat of the retrieval,
    /// made later, cannot undo the first one unless it gives the first one's instant, and a leg that
    /// reached the slot may be talking to the caller. Otherwise nothing changes. Answers whether a
    /// retrieval was undone.
    /// - Throws: ``StoreError/notFound`` for an unknown id or agent in the tenant.
    @discardableResult
    func releaseRetrieval(id: String, tenant: TenantID, agentIdentity: String, retrievedAt: Date) async throws(StoreError) -> Bool

    /// Undoes the agent's retrieval of parked call `id` made at `retrievedAt` whose leg reached the slot
    /// and was never bridged, so that the call waits for any agent again; frees the agent as
    /// ``releaseRetrieval(id:tenant:agentIdentity:retrievedAt:)`` does (no wrap-up: it never spoke to
    /// the caller). The leg's arrival is cleared with the retrieval.
    ///
    /// Only the caller's side can show that a leg which reached the slot was never bridged: a hold-music
    /// request well after the leg's arrival. `arrivedBefore` is the latest arrival that counts as
    /// stranded, and only a retrieval whose leg arrived before it is undone, so a later leg of the same
    /// agent, which may be talking to the caller, keeps it. Callers ask for it only then (the park's
    /// timeout is ``endUnbridgedPark(id:tenant:callSid:at:)``). Only the agent's own retrieval made at
    /// `retrievedAt`, of a park that has not ended, is undone; otherwise nothing changes. Answers whether
    /// a retrieval was undone.
    /// - Throws: ``StoreError/notFound`` for an unknown id or agent in the tenant.
    @discardableResult
    func releaseStrandedRetrieval(
        id: String,
        tenant: TenantID,
        agentIdentity: String,
        retrievedAt: Date,
        arrivedBefore: Date
    ) async throws(StoreError) -> Bool

    /// The caller of parked call `id` (call `callSid`) left the slot without being bridged to anyone: the
    /// park timed out (`<Leave>`), the caller hung up while it waited, or the queue failed. Ends the
    /// park, whether it waits or is retrieved, and undoes its retrieval, freeing the retriever (its
    /// current call cleared when it is the call's SID, with no wrap-up and no last-call time: the
    /// retriever never spoke to the caller), all in one atomic step. A retrieval racing it, in any instance, either lands first and is undone, or finds
    /// the park ended; so the parker's ring-back (``reclaimParkedCall(id:tenant:agentIdentity:at:)``)
    /// finds no retriever, and no agent is left on a call whose caller went elsewhere.
    ///
    /// Answers the park as this found it, before it ended (its retriever, if any, is the one whose
    /// retrieval was undone), or nil, changing nothing, when it had ended already (a repeated callback, a
    /// withdrawn park).
    /// - Throws: ``StoreError/notFound`` for an unknown id in the tenant, or a park of another call.
    @discardableResult
    func endUnbridgedPark(id: String, tenant: TenantID, callSid: String, at now: Date) async throws(StoreError) -> ParkedCall?

    /// The agent who parked a call answers its ring-back (the park timed out and its client rang
    /// again): puts it back on the call, atomically, as a claim would.
    ///
    /// In order: a call retrieved by another agent, or parked by another, is `.alreadyAnswered(by:)`
    /// naming that agent; an agent already on this call is `.won` again, unchanged; an agent on another
    /// call is `.agentBusy`; a call another agent is on is `.alreadyAnswered(by:)`; otherwise the
    /// agent's current call becomes the call's SID and it is `.won`. The park itself is not changed
    /// (it ended when the caller left the slot).
    /// - Throws: ``StoreError/notFound`` for an unknown id or agent in the tenant.
    func reclaimParkedCall(id: String, tenant: TenantID, agentIdentity: String, at now: Date) async throws(StoreError) -> ClaimOutcome

    /// The caller reached the park slot of parked call `id` (Twilio requested `/twilio/park` for
    /// `callSid`): records when, and restores a park that was withdrawn before the caller arrived.
    ///
    /// In order: a park that has not ended (waiting, or retrieved) is `.confirmed`, its `arrivedAt` set
    /// if it was not; a park that ended before any arrival was recorded (in practice one withdrawn by
    /// ``withdrawPark(id:tenant:at:)``: a caller who reached the slot has its arrival recorded, and one
    /// who left it makes no more requests), never retrieved, of a call with no other park waiting, is
    /// `.restored`: it waits again, with `endedAt` cleared and `arrivedAt` set; anything else is
    /// `.notWaiting`, unchanged. Either way the parker is no longer with the caller: whoever calls this
    /// ends the parker's part in the call (``endParkersPart(id:tenant:at:wrapUpSeconds:)``) unless the
    /// park was retrieved.
    /// - Throws: ``StoreError/notFound`` for an unknown id in the tenant, or a park of another call
    ///   than `callSid`.
    func confirmParkArrival(id: String, tenant: TenantID, callSid: String, at now: Date) async throws(StoreError) -> ParkArrival

    /// The retriever's leg reached the slot of parked call `id` (Twilio requested `/twilio/retrieve` for
    /// it): records when, if `agentIdentity` retrieved the call and the park has not ended.
    /// From then on ``releaseRetrieval(id:tenant:agentIdentity:retrievedAt:)`` never releases it; only
    /// ``releaseStrandedRetrieval(id:tenant:agentIdentity:retrievedAt:arrivedBefore:)`` and the caller's
    /// unbridged exit from the slot (``endUnbridgedPark(id:tenant:callSid:at:)``) do. The latest
    /// arrival is kept: a later leg of the same agent (a new connect after the first one dropped) may be
    /// the one being bridged. Answers whether the agent's retrieval stands.
    /// - Throws: ``StoreError/notFound`` for an unknown id in the tenant.
    func confirmRetrieverArrival(id: String, tenant: TenantID, agentIdentity: String, at now: Date) async throws(StoreError) -> Bool

    /// The parker of parked call `id` is no longer with the caller (Twilio moved the caller to the slot):
    /// ends the parker's part in the call, with the plain end of her part (her
    /// current call cleared, with wrap-up, when it is the call's SID), unless she retrieved the park
    /// herself: then she is on the call again, and stays. Atomic with retrievals: her own retrieval
    /// either lands first and keeps her on the call, or after, and puts her back on it.
    ///
    /// Answers false, changing nothing, when the parker retrieved the park; true otherwise: her part in
    /// this call, if she was on it, has ended (she may be on another call, which stays). Repeating it
    /// changes nothing more, unless she retrieved the park in between: then it answers false.
    /// - Throws: ``StoreError/notFound`` for an unknown id in the tenant; ``StoreError/invalid(_:)`` for
    ///   a negative wrap-up.
    @discardableResult
    func endParkersPart(id: String, tenant: TenantID, at now: Date, wrapUpSeconds: Int) async throws(StoreError) -> Bool

    /// Withdraws a park whose redirect did not happen, or whose outcome is unknown: ends it at `now`
    /// (`.withdrawn`) unless the caller has already reached the slot (`.callerArrived`: its `arrivedAt`
    /// is set, and the park stands), so a caller Twilio did move is never left in a slot nobody may
    /// retrieve. A park that was retrieved or has ended is `.notWaiting`, unchanged.
    /// - Throws: ``StoreError/notFound`` for an unknown id in the tenant.
    func withdrawPark(id: String, tenant: TenantID, at now: Date) async throws(StoreError) -> ParkWithdrawal

    /// Marks the waiting parked call of `callSid` as ended (the caller left the slot unbridged, and
    /// Twilio's callback names no park, or one the store does not know: see
    /// ``endUnbridgedPark(id:tenant:callSid:at:)``)
    /// and returns it; nil when the call is not waiting in a slot.
    @discardableResult
    func endParkedCall(_ callSid: String, at now: Date) async throws(StoreError) -> ParkedCall?

    /// Creates a pending handoff of the conversation, unless it already has an open one (pending or
    /// active) in the tenant: then that one, unchanged (the oldest, should data from before this rule
    /// hold several). Atomic: of concurrent creates of one conversation, in any number of instances,
    /// one creates and the others find it. A released handoff does not count: the conversation can be
    /// handed over again.
    func createHandoff(
        tenant: TenantID,
        conversationID: String,
        customerName: String?,
        summary: String?,
        at now: Date
    )
        async throws(StoreError) -> HandoffCreation

    /// The tenant's handoffs, optionally only those with `status`, oldest first.
    func handoffs(in tenant: TenantID, status: ChatHandoff.Status?) async throws(StoreError) -> [ChatHandoff]

    /// Picks up a pending handoff for the agent, atomically, if the agent's active handoffs are below
    /// its chat capacity.
    /// - Throws: ``StoreError/notFound`` for an unknown handoff or agent in the tenant.
    func pickUpHandoff(id: String, tenant: TenantID, agentIdentity: String, at now: Date) async throws(StoreError) -> PickupOutcome

    /// Releases the agent's active handoff, giving its capacity back, and returns it.
    /// - Throws: ``StoreError/notFound`` for an unknown handoff in the tenant; ``StoreError/conflict``
    ///   when the handoff is not active with this agent.
    @discardableResult
    func releaseHandoff(id: String, tenant: TenantID, agentIdentity: String, at now: Date) async throws(StoreError) -> ChatHandoff
}

extension DeskStore {
    /// Undoes the retrieval `parked` holds, as read (its retriever and instant; see
    /// ``releaseRetrieval(id:tenant:agentIdentity:retrievedAt:)``); false when it holds none.
    @discardableResult
    public func releaseRetrieval(of parked: ParkedCall) async throws(StoreError) -> Bool {
        guard let retriever = parked.retrievedBy, let retrievedAt = parked.retrievedAt else { return false }
        return try await releaseRetrieval(id: parked.id, tenant: parked.tenant, agentIdentity: retriever, retrievedAt: retrievedAt)
    }

    /// Undoes the retrieval `parked` holds, as read, if its leg has not reached the slot since
    /// `arrivedBefore` (see ``releaseStrandedRetrieval(id:tenant:agentIdentity:retrievedAt:arrivedBefore:)``);
    /// false when it holds none.
    @discardableResult
    public func releaseStrandedRetrieval(of parked: ParkedCall, arrivedBefore: Date) async throws(StoreError) -> Bool {
        guard let retriever = parked.retrievedBy, let retrievedAt = parked.retrievedAt else { return false }
        return try await releaseStrandedRetrieval(
            id: parked.id,
            tenant: parked.tenant,
            agentIdentity: retriever,
            retrievedAt: retrievedAt,
            arrivedBefore: arrivedBefore
        )
    }

    /// The tenant's waiting parked calls, whether or not their callers arrived.
    public func parkedCalls(in tenant: TenantID) async throws(StoreError) -> [ParkedCall] {
        try await parkedCalls(in: tenant, arrivedOrParkedSince: nil)
    }

    /// The tenant's ringing calls, however long ago they started.
    public func ringingCalls(in tenant: TenantID) async throws(StoreError) -> [RingingCall] {
        try await ringingCalls(in: tenant, startedSince: nil)
    }
}
