import SwitchboardCommands
import Testing

/// Which Twilio Auth Tokens `switchboard serve` accepts, and which it may print.
@Suite struct AuthTokenChoiceTests {
    func choose(_ flags: [String], _ environment: [String: String], dev: Bool = false) throws -> AuthTokenChoice {
        try AuthTokenChoice.choose(flags: flags, environment: environment, dev: dev) { "made-up" }
    }

    @Test func theEnvironmentGivesThePrimaryThenTheTokenBeingRotatedIn() throws {
        let both = try choose([], ["TWILIO_AUTH_TOKEN": "primary", "TWILIO_AUTH_TOKEN_SECONDARY": "next"])
        #expect(both == AuthTokenChoice(tokens: ["primary", "next"], madeUp: false, ignoredVariables: []))
        let secondaryOnly = try choose([], ["TWILIO_AUTH_TOKEN": "", "TWILIO_AUTH_TOKEN_SECONDARY": "next"])
        #expect(secondaryOnly.tokens == ["next"])
    }

    /// Flags replace the variables, and the ones they leave unused are named so the server can warn.
    @Test func flagsReplaceTheVariablesAndNameTheOnesTheyIgnore() throws {
        let choice = try choose(["a", "b"], ["TWILIO_AUTH_TOKEN": "primary", "TWILIO_AUTH_TOKEN_SECONDARY": "next"])
        #expect(
            choice == AuthTokenChoice(tokens: ["a", "b"], madeUp: false, ignoredVariables: ["TWILIO_AUTH_TOKEN", "TWILIO_AUTH_TOKEN_SECONDARY"])
        )
        #expect(try choose(["a"], ["TWILIO_AUTH_TOKEN": ""]).ignoredVariables.isEmpty)
        #expect(throws: (any Error).self) { try choose(["a", ""], [:]) }
    }

    /// Only a token made up for `--dev` may be printed: a real secondary token, given alone with
    /// `--dev`, is used and never marked for printing.
    @Test func devMakesATokenOnlyWhenNoneIsGiven() throws {
        #expect(try choose([], [:], dev: true) == AuthTokenChoice(tokens: ["made-up"], madeUp: true, ignoredVariables: []))
        let real = try choose([], ["TWILIO_AUTH_TOKEN_SECONDARY": "secret"], dev: true)
        #expect(real == AuthTokenChoice(tokens: ["secret"], madeUp: false, ignoredVariables: []))
        #expect(try choose(["flag"], [:], dev: true).madeUp == false)
        #expect(throws: (any Error).self) { try choose([], [:]) }
    }
}
