#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The reference ``CallStore`` and ``DeskStore``: everything in one actor's memory, for tests and offline rendering.
///
/// Being an actor makes every method atomic: a claim checks and takes the call in one step, so it
/// meets the contract's one-winner rule without locks. It follows the same rules as the SQLite store,
/// so the two pass the same contract suite:
/// - An agent's identity is 1 to 256 ASCII letters, digits and underscores, and its chat capacity is
///   not negative (else ``StoreError/invalid``); an id belongs to one agent (else
///   ``StoreError/conflict``). A new agent with an empty id gets a UUID.
/// - A claim by the recorded winner is `.won`; otherwise an agent on another call gets `.agentBusy`
///   (and a finished call `.callEnded`);
///   a call recorded for another tenant is ``StoreError/notFound``.
/// - Voicemails are listed newest first, ties by recording SID.
///
/// Its ``DeskStore`` operations live in `InMemoryCallStore+desk.swift`.
public actor InMemoryCallStore: CallStore {
    struct AgentKey: Hashable {
        var tenant: TenantID
        var identity: String
    }

    struct CallRecord {
        var call: RingingCall
        var answeredBy: String?
        var answeredAt: Date?
        /// When the call stopped ringing without an answer (``CallStore/finishCall(_:at:)``).
        var finishedAt: Date?
    }

    private var numbers: [String: TenantID]
    var agentsByKey: [AgentKey: Agent] = [:]
    /// When each agent got on their current call (a won claim, a retrieval, a reclaimed ring-back).
    var callSince: [AgentKey: Date] = [:]
    var calls: [String: CallRecord] = [:]
    var events: [RingEvent] = []
    private var lastSequence: Int64 = 0
    private var voicemailsBySid: [String: Voicemail] = [:]
    /// Parked calls by id, waiting or not.
    var parkedByID: [String: ParkedCall] = [:]
    /// Chat handoffs by id.
    var handoffsByID: [String: ChatHandoff] = [:]

    /// Creates a store holding `agents` and the called-number mappings in `numbers` (number → tenant).
    ///
    /// Agents are stored as given, system fields included, keyed by tenant and identity (a later
    /// duplicate replaces an earlier one); one with an empty id gets a UUID. No rule is checked here:
    /// seed data is trusted, as a snapshot of another store would be.
    public init(agents: [Agent] = [], numbers: [String: TenantID] = [:]) {
        self.numbers = numbers
        for var agent in agents {
            if agent.id.isEmpty { agent.id = UUID().uuidString }
            agentsByKey[AgentKey(tenant: agent.tenant, identity: agent.identity)] = agent
        }
    }

    public func tenant(forCalledNumber number: String) throws(StoreError) -> TenantID? {
        numbers.isEmpty ? .default : numbers[number]
    }

    public func mapNumber(_ number: String, to tenant: TenantID) throws(StoreError) {
        numbers[number] = tenant
    }

    @discardableResult
    public func unmapNumber(_ number: String) throws(StoreError) -> TenantID? {
        numbers.removeValue(forKey: number)
    }

    public func numberMappings() throws(StoreError) -> [(number: String, tenant: TenantID)] {
        numbers.sorted { $0.key < $1.key }.map { (number: $0.key, tenant: $0.value) }
    }

    public func availableAgents(in tenant: TenantID, at now: Date, limit: Int) throws(StoreError) -> [Agent] {
        guard limit > 0 else { return [] }
        let available = agentsByKey.values.filter { $0.tenant == tenant && $0.isAvailable(at: now) }
        // Positions are sorted, not agents: moving an `Agent` (several strings) through a sort retains and
        // releases each of them at every step, which cost more than the rest of the in-memory routing read.
        var order = Array(available.indices)
        order.sort { Agent.longestIdleFirst(available[$0], available[$1]) }
        return order.prefix(limit).map { available[$0] }
    }

    /// Both reads in one visit to the actor.
    public func routingSnapshot(forCalledNumber number: String, at now: Date, limit: Int) throws(StoreError) -> RoutingSnapshot? {
        guard let tenant = try tenant(forCalledNumber: number) else { return nil }
        return RoutingSnapshot(tenant: tenant, agents: try availableAgents(in: tenant, at: now, limit: limit))
    }

    public func agents(in tenant: TenantID?) throws(StoreError) -> [Agent] {
        agentsByKey.values
            .filter { tenant == nil || $0.tenant == tenant }
            .sorted { ($0.tenant, $0.identity) < ($1.tenant, $1.identity) }
    }

    public func agent(identity: String, in tenant: TenantID) throws(StoreError) -> Agent {
        guard let agent = agentsByKey[AgentKey(tenant: tenant, identity: identity)] else {
            throw .notFound("No agent \(identity) in tenant \(tenant)")
        }
        return agent
    }

    @discardableResult
    public func upsertAgent(_ agent: Agent) throws(StoreError) -> Agent {
        let current = agent.asCurrent
        try current.checkRules()
        if let elsewhere = currentRecord(of: agent.identity, otherThan: agent.tenant) {
            throw .identityInAnotherTenant(agent.identity, tenant: elsewhere.tenant)
        }
        let key = AgentKey(tenant: agent.tenant, identity: agent.identity)
        var stored = current
        if let existing = agentsByKey[key] {
            stored.id = existing.id
            stored.currentCallSid = existing.currentCallSid
            stored.wrapUpEndsAt = existing.wrapUpEndsAt
            stored.lastCallEndedAt = existing.lastCallEndedAt
        } else {
            if stored.id.isEmpty { stored.id = UUID().uuidString }
            if agentsByKey.values.contains(where: { $0.id == stored.id }) {
                throw .conflict("Agent id \(stored.id) already belongs to another agent")
            }
        }
        agentsByKey[key] = stored
        return stored
    }

    @discardableResult
    public func moveAgent(_ agent: Agent, at now: Date) throws(StoreError) -> AgentMove {
        let current = agent.asCurrent
        try current.checkRules()
        let elsewhere = currentRecord(of: agent.identity, otherThan: agent.tenant)
        if let elsewhere, let callSid = elsewhere.currentCallSid {
            throw .agentOnCallElsewhere(elsewhere.identity, tenant: elsewhere.tenant, callSid: callSid)
        }
        if var retired = elsewhere {
            retired.presence = .offline
            retired.retiredAt = now
            agentsByKey[AgentKey(tenant: retired.tenant, identity: retired.identity)] = retired
        }
        let stored: Agent
        do {
            stored = try upsertAgent(current)
        } catch {
            if let elsewhere { agentsByKey[AgentKey(tenant: elsewhere.tenant, identity: elsewhere.identity)] = elsewhere }
            throw error
        }
        var returned = 0
        if let elsewhere {
            for (id, var handoff) in handoffsByID
            where handoff.tenant == elsewhere.tenant && handoff.status == .active && handoff.pickedUpBy == elsewhere.identity {
                handoff.status = .pending
                handoff.pickedUpBy = nil
                handoff.pickedUpAt = nil
                handoffsByID[id] = handoff
                returned += 1
            }
        }
        return AgentMove(agent: stored, retiredIn: elsewhere?.tenant, chatsReturned: returned)
    }

    /// The identity's current record in a tenant other than `tenant`, if any.
    private func currentRecord(of identity: String, otherThan tenant: TenantID) -> Agent? {
        agentsByKey.values.first { $0.identity == identity && $0.tenant != tenant && $0.retiredAt == nil }
    }

    @discardableResult
    public func setPresence(_ presence: Presence, identity: String, in tenant: TenantID) throws(StoreError) -> Agent {
        var agent = try agent(identity: identity, in: tenant)
        guard !agent.isRetired else { throw .agentRetired(identity, tenant: tenant) }
        agent.presence = presence
        agentsByKey[AgentKey(tenant: tenant, identity: identity)] = agent
        return agent
    }

    public func recordRinging(_ call: RingingCall) throws(StoreError) {
        guard calls[call.callSid] == nil else { return }
        calls[call.callSid] = CallRecord(call: call, finishedAt: call.agentsRung.isEmpty ? call.startedAt : nil)
    }

    @discardableResult
    public func completeCall(_ call: RingingCall) throws(StoreError) -> Bool {
        guard var record = calls[call.callSid] else { return false }
        let before = record.call
        if record.call.caller.isEmpty { record.call.caller = call.caller }
        if record.call.called.isEmpty { record.call.called = call.called }
        if record.call.agentsRung.isEmpty { record.call.agentsRung = call.agentsRung }
        record.call.startedAt = min(record.call.startedAt, call.startedAt)
        guard record.call != before else { return false }
        calls[call.callSid] = record
        return true
    }

    public func ringingCall(_ callSid: String) throws(StoreError) -> RingingCall? {
        calls[callSid]?.call
    }

    public func claimCall(_ callSid: String, tenant: TenantID, agentIdentity: String, at now: Date) throws(StoreError) -> ClaimOutcome {
        let key = AgentKey(tenant: tenant, identity: agentIdentity)
        let agent = try currentAgent(identity: agentIdentity, in: tenant)
        var record =
            calls[callSid]
            ?? CallRecord(call: RingingCall(callSid: callSid, tenant: tenant, caller: "", called: "", agentsRung: [], startedAt: now))
        guard record.call.tenant == tenant else {
            throw .notFound("No call \(callSid) in tenant \(tenant)")
        }
        if record.answeredBy == agentIdentity { return .won }
        if let current = agent.currentCallSid, current != callSid { return .agentBusy(currentCallSid: current) }
        if let winner = record.answeredBy { return .alreadyAnswered(by: winner) }
        if record.finishedAt != nil { return .callEnded }
        record.answeredBy = agentIdentity
        record.answeredAt = now
        calls[callSid] = record
        put(key, on: callSid, since: now)
        return .won
    }

    public func callWinner(_ callSid: String) throws(StoreError) -> String? {
        calls[callSid]?.answeredBy
    }

    public func endCall(_ callSid: String, at now: Date, wrapUpSeconds: Int, joinedBy: Date?) throws(StoreError) {
        let wrapUpEnd = try Agent.wrapUpEnd(afterCallEndedAt: now, seconds: wrapUpSeconds)
        for (key, var agent) in agentsByKey where agent.currentCallSid == callSid && joined(key, by: joinedBy) {
            agent.currentCallSid = nil
            agent.lastCallEndedAt = now
            agent.wrapUpEndsAt = wrapUpEnd
            agentsByKey[key] = agent
        }
    }

    public func endAnsweredDial(_ callSid: String, at now: Date, wrapUpSeconds: Int, joinedBy: Date?) throws(StoreError) {
        let wrapUpEnd = try Agent.wrapUpEnd(afterCallEndedAt: now, seconds: wrapUpSeconds)
        for (key, var agent) in agentsByKey
        where agent.currentCallSid == callSid && joined(key, by: joinedBy) && !joinedByRetrieval(key, of: callSid) {
            agent.currentCallSid = nil
            agent.lastCallEndedAt = now
            agent.wrapUpEndsAt = wrapUpEnd
            agentsByKey[key] = agent
        }
    }

    /// Whether the agent's current time on `callSid` began with a retrieval of one of its parks: the
    /// retrieval set when they got on it to its own instant.
    func joinedByRetrieval(_ key: AgentKey, of callSid: String) -> Bool {
        guard let since = callSince[key] else { return false }
        return parkedByID.values.contains {
            $0.callSid == callSid && $0.tenant == key.tenant && $0.retrievedBy == key.identity && $0.retrievedAt == since
        }
    }

    /// The agent, when it may take a call: a retired record (see ``Agent/retiredAt``) is not found.
    func currentAgent(identity: String, in tenant: TenantID) throws(StoreError) -> Agent {
        let agent = try agent(identity: identity, in: tenant)
        guard !agent.isRetired else { throw .noCurrentAgent(identity, tenant: tenant) }
        return agent
    }

    /// Puts the agent on `callSid`, got on at `now`: a won claim, a retrieval, a reclaimed ring-back.
    func put(_ key: AgentKey, on callSid: String, since now: Date) {
        agentsByKey[key]?.currentCallSid = callSid
        callSince[key] = now
    }

    /// Whether the agent got on their current call at or before `time` (or either is unknown): an end
    /// that happened before they got on it is not theirs.
    func joined(_ key: AgentKey, by time: Date?) -> Bool {
        guard let time, let since = callSince[key] else { return true }
        return since <= time
    }

    @discardableResult
    public func recordRingEvent(_ event: RingEvent) throws(StoreError) -> Bool {
        let agentsEvents = events.filter { $0.callSid == event.callSid && $0.agentIdentity == event.agentIdentity }
        guard !agentsEvents.contains(where: { $0.kind == event.kind && $0.occurrence == event.occurrence }) else { return false }
        if event.kind == .ringing {
            let lastPark = agentsEvents.last(where: { $0.kind == .parked })?.sequence ?? 0
            let ended = agentsEvents.contains {
                $0.kind.endsTheRing && ($0.occurrence == event.occurrence || ($0.occurrence.isEmpty && $0.sequence > lastPark))
            }
            if ended { return false }
        }
        lastSequence += 1
        var stored = event
        stored.sequence = lastSequence
        events.append(stored)
        return true
    }

    public func ringEvents(in tenant: TenantID, after sequence: Int64, limit: Int) throws(StoreError) -> [RingEvent] {
        guard limit > 0 else { return [] }
        return Array(events.lazy.filter { $0.tenant == tenant && $0.sequence > sequence }.prefix(limit))
    }

    @discardableResult
    public func saveVoicemail(_ voicemail: Voicemail) throws(StoreError) -> Bool {
        guard voicemailsBySid[voicemail.recordingSid] == nil else { return false }
        voicemailsBySid[voicemail.recordingSid] = voicemail
        return true
    }

    public func voicemails(in tenant: TenantID, limit: Int?) throws(StoreError) -> [Voicemail] {
        let newestFirst = voicemailsBySid.values
            .filter { $0.tenant == tenant }
            .sorted { $0.receivedAt != $1.receivedAt ? $0.receivedAt > $1.receivedAt : $0.recordingSid < $1.recordingSid }
        return limit.map { Array(newestFirst.prefix(max($0, 0))) } ?? newestFirst
    }

    @discardableResult
    public func attachVoicemails(toCall callSid: String) throws(StoreError) -> Int {
        guard let call = calls[callSid]?.call, !call.caller.isEmpty else { return 0 }
        var attached = 0
        for (recordingSid, var voicemail) in voicemailsBySid where voicemail.callSid == callSid && voicemail.caller == nil {
            voicemail.caller = call.caller
            if voicemail.tenant == .default { voicemail.tenant = call.tenant }
            voicemailsBySid[recordingSid] = voicemail
            attached += 1
        }
        return attached
    }

    public func checkReady() throws(StoreError) {}
}
