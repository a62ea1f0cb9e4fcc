import SwitchboardCore
import SwitchboardHTTP

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The production store: a Supabase project's PostgREST API over the schema in `supabase/migrations`.
/// Every operation is one HTTP request; the atomic ones (claims, agent upserts, ring events with their
/// sequence) are SQL functions called through `/rpc`, so several Switchboard instances sharing one
/// project keep the ``CallStore`` and ``DeskStore`` contracts. Reads are retried on connection failures and 502/503/504
/// per the configuration's ``RetryPolicy``; writes never are.
public struct PostgRESTCallStore: CallStore {
    let client: PostgRESTClient

    /// A store on `transport` (the libcurl transport in production).
    public init(configuration: PostgRESTConfiguration, transport: any HTTPTransport) {
        self.init(
            configuration: configuration,
            transport: transport,
            pause: { try? await Task.sleep(for: $0) },
            random: { Double.random(in: 0..<1) }
        )
    }

    /// A store whose retry pauses and jitter are supplied (for tests).
    public init(
        configuration: PostgRESTConfiguration,
        transport: any HTTPTransport,
        pause: @escaping @Sendable (Duration) async -> Void,
        random: @escaping @Sendable () -> Double
    ) {
        client = PostgRESTClient(configuration: configuration, transport: transport, pause: pause, random: random)
    }

    public func checkReady() async throws(StoreError) {
        let _: [TenantIDRow] = try await client.rows(
            PostgRESTQuery("tenants", select: ["id"], limit: 1),
            as: TenantIDRow.self,
            operation: "checking readiness"
        )
    }
}

/// A row with only a tenant id.
struct TenantIDRow: Codable, Sendable {
    var id: String
}
