/// What the voice route reads to decide whom a call rings: the tenant that owns the called number, and
/// that tenant's agents available now, longest idle first.
public struct RoutingSnapshot: Equatable, Sendable {
    /// The tenant that owns the called number.
    public var tenant: TenantID
    /// Its available agents, as ``CallStore/availableAgents(in:at:limit:)`` returns them.
    public var agents: [Agent]

    /// Creates a snapshot.
    public init(tenant: TenantID, agents: [Agent]) {
        self.tenant = tenant
        self.agents = agents
    }
}
