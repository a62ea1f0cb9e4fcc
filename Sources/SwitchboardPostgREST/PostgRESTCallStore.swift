import Logging
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

    /// A store on `transport` (the libcurl transport in production). `logger` hears what the service's
    /// operator should fix in the project's settings (a Max Rows below ``PostgRESTConfiguration/maxRows``).
    public init(configuration: PostgRESTConfiguration, transport: any HTTPTransport, logger: Logger = Self.silentLogger) {
        self.init(
            configuration: configuration,
            transport: transport,
            logger: logger,
            pause: { try? await Task.sleep(for: $0) },
            random: { Double.random(in: 0..<1) }
        )
    }

    /// A store whose retry pauses and jitter are supplied (for tests).
    public init(
        configuration: PostgRESTConfiguration,
        transport: any HTTPTransport,
        logger: Logger = Self.silentLogger,
        pause: @escaping @Sendable (Duration) async -> Void,
        random: @escaping @Sendable () -> Double
    ) {
        client = PostgRESTClient(
            configuration: configuration,
            transport: transport,
            maxRowsWatch: PostgRESTMaxRowsWatch(logger: logger),
            pause: pause,
            random: random
        )
    }

    /// A logger that writes nothing, for a store whose maker has no log.
    public static var silentLogger: Logger { Logger(label: "switchboard.postgrest", factory: { _ in SwiftLogNoOpLogHandler() }) }

    /// The fewest rows the project answered to a page while more matched, when that was below
    /// ``PostgRESTConfiguration/maxRows``: the project's real Max Rows, or at most it. Nil while no
    /// response has shown one.
    public var observedMaxRows: Int? { client.maxRowsWatch.observed }

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
