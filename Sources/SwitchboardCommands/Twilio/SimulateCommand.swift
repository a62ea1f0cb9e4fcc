import ArgumentParser
import Foundation
import SwitchboardWebhooks

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `switchboard simulate voice|dial-status …`: posts a correctly signed Twilio callback to a running
/// server and prints the reply, so the service can be tried without a Twilio account.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Post a signed Twilio callback to a running server and print the reply.",
        discussion: "Example: switchboard simulate voice --auth-token $TOKEN --from +14155551234 --to +15005550006"
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case voice
        case dialStatus = "dial-status"
    }

    @Argument(help: "voice or dial-status.")
    var kind: Kind

    @Option(help: "Where the server listens.")
    var server = "http://127.0.0.1:8080"

    @Option(help: "The public URL the server signs with (its --public-url); default: --server.")
    var publicURL: String?

    @Option(help: "The Auth Token the server accepts.")
    var authToken: String

    @Option(help: "The caller.")
    var from = "+14155551234"

    @Option(help: "The number called.")
    var to = "+15005550006"

    @Option(help: "The call SID; default: a new one.")
    var callSid: String?

    @Option(help: "For dial-status: completed, answered, busy, no-answer, failed or canceled.")
    var dialCallStatus = "no-answer"

    @Option(
        help: """
            For dial-status: the tenant the call's <Dial action> names (?tenant=…), as the server's answer to \
            a call of any tenant but the default one does.
            """
    )
    var tenant: String?

    func validate() throws {
        if tenant != nil, kind != .dialStatus {
            throw ValidationError("--tenant goes with dial-status: a voice call's tenant comes from the number called")
        }
        for (name, url) in [("--server", server), ("--public-url", publicURL)] {
            guard let url else { continue }
            guard url.hasPrefix("http://") || url.hasPrefix("https://"), let parsed = URL(string: url), parsed.host?.isEmpty == false else {
                throw ValidationError("\(name) \(url) is not an http:// or https:// URL with a host (say http://127.0.0.1:8080)")
            }
        }
    }

    func run() async throws {
        var path = kind == .voice ? "/twilio/voice" : "/twilio/dial-status"
        if let tenant, kind == .dialStatus {
            let query: FormParameters = ["tenant": tenant]
            path += "?" + query.encoded()
        }
        let sid = callSid ?? "CA" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        var form: FormParameters = [
            "AccountSid": "AC" + String(repeating: "0", count: 32), "ApiVersion": "2010-04-01", "CallSid": sid,
            "CallStatus": kind == .voice ? "ringing" : "in-progress", "Direction": "inbound", "From": from, "To": to,
        ]
        if kind == .dialStatus { form.append(name: "DialCallStatus", value: dialCallStatus) }
        let signed = (publicURL ?? server).trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path
        guard let url = URL(string: server.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path) else {
            throw ValidationError("--server \(server) is not a URL")
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue(SignatureValidator.signature(token: authToken, url: signed, parameters: form), forHTTPHeaderField: "X-Twilio-Signature")
        request.httpBody = Data(form.encoded().utf8)
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            StandardStreams.writeError("HTTP \(status)\n")
            StandardStreams.writeOut(Array(data))
            StandardStreams.writeOut("\n")
            if status != 200 { throw ExitCode(1) }
        } catch let error as ExitCode {
            throw error
        } catch {
            StandardStreams.writeError("switchboard simulate: cannot reach \(server): \(error.localizedDescription)\n")
            throw ExitCode(1)
        }
    }
}
