import ArgumentParser
import SwitchboardWebhooks

/// `switchboard sign --auth-token T --url URL [FORM|-]`: prints the `X-Twilio-Signature` Twilio would
/// send for a form body.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sign", abstract: "Print the X-Twilio-Signature for a form-encoded body.")

    @Option(help: "The Auth Token.")
    var authToken: String

    @Option(help: "The full URL Twilio requests, query included.")
    var url: String

    @Argument(help: "The form-encoded body, or - for standard input.")
    var form: String = "-"

    func run() throws {
        let bytes = form == "-" ? try StandardStreams.read("-") : Array(form.utf8)
        let trimmed = bytes.last == UInt8(ascii: "\n") ? Array(bytes.dropLast()) : bytes
        do {
            let parameters = try FormParameters.parse(trimmed)
            StandardStreams.writeOut(SignatureValidator.signature(token: authToken, url: url, parameters: parameters) + "\n")
        } catch {
            StandardStreams.writeError("switchboard sign: \(error)\n")
            throw ExitCode(1)
        }
    }

    func validate() throws {
        guard !authToken.isEmpty else { throw ValidationError("the Auth Token is empty") }
    }
}
