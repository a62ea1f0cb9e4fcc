#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An inbound call the service decided to ring agents for.
public struct RingingCall: Equatable, Sendable, Codable {
    /// The inbound (parent) call's SID; the claim key.
    public var callSid: String
    /// The tenant that owns the called number.
    public var tenant: TenantID
    /// The caller (`From`).
    public var caller: String
    /// The number called (`To`).
    public var called: String
    /// Identities of the agents rung, longest idle first.
    public var agentsRung: [String]
    /// When the decision was made.
    public var startedAt: Date

    /// Creates a ringing call.
    public init(callSid: String, tenant: TenantID, caller: String, called: String, agentsRung: [String], startedAt: Date) {
        self.callSid = callSid
        self.tenant = tenant
        self.caller = caller
        self.called = called
        self.agentsRung = agentsRung
        self.startedAt = startedAt
    }

    /// The record of a call that rang nobody, which ``CallStore/recordRinging(_:)`` records finished at
    /// its start, `at`: a call that went to voicemail at once, or one the store first hears of as it ends.
    public static func rangNobody(callSid: String, tenant: TenantID, caller: String, called: String, at: Date) -> RingingCall {
        RingingCall(callSid: callSid, tenant: tenant, caller: caller, called: called, agentsRung: [], startedAt: at)
    }
}

/// What logs show of a ringing call (a record waiting for a failing store, say): never the caller's
/// number, which no log line of the service carries, nor the number called.
extension RingingCall: CustomStringConvertible {
    /// The call, its tenant, the agents rung and when.
    public var description: String {
        "RingingCall(callSid: \(callSid), tenant: \(tenant), agentsRung: \(agentsRung), startedAt: \(startedAt))"
    }
}
