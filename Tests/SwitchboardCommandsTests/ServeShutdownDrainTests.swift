import ArgumentParser
import Foundation
import SwitchboardCurl
import SwitchboardHTTP
import Testing

@testable import SwitchboardCommands

/// `--shutdown-drain-ms` and `SWITCHBOARD_SHUTDOWN_DRAIN_MS` (none by default): after SIGTERM the server
/// keeps answering, new connections included, while `/readyz` answers 503, then stops.
@Suite struct ServeShutdownDrainTests {
    static func drain(_ arguments: [String], _ environment: [String: String] = [:]) throws -> Duration {
        try ServeCommand.parse(arguments).shutdownDrain(environment: environment)
    }

    @Test func theFlagThenTheEnvironmentThenNone() throws {
        #expect(try Self.drain([]) == .zero)
        #expect(try Self.drain([], ["SWITCHBOARD_SHUTDOWN_DRAIN_MS": "5000"]) == .seconds(5))
        #expect(try Self.drain(["--shutdown-drain-ms", "250"], ["SWITCHBOARD_SHUTDOWN_DRAIN_MS": "5000"]) == .milliseconds(250))
    }

    @Test(arguments: ["-1", "60001", "1.5", "soon", ""])
    func aDrainOutsideZeroToAMinuteIsRefused(value: String) throws {
        #expect(throws: (any Error).self) { try Self.drain([], ["SWITCHBOARD_SHUTDOWN_DRAIN_MS": value]) }
    }

    @Test func aBadFlagStopsTheStartWithAClearMessage() throws {
        let run = try ServiceCommandsTests().cli.run([
            "serve", "--dev", "--port", "0", "--public-url", "https://sb.example.com", "--shutdown-drain-ms", "90000",
        ])
        #expect(run.status != 0)
        #expect(run.stderr.contains("the shutdown drain must be 0 to 60000 milliseconds, not 90000"), "\(run.stderr)")
    }

    @Test func afterSIGTERMCallsAreStillAnsweredAndReadyzSaysShuttingDownUntilTheDrainEnds() async throws {
        let tests = ServiceCommandsTests()
        let directory = try tests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("drain.sqlite").path
        try tests.importAlice(into: database)
        let portFile = PortFile()
        defer { portFile.remove() }
        let server = Process()
        server.executableURL = CommandLineTests.binary
        server.arguments = [
            "serve", "--port", "0", "--port-file", portFile.url.path, "--public-url", ServiceCommandsTests.publicURL, "--auth-token",
            ServiceCommandsTests.token, "--database", database, "--shutdown-drain-ms", "5000",
        ]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let port = try await portFile.port(of: server)
        let transport = CurlTransport()
        defer { Task { await transport.shutdown() } }
        func readyz() async throws -> HTTPResponse {
            try await transport.send(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/readyz"))
        }
        func call(_ callSid: String) throws -> CommandLineTests.Run {
            try tests.cli.run([
                "simulate", "voice", "--server", "http://127.0.0.1:\(port)", "--public-url", ServiceCommandsTests.publicURL,
                "--auth-token", ServiceCommandsTests.token, "--call-sid", callSid,
            ])
        }
        var ready = try await readyz()
        for _ in 0..<50 where ready.status != 200 {
            try await Task.sleep(for: .milliseconds(100))
            ready = try await readyz()
        }
        #expect(ready.status == 200)

        let clock = ContinuousClock()
        let signalled = clock.now
        server.terminate()
        var draining = try await readyz()
        for _ in 0..<60 where draining.status == 200 {
            try await Task.sleep(for: .milliseconds(50))
            draining = try await readyz()
        }
        #expect(draining.status == 503)
        #expect(draining.text == "not ready: shutting down\n")
        // A new connection (each `simulate` is a new process) is accepted and the call rings alice.
        let during = try call("CA-during-drain")
        #expect(clock.now - signalled < .seconds(5), "the call must come within the drain to test it")
        #expect(during.status == 0, "\(during.stderr)")
        #expect(String(decoding: during.stdout, as: UTF8.self).contains(">alice</Client>"))
        // Bounded: a drain that never ends fails the test rather than hanging it.
        while server.isRunning, clock.now - signalled < .seconds(30) { try await Task.sleep(for: .milliseconds(50)) }
        try #require(!server.isRunning, "serve still ran 30 s after SIGTERM")
        let stopped = clock.now - signalled
        #expect(server.terminationStatus == 0, "serve should exit cleanly after the drain")
        #expect(stopped >= .milliseconds(4_900), "serve stopped \(stopped) after SIGTERM, before its 5 s drain ended")
        #expect(stopped < .seconds(20))
        #expect(try call("CA-after-drain").status != 0)
    }
}
