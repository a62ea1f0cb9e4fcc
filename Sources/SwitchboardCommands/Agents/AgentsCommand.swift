import ArgumentParser
import Foundation
import SwitchboardCore
import SwitchboardSQLite

/// `switchboard agents import|list|set-presence`: agent records in the embedded store.
struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents",
        abstract: "Import, list and update agents in the embedded store.",
        subcommands: [Import.self, List.self, SetPresence.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or update agents from a JSON array of {identity, name, email, presence, tenant?}."
        )

        @Argument(help: "The JSON file, or - for standard input.")
        var file: String

        @Flag(
            help: """
                Move an identity that is a current agent of another tenant to the record's tenant, retiring its \
                record there (offline, kept for the history). Without it such a record is refused: a Twilio \
                client name rings in every tenant that holds it.
                """
        )
        var move = false

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let records = try Record.load(file, for: "agents import", refusal: "nothing imported")
            let agents = records.map(\.agent)
            let opened = try await store.open(creating: true)
            let store = opened.store
            // Every record is checked against what is stored before any is written: a file that would
            // fail partway (an identity current elsewhere, one on a call) changes nothing.
            let refusals: [String]
            do {
                refusals = Self.refusals(of: agents, stored: try await store.agents(in: nil), moving: move)
            } catch {
                try await opened.close()
                StandardStreams.writeError("switchboard agents import: cannot read the stored agents: \(error)\n")
                throw ExitCode(1)
            }
            guard refusals.isEmpty else {
                try await opened.close()
                for refusal in refusals { StandardStreams.writeError("\(file): \(refusal)\n") }
                StandardStreams.writeError("\(file): nothing imported\n")
                throw ExitCode(1)
            }
            var imported = 0
            for (index, agent) in agents.enumerated() {
                do {
                    if move {
                        let moved = try await store.moveAgent(agent, at: Date())
                        if let retiredIn = moved.retiredIn {
                            let chats = moved.chatsReturned == 0 ? "" : "; its \(moved.chatsReturned) active chat(s) there are pending again"
                            StandardStreams.writeOut(
                                "moved \(agent.identity) from tenant \(retiredIn) to tenant \(agent.tenant); its record in \(retiredIn) is retired\(chats)\n"
                            )
                        }
                    } else {
                        try await store.upsertAgent(agent)
                    }
                    imported += 1
                } catch {
                    // Only a store failure, or a change made meanwhile by someone else, gets here. The
                    // import stops: what follows would likely fail the same way, and a rerun (imports
                    // are idempotent) finishes it.
                    try await opened.close()
                    let hint = error == .conflict && !move ? "; pass --move to move it" : ""
                    StandardStreams.writeError("\(file): agent \(index) (\(agent.identity)): \(error)\(hint)\n")
                    StandardStreams.writeError(
                        "\(file): stopped after importing \(imported) of \(records.count) agents; import the file again once the problem is fixed\n"
                    )
                    throw ExitCode(1)
                }
            }
            try await opened.close()
            StandardStreams.writeOut("imported \(imported) of \(records.count) agents\n")
        }

        /// Why `agents` cannot be stored over `stored`, one line per agent refused: without `moving`, an
        /// identity current in another tenant; with it, one whose record there is on a call (moving it
        /// would free the agent while they are still talking). Empty when every agent can be stored.
        static func refusals(of agents: [Agent], stored: [Agent], moving: Bool) -> [String] {
            var current: [String: Agent] = [:]
            for agent in stored where !agent.isRetired { current[agent.identity] = agent }
            return agents.enumerated().compactMap { index, agent in
                guard let elsewhere = current[agent.identity], elsewhere.tenant != agent.tenant else { return nil }
                if !moving {
                    return
                        "agent \(index) (\(agent.identity)): \(StoreError.identityInAnotherTenant(agent.identity, tenant: elsewhere.tenant)); pass --move to move it"
                }
                guard let call = elsewhere.currentCallSid else { return nil }
                return
                    "agent \(index) (\(agent.identity)): \(StoreError.agentOnCallElsewhere(agent.identity, tenant: elsewhere.tenant, callSid: call))"
            }
        }

    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List agents: tenant, identity, presence, name, email, current call.",
            discussion: "A record retired because its identity moved to another tenant shows retired as its presence."
        )

        @Option(help: "Only this tenant.")
        var tenant: String?

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let opened = try await store.open()
            let store = opened.store
            let agents = try await store.agents(in: tenant.map { TenantID($0) })
            try await opened.close()
            for agent in agents {
                let call = agent.currentCallSid ?? "-"
                let presence = agent.isRetired ? "retired" : agent.presence.rawValue
                StandardStreams.writeOut("\(agent.tenant)\t\(agent.identity)\t\(presence)\t\(agent.name)\t\(agent.email)\t\(call)\n")
            }
        }
    }

    struct SetPresence: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-presence", abstract: "Set an agent's presence.")

        @Argument(help: "The agent's identity.")
        var identity: String

        @Argument(help: "available, away or offline.")
        var presence: Presence

        @Option(help: "The agent's tenant.")
        var tenant: String = TenantID.default.rawValue

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let opened = try await store.open()
            let store = opened.store
            do {
                let agent = try await store.setPresence(presence, identity: identity, in: TenantID(tenant))
                StandardStreams.writeOut("\(agent.identity) is \(agent.presence.rawValue)\n")
            } catch {
                StandardStreams.writeError("switchboard agents set-presence: \(error)\n")
                try await opened.close()
                throw ExitCode(1)
            }
            try await opened.close()
        }
    }
}

extension Presence: ExpressibleByArgument {}
