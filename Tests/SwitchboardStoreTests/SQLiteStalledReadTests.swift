import Foundation
import SQLiteNIO
import SwitchboardCore
import Synchronization
import Testing

@testable import SwitchboardSQLite

/// A read that blocks its thread, as `sqlite3_step` does on a stalled disk, holds up only the reads:
/// the cooperative pool, and with it every other task of the process, stays free.
@Suite struct SQLiteStalledReadTests {
    /// How many reads block, and whether they may go on.
    final class Stall: Sendable {
        let blocking = Atomic<Int>(0)
        let released = Atomic<Bool>(false)
    }

    @Test func readsThatBlockTheirThreadsLeaveTheCooperativePoolFree() async throws {
        try await TemporaryDatabase.with { path in
            let store = try await SQLiteCallStore(path: path)
            _ = try await store.upsertAgent(.new("amy"))
            // More reads than the cooperative pool has threads, each blocking until released (20 s at most). The
            // bound below leaves a loaded machine (other suites running in parallel) 8 s to run one small
            // task, and is still far below the 20 s that reads blocking the pool's threads would make it wait.
            let reads = 2 * max(ProcessInfo.processInfo.activeProcessorCount, 2)
            let stall = Stall()
            let clock = ContinuousClock()
            let start = clock.now
            let tasks = (0..<reads).map { _ in
                Task { () async throws(StoreError) -> Int in
                    try await store.session.read { (runner) throws(StoreError) -> Int in
                        stall.blocking.add(1, ordering: .relaxed)
                        let begun = ContinuousClock.now
                        while !stall.released.load(ordering: .relaxed), ContinuousClock.now - begun < .seconds(20) { usleep(1_000) }
                        return try runner.rows("SELECT count(*) AS n FROM agents").first?.column("n")?.integer ?? -1
                    }
                }
            }
            // Waiting here, and the task below, both need the cooperative pool.
            while stall.blocking.load(ordering: .relaxed) < 2 { try await Task.sleep(for: .milliseconds(5)) }
            let other = await Task.detached { 7 }.value
            let waited = start.duration(to: clock.now)
            stall.released.store(true, ordering: .relaxed)
            #expect(other == 7)
            #expect(waited < .seconds(8), "the pool was free while the reads blocked (waited \(waited))")
            for task in tasks {
                #expect(try await task.value == 1, "each read still gives its answer")
            }
            #expect(try await store.agents(in: .default).map(\.identity) == ["amy"])
            try await store.close()
        }
    }
}
