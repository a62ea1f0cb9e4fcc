import ArgumentParser
import SwitchboardApp
import Testing

@testable import SwitchboardCommands

/// `--idle-timeout` and `SWITCHBOARD_IDLE_TIMEOUT` (75 s by default), `--request-timeout` and
/// `SWITCHBOARD_REQUEST_TIMEOUT` (30 s): the flag first, then the environment, then the default.
@Suite struct ServeTimeoutTests {
    static let tokens = AuthTokenChoice(tokens: ["primary"], madeUp: false, ignoredVariables: [])

    static func configuration(_ arguments: [String], _ environment: [String: String]) throws -> AppConfiguration {
        let command = try ServeCommand.parse(arguments + ["--public-url", "https://sb.example.com"])
        return try command.appConfiguration(environment: environment, tokens: tokens)
    }

    static func idleTimeout(_ arguments: [String], _ environment: [String: String] = [:]) throws -> Duration {
        try configuration(arguments, environment).idleTimeout
    }

    static func requestTimeout(_ arguments: [String], _ environment: [String: String] = [:]) throws -> Duration {
        try configuration(arguments, environment).requestTimeout
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

    @Test func theRequestTimeoutFromTheFlagThenTheEnvironmentThenTheDefault() throws {
        #expect(try Self.requestTimeout([]) == .seconds(30))
        #expect(try Self.requestTimeout([], ["SWITCHBOARD_REQUEST_TIMEOUT": "10"]) == .seconds(10))
        #expect(try Self.requestTimeout(["--request-timeout", "2.5"], ["SWITCHBOARD_REQUEST_TIMEOUT": "10"]) == .milliseconds(2_500))
    }

    @Test(arguments: ["0", "0.5", "-3", "nan", "inf", "100000", "soon"])
    func aRequestTimeoutOutsideOneSecondToADayIsRefused(value: String) throws {
        #expect(throws: (any Error).self) { try Self.requestTimeout([], ["SWITCHBOARD_REQUEST_TIMEOUT": value]) }
        #expect(throws: (any Error).self) { try Self.requestTimeout(["--request-timeout", value]) }
    }
}
