import ArgumentParser
import Foundation
import SwitchboardCurl
import SwitchboardDesk
import SwitchboardHTTP
import SwitchboardTwilioREST

/// `switchboard park-slots prune`: deletes the Twilio queues of parks whose caller has left. The
/// server deletes each park's queue once Twilio reports the caller left it; this command deletes those
/// it could not (Twilio or the network failed then, the server stopped first) and those of versions that
/// did not delete them.
struct ParkSlotsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "park-slots",
        abstract: "The Twilio queues parked calls wait in (park_<CallSid>).",
        subcommands: [Prune.self]
    )

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prune",
            abstract: "Delete the park slots (Twilio queues named park_…) that no caller waits in.",
            discussion: """
                Lists every queue of the account, then deletes each empty one named as a park slot: park_ and \
                a call SID (CA and 32 hex digits). \
                A slot with a caller waiting is kept; Twilio refuses to delete a queue a caller entered after \
                the list was read, and such a slot is reported as not deleted. Other queues are never touched. \
                A line is printed for each park slot, then a summary. Exit code 0 when every empty slot was \
                deleted (or, with --dry-run, listed), 1 otherwise.
                """
        )

        @OptionGroup var twilioAPI: TwilioAPIOptions

        @Option(help: "The account's Auth Token (env TWILIO_AUTH_TOKEN). Prefer the variable.")
        var authToken: String?

        @Flag(help: "List the slots that would be deleted, and delete none.")
        var dryRun = false

        func run() async throws {
            let configuration = try resolve(environment: ProcessInfo.processInfo.environment)
            let transport = CurlTransport()
            let client = TwilioRESTClient(configuration: configuration, transport: transport)
            let failed = await prune(with: client)
            await transport.shutdown()
            if failed { throw ExitCode(1) }
        }

        /// Lists, then deletes; answers whether anything failed.
        private func prune(with client: TwilioRESTClient<CurlTransport>) async -> Bool {
            let queues: [TwilioQueue]
            do {
                queues = try await client.listQueues()
            } catch {
                StandardStreams.writeError("switchboard park-slots prune: could not list the account's queues: \(error)\n")
                return true
            }
            let slots = queues.filter { ParkRules.isSlot(named: $0.friendlyName) }
            var deleted = 0
            var kept = 0
            var failures = 0
            for slot in slots {
                let name = "\(slot.sid) \(slot.friendlyName)"
                guard slot.currentSize == 0 else {
                    StandardStreams.writeOut("kept: \(name) (\(slot.currentSize) waiting)\n")
                    kept += 1
                    continue
                }
                if dryRun {
                    StandardStreams.writeOut("would delete: \(name)\n")
                    deleted += 1
                    continue
                }
                do {
                    try await client.deleteQueue(slot.sid)
                    StandardStreams.writeOut("deleted: \(name)\n")
                    deleted += 1
                } catch let error where error.status == 404 {
                    StandardStreams.writeOut("deleted already: \(name)\n")
                    deleted += 1
                } catch {
                    StandardStreams.writeOut("not deleted: \(name): \(error)\n")
                    failures += 1
                }
            }
            let verb = dryRun ? "to delete" : "deleted"
            StandardStreams.writeOut(
                "\(slots.count) park slots of \(queues.count) queues: \(deleted) \(verb), \(kept) kept with a caller waiting, \(failures) not deleted\n"
            )
            return failures > 0
        }

        /// The flags, then the environment, then the default base URL (as `serve` reads them).
        func resolve(environment: [String: String]) throws -> TwilioRESTConfiguration {
            guard let sid = twilioAPI.accountSID(environment: environment) else {
                throw ValidationError("the Twilio account SID is missing: --twilio-account-sid or TWILIO_ACCOUNT_SID")
            }
            return try twilioAPI.configuration(accountSID: sid, authToken: authToken ?? environment["TWILIO_AUTH_TOKEN"], environment: environment)
        }
    }
}
