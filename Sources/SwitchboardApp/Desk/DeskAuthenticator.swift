import Hummingbird
import JWTKit
import SwitchboardDesk

/// Reads the signed-in user from a request's `Authorization: Bearer` token: HS256 with the
/// project's JWT secret (jwt-kit checks the signature and the algorithm), `exp` not passed, `aud`
/// including the configured audience, then the claims ``DeskUser`` reads.
struct DeskAuthenticator: Sendable {
    private let keys: Task<JWTKeyCollection, Never>
    private let audience: String

    init(configuration: TokenConfiguration) {
        let secret = configuration.secret
        self.keys = Task {
            let keys = JWTKeyCollection()
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
            return keys
        }
        self.audience = configuration.audience
    }

    /// The user, or the 401/403 error to answer.
    func user(for request: Request) async throws(DeskError) -> DeskUser {
        guard let header = request.headers[.authorization] else { throw .missingToken }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw .invalidToken("The Authorization header must be Bearer <access token>.")
        }
        let payload: AccessTokenPayload
        do {
            payload = try await keys.value.verify(String(parts[1]), as: AccessTokenPayload.self)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure && error.failedClaim is ExpirationClaim {
            throw .tokenExpired
        } catch {
            throw .invalidToken()
        }
        do {
            try payload.aud.verifyIntendedAudience(includes: audience)
        } catch {
            throw .invalidToken("The access token was not issued for this service.")
        }
        let claims = AccessClaims(
            subject: payload.sub.value,
            email: payload.email,
            tenantID: payload.appMetadata?.tenantID,
            role: payload.appMetadata?.role,
            firstName: payload.userMetadata?.firstName,
            lastName: payload.userMetadata?.lastName,
            issuedAt: payload.iat?.value
        )
        return try DeskUser(claims: claims)
    }
}
