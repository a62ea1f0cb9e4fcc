import Foundation
import Logging
import SwitchboardCore
import SwitchboardRouting
import SwitchboardTwiML
import SwitchboardVoice
import SwitchboardWebhooks

/// What `switchboard render-call` does: runs one scenario through the same ``VoiceService`` the server
/// runs, on an in-memory store seeded from the snapshot, and returns the TwiML bytes the route answers.
public enum RenderCallTool {
    /// A scenario that cannot be run: bad JSON, an unknown route, a malformed body.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        /// What is wrong.
        public var message: String
        public var description: String { message }
    }

    /// The TwiML the service answers for the scenario in `json`, and the outcome it logged.
    public static func render(json: [UInt8]) async throws(Failure) -> (bytes: [UInt8], outcome: String, reason: String?) {
        let scenario: CallScenario
        do {
            scenario = try CallScenario.decode(json)
        } catch {
            throw Failure(message: "not a call scenario: \(error)")
        }
        // A route may carry the query the service's own callback URLs do (`?tenant=…`).
        let parts = scenario.route.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard let route = TwilioRoute(rawValue: String(parts[0])) else {
            let routes = TwilioRoute.allCases.map(\.rawValue).joined(separator: ", ")
            throw Failure(message: "unknown route \(scenario.route); routes are \(routes)")
        }
        let tenant = parts.count > 1 ? RoutingConfiguration.tenant(inQuery: parts[1]) : nil
        let form: FormParameters
        do {
            form = try FormParameters.parse(scenario.body)
        } catch {
            throw Failure(message: "body: \(error)")
        }
        var configuration = RoutingConfiguration()
        if let publicURL = scenario.publicURL {
            // As `serve --public-url` takes it, so that no scenario shows TwiML the server cannot answer.
            do {
                try ServeCommand.checkPublicURL(publicURL)
            } catch {
                throw Failure(message: "publicURL: \(error)")
            }
            configuration.publicURL = publicURL
        }
        let now = scenario.now ?? Date()
        var logger = Logger(label: "switchboard.render-call")
        logger.logLevel = .critical
        let reply: VoiceReply
        switch scenario.store ?? .available {
        case .available:
            let agents = (scenario.agents ?? []).enumerated().map { $0.element.agent(index: $0.offset) }
            for (index, agent) in agents.enumerated() {
                do {
                    try agent.checkRules()
                } catch {
                    throw Failure(message: "agents[\(index)]: \(error.message)")
                }
            }
            let numbers = (scenario.numbers ?? [:]).mapValues { TenantID($0) }
            let store = InMemoryCallStore(agents: agents, numbers: numbers)
            // An agent on a call won it: the store records the claim, as the server's store would have.
            for agent in agents {
                guard let callSid = agent.currentCallSid else { continue }
                do {
                    _ = try await store.claimCall(callSid, tenant: agent.tenant, agentIdentity: agent.identity, at: now)
                } catch {
                    throw Failure(message: "agent \(agent.identity) on call \(callSid): \(error)")
                }
            }
            reply = await VoiceService(store: store, configuration: configuration, logger: logger).handle(route, form: form, tenant: tenant, at: now)
        case .unavailable:
            reply = await VoiceService(store: UnavailableCallStore(), configuration: configuration, logger: logger)
                .handle(route, form: form, tenant: tenant, at: now)
        }
        return (reply.body, reply.outcome, reply.reason)
    }
}
