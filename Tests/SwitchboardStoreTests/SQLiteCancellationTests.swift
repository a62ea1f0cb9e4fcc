import Foundation
import SwitchboardCore
import Synchronization
import Testing

@testable import SwitchboardSQLite

/// A caller's cancellation bounds every SQLite operation, as the voice route's time budget needs: an
/// operation cancelled while it waits for another connection's lock stops within milliseconds instead of
/// after the busy timeout, one cancelled while it waits its turn on the writer never runs, and nothing a
/// cancelled operation began is half done.
@Suite("SQLite cancellation")
struct SQLiteCancellationTests {
    /// Far longer than any wait a test tolerates, so that only cancellation can end the waits below.
    private static let busyTimeout = Duration.seconds(20)

    /// The calls whose record has been answered, success or failure.
    private final class Answered: Sendable {
        let sids = Mutex<Set<String>>([])
    }

    /// A store, with amy and bob, whose file's write lock another connection holds until ``release()``.
    private struct LockedStore {
        let store: SQLiteCallStore
        let holder: SQLiteCallStore

        func release() async throws { _ = try await holder.diagnosticRows("ROLLBACK") }

        /// Runs `body` with a locked store whose writer waits up to `busyTimeout` for the lock.
        static func with(busyTimeout: Duration = SQLiteCancellationTests.busyTimeout, _ body: (LockedStore) async throws -> Void) async throws {
            try await TemporaryDatabase.with { path in
                let holder = try await SQLiteCallStore(path: path)
                let store = try await SQLiteCallStore(path: path, configuration: .init(busyTimeout: busyTimeout))
                try await store.upsertAgent(.new("amy"))
                try await store.upsertAgent(.new("bob"))
                _ = try await holder.diagnosticRows("BEGIN IMMEDIATE")
                try await body(LockedStore(store: store, holder: holder))
                try await holder.close()
                try await store.close()
            }
        }
    }

    /// Starts `operation`, cancels it after `delay`, and returns how it ended and how long it went on after
    /// the cancellation.
    private static func cancelled<T: Sendable>(
        after delay: Duration,
        _ operation: @escaping @Sendable () async throws(StoreError) -> T
    ) async -> (Result<T, StoreError>, Duration) {
        let task = Task { () async -> Result<T, StoreError> in
            do throws(StoreError) { return .success(try await operation()) } catch { return .failure(error) }
        }
        try? await Task.sleep(for: delay)
        let cancelled = ContinuousClock.now
        task.cancel()
        let result = await task.value
        return (result, ContinuousClock.now - cancelled)
    }

    @Test func aClaimWaitingForTheLockStopsWhenCancelledAndLeavesTheCallToTheNextClaimer() async throws {
        try await LockedStore.with { locked in
            let store = locked.store
            let (result, took) = await Self.cancelled(after: .milliseconds(300)) { () async throws(StoreError) in
                try await store.claimCall("CA-1", tenant: .default, agentIdentity: "amy", at: Clock.start)
            }
            #expect(throws: StoreError.timeout) { try result.get() }
            #expect(took < .seconds(2), "went on for \(took) after it was cancelled")
            try await locked.release()

            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "bob", at: Clock.at(1)) == .won)
            #expect(try await store.callWinner("CA-1") == "bob")
            #expect(try await store.agents(in: nil).first { $0.identity == "amy" }?.currentCallSid == nil)
        }
    }

    @Test func aRingingRecordWaitingForTheLockStopsWhenCancelledAndIsNotStored() async throws {
        try await LockedStore.with { locked in
            let store = locked.store
            let call = RingingCall(callSid: "CA-2", tenant: .default, caller: "+1", called: "+2", agentsRung: ["amy"], startedAt: Clock.start)
            let (result, took) = await Self.cancelled(after: .milliseconds(300)) { () async throws(StoreError) in
                try await store.recordRinging(call)
            }
            #expect(throws: StoreError.timeout) { try result.get() }
            #expect(took < .seconds(2), "went on for \(took) after it was cancelled")
            try await locked.release()

            #expect(try await store.ringingCall("CA-2") == nil)
        }
    }

    @Test func aRecordCancelledWhileQueuedBehindAWaitingBatchIsDroppedAndTheBatchGoesOn() async throws {
        try await LockedStore.with { locked in
            let store = locked.store
            let first = RingingCall(callSid: "CA-4", tenant: .default, caller: "+1", called: "+2", agentsRung: ["amy"], startedAt: Clock.start)
            let second = RingingCall(callSid: "CA-5", tenant: .default, caller: "+1", called: "+2", agentsRung: ["amy"], startedAt: Clock.start)
            // Not cancelled: its batch runs, waiting for the lock.
            let waiting = Task { try await store.recordRinging(first) }
            try await Task.sleep(for: .milliseconds(200))
            let (result, took) = await Self.cancelled(after: .milliseconds(200)) { () async throws(StoreError) in
                try await store.recordRinging(second)
            }
            #expect(throws: StoreError.timeout) { try result.get() }
            #expect(took < .seconds(2), "went on waiting behind the batch for \(took) after it was cancelled")

            try await locked.release()
            try await waiting.value
            #expect(try await store.ringingCall("CA-4") != nil)
            #expect(try await store.ringingCall("CA-5") == nil)
        }
    }

    @Test func aWaitingBatchGoesOnUntilEveryOneOfItsCallersIsCancelled() async throws {
        try await LockedStore.with { locked in
            let store = locked.store
            let answered = Answered()
            func record(_ sid: String) -> Task<Result<Void, StoreError>, Never> {
                let call = RingingCall(callSid: sid, tenant: .default, caller: "+1", called: "+2", agentsRung: ["amy"], startedAt: Clock.start)
                return Task { () async -> Result<Void, StoreError> in
                    defer { answered.sids.withLock { _ = $0.insert(sid) } }
                    do throws(StoreError) { return .success(try await store.recordRinging(call)) } catch { return .failure(error) }
                }
            }
            // A's batch waits for the lock while B and C queue behind it; cancelling A lets the next
            // batch, B and C together, start waiting.
            let first = record("CA-A")
            try await Task.sleep(for: .milliseconds(200))
            let second = record("CA-B")
            let third = record("CA-C")
            try await Task.sleep(for: .milliseconds(200))
            first.cancel()
            let firstResult = await first.value
            #expect(throws: StoreError.timeout) { try firstResult.get() }
            try await Task.sleep(for: .milliseconds(200))

            // One of the two callers gone: the batch still waits, for the other, and answers neither yet.
            second.cancel()
            try await Task.sleep(for: .milliseconds(300))
            #expect(answered.sids.withLock { $0 } == ["CA-A"])
            let cancelled = ContinuousClock.now
            third.cancel()
            let secondResult = await second.value
            let thirdResult = await third.value
            let took = ContinuousClock.now - cancelled
            #expect(throws: StoreError.timeout) { try secondResult.get() }
            #expect(throws: StoreError.timeout) { try thirdResult.get() }
            #expect(took < .seconds(2), "the batch went on for \(took) after its last caller was cancelled")

            try await locked.release()
            for sid in ["CA-A", "CA-B", "CA-C"] { #expect(try await store.ringingCall(sid) == nil, "\(sid)") }
        }
    }

    @Test func anOperationCancelledWhileQueuedBehindALockWaitFailsAtOnceAndNeverRuns() async throws {
        try await LockedStore.with(busyTimeout: .seconds(4)) { locked in
            let store = locked.store

            // Not cancelled: holds the writer's thread, waiting for the lock, for up to four seconds.
            let blocking = Task { try await store.upsertAgent(.new("cy")) }
            try await Task.sleep(for: .milliseconds(200))
            let (result, took) = await Self.cancelled(after: .milliseconds(200)) { () async throws(StoreError) in
                try await store.claimCall("CA-3", tenant: .default, agentIdentity: "amy", at: Clock.start)
            }
            #expect(throws: StoreError.timeout) { try result.get() }
            #expect(took < .seconds(2), "went on waiting behind another operation for \(took) after it was cancelled")

            try await locked.release()
            try await blocking.value
            // The queued claim never ran: the call is unknown and amy is free.
            #expect(try await store.callWinner("CA-3") == nil)
            #expect(try await store.agents(in: nil).first { $0.identity == "amy" }?.currentCallSid == nil)
        }
    }

    @Test func anOperationNobodyCancelsWaitsTheWholeBusyTimeout() async throws {
        try await LockedStore.with(busyTimeout: .milliseconds(400)) { locked in
            let store = locked.store
            let started = ContinuousClock.now
            await #expect(throws: StoreError.timeout) { try await store.upsertAgent(.new("cy")) }
            let took = ContinuousClock.now - started
            #expect(took >= .milliseconds(400), "gave up after \(took), before the busy timeout")
            try await locked.release()
            try await store.upsertAgent(.new("cy"))
        }
    }
}
