import Foundation
import SQLiteNIO
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

/// Group commit of the ringing-call records: writes queued together share a commit, each caller still
/// gets its own outcome, and nothing is acknowledged before it is stored.
@Suite struct SQLiteWriteBatchTests {
    static func call(_ index: Int) -> RingingCall {
        RingingCall(
            callSid: "CA-\(index)",
            tenant: .default,
            caller: "+1555000\(index)",
            called: "+15550100",
            agentsRung: ["amy"],
            startedAt: Clock.at(index)
        )
    }

    /// Keeps the writer's thread busy for a moment, so the writes submitted meanwhile queue up together.
    static func holdWriter(_ store: SQLiteCallStore) -> Task<Void, any Error> {
        Task {
            try await store.session.exclusively { (_: SQLiteStatementRunner) throws(StoreError) -> Void in
                usleep(300_000)
            }
        }
    }

    @Test func concurrentRecordsShareACommitAndAreAllStored() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            let hold = Self.holdWriter(store)
            try await Task.sleep(for: .milliseconds(50))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<50 {
                    group.addTask { try await store.recordRinging(Self.call(index % 40)) }
                }
                try await group.waitForAll()
            }
            try await hold.value
            #expect(store.session.sharedCommits >= 1)
            for index in 0..<40 {
                #expect(try await store.ringingCall("CA-\(index)") == Self.call(index))
            }
            let other = try await SQLiteCallStore(path: path)
            #expect(try await other.diagnosticRows("SELECT count(*) AS n FROM calls") == [["n": "40"]])
            try await other.close()
            try await store.close()
        }
    }

    @Test func aFailingWriteFailsAloneAndTheRestOfItsBatchIsStored() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            let hold = Self.holdWriter(store)
            try await Task.sleep(for: .milliseconds(50))
            let outcomes = await withTaskGroup(of: (Int, StoreError?).self) { group in
                for index in 0..<10 {
                    group.addTask {
                        do throws(StoreError) {
                            if index == 5 {
                                // NOT NULL violated: this one write fails.
                                try await store.session.batchedWrite("INSERT INTO numbers (number, tenant) VALUES (?1, NULL)", [.text("+1")])
                            } else {
                                try await store.recordRinging(Self.call(index))
                            }
                            return (index, nil)
                        } catch {
                            return (index, error)
                        }
                    }
                }
                var outcomes: [Int: StoreError?] = [:]
                for await (index, error) in group { outcomes[index] = error }
                return outcomes
            }
            try await hold.value
            for index in 0..<10 {
                if index == 5 {
                    #expect(outcomes[index].flatMap { $0 } == StoreError.invalid)
                } else {
                    #expect(outcomes[index]! == nil)
                    #expect(try await store.ringingCall("CA-\(index)") == Self.call(index))
                }
            }
            try await store.close()
        }
    }

    @Test func aRecordAfterCloseIsUnavailable() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            try await store.close()
            await #expect(throws: StoreError.unavailable) { try await store.recordRinging(Self.call(1)) }
        }
    }
}
