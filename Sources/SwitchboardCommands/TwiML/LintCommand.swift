import ArgumentParser
import Foundation

/// `switchboard lint FILE...`: prints every rule violation in TwiML files.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check TwiML files against the model and Twilio's rules.",
        discussion: "Prints file:line:col: rule: message for each problem; exits 1 if any file has one."
    )

    @Argument(help: "TwiML files to check.")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one TwiML file") }
    }

    func run() throws {
        var failed = false
        for file in files {
            let bytes: [UInt8]
            do {
                bytes = try StandardStreams.read(file)
            } catch {
                StandardStreams.writeError("\(file): cannot read: \(error.localizedDescription)\n")
                failed = true
                continue
            }
            let lines = LintTool.lint(bytes, file: file)
            if !lines.isEmpty {
                failed = true
                StandardStreams.writeOut(lines.map { $0 + "\n" }.joined())
            }
        }
        if failed { throw ExitCode(1) }
    }
}
