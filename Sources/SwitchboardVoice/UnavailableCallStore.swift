import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A store that is down: every call throws ``StoreError/unavailable`` (or the given error), after
/// `delay` when one is given (a store that hangs before failing). It lets `switchboard render-call` show, offline, exactly what
/// callers hear when the real store fails, and tests drive the failure and time-budget paths with it.
public struct UnavailableCallStore: CallStore {
    /// How long each call waits before failing; nil fails at once.
    public let delay: Duration?
    /// What every call throws.
    public let error: StoreError

    /// Creates the store.
    public init(delay: Duration? = nil, error: StoreError = .unavailable("the store is unavailable")) {
        self.delay = delay
        self.error = error
    }

    private func down<T>() async throws(StoreError) -> T {
        if let delay { try? await Task.sleep(for: delay) }
        throw error
    }

    public func tenant(forCalledNumber number: String) async throws(StoreError) -> TenantID? { try await down() }
    public func mapNumber(_ number: String, to tenant: TenantID) async throws(StoreError) { try await down() as Void }
    public func numberMappings() async throws(StoreError) -> [(number: String, tenant: TenantID)] { try await down() }
    public func availableAgents(in tenant: TenantID, at now: Date, limit: Int) async throws(StoreError) -> [Agent] { try await down() }
    public func agents(in tenant: TenantID?) async throws(StoreError) -> [Agent] { try await down() }
    public func agent(identity: String, in tenant: TenantID) async throws(StoreError) -> Agent { try await down() }
    public func upsertAgent(_ agent: Agent) async throws(StoreError) -> Agent { try await down() }
    public func unmapNumber(_ number: String) async throws(StoreError) -> TenantID? { try await down() }
    public func moveAgent(_ agent: Agent, at now: Date) async throws(StoreError) -> AgentMove { try await down() }
    public func setPresence(_ presence: Presence, identity: String, in tenant: TenantID) async throws(StoreError) -> Agent { try await down() }
    public func recordRinging(_ call: RingingCall) async throws(StoreError) { try await down() as Void }
    public func ringingCall(_ callSid: String) async throws(StoreError) -> RingingCall? { try await down() }
    public func finishCall(_ callSid: String, at now: Date) async throws(StoreError) -> CallFinish { try await down() }
    public func endCall(
        _ callSid: String,
        of identity: String,
        in tenant: TenantID,
        at now: Date,
        wrapUpSeconds: Int,
        joinedBy: Date?
    ) async throws(StoreError) -> Bool {
        try await down()
    }
    public func claimCall(_ callSid: String, tenant: TenantID, agentIdentity: String, at now: Date) async throws(StoreError) -> ClaimOutcome {
        try await down()
    }
    public func callWinner(_ callSid: String) async throws(StoreError) -> String? { try await down() }
    public func endCall(_ callSid: String, at now: Date, wrapUpSeconds: Int, joinedBy: Date?) async throws(StoreError) {
        try await down() as Void
    }
    public func endAnsweredDial(_ callSid: String, at now: Date, wrapUpSeconds: Int, joinedBy: Date?) async throws(StoreError) {
        try await down() as Void
    }
    public func recordRingEvent(_ event: RingEvent) async throws(StoreError) -> Bool { try await down() }
    public func ringEvents(in tenant: TenantID, after sequence: Int64, limit: Int) async throws(StoreError) -> [RingEvent] { try await down() }
    public func saveVoicemail(_ voicemail: Voicemail) async throws(StoreError) -> Bool { try await down() }
    public func voicemails(in tenant: TenantID, limit: Int?) async throws(StoreError) -> [Voicemail] { try await down() }
    public func attachVoicemails(toCall callSid: String) async throws(StoreError) -> Int { try await down() }

    /// Fails as the store is down.
    public func completeCall(_ call: RingingCall) async throws(StoreError) -> Bool { try await down() }
    public func checkReady() async throws(StoreError) { try await down() as Void }
}
