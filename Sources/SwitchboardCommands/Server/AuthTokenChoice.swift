import ArgumentParser

/// The Twilio Auth Tokens `switchboard serve` accepts: the `--auth-token` flags when any is given,
/// else `TWILIO_AUTH_TOKEN` and `TWILIO_AUTH_TOKEN_SECONDARY`, else, with `--dev`, one made up.
public struct AuthTokenChoice: Equatable, Sendable {
    /// The tokens, the primary first (Twilio's REST API uses it).
    public var tokens: [String]
    /// Whether the token was made up (`--dev` and none given): only such a token may be printed.
    public var madeUp: Bool
    /// The token variables that are set but not used, because `--auth-token` was given: the server
    /// warns about them, since a token being rotated in that is silently ignored fails every webhook
    /// once Twilio signs with it.
    public var ignoredVariables: [String]

    /// A choice, as ``choose(flags:environment:dev:makeToken:)`` makes it.
    public init(tokens: [String], madeUp: Bool, ignoredVariables: [String]) {
        self.tokens = tokens
        self.madeUp = madeUp
        self.ignoredVariables = ignoredVariables
    }

    /// The variables the tokens fall back to, the primary first.
    public static let variables = ["TWILIO_AUTH_TOKEN", "TWILIO_AUTH_TOKEN_SECONDARY"]

    /// Chooses the tokens.
    /// - Throws: `ValidationError` for an empty `--auth-token`, or no token at all without `dev`.
    public static func choose(
        flags: [String],
        environment: [String: String],
        dev: Bool,
        makeToken: () -> String
    ) throws -> AuthTokenChoice {
        let setVariables = variables.filter { !(environment[$0] ?? "").isEmpty }
        if !flags.isEmpty {
            if flags.contains(where: \.isEmpty) { throw ValidationError("an --auth-token is empty") }
            return AuthTokenChoice(tokens: flags, madeUp: false, ignoredVariables: setVariables)
        }
        let fromEnvironment = setVariables.compactMap { environment[$0] }
        if !fromEnvironment.isEmpty {
            return AuthTokenChoice(tokens: fromEnvironment, madeUp: false, ignoredVariables: [])
        }
        guard dev else {
            throw ValidationError("no Twilio Auth Token: give --auth-token or TWILIO_AUTH_TOKEN (or --dev to make one up)")
        }
        return AuthTokenChoice(tokens: [makeToken()], madeUp: true, ignoredVariables: [])
    }
}
