#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The claims of a verified access token that the dashboard reads, as plain values.
///
/// Supabase puts the user's id in `sub` and custom claims in `app_metadata` (writable only by the
/// service) and `user_metadata` (writable by the user). The claim names Switchboard reads:
/// - `sub`: the user id, from which the agent identity is derived (``AgentIdentity``);
/// - `email`: the user's email;
/// - `app_metadata.tenant_id`: the tenant (call center) the user works for; required;
/// - `app_metadata.role`: `agent` (default) or `supervisor`;
/// - `user_metadata.first_name`, `user_metadata.last_name`: the display name, when given;
/// - `iat`: when the token was issued (a token from before a user's move between tenants cannot move
///   them back).
///
/// The top-level `role` claim is Supabase's database role (`authenticated`), not the dashboard role,
/// so it is never read. Tenant and role come from `app_metadata` because a user cannot change it.
public struct AccessClaims: Equatable, Sendable {
    /// `sub`: the user id.
    public var subject: String
    /// `email`, if present.
    public var email: String?
    /// `app_metadata.tenant_id`, if present.
    public var tenantID: String?
    /// `app_metadata.role`, if present.
    public var role: String?
    /// `user_metadata.first_name`, if present.
    public var firstName: String?
    /// `user_metadata.last_name`, if present.
    public var lastName: String?
    /// `iat`, if present.
    public var issuedAt: Date?

    /// Creates claims.
    public init(
        subject: String,
        email: String? = nil,
        tenantID: String? = nil,
        role: String? = nil,
        firstName: String? = nil,
        lastName: String? = nil,
        issuedAt: Date? = nil
    ) {
        self.subject = subject
        self.email = email
        self.tenantID = tenantID
        self.role = role
        self.firstName = firstName
        self.lastName = lastName
        self.issuedAt = issuedAt
    }
}
