/// What a supervisor's release of an agent did (``DeskStore/releaseAgent(identity:in:onCall:at:)``).
public enum AgentRelease: Equatable, Sendable {
    /// The agent was on the call the release named (or on none, as named), and is released: the agent
    /// as stored after the release.
    case released(Agent)
    /// The agent is on another call than the one the release named, or on a call when it named none
    /// (the supervisor acted on a list read before the agent's latest answer): nothing changed. The
    /// agent as stored.
    case callChanged(Agent)
}

extension AgentRelease {
    /// The agent as stored after the call, released or not.
    public var agent: Agent {
        switch self {
        case .released(let agent), .callChanged(let agent): agent
        }
    }

    /// Whether the agent was released.
    public var isReleased: Bool {
        if case .released = self { return true }
        return false
    }
}
