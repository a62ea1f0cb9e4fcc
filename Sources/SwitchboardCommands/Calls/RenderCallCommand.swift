import ArgumentParser
import Foundation

/// `switchboard render-call FILE`: prints the TwiML the service would answer for a call scenario.
struct RenderCallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render-call",
        abstract: "Print the TwiML the service would answer for a route, a form body and an agents snapshot.",
        discussion: """
            FILE is a JSON scenario: {"route": "/twilio/voice", "body": "<form-encoded body>", "now": "<ISO 8601>", \
            "publicURL": "…", "agents": [{"identity": "alice", …}], "numbers": {"+1…": "tenant"}, \
            "store": "available"|"unavailable"}. The outcome is printed on stderr.
            """
    )

    @Argument(help: "The scenario file, or - for standard input.")
    var file: String

    func run() async throws {
        let json: [UInt8]
        do {
            json = try StandardStreams.read(file)
        } catch {
            StandardStreams.writeError("switchboard render-call: cannot read \(file): \(error.localizedDescription)\n")
            throw ExitCode(1)
        }
        do {
            let result = try await RenderCallTool.render(json: json)
            StandardStreams.writeError("outcome: \(result.outcome)\(result.reason.map { " (\($0))" } ?? "")\n")
            StandardStreams.writeOut(result.bytes)
        } catch {
            StandardStreams.writeError("\(file): \(error.message)\n")
            throw ExitCode(1)
        }
    }
}
