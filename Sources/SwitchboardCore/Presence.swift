/// What an agent says about themselves. Whether they can take a call also depends on what the system
/// knows: a current call, or wrap-up after the last one.
public enum Presence: String, Sendable, Codable, CaseIterable {
    /// Ready to take calls.
    case available
    /// Signed in but not taking calls.
    case away
    /// Signed out.
    case offline
}
