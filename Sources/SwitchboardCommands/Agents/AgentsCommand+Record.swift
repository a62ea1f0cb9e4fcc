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
