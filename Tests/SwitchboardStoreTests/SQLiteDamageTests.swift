import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

/// A file damaged where readiness does not look: the voicemails table's pages overwritten while the store
/// was closed. Readiness alone (one write to the routing version) still passes; once a read meets the
/// damage, the store is not ready, and says why, until it is opened again on a repaired file.
@Suite struct SQLiteDamageTests {
    @Test func damageAReadMeetsMakesTheStoreNotReady() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            for index in 0..<200 {
                try await store.saveVoicemail(
                    Voicemail(
                        recordingSid: "RE\(index)",
                        callSid: "CA\(index)",
                        tenant: "acme",
                        caller: "+14155551234",
                        recordingURL: "https://api.twilio.com/recordings/RE\(index)-" + String(repeating: "x", count: 100),
                        durationSeconds: 7,
                        receivedAt: Date(timeIntervalSince1970: Double(index))
                    )
                )
            }
            let pageSizeRows = try await store.diagnosticRows("PRAGMA page_size")
            let pageSize = try #require(pageSizeRows.first?.values.first.flatMap { Int($0) })
            let rootRows = try await store.diagnosticRows("SELECT rootpage FROM sqlite_master WHERE name = 'voicemails'")
            let root = try #require(rootRows.first?["rootpage"].flatMap { Int($0) })
            try await store.close()

            // The table's root page, overwritten with bytes no b-tree page starts with.
            let file = try #require(FileHandle(forUpdatingAtPath: path))
            try file.seek(toOffset: UInt64((root - 1) * pageSize))
            try file.write(contentsOf: Data(repeating: 0xEE, count: pageSize))
            try file.close()

            let damaged = try await SQLiteCallStore(path: path)
            try await damaged.checkReady()  // The write readiness makes is elsewhere in the file.
            await #expect(throws: StoreError.corrupt) { try await damaged.voicemails(in: "acme", limit: nil) }
            let error = await #expect(throws: StoreError.corrupt) { try await damaged.checkReady() }
            #expect(error?.message.contains("reported damage") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("restore it from a backup") == true)
            // Still not ready after another statement has succeeded.
            #expect(try await damaged.agents(in: nil) == [])
            await #expect(throws: StoreError.corrupt) { try await damaged.checkReady() }
            try await damaged.close()
        }
    }

    @Test func onlyTheCodesOfADamagedFileCount() {
        // SQLITE_CORRUPT, its extended SQLITE_CORRUPT_INDEX, SQLITE_FORMAT, SQLITE_NOTADB.
        for code: Int32 in [11, 779, 24, 26] { #expect(SQLiteHandle.isDamage(code), "\(code)") }
        // SQLITE_BUSY, SQLITE_CONSTRAINT_UNIQUE, SQLITE_IOERR, SQLITE_FULL.
        for code: Int32 in [5, 2067, 10, 13] { #expect(!SQLiteHandle.isDamage(code), "\(code)") }
    }
}
