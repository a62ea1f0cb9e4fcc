import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

/// Voicemails are committed with `synchronous = FULL`, so a power loss cannot take one Twilio was told
/// is stored; everything else keeps WAL mode's `NORMAL`, and the WAL's size is bounded.
@Suite("SQLite durability")
struct SQLiteDurabilityTests {
    @Test func aDurableJobRunsWithFullSyncAndGivesTheConnectionItsSettingBackEvenWhenItFails() async throws {
        try await TemporaryDatabase.with { path in
            let session = try await SQLiteSession.open(
                path: path,
                busyTimeout: .seconds(1),
                pragmas: ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL"]
            )
            let synchronous: @Sendable (SQLiteStatementRunner) throws(StoreError) -> Int? = { (runner) throws(StoreError) in
                guard let row = try runner.rows("PRAGMA synchronous").first else { return nil }
                return try SQLiteRowReader(table: "pragma", row: row).integer("synchronous")
            }
            #expect(try await session.exclusively(synchronous) == 1)
            #expect(try await session.durably(synchronous) == 2)
            #expect(try await session.exclusively(synchronous) == 1)
            await #expect(throws: StoreError.invalid) {
                try await session.durably { (_) throws(StoreError) -> Int in throw .invalid("refused") }
            }
            #expect(try await session.exclusively(synchronous) == 1)
            try await session.close()
        }
    }

    @Test func theStoreKeepsNormalSyncAndABoundedWALAroundAVoicemail() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            #expect(try await store.diagnosticRows("PRAGMA synchronous") == [["synchronous": "1"]])
            #expect(try await store.diagnosticRows("PRAGMA journal_size_limit") == [["journal_size_limit": "67108864"]])
            let voicemail = Voicemail(
                recordingSid: "RE1",
                callSid: "CA1",
                tenant: .default,
                caller: "+14155551234",
                recordingURL: "https://api.twilio.com/recordings/RE1",
                durationSeconds: 7,
                receivedAt: Clock.at(1)
            )
            #expect(try await store.saveVoicemail(voicemail))
            #expect(try await store.voicemails(in: .default) == [voicemail])
            #expect(try await store.diagnosticRows("PRAGMA synchronous") == [["synchronous": "1"]])
            try await store.close()
        }
    }
}
