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

    /// One agent as `agents import` reads it.
    struct Record: Decodable {
        var identity: String
        var name: String
        var email: String
        var presence: Presence
        var tenant: String?

        /// What is wrong with a file of records, before any is stored: an agent named twice (it would
        /// be imported once and counted twice, the second silently winning), or one identity given to
        /// two tenants (it can be current in one only). Nil when nothing is.
        static func problem(in records: [Record]) -> String? {
            var first: [String: (index: Int, tenant: String)] = [:]
            for (index, record) in records.enumerated() {
                let tenant = record.tenant ?? TenantID.default.rawValue
                if let earlier = first[record.identity] {
                    let problem =
                        earlier.tenant == tenant
                        ? "are both \(record.identity) in tenant \(tenant): list each agent once"
                        : "give identity \(record.identity) to tenants \(earlier.tenant) and \(tenant): an identity is an agent of one tenant"
                    return "agents \(earlier.index) and \(index) \(problem)"
                }
                first[record.identity] = (index, tenant)
            }
            return nil
        }
    }

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
            let bytes: [UInt8]
            do {
                bytes = try StandardStreams.read(file)
            } catch {
                let reason = file != "-" && !FileManager.default.fileExists(atPath: file) ? "no such file" : "\(error)"
                StandardStreams.writeError("switchboard agents import: cannot read \(file): \(reason)\n")
                throw ExitCode(1)
            }
            let records: [Record]
            do {
                records = try JSONDecoder().decode([Record].self, from: Data(bytes))
            } catch {
                StandardStreams.writeError("\(file): not a JSON array of agents: \(Self.describe(error))\n")
                throw ExitCode(1)
            }
            if let problem = Record.problem(in: records) {
                StandardStreams.writeError("\(file): \(problem)\n")
                throw ExitCode(1)
            }
            let opened = try await store.open()
            let store = opened.store
            var imported = 0
            for (index, record) in records.enumerated() {
                let agent = Agent(
                    id: "",
                    tenant: TenantID(record.tenant ?? TenantID.default.rawValue),
                    identity: record.identity,
                    name: record.name,
                    email: record.email,
                    presence: record.presence
                )
                do {
                    if move {
                        let moved = try await store.moveAgent(agent, at: Date())
                        if let retiredIn = moved.retiredIn {
                            StandardStreams.writeOut(
                                "moved \(agent.identity) from tenant \(retiredIn) to tenant \(agent.tenant); its record in \(retiredIn) is retired\n"
                            )
                        }
                    } else {
                        try await store.upsertAgent(agent)
                    }
                    imported += 1
                } catch {
                    let hint = error == .conflict && !move ? "; pass --move to move it" : ""
                    StandardStreams.writeError("\(file): agent \(index) (\(record.identity)): \(error)\(hint)\n")
                }
            }
            try await opened.close()
            StandardStreams.writeOut("imported \(imported) of \(records.count) agents\n")
            if imported != records.count { throw ExitCode(1) }
        }

        static func describe(_ error: any Error) -> String {
            guard let decoding = error as? DecodingError else { return "\(error)" }
            switch decoding {
            case .keyNotFound(let key, let context):
                return "\(path(context.codingPath)): missing \(key.stringValue)"
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                return "\(path(context.codingPath)): \(context.debugDescription)"
            @unknown default:
                return "\(decoding)"
            }
        }

        static func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
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
