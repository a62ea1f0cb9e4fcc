import ArgumentParser

/// The `switchboard` command line: its subcommands and its exit-code conventions.
public struct SwitchboardCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "Rings every available call-center agent at once for Twilio voice calls, or takes a voicemail.",
        subcommands: [
            ServeCommand.self, AgentsCommand.self, NumbersCommand.self, SimulateCommand.self, SignCommand.self, RenderCommand.self,
            LintCommand.self, RenderCallCommand.self, VoicemailsCommand.self, ParkSlotsCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line and returns the process exit code: 0 on success, 1 when the input is
    /// wrong, 2 for usage errors (unknown flags, missing arguments).
    public static func main(arguments: [String]) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { StandardStreams.writeOut(message + "\n") }
                return 0
            }
            if !message.isEmpty { StandardStreams.writeError(message + "\n") }
            return code == .validationFailure ? 2 : code.rawValue
        }
    }
}
