import Crypto
import Foundation

/// Makes access tokens the way Supabase does (HS256 over base64url JSON), by hand with swift-crypto,
/// so the service's jwt-kit check is tested against an independent signer.
enum TokenMinter {
    static let secret = "super-secret-jwt-token-with-at-least-32-characters-long"

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A token with `claims` as its payload, signed with `secret` (HS256) or unsigned (`alg: none`).
    static func token(claims: [String: Any], secret: String = secret, algorithm: String = "HS256") -> String {
        let header = try! JSONSerialization.data(withJSONObject: ["alg": algorithm, "typ": "JWT"], options: [.sortedKeys])
        let payload = try! JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        let signingInput = base64URL(header) + "." + base64URL(payload)
        switch algorithm {
        case "HS256":
            let mac = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: SymmetricKey(data: Data(secret.utf8)))
            return signingInput + "." + base64URL(Data(mac))
        case "HS512":
            let mac = HMAC<SHA512>.authenticationCode(for: Data(signingInput.utf8), using: SymmetricKey(data: Data(secret.utf8)))
            return signingInput + "." + base64URL(Data(mac))
        default:
            return signingInput + "."
        }
    }

    /// A user's token: Supabase's claims with the tenant and role in `app_metadata`.
    static func user(
        _ sub: String,
        tenant: String? = "acme",
        role: String? = nil,
        email: String = "ann.lee@example.com",
        firstName: String? = nil,
        lastName: String? = nil,
        expiresIn: TimeInterval = 3600,
        issuedAt: Date = Date(),
        audience: Any = "authenticated",
        secret: String = secret,
        algorithm: String = "HS256"
    ) -> String {
        var app: [String: Any] = ["provider": "email"]
        if let tenant { app["tenant_id"] = tenant }
        if let role { app["role"] = role }
        var userMetadata: [String: Any] = [:]
        if let firstName { userMetadata["first_name"] = firstName }
        if let lastName { userMetadata["last_name"] = lastName }
        let now = issuedAt.timeIntervalSince1970
        let claims: [String: Any] = [
            "sub": sub, "email": email, "aud": audience, "role": "authenticated", "iat": Int(now),
            "exp": Int(Date().timeIntervalSince1970 + expiresIn), "app_metadata": app, "user_metadata": userMetadata,
        ]
        return token(claims: claims, secret: secret, algorithm: algorithm)
    }
}
