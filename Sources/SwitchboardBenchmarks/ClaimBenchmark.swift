import Foundation
import SwitchboardCore
import SwitchboardCurl
import SwitchboardPostgREST
import SwitchboardSQLite

/// Claim latency with concurrent claimers: for each of `calls` calls, `claimers` agents claim it at
/// once through the store; every claim's round trip is timed. The winner's call then ends, so every
/// call starts with all agents free. Prints p50, p99 and max per store, and checks one winner per call.
enum ClaimBenchmark {
    /// Runs against the store named by `arguments`: `sqlite PATH` or `postgrest URL` (the key from
    /// SUPABASE_SERVICE_ROLE_KEY), then `CALLS CLAIMERS`.
    static func run(_ arguments: [String]) async throws -> [String] {
        guard arguments.count >= 2 else { return [usage] }
        let calls = arguments.count > 2 ? Int(arguments[2]) ?? 100 : 100
        let claimers = arguments.count > 3 ? Int(arguments[3]) ?? 20 : 20
        switch arguments[0] {
        case "sqlite":
            let store = try await SQLiteCallStore(path: arguments[1])
            let lines = try await measure(store, name: "sqlite", calls: calls, claimers: claimers)
            try await store.close()
            return lines
        case "postgrest":
            let key = ProcessInfo.processInfo.environment["SUPABASE_SERVICE_ROLE_KEY"] ?? ""
            let transport = CurlTransport(configuration: CurlTransport.Configuration(maxConcurrentRequests: claimers))
            let store = PostgRESTCallStore(configuration: PostgRESTConfiguration(url: arguments[1], serviceRoleKey: key), transport: transport)
            var lines = try await measure(store, name: "postgrest", calls: calls, claimers: claimers)
            lines.append("postgrest: \(transport.connectionsOpened) TCP connections opened for \(calls * (claimers + 1)) requests")
            await transport.shutdown()
            return lines
        default:
            return [usage]
        }
    }

    static let usage = "usage: SwitchboardBenchmarks claims (sqlite PATH | postgrest URL) [CALLS] [CLAIMERS]"

    static func measure(_ store: some CallStore, name: String, calls: Int, claimers: Int) async throws -> [String] {
        let tenant = TenantID("bench-claims")
        for index in 0..<claimers {
            try await store.upsertAgent(
                Agent(id: "", tenant: tenant, identity: "claimer_\(index)", name: "Claimer \(index)", email: "c\(index)@example.com")
            )
        }
        var latencies: [Duration] = []
        latencies.reserveCapacity(calls * claimers)
        let clock = ContinuousClock()
        let runID = UUID().uuidString.prefix(8)
        let start = clock.now
        for call in 0..<calls {
            let callSid = "CA-bench-\(runID)-\(call)"
            let results = try await withThrowingTaskGroup(of: (Duration, ClaimOutcome).self) { group in
                for index in 0..<claimers {
                    group.addTask {
                        let began = clock.now
                        let outcome = try await store.claimCall(callSid, tenant: tenant, agentIdentity: "claimer_\(index)", at: Date())
                        return (began.duration(to: clock.now), outcome)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let winners = results.filter { $0.1 == .won }.count
            guard winners == 1 else { return ["\(name): call \(callSid) had \(winners) winners"] }
            latencies += results.map(\.0)
            try await store.endCall(callSid, at: Date(), wrapUpSeconds: 0)
        }
        let total = start.duration(to: clock.now)
        latencies.sort()
        func percentile(_ p: Double) -> String { milliseconds(latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]) }
        return [
            "\(name): \(calls) calls × \(claimers) concurrent claimers, one winner each; claim latency p50 \(percentile(0.5)) ms, "
                + "p99 \(percentile(0.99)) ms, max \(milliseconds(latencies.last ?? .zero)) ms; \(milliseconds(total)) ms in all"
        ]
    }

    static func milliseconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%.2f", value)
    }
}
