/// The result of an agent's attempt to claim (answer) a call. Exactly one agent ever wins a call.
public enum ClaimOutcome: Equatable, Sendable {
    /// This agent won the call (also returned when the winner retries its own claim).
    case won
    /// Another agent already answered; its identity.
    case alreadyAnswered(by: String)
    /// This agent is on another call, so it cannot take this one.
    case agentBusy(currentCallSid: String)
    /// The call stopped ringing without an answer before this claim (it was finished: every agent
    /// declined and the caller went to voicemail); no one can answer it now.
    case callEnded
}
