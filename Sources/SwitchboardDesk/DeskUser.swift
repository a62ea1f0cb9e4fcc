import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The signed-in user a request acts for: who they are, which tenant's records they see, and what
/// they may do. Made from verified token claims; never from anything else the client sends.
public struct DeskUser: Equatable, Sendable {
    /// The user id (`sub`).
    public var userID: String
    /// The agent identity derived from the user id (see ``AgentIdentity``).
    public var identity: String
    /// The user's tenant.
    public var tenant: TenantID
    /// Agent or supervisor.
    public var role: DeskRole
    /// The user's email; empty when the token has none.
    public var email: String
    /// `user_metadata.first_name`, if given.
    public var firstName: String?
    /// `user_metadata.last_name`, if given.
    public var lastName: String?
    /// When the token was issued (`iat`), if it says.
    public var issuedAt: Date?

    /// Reads the user from verified claims.
    /// - Throws: ``DeskError/invalidToken(_:)`` when the user id cannot make an identity or the role is
    ///   unknown, or the tenant's name breaks ``TenantID/problem``'s rules; ``DeskError/tenantMissing``
    ///   when the token names no tenant.
    public init(claims: AccessClaims) throws(DeskError) {
        guard let identity = AgentIdentity.derive(fromUserID: claims.subject) else {
            throw .invalidToken("The token's subject cannot name an agent.")
        }
        guard let tenant = claims.tenantID, !tenant.isEmpty else { throw .tenantMissing }
        if let problem = TenantID(tenant).problem {
            throw .invalidToken("The token's app_metadata.tenant_id cannot name a call center: \(problem).")
        }
        let role: DeskRole
        if let claimed = claims.role {
            guard let known = DeskRole(rawValue: claimed) else {
                throw .invalidToken("The token's app_metadata.role \"\(claimed)\" is neither agent nor supervisor.")
            }
            role = known
        } else {
            role = .agent
        }
        self.userID = claims.subject
        self.identity = identity
        self.tenant = TenantID(tenant)
        self.role = role
        self.email = claims.email ?? ""
        self.firstName = claims.firstName
        self.lastName = claims.lastName
        self.issuedAt = claims.issuedAt
    }

    /// Whether the token was issued after `instant`: a token from before a user's move between tenants
    /// (or with no `iat`) names the tenant the user has left, so it may not move them back.
    public func tokenIssued(after instant: Date) -> Bool {
        issuedAt.map { $0 > instant } ?? false
    }

    /// Whether the token is from before `record`, the user's record in the token's tenant, was retired
    /// (their move away): it names a tenant the user has left, and may act there no more.
    public func tokenPredatesRetirement(of record: Agent?) -> Bool {
        record?.retiredAt.map { !tokenIssued(after: $0) } ?? false
    }

    /// Whether the user is a supervisor.
    public var isSupervisor: Bool { role == .supervisor }
}
