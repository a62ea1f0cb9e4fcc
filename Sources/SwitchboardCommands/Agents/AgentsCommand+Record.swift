import ArgumentParser
import Foundation
import SwitchboardCore

extension AgentsCommand {
    /// One agent as `agents import` (and `serve --store memory --agents`) reads it.
    struct Record: Decodable {
        var identity: String
        var name: String
        var email: String
        var presence: Presence
        var tenant: String?

        /// The agent the record describes (no id yet: the store gives one).
        var agent: Agent {
            Agent(
                id: "",
                tenant: TenantID(tenant ?? TenantID.default.rawValue),
                identity: identity,
                name: name,
                email: email,
                presence: presence
            )
        }

        /// The records of the JSON file `file` (`-` for standard input), every one within the rules (see
        /// ``problems(in:)``). Otherwise says why on standard error, as `switchboard COMMAND: cannot read
        /// FILE: …`, `FILE: not a JSON array of agents: …` or a `FILE: problem` line for each, then
        /// `FILE: REFUSAL` when given, and exits 1.
        static func load(_ file: String, for command: String, refusal: String? = nil) throws -> [Record] {
            let bytes: [UInt8]
            do {
                bytes = try StandardStreams.read(file)
            } catch {
                let reason = file != "-" && !FileManager.default.fileExists(atPath: file) ? "no such file" : "\(error)"
                StandardStreams.writeError("switchboard \(command): cannot read \(file): \(reason)\n")
                throw ExitCode(1)
            }
            let records: [Record]
            do {
                records = try JSONDecoder().decode([Record].self, from: Data(bytes))
            } catch {
                StandardStreams.writeError("\(file): not a JSON array of agents: \(describe(error))\n")
                throw ExitCode(1)
            }
            let problems = problems(in: records)
            guard problems.isEmpty else {
                for problem in problems { StandardStreams.writeError("\(file): \(problem)\n") }
                if let refusal { StandardStreams.writeError("\(file): \(refusal)\n") }
                throw ExitCode(1)
            }
            return records
        }

        /// A decoding error as `PATH: what is wrong`.
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

        /// A coding path as `[0].identity`.
        static func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }

        /// What is wrong with a file of records, before any is stored, one line per problem (empty when
        /// nothing is): a record the stores would refuse (an identity that is not a client name, a
        /// tenant's name with a tab or an edge space), an agent named twice (it would be imported once
        /// and counted twice, the second silently winning), or one identity given to two tenants (it
        /// can be current in one only).
        static func problems(in records: [Record]) -> [String] {
            var problems: [String] = []
            var first: [String: (index: Int, tenant: String)] = [:]
            for (index, record) in records.enumerated() {
                do {
                    try record.agent.checkRules()
                } catch {
                    problems.append("agent \(index) (\(record.identity.debugDescription)): \(error.message)")
                }
                let tenant = record.tenant ?? TenantID.default.rawValue
                if let earlier = first[record.identity] {
                    let problem =
                        earlier.tenant == tenant
                        ? "are both \(record.identity) in tenant \(tenant): list each agent once"
                        : "give identity \(record.identity) to tenants \(earlier.tenant) and \(tenant): an identity is an agent of one tenant"
                    problems.append("agents \(earlier.index) and \(index) \(problem)")
                } else {
                    first[record.identity] = (index, tenant)
                }
            }
            return problems
        }
    }
}
