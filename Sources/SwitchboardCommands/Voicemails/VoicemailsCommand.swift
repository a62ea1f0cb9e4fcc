import ArgumentParser
import Foundation
import SwitchboardCore
import SwitchboardVoice
import SwitchboardWebhooks

/// `switchboard voicemails retry-rejected`: saves again the voicemails the store once rejected for
/// good, which the server kept in its spool's `rejected/` (a corrupt database, say, since repaired).
struct VoicemailsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voicemails",
        abstract: "Voicemails the store rejected, kept in the voicemail spool's rejected/ directory.",
        subcommands: [RetryRejected.self]
    )

    struct RetryRejected: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry-rejected",
            abstract: "Save again, oldest first, the voicemails the store rejected for good; each one saved leaves rejected/.",
            discussion: """
                Run it once the cause is mended (a database restored from a backup, say). A line is printed \
                for each file: saved, already stored (the store had it), or rejected again with the store's \
                reason (the file stays). A file that is not a voicemail this version can read (a recording \
                callback that lacked a required field, kept as Twilio sent it) stays for a person to read. \
                When the store cannot be reached, nothing more is tried. Exit code 0 when nothing is left in \
                rejected/, 1 otherwise.
                """
        )

        @Option(
            help: """
                The voicemail spool (env SWITCHBOARD_VOICEMAIL_SPOOL; default the server's: DATABASE-voicemail-spool \
                for the embedded store, switchboard-voicemail-spool for postgrest).
                """
        )
        var voicemailSpool: String?

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let directory = try spoolDirectory(environment: environment)
            // A mistyped path (or the default, relative to another working directory) is said as such,
            // never taken for a spool with nothing rejected.
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                StandardStreams.writeError("switchboard voicemails retry-rejected: no voicemail spool at \(directory)\n")
                throw ExitCode(1)
            }
            let rejected = VoicemailSpool(directory: VoicemailSpool(directory: directory).rejectedDirectory)
            let contents: VoicemailSpool.Contents
            do {
                contents = try rejected.load()
            } catch {
                StandardStreams.writeError("switchboard voicemails retry-rejected: \(error)\n")
                throw ExitCode(1)
            }
            if contents.voicemails.isEmpty && contents.unreadable.isEmpty {
                StandardStreams.writeOut("nothing to retry in \(rejected.directory)\n")
                return
            }
            var left = contents.unreadable.count
            if !contents.voicemails.isEmpty {
                let opened = try await store.open()
                left += await retry(contents.voicemails, from: rejected, in: opened.store)
                try await opened.close()
            }
            for path in contents.unreadable {
                StandardStreams.writeOut("left for a person: \(path) (not a voicemail this version can read)\n")
            }
            if left > 0 { throw ExitCode(1) }
        }

        /// Saves each voicemail, oldest first, and removes the file of each one the store now has.
        /// Returns how many are left in `rejected/`.
        private func retry(
            _ voicemails: [(callback: RecordingStatusCallback, receivedAt: Date, tenant: TenantID?)],
            from rejected: VoicemailSpool,
            in store: some CallStore
        ) async -> Int {
            var left = 0
            for (index, voicemail) in voicemails.enumerated() {
                let sid = voicemail.callback.recordingSid
                let saved: Bool
                do {
                    saved = try await VoiceService.saveVoicemail(
                        of: voicemail.callback,
                        receivedAt: voicemail.receivedAt,
                        tenant: voicemail.tenant,
                        in: store
                    )
                } catch  where error.isWorthRetrying {
                    let untried = voicemails.count - index
                    StandardStreams.writeError(
                        "switchboard voicemails retry-rejected: the store did not take \(sid): \(error); \(untried) left untried\n"
                    )
                    return left + untried
                } catch {
                    StandardStreams.writeOut("rejected again: \(sid): \(error)\n")
                    left += 1
                    continue
                }
                StandardStreams.writeOut(saved ? "saved: \(sid) (call \(voicemail.callback.callSid))\n" : "already stored: \(sid)\n")
                do {
                    try rejected.remove(sid)
                } catch {
                    StandardStreams.writeError("switchboard voicemails retry-rejected: \(sid) is stored, but its file stays: \(error)\n")
                    left += 1
                }
            }
            return left
        }

        /// The flag, the environment, then the server's default for the store.
        private func spoolDirectory(environment: [String: String]) throws -> String {
            if let asked = ServeCommand.askedSpool(voicemailSpool, environment: environment) {
                guard let asked else { throw ValidationError("there is no spool to retry from with --voicemail-spool none") }
                return asked
            }
            switch try store.resolvedKind(environment: environment) {
            case .sqlite:
                return VoicemailSpool.defaultDirectory(sqliteDatabase: try StoreOptions.databasePath(store.database, environment: environment))
            case .postgrest: return VoicemailSpool.defaultDirectory(sqliteDatabase: nil)
            }
        }
    }
}
