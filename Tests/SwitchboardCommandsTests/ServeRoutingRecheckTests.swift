import ArgumentParser
import Foundation
import Testing

@testable import SwitchboardCommands

/// `--routing-recheck-ms` and `SWITCHBOARD_ROUTING_RECHECK_MS` (100 ms by default): the flag first, then
/// the environment, then the default; and a running service sees another process's change in time.
@Suite struct ServeRoutingRecheckTests {
    static func interval(_ arguments: [String], _ environment: [String: String] = [:]) throws -> Duration {
        try ServeCommand.parse(arguments).routingRecheckInterval(environment: environment)
    }

    @Test func theFlagThenTheEnvironmentThenTheDefault() throws {
        #expect(try Self.interval([]) == .milliseconds(100))
        #expect(try Self.interval([], ["SWITCHBOARD_ROUTING_RECHECK_MS": "0"]) == .zero)
        #expect(try Self.interval(["--routing-recheck-ms", "250"], ["SWITCHBOARD_ROUTING_RECHECK_MS": "0"]) == .milliseconds(250))
    }

    @Test(arguments: ["-1", "10001", "0.5", "soon", ""])
    func anIntervalOutsideZeroToTenSecondsIsRefused(value: String) throws {
        #expect(throws: (any Error).self) { try Self.interval([], ["SWITCHBOARD_ROUTING_RECHECK_MS": value]) }
    }

    @Test func aBadFlagStopsTheStartWithAClearMessage() throws {
        let run = try ServiceCommandsTests().cli.run([
            "serve", "--dev", "--port", "0", "--public-url", "https://sb.example.com", "--routing-recheck-ms", "20000",
        ])
        #expect(run.status != 0)
        #expect(run.stderr.contains("the routing recheck interval must be 0 to 10000 milliseconds, not 20000"), "\(run.stderr)")
    }

    /// `agents set-presence` is another process: the service's next calls stop ringing the agent once the
    /// interval has passed.
    @Test func anotherProcesssPresenceChangeReachesCallsWithinTheInterval() async throws {
        let tests = ServiceCommandsTests()
        let directory = try tests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("recheck.sqlite").path
        let agents =
            #"[{"identity": "alice", "name": "A", "email": "a@x.com", "presence": "available"}, {"identity": "bob", "name": "B", "email": "b@x.com", "presence": "available"}]"#
        #expect(try tests.cli.run(["agents", "import", "-", "--database", database], stdin: Array(agents.utf8)).status == 0)
        try await tests.withServer(["--database", database, "--routing-recheck-ms", "200"]) { port, reply in
            let first = String(decoding: reply.stdout, as: UTF8.self)
            #expect(first.contains(">alice</Client>") && first.contains(">bob</Client>"), "\(first)")
            #expect(try tests.cli.run(["agents", "set-presence", "alice", "away", "--database", database]).status == 0)
            try await Task.sleep(for: .milliseconds(400))
            let simulate = [
                "simulate", "voice", "--server", "http://127.0.0.1:\(port)", "--public-url", ServiceCommandsTests.publicURL,
                "--auth-token", ServiceCommandsTests.token, "--call-sid", "CA-after",
            ]
            let after = try tests.cli.run(simulate)
            #expect(after.status == 0, "\(after.stderr)")
            let rung = String(decoding: after.stdout, as: UTF8.self)
            #expect(!rung.contains(">alice</Client>") && rung.contains(">bob</Client>"), "\(rung)")
        }
    }
}
