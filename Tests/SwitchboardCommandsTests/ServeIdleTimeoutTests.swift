import ArgumentParser
import SwitchboardApp
import Testing

@testable import SwitchboardCommands

/// `--idle-timeout` and `SWITCHBOARD_IDLE_TIMEOUT`: the flag first, then the environment, then 75 s.
@Suite struct ServeIdleTimeoutTests {
    static let tokens = AuthTokenChoice(tokens: ["primary"], madeUp: false, ignoredVariables: [])

    static func idleTimeout(_ arguments: [String], _ environment: [String: String] = [:]) throws -> Duration {
        let command = try ServeCommand.parse(arguments + ["--public-url", "https://sb.example.com"])
        return try command.appConfiguration(environment: environment, tokens: tokens).idleTimeout
    }

    @Test func theFlagThenTheEnvironmentThenTheDefault() throws {
        #expect(try Self.idleTimeout([]) == .seconds(75))
        #expect(try Self.idleTimeout([], ["SWITCHBOARD_IDLE_TIMEOUT": "90"]) == .seconds(90))
        #expect(try Self.idleTimeout(["--idle-timeout", "12.5"], ["SWITCHBOARD_IDLE_TIMEOUT": "90"]) == .milliseconds(12_500))
    }

    @Test(arguments: ["0", "0.5", "-3", "nan", "inf", "100000", "soon"])
    func aTimeoutOutsideOneSecondToADayIsRefused(value: String) throws {
        #expect(throws: (any Error).self) { try Self.idleTimeout([], ["SWITCHBOARD_IDLE_TIMEOUT": value]) }
    }
}
