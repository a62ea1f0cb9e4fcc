import Foundation
import SwitchboardCore

/// One offline call scenario for `switchboard render-call`: a route, the form body Twilio would post,
/// and a snapshot of the store.
///
/// ```json
/// {"route": "/twilio/voice", "body": "CallSid=CA1&AccountSid=AC1&From=%2B1415…&To=%2B1500…",
///  "now": "2026-11-22T12:00:00Z", "publicURL": "https://switchboard.example.com",
///  "agents": [{"identity": "alice", "lastCallEndedAt": "2026-11-22T11:00:00Z"}],
///  "numbers": {"+15005550006": "acme"}, "store": "available"}
/// ```
/// Agents need only `identity`; `tenant` defaults to `default`, `presence` to `available`. An agent
/// with a `currentCallSid` answered that call: another agent's screen of it loses. `store` is
/// `available` (the default) or `unavailable`, to show what callers hear when the store is down. A
/// `route` may carry the query the service's callback URLs carry for a tenant other than the default
/// one (`/twilio/dial-status?tenant=acme`).
struct CallScenario: Decodable {
    struct AgentSnapshot: Decodable {
        var identity: String
        var tenant: String?
        var name: String?
        var email: String?
        var presence: Presence?
        var currentCallSid: String?
        var wrapUpEndsAt: Date?
        var lastCallEndedAt: Date?

        func agent(index: Int) -> Agent {
            Agent(
                id: "agent-\(index)",
                tenant: TenantID(tenant ?? TenantID.default.rawValue),
                identity: identity,
                name: name ?? identity,
                email: email ?? "\(identity)@example.com",
                presence: presence ?? .available,
                currentCallSid: currentCallSid,
                wrapUpEndsAt: wrapUpEndsAt,
                lastCallEndedAt: lastCallEndedAt
            )
        }
    }

    enum StoreState: String, Decodable {
        case available
        case unavailable
    }

    var route: String
    var body: String
    var now: Date?
    var publicURL: String?
    var agents: [AgentSnapshot]?
    var numbers: [String: String]?
    var store: StoreState?

    static func decode(_ bytes: [UInt8]) throws -> CallScenario {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(CallScenario.self, from: Data(bytes))
    }
}
