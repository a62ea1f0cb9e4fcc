#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where Switchboard keeps agents, calls, ring events and voicemails. The embedded SQLite store is the
/// default; the PostgREST store serves production; an in-memory actor serves tests and offline
/// rendering. Every implementation runs the same contract test suite.
///
/// Contract, for every implementation:
/// - Every method is safe to call concurrently, from several service instances sharing one store.
/// - Tenants are isolated: no method returns or changes another tenant's records.
/// - ``claimCall(_:tenant:agentIdentity:at:)`` is atomic: among any number of concurrent claims of one
///   call, exactly one returns ``ClaimOutcome/won``; the others return
///   ``ClaimOutcome/alreadyAnswered(by:)`` naming the winner. The winner's `currentCallSid` is set in
///   the same transaction. A claim repeated by the winner returns `.won` again and changes nothing.
///   A call finished without an answer (``finishCall(_:at:)``) is never won:
///   ``ClaimOutcome/callEnded``, and the agent stays free; a claim and a finish racing each other
///   leave either a winner or a finished call, never both (a finish never takes an answered call).
/// - Writes that Twilio may retry are idempotent: ``recordRinging(_:)`` by call SID,
///   ``recordRingEvent(_:)`` by (call SID, agent identity, kind, occurrence), ``saveVoicemail(_:)`` by
///   recording SID.
/// - Errors are ``StoreError`` values; nothing else is thrown.
/// - Data rules every store enforces: an agent identity is 1 to 256 ASCII letters, digits or
///   underscores, and chat capacity is not negative (``StoreError/invalid`` otherwise); a new agent
///   reusing another agent's id is ``StoreError/conflict``; a negative wrap-up is
///   ``StoreError/invalid``; a `limit` of 0 or less returns nothing; voicemails received at the same
///   time are ordered by recording SID.
public protocol CallStore: Sendable {
    /// The tenant that owns `number`. While no numbers are mapped at all, every number belongs to
    /// ``TenantID/default``; once any is mapped, an unmapped number returns nil.
    func tenant(forCalledNumber number: String) async throws(StoreError) -> TenantID?

    /// Maps a called number (E.164) to a tenant, replacing any earlier mapping of that number.
    func mapNumber(_ number: String, to tenant: TenantID) async throws(StoreError)

    /// Removes the mapping of a called number; returns the tenant that owned it, nil when none did.
    /// Its calls then belong to no tenant (voicemail), or, when it was the last number mapped, to
    /// ``TenantID/default`` like every other call (see ``tenant(forCalledNumber:)``).
    @discardableResult
    func unmapNumber(_ number: String) async throws(StoreError) -> TenantID?

    /// Every explicit mapping of a called number to a tenant, by number.
    func numberMappings() async throws(StoreError) -> [(number: String, tenant: TenantID)]

    /// The tenant's agents who can be rung at `now` (see ``Agent/isAvailable(at:)``), longest idle
    /// first (``Agent/longestIdleFirst(_:_:)``), at most `limit`.
    func availableAgents(in tenant: TenantID, at now: Date, limit: Int) async throws(StoreError) -> [Agent]

    /// The tenant that owns `number` and its agents available at `now`, exactly what
    /// ``tenant(forCalledNumber:)`` and ``availableAgents(in:at:limit:)`` answer together; nil when no
    /// tenant owns the number. A store should answer it in one round trip: the voice route calls it
    /// for every inbound call. The default implementation makes the two calls.
    func routingSnapshot(forCalledNumber number: String, at now: Date, limit: Int) async throws(StoreError) -> RoutingSnapshot?

    /// What ``routingSnapshot(forCalledNumber:at:limit:)`` would answer, when the store can tell at once
    /// from memory, with no I/O and no waiting; nil when it cannot, and the caller reads. Such an answer
    /// may miss a change made outside this process for as long as the store's documentation says (the
    /// SQLite store's recheck interval); a store that cannot bound that returns nil. The default
    /// implementation returns nil.
    func recentRoutingSnapshot(forCalledNumber number: String, at now: Date, limit: Int) -> RoutingSnapshot?

    /// Every agent of `tenant`, or of all tenants when nil, ordered by tenant then identity.
    func agents(in tenant: TenantID?) async throws(StoreError) -> [Agent]

    /// The agent with `identity` in `tenant`.
    /// - Throws: ``StoreError/notFound`` when there is none.
    func agent(identity: String, in tenant: TenantID) async throws(StoreError) -> Agent

    /// Creates the agent, or updates the one with the same tenant and identity (keeping its id and the
    /// system-set call fields). The stored agent is current: a retired record it updates is current
    /// again (``Agent/retiredAt`` given is ignored). Returns the stored agent.
    /// - Throws: ``StoreError/conflict`` (``StoreError/identityInAnotherTenant(_:tenant:)``) when the
    ///   identity is a current agent of another tenant; nothing is stored. ``moveAgent(_:at:)`` moves it.
    @discardableResult
    func upsertAgent(_ agent: Agent) async throws(StoreError) -> Agent

    /// Stores `agent` as ``upsertAgent(_:)`` does, after retiring the identity's current record in any
    /// other tenant (presence offline, ``Agent/retiredAt`` `now`), in one transaction: at no moment is
    /// the identity current in two tenants, and a failure changes nothing.
    /// - Throws: ``StoreError/conflict`` (``StoreError/agentOnCallElsewhere(_:tenant:callSid:)``) when
    ///   the record to retire is on a call: the agent would be free, and rung, in the new tenant while
    ///   still talking in the old one. Nothing changes; the move can be made once the call ends.
    @discardableResult
    func moveAgent(_ agent: Agent, at now: Date) async throws(StoreError) -> AgentMove

    /// Sets an agent's presence and returns the updated agent.
    /// - Throws: ``StoreError/notFound`` when there is no such agent; ``StoreError/conflict``
    ///   (``StoreError/agentRetired(_:tenant:)``) when it is retired.
    @discardableResult
    func setPresence(_ presence: Presence, identity: String, in tenant: TenantID) async throws(StoreError) -> Agent

    /// Records that a call is ringing these agents. Idempotent by call SID (a retry changes nothing). A
    /// call that rings nobody (no agents rung: it goes to voicemail at once) is recorded already
    /// finished, at its start, in the same write (see ``finishCall(_:at:)``): no list shows it ringing
    /// and no claim wins it, while its voicemail still finds its tenant and caller.
    func recordRinging(_ call: RingingCall) async throws(StoreError)

    /// Records `call` as ``recordRinging(_:)`` does, without waiting for it: returns at once, and `then`
    /// is called with nil once the record is stored, or with the failure. Writes of this store made after
    /// this call returns are made after this record. The default implementation runs
    /// ``recordRinging(_:)`` in a task of its own.
    func recordRinging(_ call: RingingCall, then: @escaping @Sendable (StoreError?) -> Void)

    /// The ringing call with this SID, if recorded.
    func ringingCall(_ callSid: String) async throws(StoreError) -> RingingCall?

    /// Claims `callSid` for the agent, atomically (see the contract above).
    /// - Throws: ``StoreError/notFound`` when the agent does not exist in `tenant`.
    func claimCall(_ callSid: String, tenant: TenantID, agentIdentity: String, at now: Date) async throws(StoreError) -> ClaimOutcome

    /// Marks a call no one answered as no longer ringing (it goes to voicemail), atomically with
    /// claims: ``CallFinish/finishedNow`` when this request finished it, ``CallFinish/finishedBefore``
    /// when it was already (a repeat keeps the first time), ``CallFinish/notFinished`` when an agent
    /// answered it first (an answered call is never finished), ``CallFinish/unknown`` when the store
    /// has no record of the call (nothing is created). Once it is finished, every claim of the call is
    /// ``ClaimOutcome/callEnded``.
    @discardableResult
    func finishCall(_ callSid: String, at now: Date) async throws(StoreError) -> CallFinish
    /// The identity of the agent who won `callSid`, if any.
    func callWinner(_ callSid: String) async throws(StoreError) -> String?

    /// Ends the agent's part in `callSid`: clears its current call, sets its last call end to `now` and its
    /// wrap-up end to `now + wrapUp` seconds. Does nothing when no agent is on that call. With
    /// `joinedBy`, also nothing for an agent who got on the call after that time (a won claim, a
    /// retrieval or a reclaimed ring-back later than it): an end recorded late, once a failing store is
    /// back, passes the time it happened, and does not take anyone off a call they got back on since.
    func endCall(_ callSid: String, at now: Date, wrapUpSeconds: Int, joinedBy: Date?) async throws(StoreError)

    /// The answered `<Dial>`'s end (`/twilio/dial-status`): as ``endCall(_:at:wrapUpSeconds:joinedBy:)``,
    /// but an agent whose current time on the call began with a retrieval of one of its parks stays on
    /// it, checked in the same step. A park moves the caller out of the `<Dial>`, which Twilio reports
    /// as this end soon after; a parker who took the call back herself, or a colleague who retrieved
    /// it, in that time is talking to the caller. A retrieval's conversation happens in the park slot,
    /// whose end (`/twilio/park-status`) ends that part; an agent who got on the call again since (a
    /// ring-back's own dial, answered) has a later time on it, and is ended.
    func endAnsweredDial(_ callSid: String, at now: Date, wrapUpSeconds: Int, joinedBy: Date?) async throws(StoreError)

    /// Ends one agent's part in `callSid`, as ``endCall(_:at:wrapUpSeconds:joinedBy:)`` does, but only for
    /// the agent `identity` in `tenant` and only while its current call is `callSid`: another agent on the
    /// same call (one who retrieved it from the park the first agent made) stays on it, and so does this
    /// agent if they got on the call after `joinedBy`. Answers whether the agent's part ended.
    ///
    /// This is the end of a leg that rang the agent for the call (Twilio's `completed`). An agent whose
    /// current time on the call began with a retrieval of one of its parks (their `current_call_since`
    /// is that retrieval's instant) stays on it, checked in the same step: a retrieval puts the agent on
    /// the call through a leg of their own, so a ring leg's end reported late (the parker's first leg,
    /// which ends as she parks, after she took the call back herself) is not theirs. The park slot's end
    /// (`/twilio/park-status`) ends that part. One who got on the call again since (a ring-back answered
    /// after another park) is ended.
    @discardableResult
    func endCall(
        _ callSid: String,
        of identity: String,
        in tenant: TenantID,
        at now: Date,
        wrapUpSeconds: Int,
        joinedBy: Date?
    ) async throws(StoreError)
        -> Bool
    /// Stores a ring event, assigning its sequence. Returns false, storing nothing, when an event with
    /// the same call SID, agent identity, kind and ``RingEvent/occurrence`` already exists, or when a
    /// `ringing` event comes after that agent's ring of the call ended: Twilio does not promise its
    /// callbacks' order, and a late `ringing` would make the dashboard's card ring again. The ring has
    /// ended when an end (`answered`, `declined` or `missed`) of the same occurrence (the same leg) is
    /// stored, or an end with no occurrence (the agents' API's) that no later `parked` by that agent of
    /// that call follows: a park's timeout rings its parker again, on a new leg.
    @discardableResult
    func recordRingEvent(_ event: RingEvent) async throws(StoreError) -> Bool

    /// The tenant's ring events with a sequence above `sequence`, oldest first, at most `limit`.
    func ringEvents(in tenant: TenantID, after sequence: Int64, limit: Int) async throws(StoreError) -> [RingEvent]

    /// Stores a voicemail. Returns false, storing nothing, when its recording SID is already stored.
    @discardableResult
    func saveVoicemail(_ voicemail: Voicemail) async throws(StoreError) -> Bool

    /// The tenant's newest `limit` voicemails (all of them when nil), newest first.
    func voicemails(in tenant: TenantID, limit: Int?) async throws(StoreError) -> [Voicemail]

    /// Gives the store's record of `call`'s call what it lacks that `call` holds: the caller and the
    /// number called where they are empty, the agents rung where it lists none, and the earlier of the
    /// two starts. A record another callback made before the call's ringing record lacks them: a claim
    /// (it knows no caller, and starts the call when it was answered), a call's end or its voicemail
    /// (they start it when they came, and know no agents rung). What the record holds is never replaced,
    /// nor its tenant or outcome changed; no record changes nothing. Answers whether anything changed.
    @discardableResult
    func completeCall(_ call: RingingCall) async throws(StoreError) -> Bool

    /// Gives the voicemails of `callSid` that name no caller the caller of the call's record, and its
    /// tenant where they were filed under the default tenant. Such a voicemail was stored before the
    /// store had any record of its call (a record retried from a failing store, or made from a later
    /// callback): the recording's status callback names no caller, and the URL of a call whose tenant
    /// was never known names none either. A record that names no caller (one a claim created) changes
    /// nothing, nor does a call the store has no record of. Answers how many voicemails changed; a
    /// repeat changes none.
    @discardableResult
    func attachVoicemails(toCall callSid: String) async throws(StoreError) -> Int

    /// Succeeds when the store can serve calls: it answers, and (the embedded store) takes a write to
    /// the file it opened.
    func checkReady() async throws(StoreError)
}

extension CallStore {
    /// All of the tenant's voicemails, newest first.
    public func voicemails(in tenant: TenantID) async throws(StoreError) -> [Voicemail] {
        try await voicemails(in: tenant, limit: nil)
    }

    /// Ends the part of every agent on `callSid`, whenever they got on it (an end recorded as it happens).
    public func endCall(_ callSid: String, at now: Date, wrapUpSeconds: Int) async throws(StoreError) {
        try await endCall(callSid, at: now, wrapUpSeconds: wrapUpSeconds, joinedBy: nil)
    }

    /// Ends one agent's part in `callSid`, whenever they got on it (an end recorded as it happens).
    @discardableResult
    public func endCall(
        _ callSid: String,
        of identity: String,
        in tenant: TenantID,
        at now: Date,
        wrapUpSeconds: Int
    ) async throws(StoreError)
        -> Bool
    {
        try await endCall(callSid, of: identity, in: tenant, at: now, wrapUpSeconds: wrapUpSeconds, joinedBy: nil)
    }

    /// Nil: the store cannot answer without reading.
    public func recentRoutingSnapshot(forCalledNumber number: String, at now: Date, limit: Int) -> RoutingSnapshot? { nil }

    /// Runs ``recordRinging(_:)`` in a task of its own.
    public func recordRinging(_ call: RingingCall, then: @escaping @Sendable (StoreError?) -> Void) {
        Task {
            do throws(StoreError) {
                try await recordRinging(call)
                then(nil)
            } catch {
                then(error)
            }
        }
    }

    /// Answers with two calls; stores override it to answer in one round trip.
    public func routingSnapshot(forCalledNumber number: String, at now: Date, limit: Int) async throws(StoreError) -> RoutingSnapshot? {
        guard let tenant = try await tenant(forCalledNumber: number) else { return nil }
        return RoutingSnapshot(tenant: tenant, agents: try await availableAgents(in: tenant, at: now, limit: limit))
    }
}
