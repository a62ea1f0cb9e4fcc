/// The result of an agent's attempt to claim (answer) a call. Exactly one agent ever wins a call.
public enum ClaimOutcome: Equatable, Sendable {
    /// This agent won the call (also returned when the winner retries its own claim).
    case won
    /// Another agent already answered; its identity.
    case alreadyAnswered(by: String)
    /// This agent is on another call, so it cannot take this one.
    case agentBusy(currentCallSid: String)
}
