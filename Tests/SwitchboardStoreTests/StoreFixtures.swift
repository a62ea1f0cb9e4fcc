import Foundation
import SwitchboardCore

/// Fixed instants, whole seconds apart, so every store round-trips them exactly.
enum Clock {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)

    static func at(_ seconds: Int) -> Date {
        Date(timeIntervalSince1970: 1_750_000_000 + Double(seconds))
    }
}

extension Agent {
    /// A new agent as an administrator would submit it: no id, no call history.
    static func new(_ identity: String, tenant: TenantID = .default, presence: Presence = .available) -> Agent {
        Agent(id: "", tenant: tenant, identity: identity, name: "Agent \(identity)", email: "\(identity)@example.com", presence: presence)
    }
}

extension CallStore {
    /// Gives the agent a finished call that ended at `end`, with no wrap-up, through the contract's own
    /// operations.
    func giveCall(to identity: String, tenant: TenantID = .default, endedAt end: Date) async throws {
        let callSid = "CA-\(identity)-\(end.timeIntervalSince1970)"
        let outcome = try await claimCall(callSid, tenant: tenant, agentIdentity: identity, at: end.addingTimeInterval(-60))
        guard outcome == .won else { throw FixtureError("\(identity) could not claim \(callSid): \(outcome)") }
        try await endCall(callSid, at: end, wrapUpSeconds: 0)
    }

    /// The identities of `availableAgents`, in order.
    func availableIdentities(in tenant: TenantID = .default, at now: Date, limit: Int = 100) async throws -> [String] {
        try await availableAgents(in: tenant, at: now, limit: limit).map(\.identity)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
