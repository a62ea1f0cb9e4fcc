import Foundation
import SwitchboardCore
import SwitchboardPostgREST
import SwitchboardSQLite
import SwitchboardTestSupport
import SwitchboardVoice
import SwitchboardWebhooks
import Testing

/// `switchboard voicemails retry-rejected` through the real binary: voicemails a store rejected for good,
/// kept in the spool's `rejected/` by the same code the server uses, saved again into a real SQLite file
/// and a real PostgreSQL database (through the test gateway).
@Suite struct VoicemailsCommandTests {
    let cli = CommandLineTests()

    static func callback(_ recordingSid: String, call callSid: String) -> RecordingStatusCallback {
        RecordingStatusCallback(
            accountSid: "AC11111111111111111111111111111111",
            callSid: callSid,
            recordingSid: recordingSid,
            recordingUrl: "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/\(recordingSid)",
            recordingStatus: .completed,
            recordingDuration: 12
        )
    }

    func temporaryDirectory() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-vm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.path
    }

    func output(_ run: CommandLineTests.Run) -> String { String(decoding: run.stdout, as: UTF8.self) }

    @Test func savesWhatTheStoreRejectedAndLeavesWhatNoOneCanRead() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = directory + "/store.sqlite"
        let store = try await SQLiteCallStore(path: database)
        try await store.recordRinging(
            RingingCall(callSid: "CA1", tenant: "acme", caller: "+14155551234", called: "+15005550006", agentsRung: ["alice"], startedAt: Date())
        )
        try await store.close()
        // The spool `serve --database` uses by default, as the server's outbox fills it.
        let spool = VoicemailSpool(directory: database + "-voicemail-spool")
        try spool.reject(Self.callback("RE2", call: "CA2"), receivedAt: Date(timeIntervalSince1970: 2_000), tenant: "globex")
        try spool.reject(Self.callback("RE1", call: "CA1"), receivedAt: Date(timeIntervalSince1970: 1_000))
        let unreadable = try spool.rejectUnreadable(
            try FormParameters.parse(Array("CallSid=CA3".utf8)),
            receivedAt: Date(),
            tenant: nil,
            reason: "RecordingSid is missing"
        )

        let run = try cli.run(["voicemails", "retry-rejected", "--database", database])
        // Oldest first; the file no one can read is left, so the exit code says something is left.
        #expect(
            output(run)
                == "saved: RE1 (call CA1)\nsaved: RE2 (call CA2)\nleft for a person: \(unreadable) (not a voicemail this version can read)\n",
            "\(run.stderr)"
        )
        #expect(run.status == 1)
        let reopened = try await SQLiteCallStore(path: database)
        let acme = try await reopened.voicemails(in: "acme", limit: nil)
        let globex = try await reopened.voicemails(in: "globex", limit: nil)
        try await reopened.close()
        // The call's record gives the tenant and the caller; the callback's own tenant comes first.
        #expect(acme.map(\.recordingSid) == ["RE1"])
        #expect(acme.first?.caller == "+14155551234")
        #expect(acme.first?.receivedAt == Date(timeIntervalSince1970: 1_000))
        #expect(globex.map(\.recordingSid) == ["RE2"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.rejectedDirectory) == [(unreadable as NSString).lastPathComponent])

        let again = try cli.run(["voicemails", "retry-rejected", "--database", database])
        #expect(output(again) == "left for a person: \(unreadable) (not a voicemail this version can read)\n", "\(again.stderr)")
        #expect(again.status == 1)
    }

    @Test func aVoicemailTheStoreAlreadyHasLeavesRejectedAndAnEmptySpoolIsNothingToDo() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = directory + "/store.sqlite"
        let store = try await SQLiteCallStore(path: database)
        let callback = Self.callback("RE1", call: "CA1")
        #expect(try await VoiceService<SQLiteCallStore>.saveVoicemail(of: callback, receivedAt: Date(), tenant: nil, in: store))
        try await store.close()
        let spool = VoicemailSpool(directory: directory + "/spool")
        try spool.reject(callback, receivedAt: Date())

        let run = try cli.run(["voicemails", "retry-rejected", "--database", database, "--voicemail-spool", spool.directory])
        #expect(output(run) == "already stored: RE1\n", "\(run.stderr)")
        #expect(run.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.rejectedDirectory).isEmpty)
        let nothing = try cli.run(["voicemails", "retry-rejected", "--database", database, "--voicemail-spool", spool.directory])
        #expect(output(nothing) == "nothing to retry in \(spool.rejectedDirectory)\n")
        #expect(nothing.status == 0)
        // A spool that is not there (a mistyped path) is an error, not a spool with nothing to retry.
        let mistyped = try cli.run(["voicemails", "retry-rejected", "--database", database, "--voicemail-spool", spool.directory + "-typo"])
        #expect(mistyped.status == 1)
        #expect(mistyped.stderr.contains("no voicemail spool at \(spool.directory)-typo"), "\(mistyped.stderr)")
    }

    @Test func aStoreThatCannotBeReachedIsToldAndEveryFileStays() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spool = VoicemailSpool(directory: directory)
        try spool.reject(Self.callback("RE1", call: "CA1"), receivedAt: Date(timeIntervalSince1970: 1_000))
        try spool.reject(Self.callback("RE2", call: "CA2"), receivedAt: Date(timeIntervalSince1970: 2_000))
        // Nothing listens on port 9 of the loopback address.
        let run = try cli.run([
            "voicemails", "retry-rejected", "--voicemail-spool", directory, "--store", "postgrest", "--supabase-url", "http://127.0.0.1:9",
            "--supabase-service-role-key", "k",
        ])
        #expect(run.status == 1)
        #expect(output(run).isEmpty)
        #expect(run.stderr.contains("the store did not take RE1"), "\(run.stderr)")
        #expect(run.stderr.contains("2 left untried"), "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.rejectedDirectory).sorted() == ["RE1.json", "RE2.json"])
    }

    @Test func aVoicemailPostgreSQLStillRefusesStaysWithTheReason() async throws {
        let gateway = try TestGateway.fromEnvironment()
        try await gateway.withDatabase { (url, _) async throws in
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let spool = VoicemailSpool(directory: directory)
            // The voicemails table allows recording SIDs of 64 characters at most.
            let tooLong = "RE" + String(repeating: "0", count: 63)
            try spool.reject(Self.callback(tooLong, call: "CA1"), receivedAt: Date(timeIntervalSince1970: 1_000))
            try spool.reject(Self.callback("RE2", call: "CA2"), receivedAt: Date(timeIntervalSince1970: 2_000))
            let store = ["--store", "postgrest", "--supabase-url", url, "--supabase-service-role-key", gateway.serviceRoleKey]
            let run = try cli.run(["voicemails", "retry-rejected", "--voicemail-spool", directory] + store)
            let lines = output(run).split(separator: "\n")
            #expect(lines.count == 2, "\(output(run)) \(run.stderr)")
            #expect(lines.first?.hasPrefix("rejected again: \(tooLong): ") == true, "\(output(run))")
            #expect(lines.last == "saved: RE2 (call CA2)")
            #expect(run.status == 1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: spool.rejectedDirectory) == ["\(tooLong).json"])
        }
    }
}
