import Foundation
import SwitchboardCore
import SwitchboardSQLite
import Testing

/// One side of a claim race between processes, run by hand: start this test in two (or more) processes
/// at once on one database file, then check the file. It runs only when `SWITCHBOARD_RACE_DB` names the
/// file; `SWITCHBOARD_RACE_SIDE` (a short tag, different per process) names this side's agents, and
/// `SWITCHBOARD_RACE_START` (Unix seconds) lines the sides up. For example, after `swift build --build-tests`:
///
/// ```sh
/// start=$(($(date +%s) + 3))
/// for side in a b; do
///   SWITCHBOARD_RACE_DB=/tmp/race.sqlite SWITCHBOARD_RACE_SIDE=$side SWITCHBOARD_RACE_START=$start \
///     .build/debug/SwitchboardPackageTests.xctest --testing-library swift-testing \
///     --filter claimsRacingAnotherProcess > /tmp/race-$side.log 2>&1 &
/// done; wait
/// sqlite3 /tmp/race.sqlite "SELECT call_sid, count(*) FROM agents WHERE current_call_sid IS NOT NULL GROUP BY 1 HAVING count(*) <> 1"
/// ```
///
/// Each side claims every call with fifteen agents of its own, so both sides race for each call; the
/// `WON` lines of all sides together must name exactly one winner per call, the same as the file's.
@Suite("SQLite claims across processes")
struct SQLiteCrossProcessClaims {
    static let environment = ProcessInfo.processInfo.environment

    @Test(.enabled(if: environment["SWITCHBOARD_RACE_DB"] != nil))
    func claimsRacingAnotherProcess() async throws {
        let path = try #require(Self.environment["SWITCHBOARD_RACE_DB"])
        let side = Self.environment["SWITCHBOARD_RACE_SIDE"] ?? "\(ProcessInfo.processInfo.processIdentifier)"
        let start = Date(timeIntervalSince1970: Double(Self.environment["SWITCHBOARD_RACE_START"] ?? "") ?? 0)
        let rounds = 50
        let store = try await SQLiteCallStore(path: path, configuration: .init(busyTimeout: .seconds(30)))
        for round in 1...rounds {
            for index in 1...15 {
                try await store.upsertAgent(.new("\(side)_\(round)_\(index)"))
            }
        }
        if start > Date() { try await Task.sleep(for: .seconds(start.timeIntervalSinceNow)) }

        for round in 1...rounds {
            let callSid = "CA-race-\(round)"
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 1...15 {
                    let identity = "\(side)_\(round)_\(index)"
                    group.addTask {
                        let outcome = try await store.claimCall(callSid, tenant: .default, agentIdentity: identity, at: Clock.at(round))
                        switch outcome {
                        case .won: print("WON \(callSid) \(identity)")
                        case .alreadyAnswered(let winner): print("LOST \(callSid) \(identity) to \(winner)")
                        case .agentBusy(let current): Issue.record("\(identity) is busy on \(current)")
                        case .callEnded: Issue.record("\(callSid) ended, but nothing finishes it here")
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        try await store.close()
    }
}
