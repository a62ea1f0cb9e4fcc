import Foundation
import SQLiteNIO
import SwitchboardCore
import Synchronization
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

    /// The calls whose records queued without waiting were committed, in the order they were.
    final class Committed: Sendable {
        private let sids = Mutex<[String]>([])

        func contains(_ index: Int) -> Bool { sids.withLock { $0.contains("CA-\(index)") } }
        var count: Int { sids.withLock { $0.count } }

        /// Queues `call` on `store` without waiting; it is noted here once committed.
        func queue(_ call: RingingCall, on store: SQLiteCallStore) {
            store.recordRinging(call) { error in
                if error == nil { self.sids.withLock { $0.append(call.callSid) } }
            }
        }
    }

    /// Runs `body` with a store on a new file whose queued records linger `linger`, and a record of
    /// which of them were committed.
    static func withLingeringStore(
        _ linger: Duration,
        _ body: (SQLiteCallStore, String, Committed) async throws -> Void
    ) async throws {
        try await TemporaryDatabase.with { path in
            try await body(try await SQLiteCallStore(path: path, configuration: .init(recordLinger: linger)), path, Committed())
        }
    }

    /// How many calls the file at `path` holds, read through a store of its own.
    static func storedCalls(at path: String) async throws -> Int {
        let reopened = try await SQLiteCallStore(path: path)
        let rows = try await reopened.diagnosticRows("SELECT count(*) AS n FROM calls")
        try await reopened.close()
        return rows.first.flatMap { $0["n"] }.flatMap { Int($0) } ?? -1
    }

    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
    }

    @Test func recordsQueuedWithoutWaitingLingerIntoOneCommit() async throws {
        try await Self.withLingeringStore(.seconds(60)) { store, path, committed in
            // Queued 20 ms apart: without the linger each would be committed before the next arrives.
            for index in 0..<5 {
                committed.queue(Self.call(index), on: store)
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(committed.count == 0)
            try await store.close()  // Ends the linger.
            #expect(committed.count == 5)
            #expect(store.session.sharedCommits == 1)
            #expect(try await Self.storedCalls(at: path) == 5)
        }
    }

    @Test func anAwaitedWriteAndAnyOtherJobCutTheLingerShort() async throws {
        try await Self.withLingeringStore(.seconds(60)) { store, path, committed in
            let clock = ContinuousClock()

            committed.queue(Self.call(1), on: store)
            try await Task.sleep(for: .milliseconds(50))  // Its job now lingers.
            var start = clock.now
            try await store.recordRinging(Self.call(2))
            #expect(start.duration(to: clock.now) < .seconds(10))
            #expect(committed.contains(1))
            #expect(store.session.sharedCommits == 1)

            committed.queue(Self.call(3), on: store)
            try await Task.sleep(for: .milliseconds(50))
            start = clock.now
            _ = try await store.session.exclusively { (_: SQLiteStatementRunner) throws(StoreError) -> Void in }
            #expect(start.duration(to: clock.now) < .seconds(10))
            #expect(committed.contains(3))  // Committed before the job that came after it.

            committed.queue(Self.call(4), on: store)
            try await Task.sleep(for: .milliseconds(50))
            start = clock.now
            try await store.close()
            #expect(start.duration(to: clock.now) < .seconds(10))
            #expect(committed.contains(4))
            #expect(try await Self.storedCalls(at: path) == 4)
        }
    }

    @Test func aLingerIsWokenEveryTimeAndNoWakeUpIsLeftOver() async throws {
        try await Self.withLingeringStore(.seconds(60)) { store, _, committed in
            let clock = ContinuousClock()
            // A record, then something someone waits for: sometimes before the record's job lingers,
            // sometimes after. A wake-up lost would hold the second for the whole minute.
            for round in 0..<150 {
                committed.queue(Self.call(round), on: store)
                if round.isMultiple(of: 3) { try await Task.sleep(for: .milliseconds(2)) }
                let start = clock.now
                if round.isMultiple(of: 2) {
                    _ = try await store.session.exclusively { (_: SQLiteStatementRunner) throws(StoreError) -> Void in }
                } else {
                    try await store.recordRinging(Self.call(1_000 + round))
                }
                #expect(start.duration(to: clock.now) < .seconds(10), "round \(round)")
                #expect(committed.contains(round), "round \(round)")
            }
            // A wake-up left over would end the next linger at once.
            committed.queue(Self.call(2_000), on: store)
            try await Task.sleep(for: .milliseconds(200))
            #expect(!committed.contains(2_000))
            try await store.close()
            #expect(committed.contains(2_000))
        }
    }

    @Test func aQueueOfEnoughRecordsEndsTheLinger() async throws {
        try await Self.withLingeringStore(.seconds(60)) { store, _, committed in
            let clock = ContinuousClock()
            let start = clock.now
            for index in 0..<SQLiteWriteBatch.enough { committed.queue(Self.call(index), on: store) }
            try await Self.waitUntil { committed.count == SQLiteWriteBatch.enough }
            #expect(committed.count == SQLiteWriteBatch.enough)
            #expect(start.duration(to: clock.now) < .seconds(10))
            try await store.close()
        }
    }

    @Test func aClosedWriterIsNotLingeredOn() async throws {
        try await Self.withLingeringStore(.seconds(60)) { store, _, _ in
            let clock = ContinuousClock()
            // The writer's thread busy, then close's job queued behind it, then a record's job behind that:
            // the record's job finds the writer closed, and close waits for it.
            let hold = Self.holdWriter(store)
            try await Task.sleep(for: .milliseconds(50))
            let start = clock.now
            let closing = Task { try await store.close() }
            try await Task.sleep(for: .milliseconds(100))
            let failure = Mutex<StoreError?>(nil)
            store.recordRinging(Self.call(1)) { error in failure.withLock { $0 = error } }
            try await hold.value
            try await closing.value
            #expect(start.duration(to: clock.now) < .seconds(10))
            if case .unavailable? = failure.withLock({ $0 }) {
            } else {
                Issue.record("expected unavailable, got \(String(describing: failure.withLock { $0 }))")
            }
        }
    }
}
