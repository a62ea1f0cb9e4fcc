/// What a signed-in user may do on the dashboard, from the token's `app_metadata.role` claim.
public enum DeskRole: String, Equatable, Sendable, Codable, CaseIterable {
    /// Takes calls and chats; the default when the claim is absent.
    case agent
    /// An agent who may also list every agent of the tenant and force an agent back to available.
    case supervisor
}
