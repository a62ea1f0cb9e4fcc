import Foundation
import SwitchboardCore
import Synchronization

/// An in-memory store that can be taken down and brought back: while down, every call throws
/// ``StoreError/unavailable`` and changes nothing; otherwise it is ``inner``. It can also be given a
/// routing snapshot to answer from memory, down or not, as the SQLite store does from its cache.
struct SwitchableStore: CallStore {
    let inner: InMemoryCallStore
    private let isDown = Box()
    private let refusesRingingRecords = Box()
    private let refusesAttaching = Box()
    private let afterEndCall = HookBox()
    private let beforeSaveVoicemail = HookBox()

    /// A hook run once: ``take()`` hands it out and clears it.
    final class HookBox: Sendable {
        let value = Mutex<(@Sendable () async -> Void)?>(nil)

        func take() -> (@Sendable () async -> Void)? {
            value.withLock { (hook) in
                defer { hook = nil }
                return hook
            }
        }
    }
    private let recent = RecentBox()

    final class Box: Sendable { let value = Mutex(false) }
    final class RecentBox: Sendable { let value = Mutex<RoutingSnapshot?>(nil) }

    init(_ inner: InMemoryCallStore) { self.inner = inner }

    /// Takes the store down (true) or brings it back (false).
    func setDown(_ down: Bool) { isDown.value.withLock { $0 = down } }

    /// Runs `hook` once, just after the next ``endCall(_:at:wrapUpSeconds:joinedBy:)``: what another
    /// writer does between that write and the next.
    func setAfterEndCall(_ hook: @escaping @Sendable () async -> Void) { afterEndCall.value.withLock { $0 = hook } }

    /// Runs `hook` once, just before the next ``saveVoicemail(_:)``: what another writer does between the
    /// service's read of the call and its save of the voicemail.
    func setBeforeSaveVoicemail(_ hook: @escaping @Sendable () async -> Void) { beforeSaveVoicemail.value.withLock { $0 = hook } }

    /// Makes ``recordRinging(_:)`` alone fail as a store that is down does (true), or work again (false):
    /// the routing read of a call works and its record does not.
    func setRefusingRingingRecords(_ refusing: Bool) { refusesRingingRecords.value.withLock { $0 = refusing } }

    /// Makes ``attachVoicemails(toCall:)`` alone fail as a store that is down does (true), or work again
    /// (false): a store that fails between a call's record and the look for its voicemails.
    func setRefusingAttaching(_ refusing: Bool) { refusesAttaching.value.withLock { $0 = refusing } }

    /// The snapshot ``recentRoutingSnapshot(forCalledNumber:at:limit:)`` answers for every number; nil
    /// (the default) sends every call to the store.
    func setRecent(_ snapshot: RoutingSnapshot?) { recent.value.withLock { $0 = snapshot } }

    func recentRoutingSnapshot(forCalledNumber number: String, at now: Date, limit: Int) -> RoutingSnapshot? {
        recent.value.withLock { $0 }
    }

    private func gate() throws(StoreError) {
        if isDown.value.withLock({ $0 }) { throw .unavailable("the store is down") }
    }

    func tenant(forCalledNumber number: String) async throws(StoreError) -> TenantID? {
        try gate()
        return try await inner.tenant(forCalledNumber: number)
    }

    func numberMappings() async throws(StoreError) -> [(number: String, tenant: TenantID)] {
        try gate()
        return try await inner.numberMappings()
    }

    func mapNumber(_ number: String, to tenant: TenantID) async throws(StoreError) {
        try gate()
        return try await inner.mapNumber(number, to: tenant)
    }

    func availableAgents(in tenant: TenantID, at now: Date, limit: Int) async throws(StoreError) -> [Agent] {
        try gate()
        return try await inner.availableAgents(in: tenant, at: now, limit: limit)
    }

    func agents(in tenant: TenantID?) async throws(StoreError) -> [Agent] {
        try gate()
        return try await inner.agents(in: tenant)
    }

    func agent(identity: String, in tenant: TenantID) async throws(StoreError) -> Agent {
        try gate()
        return try await inner.agent(identity: identity, in: tenant)
    }

    func upsertAgent(_ agent: Agent) async throws(StoreError) -> Agent {
        try gate()
        return try await inner.upsertAgent(agent)
    }

    func unmapNumber(_ number: String) async throws(StoreError) -> TenantID? {
        try gate()
        return try await inner.unmapNumber(number)
    }

    func moveAgent(_ agent: Agent, at now: Date) async throws(StoreError) -> AgentMove {
        try gate()
        return try await inner.moveAgent(agent, at: now)
    }

    func setPresence(_ presence: Presence, identity: String, in tenant: TenantID) async throws(StoreError) -> Agent {
        try gate()
        return try await inner.setPresence(presence, identity: identity, in: tenant)
    }

    func recordRinging(_ call: RingingCall) async throws(StoreError) {
        try gate()
        if refusesRingingRecords.value.withLock({ $0 }) { throw .unavailable("the store refuses ringing records") }
        return try await inner.recordRinging(call)
    }

    func ringingCall(_ callSid: String) async throws(StoreError) -> RingingCall? {
        try gate()
        return try await inner.ringingCall(callSid)
    }

    func finishCall(_ callSid: String, at now: Date) async throws(StoreError) -> CallFinish {
        try gate()
        return try await inner.finishCall(callSid, at: now)
    }

    func endCall(
        _ callSid: String,
        of identity: String,
        in tenant: TenantID,
        at now: Date,
        wrapUpSeconds: Int,
        joinedBy: Date?
    ) async throws(StoreError) -> Bool {
        try gate()
        return try await inner.endCall(callSid, of: identity, in: tenant, at: now, wrapUpSeconds: wrapUpSeconds, joinedBy: joinedBy)
    }

    func claimCall(_ callSid: String, tenant: TenantID, agentIdentity: String, at now: Date) async throws(StoreError) -> ClaimOutcome {
        try gate()
        return try await inner.claimCall(callSid, tenant: tenant, agentIdentity: agentIdentity, at: now)
    }

    func callWinner(_ callSid: String) async throws(StoreError) -> String? {
        try gate()
        return try await inner.callWinner(callSid)
    }

    func endCall(_ callSid: String, at now: Date, wrapUpSeconds: Int, joinedBy: Date?) async throws(StoreError) {
        try gate()
        try await inner.endCall(callSid, at: now, wrapUpSeconds: wrapUpSeconds, joinedBy: joinedBy)
        if let hook = afterEndCall.take() { await hook() }
    }

    func endAnsweredDial(_ callSid: String, at now: Date, wrapUpSeconds: Int, joinedBy: Date?) async throws(StoreError) {
        try gate()
        try await inner.endAnsweredDial(callSid, at: now, wrapUpSeconds: wrapUpSeconds, joinedBy: joinedBy)
        if let hook = afterEndCall.take() { await hook() }
    }

    func recordRingEvent(_ event: RingEvent) async throws(StoreError) -> Bool {
        try gate()
        return try await inner.recordRingEvent(event)
    }

    func ringEvents(in tenant: TenantID, after sequence: Int64, limit: Int) async throws(StoreError) -> [RingEvent] {
        try gate()
        return try await inner.ringEvents(in: tenant, after: sequence, limit: limit)
    }

    func saveVoicemail(_ voicemail: Voicemail) async throws(StoreError) -> Bool {
        try gate()
        if let hook = beforeSaveVoicemail.take() { await hook() }
        return try await inner.saveVoicemail(voicemail)
    }

    func voicemails(in tenant: TenantID, limit: Int?) async throws(StoreError) -> [Voicemail] {
        try gate()
        return try await inner.voicemails(in: tenant, limit: limit)
    }

    func completeCall(_ call: RingingCall) async throws(StoreError) -> Bool {
        try gate()
        return try await inner.completeCall(call)
    }

    func attachVoicemails(toCall callSid: String) async throws(StoreError) -> Int {
        try gate()
        if refusesAttaching.value.withLock({ $0 }) { throw .unavailable("the store refuses to attach voicemails") }
        return try await inner.attachVoicemails(toCall: callSid)
    }

    func checkReady() async throws(StoreError) {
        try gate()
        return try await inner.checkReady()
    }
}
