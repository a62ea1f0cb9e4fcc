import JWTKit

/// The claims of a Supabase access token, as jwt-kit decodes and checks them. `exp` and `aud` are
/// required; `exp` is checked here, `aud` by ``DeskAuthenticator`` (the expected audience is
/// configuration).
struct AccessTokenPayload: JWTPayload {
    struct AppMetadata: Codable, Sendable {
        var tenantID: String?
        var role: String?

        enum CodingKeys: String, CodingKey {
            case tenantID = "tenant_id"
            case role
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            // A numeric tenant id is accepted as its decimal text.
            if let text = try? container.decodeIfPresent(String.self, forKey: .tenantID) {
                tenantID = text
            } else if let number = try? container.decodeIfPresent(Int.self, forKey: .tenantID) {
                tenantID = String(number)
            }
            // A role that is there must be text: a token whose role is a number or a list is not one
            // this service understands (401), rather than a plain agent's.
            role = try container.decodeIfPresent(String.self, forKey: .role)
        }
    }

    struct UserMetadata: Codable, Sendable {
        var firstName: String?
        var lastName: String?

        enum CodingKeys: String, CodingKey {
            case firstName = "first_name"
            case lastName = "last_name"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            firstName = try? container.decodeIfPresent(String.self, forKey: .firstName)
            lastName = try? container.decodeIfPresent(String.self, forKey: .lastName)
        }
    }

    var sub: SubjectClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim?
    var nbf: NotBeforeClaim?
    var aud: AudienceClaim
    var email: String?
    var appMetadata: AppMetadata?
    var userMetadata: UserMetadata?

    enum CodingKeys: String, CodingKey {
        case sub, exp, iat, nbf, aud, email
        case appMetadata = "app_metadata"
        case userMetadata = "user_metadata"
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        // A token not valid yet is refused as any invalid one is.
        try nbf?.verifyNotBefore()
    }
}
