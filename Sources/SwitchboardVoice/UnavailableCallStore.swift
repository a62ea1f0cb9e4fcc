import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A store that is down: every call throws ``StoreError/unavailable``. It lets `switchboard
/// render-call` show, offline, exactly what callers hear when the real store fails.
public struct UnavailableCallStore: CallStore {
    /// Creates the store.
    public init() {}

    private func down<T>() throws(StoreError) -> T { throw StoreError.unavailable("the store is unavailable") }

    public func tenant(forCalledNumber number: String) async throws(StoreError) -> TenantID? { try down() }
    public func mapNumber(_ number: String, to tenant: TenantID) async throws(StoreError) { try down() as Void }
    public func availableAgents(in tenant: TenantID, at now: Date, limit: Int) async throws(StoreError) -> [Agent] { try down() }
    public func agents(in tenant: TenantID?) async throws(StoreError) -> [Agent] { try down() }
    public func agent(identity: String, in tenant: TenantID) async throws(StoreError) -> Agent { try down() }
    public func upsertAgent(_ agent: Agent) async throws(StoreError) -> Agent { try down() }
    public func setPresence(_ presence: Presence, identity: String, in tenant: TenantID) async throws(StoreError) -> Agent { try down() }
    public func recordRinging(_ call: RingingCall) async throws(StoreError) { try down() as Void }
    public func ringingCall(_ callSid: String) async throws(StoreError) -> RingingCall? { try down() }
    public func claimCall(_ callSid: String, tenant: TenantID, agentIdentity: String, at now: Date) async throws(StoreError) -> ClaimOutcome {
        try down()
    }
    public func callWinner(_ callSid: String) async throws(StoreError) -> String? { try down() }
    public func endCall(_ callSid: String, at now: Date, wrapUpSeconds: Int) async throws(StoreError) { try down() as Void }
    public func recordRingEvent(_ event: RingEvent) async throws(StoreError) -> Bool { try down() }
    public func ringEvents(in tenant: TenantID, after sequence: Int64, limit: Int) async throws(StoreError) -> [RingEvent] { try down() }
    public func saveVoicemail(_ voicemail: Voicemail) async throws(StoreError) -> Bool { try down() }
    public func voicemails(in tenant: TenantID) async throws(StoreError) -> [Voicemail] { try down() }
    public func checkReady() async throws(StoreError) { try down() as Void }
}
