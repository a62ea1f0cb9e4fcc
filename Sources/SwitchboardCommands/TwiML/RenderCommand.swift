import ArgumentParser
import Foundation

/// `switchboard render [FILE|-]`: prints the TwiML for one JSON element tree.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the TwiML for a JSON element tree.",
        discussion: """
            The tree is {"name": "Response", "attributes": {"k": "v"}, "text": "…", "children": [ … ]}; every key \
            but name is optional. Problems are printed one per line on stderr, each naming its element path \
            (Response/Dial[1]/Client[3]), and the exit code is 1. Documents that render but break one of \
            Twilio's rules (see switchboard lint) print a warning on stderr and exit 0.
            """
    )

    @Argument(help: "The JSON file, or - for standard input.")
    var file: String = "-"

    @Flag(help: "Keep attributes the model does not know instead of refusing them.")
    var allowUnknownAttributes = false

    func run() throws {
        let json: [UInt8]
        do {
            json = try StandardStreams.read(file)
        } catch {
            StandardStreams.writeError("switchboard render: cannot read \(file): \(error.localizedDescription)\n")
            throw ExitCode(1)
        }
        switch RenderTool.render(json: json, allowUnknownAttributes: allowUnknownAttributes) {
        case .success(let rendered):
            StandardStreams.writeError(rendered.warnings.map { "\(file): \($0)\n" }.joined())
            StandardStreams.writeOut(rendered.bytes)
        case .failure(let failure):
            StandardStreams.writeError(failure.messages.map { "\(file): \($0)\n" }.joined())
            throw ExitCode(1)
        }
    }
}
