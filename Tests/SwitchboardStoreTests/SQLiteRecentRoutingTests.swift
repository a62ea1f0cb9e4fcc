import Foundation
import SwitchboardCore
import Synchronization
import Testing

@testable import SwitchboardSQLite

/// The SQLite store's routing answers from memory (`recentRoutingSnapshot`): never after a change this
/// process made, never older than the recheck interval for another process's change, never with an
/// interval of zero; and the ringing record queued without waiting, in order with later writes.
@Suite struct SQLiteRecentRoutingTests {
    static let number = "+15550100"

    static func store(_ path: String, recheck: Duration) async throws -> SQLiteCallStore {
        try await SQLiteCallStore(path: path, configuration: .init(routingRecheckInterval: recheck))
    }

    static func recent(_ store: SQLiteCallStore, at now: Date = Clock.start) -> RoutingSnapshot? {
        store.recentRoutingSnapshot(forCalledNumber: number, at: now, limit: 100)
    }

    @Test func everyChangeThisProcessMakesIsSeenByTheNextCall() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await Self.store(path, recheck: .seconds(3600))
            for identity in ["amy", "bob", "cy"] { try await store.upsertAgent(.new(identity)) }
            var step = 0
            func check(_ change: () async throws -> Void) async throws {
                _ = try await store.routingSnapshot(forCalledNumber: Self.number, at: Clock.start, limit: 100)
                #expect(Self.recent(store) != nil, "step \(step): a fresh read is trusted")
                try await change()
                step += 1
                #expect(Self.recent(store) == nil, "step \(step): the change is not missed")
                let fresh = try await store.routingSnapshot(forCalledNumber: Self.number, at: Clock.start, limit: 100)
                #expect(fresh == (try await SQLiteRoutingCacheTests.truth(store, Self.number, at: Clock.start)), "step \(step)")
                #expect(Self.recent(store) == fresh, "step \(step)")
            }
            try await check { try await store.setPresence(.away, identity: "amy", in: .default) }
            try await check { try await store.upsertAgent(.new("dee")) }
            try await check { _ = try await store.claimCall("CA-1", tenant: .default, agentIdentity: "bob", at: Clock.at(1)) }
            try await check { try await store.endCall("CA-1", at: Clock.at(10), wrapUpSeconds: 0) }
            try await check { try await store.mapNumber(Self.number, to: "default") }
            try await check { _ = try await store.diagnosticRows("UPDATE agents SET presence = 'offline' WHERE identity = 'cy'") }
            try await store.close()
        }
    }

    @Test func anotherProcesssChangeIsSeenOnceTheIntervalHasPassed() async throws {
        try await TemporaryDatabase.with { path in
            let interval = Duration.milliseconds(300)
            let router = try await Self.store(path, recheck: interval)
            let admin = try await SQLiteCallStore(path: path)
            for identity in ["amy", "bob"] { try await admin.upsertAgent(.new(identity)) }
            let readAt = ContinuousClock.now
            let before = try await router.routingSnapshot(forCalledNumber: Self.number, at: Clock.start, limit: 100)
            #expect(before?.agents.map(\.identity) == ["amy", "bob"])
            try await admin.setPresence(.away, identity: "amy", in: .default)
            let early = Self.recent(router)
            // The documented lag: within the interval the read is trusted (unless this test ran slower than it).
            if ContinuousClock.now - readAt < interval { #expect(early == before) }
            try await Task.sleep(until: readAt + interval + .milliseconds(20), clock: .continuous)
            #expect(Self.recent(router) == nil)
            let after = try await router.routingSnapshot(forCalledNumber: Self.number, at: Clock.start, limit: 100)
            #expect(after?.agents.map(\.identity) == ["bob"])
            #expect(Self.recent(router) == after)
            try await router.close()
            try await admin.close()
        }
    }

    @Test func anIntervalOfZeroNeverAnswersFromMemory() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await Self.store(path, recheck: .zero)
            try await store.upsertAgent(.new("amy"))
            #expect(try await store.routingSnapshot(forCalledNumber: Self.number, at: Clock.start, limit: 100)?.agents.count == 1)
            #expect(Self.recent(store) == nil)
            try await store.close()
        }
    }

    /// A `:memory:` database has no readers: its reads run on the writer, so none is ever trusted.
    @Test func aPrivateInMemoryDatabaseNeverAnswersFromMemory() async throws {
        let store = try await Self.store(":memory:", recheck: .seconds(3600))
        try await store.upsertAgent(.new("amy"))
        #expect(try await store.routingSnapshot(forCalledNumber: Self.number, at: Clock.start, limit: 100)?.agents.count == 1)
        #expect(Self.recent(store) == nil)
        try await store.close()
    }

    @Test func theWrapUpEndIsAppliedToAnAnswerFromMemory() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await Self.store(path, recheck: .seconds(3600))
            for identity in ["amy", "bob"] { try await store.upsertAgent(.new(identity)) }
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "amy", at: Clock.at(0)) == .won)
            try await store.endCall("CA-1", at: Clock.at(10), wrapUpSeconds: 60)
            _ = try await store.routingSnapshot(forCalledNumber: Self.number, at: Clock.at(10), limit: 100)
            #expect(Self.recent(store, at: Clock.at(69))?.agents.map(\.identity) == ["bob"])
            #expect(Self.recent(store, at: Clock.at(70))?.agents.map(\.identity) == ["bob", "amy"])
            try await store.close()
        }
    }

    @Test func aRingingRecordQueuedWithoutWaitingIsStoredBeforeLaterWrites() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            try await store.upsertAgent(.new("amy"))
            let outcome = Mutex<[StoreError?]>([])
            let call = SQLiteWriteBatchTests.call(1)
            store.recordRinging(call) { error in outcome.withLock { $0.append(error) } }
            // The finish runs after the record on the writer, so it finds the call to finish.
            #expect(try await store.finishCall(call.callSid, at: Clock.at(5)) == .finishedNow)
            #expect(outcome.withLock { $0.count == 1 && $0[0] == nil })
            #expect(try await store.ringingCall(call.callSid) == call)
            try await store.close()
        }
    }

    @Test func aClosedStoreReportsTheRecordsFailure() async throws {
        let store = try await SQLiteCallStore(path: ":memory:")
        try await store.close()
        let failure = await withCheckedContinuation { (done: CheckedContinuation<StoreError?, Never>) in
            store.recordRinging(SQLiteWriteBatchTests.call(1)) { error in done.resume(returning: error) }
        }
        guard case .unavailable? = failure else {
            Issue.record("expected unavailable, got \(String(describing: failure))")
            return
        }
    }

    @Test func aWriterTooFarBehindRefusesMoreRecordsAtOnceAndLosesNoneItTook() async throws {
        let store = try await SQLiteCallStore(path: ":memory:")
        let release = Mutex(false)
        let hold = Task {
            try await store.session.exclusively { (_: SQLiteStatementRunner) throws(StoreError) -> Void in
                while !release.withLock({ $0 }) { usleep(1000) }
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        let stored = Atomic<Int>(0)
        let refused = Mutex<[StoreError]>([])
        let maximum = 10_000
        for index in 0...maximum {
            store.recordRinging(SQLiteWriteBatchTests.call(index)) { error in
                if let error { refused.withLock { $0.append(error) } } else { stored.add(1, ordering: .relaxed) }
            }
        }
        // The one past the maximum was refused at once, while the writer was still held.
        #expect(refused.withLock { $0.count } == 1)
        if case .unavailable? = refused.withLock({ $0.first }) {} else { Issue.record("expected unavailable") }
        release.withLock { $0 = true }
        try await hold.value
        let deadline = ContinuousClock.now + .seconds(30)
        while stored.load(ordering: .relaxed) < maximum, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(stored.load(ordering: .relaxed) == maximum)
        #expect(try await store.diagnosticRows("SELECT count(*) AS n FROM calls") == [["n": "\(maximum)"]])
        try await store.close()
    }
}
