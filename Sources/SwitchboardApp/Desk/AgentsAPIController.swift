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
            let agent = try await services.run(notFound: .agentNotFound(identity)) { () async throws(StoreError) in
                try await services.store.agent(identity: identity, in: user.tenant)
            }
            guard !agent.isRetired else { throw DeskError.agentRetired(identity) }
            let released = try await services.run(notFound: .agentNotFound(identity), conflict: .agentRetired(identity)) {
                () async throws(StoreError) in
                let released = try await services.store.releaseAgent(identity: identity, in: user.tenant)
                // An agent held on a call (or in wrap-up) goes back to work; one signed off (offline), or
                // one who was not held at all, keeps the presence they set, and is not rung because a
                // supervisor pressed release.
                let wasHeld = agent.currentCallSid != nil || agent.wrapUpEndsAt.map { $0 > Date() } == true
                guard wasHeld, released.presence != .offline else { return released }
                return try await services.store.setPresence(.available, identity: identity, in: user.tenant)
            }
            services.logger.info("agent released", metadata: ["agent": "\(identity)", "by": "\(user.identity)"])
            return DeskJSON.response(released)
        }
    }
}
