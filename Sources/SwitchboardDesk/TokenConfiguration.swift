/// How the API checks access tokens: HS256 with the Supabase project's JWT secret, and the audience
/// they must be issued for.
public struct TokenConfiguration: Sendable, Equatable {
    /// The project's JWT secret (Supabase: Settings → API → JWT Secret).
    public var secret: String
    /// The `aud` a token must include; Supabase issues `authenticated` to signed-in users.
    public var audience: String

    /// Creates a token configuration.
    public init(secret: String, audience: String = "authenticated") {
        self.secret = secret
        self.audience = audience
    }
}
