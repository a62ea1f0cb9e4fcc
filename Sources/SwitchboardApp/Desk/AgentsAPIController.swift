import Foundation
import Hummingbird
import Logging
import SwitchboardCore
import SwitchboardDesk

/// `POST /api/agents/sync`, `GET` and `PATCH /api/agents/me`, and the supervisors' `GET /api/agents`
/// and `POST /api/agents/{identity}/release`.
struct AgentsAPIController<Store: DeskStore>: Sendable {
    let services: DeskServices<Store>

    /// The body of `PATCH /api/agents/me`.
    struct PresenceChange: Decodable {
        var presence: Presence
    }

    /// The body of `POST /api/agents/{identity}/release`, which may be empty.
    struct ReleaseRequest: Decodable {
        /// The call the supervisor saw the agent held on: `.some(nil)` for an explicit null (seen on no
        /// call), nil when the body leaves it out (the route reads the agent's call itself).
        var callSid: String??

        enum CodingKeys: String, CodingKey { case callSid }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            guard container.contains(.callSid) else {
                callSid = nil
                return
            }
            if try container.decodeNil(forKey: .callSid) {
                callSid = .some(nil)
                return
            }
            let named = try container.decode(String.self, forKey: .callSid)
            guard !named.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: .callSid, in: container, debugDescription: "empty call SID")
            }
            callSid = .some(named)
        }
    }

    /// The tenant's agents.
    struct Agents: Encodable {
        var agents: [Agent]
    }

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.api(.post, "/api/agents/sync", logger: services.logger) { request, _ in
            let user = try await services.authenticator.user(for: request)
            return DeskJSON.response(try await services.provision(user))
        }
        router.api(.get, "/api/agents/me", logger: services.logger) { request, _ in
            let user = try await services.user(request)
            return DeskJSON.response(try await services.agent(for: user))
        }
        router.api(.patch, "/api/agents/me", logger: services.logger) { request, _ in
            let user = try await services.user(request)
            let agent = try await services.agent(for: user)
            let change = try await DeskJSON.decode(PresenceChange.self, from: request)
            // A record retired between the read and the write (the user moved in another tab) is 409.
            let updated = try await services.run(notFound: .agentRecordMissing, conflict: .ownAgentRetired) { () async throws(StoreError) in
                try await services.store.setPresence(change.presence, identity: agent.identity, in: user.tenant)
            }
            return DeskJSON.response(updated)
        }
        router.api(.get, "/api/agents", logger: services.logger) { request, _ in
            let user = try await services.user(request)
            guard user.isSupervisor else { throw DeskError.supervisorOnly }
            let agents = try await services.run(notFound: .internalError) { () async throws(StoreError) in
                try await services.store.agents(in: user.tenant)
            }
            // A retired record (its identity moved to another tenant) is history, not one of the tenant's agents.
            return DeskJSON.response(Agents(agents: agents.filter { !$0.isRetired }))
        }
        router.api(.post, "/api/agents/:identity/release", logger: services.logger) { request, context in
            let user = try await services.user(request)
            let identity = try DeskJSON.parameter("identity", of: context)
            guard user.isSupervisor else { throw DeskError.supervisorOnly }
            let body = try await DeskJSON.decode(ReleaseRequest.self, from: request)
            let callSid: String?
            if let named = body.callSid {
                callSid = named
            } else {
                callSid = try await services.run(notFound: .agentNotFound(identity)) { () async throws(StoreError) in
                    try await services.store.agent(identity: identity, in: user.tenant)
                }.currentCallSid
            }
            // The store checks the call again in the release's own step: an answer landing after the
            // supervisor's (or this route's) read is not cleared, and a presence set since is kept.
            let release = try await services.run(notFound: .agentNotFound(identity), conflict: .agentRetired(identity)) {
                () async throws(StoreError) in
                try await services.store.releaseAgent(identity: identity, in: user.tenant, onCall: callSid, at: Date())
            }
            switch release {
            case .released(let released):
                services.logger.info(
                    "agent released",
                    metadata: ["agent": "\(identity)", "by": "\(user.identity)", "callSid": "\(callSid ?? "none")"]
                )
                return DeskJSON.response(released)
            case .callChanged(let agent):
                services.logger.info(
                    "agent not released: the call changed",
                    metadata: [
                        "agent": "\(identity)", "by": "\(user.identity)", "seen": "\(callSid ?? "none")", "now": "\(agent.currentCallSid ?? "none")",
                    ]
                )
                throw DeskError.agentCallChanged(identity, named: callSid, current: agent.currentCallSid)
            }
        }
    }
}
