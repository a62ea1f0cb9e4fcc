import Foundation
import SwitchboardCore
import SwitchboardVoice
import SwitchboardWebhooks
import Testing

/// Voicemails waiting for the store are kept on local disk, one whole file each, and read back oldest
/// first, so a restart loses none.
@Suite struct VoicemailSpoolTests {
    /// A fresh directory that `body` may use; removed afterwards.
    static func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-spool-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    static func files(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    static let full = RecordingStatusCallback(
        accountSid: "AC1",
        callSid: "CA1",
        recordingSid: "RE0123456789abcdef0123456789abcdef",
        recordingUrl: "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE01",
        recordingStatus: .completed,
        recordingDuration: 42,
        recordingChannels: 1,
        recordingSource: "RecordVerb",
        recordingStartTime: "Mon, 23 Nov 2026 12:00:00 +0000"
    )

    @Test func aVoicemailIsKeptWholeAndReadBackWithEveryField() throws {
        try Self.withDirectory { (directory) throws in
            let spool = VoicemailSpool(directory: directory)
            let receivedAt = Date(timeIntervalSince1970: 1_795_000_000.123456)
            try spool.keep(Self.full, receivedAt: receivedAt)
            let contents = try spool.load()
            #expect(contents.unreadable.isEmpty)
            #expect(contents.voicemails.count == 1)
            #expect(contents.voicemails.first?.callback == Self.full)
            #expect(contents.voicemails.first?.receivedAt == receivedAt)
            // One file, and no temporary left behind.
            #expect(try Self.files(in: directory) == ["RE0123456789abcdef0123456789abcdef.json"])
        }
    }

    /// The tenant a recording's callback URL named is kept with it, so a voicemail saved after a
    /// restart is still filed under that tenant; a file written before the tenant was kept reads back
    /// with none (the call's record then decides, as before).
    @Test func theTenantTheCallbackNamedIsKeptAndOldFilesHaveNone() throws {
        try Self.withDirectory { (directory) throws in
            let spool = VoicemailSpool(directory: directory)
            let receivedAt = Date(timeIntervalSince1970: 1_795_000_000)
            try spool.keep(Self.full, receivedAt: receivedAt, tenant: "acme")
            #expect(try spool.load().voicemails.first?.tenant == "acme")
            let path = directory + "/RE0123456789abcdef0123456789abcdef.json"
            var fields = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            #expect(fields["tenant"] as? String == "acme")
            fields["tenant"] = nil
            try JSONSerialization.data(withJSONObject: fields).write(to: URL(fileURLWithPath: path))
            let old = try spool.load()
            #expect(old.unreadable.isEmpty)
            #expect(old.voicemails.first?.callback == Self.full)
            #expect(old.voicemails.first?.tenant == nil)
        }
    }

    @Test func voicemailsAreReadOldestFirstWhateverTheirNames() throws {
        try Self.withDirectory { (directory) throws in
            let spool = VoicemailSpool(directory: directory)
            let start = Date(timeIntervalSince1970: 1_795_000_000)
            for (sid, offset) in [("REa", 30.0), ("REb", 10.0), ("REc", 20.0)] {
                var callback = Self.full
                callback.recordingSid = sid
                try spool.keep(callback, receivedAt: start + offset)
            }
            #expect(try spool.load().voicemails.map(\.callback.recordingSid) == ["REb", "REc", "REa"])
        }
    }

    @Test func aSecondDeliveryOfOneRecordingReplacesItsFile() throws {
        try Self.withDirectory { (directory) throws in
            let spool = VoicemailSpool(directory: directory)
            try spool.keep(Self.full, receivedAt: Date())
            try spool.keep(Self.full, receivedAt: Date())
            #expect(try spool.load().voicemails.count == 1)
        }
    }

    @Test func aRemovedVoicemailIsGoneAndRemovingItAgainIsFine() throws {
        try Self.withDirectory { (directory) throws in
            let spool = VoicemailSpool(directory: directory)
            try spool.keep(Self.full, receivedAt: Date())
            try spool.remove(Self.full.recordingSid)
            #expect(try spool.load().voicemails.isEmpty)
            try spool.remove(Self.full.recordingSid)
            #expect(try Self.files(in: directory).isEmpty)
        }
    }

    @Test func aRejectedVoicemailMovesToRejectedAndIsNotReadAgain() throws {
        try Self.withDirectory { (directory) throws in
            let spool = VoicemailSpool(directory: directory)
            try spool.keep(Self.full, receivedAt: Date())
            let path = try spool.reject(Self.full, receivedAt: Date())
            #expect(path == directory + "/rejected/RE0123456789abcdef0123456789abcdef.json")
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(try spool.load().voicemails.isEmpty)
            #expect(try VoicemailSpool(directory: directory + "/rejected").load().voicemails.map(\.callback) == [Self.full])
        }
    }

    @Test func aVoicemailRejectedBeforeItWaitedIsKeptInRejectedToo() throws {
        try Self.withDirectory { (directory) throws in
            let spool = VoicemailSpool(directory: directory)
            try spool.reject(Self.full, receivedAt: Date())
            #expect(try spool.load().voicemails.isEmpty)
            #expect(try VoicemailSpool(directory: spool.rejectedDirectory).load().voicemails.map(\.callback) == [Self.full])
        }
    }

    @Test func aFileItCannotReadIsReportedAndLeftWhereItIs() throws {
        try Self.withDirectory { (directory) throws in
            let spool = VoicemailSpool(directory: directory)
            try spool.keep(Self.full, receivedAt: Date())
            try Data("{not json".utf8).write(to: URL(fileURLWithPath: directory + "/REbroken.json"))
            try Data(#"{"version": 2}"#.utf8).write(to: URL(fileURLWithPath: directory + "/REfuture.json"))
            // A write cut short by a crash leaves a hidden temporary file, which is not a voicemail.
            try Data("{".utf8).write(to: URL(fileURLWithPath: directory + "/.REhalf.json.123.tmp"))
            let contents = try spool.load()
            #expect(contents.voicemails.map(\.callback) == [Self.full])
            #expect(contents.unreadable == [directory + "/REbroken.json", directory + "/REfuture.json"])
            #expect(FileManager.default.fileExists(atPath: directory + "/REbroken.json"))
        }
    }

    @Test func aCrashsTemporaryFileIsRemovedOnceItIsAnHourOld() throws {
        try Self.withDirectory { (directory) throws in
            let spool = VoicemailSpool(directory: directory)
            try spool.keep(Self.full, receivedAt: Date())
            let old = directory + "/.REold.json.1.tmp"
            let fresh = directory + "/.REfresh.json.2.tmp"
            for path in [old, fresh] { try Data("{".utf8).write(to: URL(fileURLWithPath: path)) }
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3700)], ofItemAtPath: old)
            #expect(try spool.load().voicemails.map(\.callback) == [Self.full])
            #expect(!FileManager.default.fileExists(atPath: old))
            #expect(FileManager.default.fileExists(atPath: fresh), "a write in progress elsewhere must be left alone")
        }
    }

    @Test func noRecordingSidNamesAFileOutsideTheDirectory() throws {
        try Self.withDirectory { (directory) throws in
            let spool = VoicemailSpool(directory: directory + "/spool")
            var callback = Self.full
            callback.recordingSid = "../../escape/é"
            try spool.keep(callback, receivedAt: Date())
            #expect(try Self.files(in: directory) == ["spool"])
            #expect(try Self.files(in: directory + "/spool") == ["%2E%2E%2F%2E%2E%2Fescape%2F%C3%A9.json"])
            #expect(try spool.load().voicemails.map(\.callback.recordingSid) == ["../../escape/é"])
        }
    }

    @Test func aMissingDirectoryHoldsNothing() throws {
        try Self.withDirectory { (directory) throws in
            let contents = try VoicemailSpool(directory: directory + "/never-made").load()
            #expect(contents.voicemails.isEmpty)
            #expect(contents.unreadable.isEmpty)
        }
    }

    @Test func aDirectoryThatCannotBeMadeIsAClearError() throws {
        try Self.withDirectory { (directory) throws in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let file = directory + "/a-file"
            try Data("x".utf8).write(to: URL(fileURLWithPath: file))
            let error = #expect(throws: SpoolError.self) { try VoicemailSpool(directory: file).prepare() }
            #expect(error?.path == file)
            #expect(error?.reason == "not a directory")
            let below = #expect(throws: SpoolError.self) { try VoicemailSpool(directory: file + "/spool").keep(Self.full, receivedAt: Date()) }
            #expect(below?.description == "\(file)/spool: Not a directory")
        }
    }
}
