import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

/// `/readyz` on the embedded store says whether calls can be served: a store that only reads is not.
@Suite struct SQLiteReadinessTests {
    @Test func aStoreThatCannotWriteIsNotReady() async throws {
        try await TemporaryDatabase.with { path in
            let holder = try await SQLiteCallStore(path: path)
            let store = try await SQLiteCallStore(path: path, configuration: .init(busyTimeout: .milliseconds(200)))
            try await store.checkReady()
            // Another connection holds the write lock: reads still work, writes do not.
            _ = try await holder.diagnosticRows("BEGIN IMMEDIATE")
            #expect(try await store.agents(in: nil) == [])
            await #expect(throws: StoreError.timeout) { try await store.checkReady() }
            _ = try await holder.diagnosticRows("ROLLBACK")
            try await store.checkReady()
            try await holder.close()
            try await store.close()
        }
    }

    /// The probe's write changes no routing version, so it costs the voice route no fresh read.
    @Test func theProbeLeavesTheRoutingVersionAlone() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            try await store.upsertAgent(.new("amy"))
            let before = try await store.diagnosticRows("SELECT version FROM routing_version")
            for _ in 0..<3 { try await store.checkReady() }
            #expect(try await store.diagnosticRows("SELECT version FROM routing_version") == before)
            try await store.close()
        }
    }

    /// The probe's write reaches the file (another connection sees a commit), so a full or read-only
    /// disk fails it; a write of a value to itself commits nothing and passed on both.
    @Test func theProbeCommitsAWrite() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            let observer = try await SQLiteCallStore(path: path)
            let before = try await observer.diagnosticRows("PRAGMA data_version")
            try await store.checkReady()
            let after = try await observer.diagnosticRows("PRAGMA data_version")
            #expect(before != after, "no commit reached the file: \(before) then \(after)")
            try await observer.close()
            try await store.close()
        }
    }

    /// A voicemail for a removed file is refused (the route then keeps it in the spool) rather than
    /// acknowledged and lost at the next start.
    @Test func aVoicemailForARemovedFileIsRefused() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            let voicemail = Voicemail(
                recordingSid: "RE1",
                callSid: "CA1",
                tenant: .default,
                caller: "+1",
                recordingURL: "https://x",
                durationSeconds: 3,
                receivedAt: Date()
            )
            try FileManager.default.removeItem(atPath: path)
            let refused = await #expect(throws: StoreError.self) { try await store.saveVoicemail(voicemail) }
            #expect(refused == .unavailable)
            try await store.close()
        }
    }

    /// A database file removed (or replaced) under the running store: its writes go to a file no later
    /// start sees, so the store says so instead of ready.
    @Test func aRemovedOrReplacedFileIsNotReady() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            try await store.checkReady()
            try FileManager.default.removeItem(atPath: path)
            let removed = await #expect(throws: StoreError.self) { try await store.checkReady() }
            #expect(removed == .unavailable)
            #expect(removed?.message.contains("removed or replaced") == true)
            // Another file at the same path is not the one the store writes to either.
            let other = try await SQLiteCallStore(path: path)
            await #expect(throws: StoreError.self) { try await store.checkReady() }
            try await other.checkReady()
            try await other.close()
            try await store.close()
        }
    }

    @Test func aPrivateDatabaseIsReady() async throws {
        let store = try await SQLiteCallStore(path: ":memory:")
        try await store.checkReady()
        try await store.close()
    }
}
