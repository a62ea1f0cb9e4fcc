import Foundation
import SwitchboardCore
import SwitchboardPostgREST
import SwitchboardSQLite
import SwitchboardTestSupport
import Testing

/// Every `DeskStore` (and so `CallStore`) implementation the contract suite runs against. Adding an implementation means
/// adding a case here and teaching ``withStores(instances:_:)`` to open it; nothing else changes.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case sqlite
    /// PostgREST over a real PostgreSQL, through the test gateway; a fresh database per test.
    case postgrest

    var testDescription: String { rawValue }

    /// Runs `body` with a fresh, empty store, and tears it down afterwards.
    func withStore(_ body: (any DeskStore) async throws -> Void) async throws {
        try await withStores(instances: 1) { stores in try await body(stores[0]) }
    }

    /// Runs `body` with `instances` stores that share one fresh, empty database (for SQLite: separate
    /// connections to one file, as separate processes would have; in memory: one actor, the only way two
    /// callers can share it; PostgREST: separate stores, as separate instances would have, sharing one
    /// database), and tears them down afterwards.
    func withStores(instances: Int, _ body: ([any DeskStore]) async throws -> Void) async throws {
        switch self {
        case .memory:
            let store = InMemoryCallStore()
            try await body(Array(repeating: store, count: instances))
        case .sqlite:
            try await TemporaryDatabase.with { path in
                var stores: [SQLiteCallStore] = []
                do {
                    for _ in 0..<instances {
                        stores.append(try await SQLiteCallStore(path: path))
                    }
                    try await body(stores)
                } catch {
                    for store in stores { try? await store.close() }
                    throw error
                }
                for store in stores { try await store.close() }
            }
        case .postgrest:
            let gateway = try TestGateway.fromEnvironment()
            try await gateway.withDatabase { url, _ in
                let stores = (0..<instances).map { _ in
                    PostgRESTCallStore(
                        configuration: PostgRESTConfiguration(url: url, serviceRoleKey: gateway.serviceRoleKey),
                        transport: TestGateway.transport
                    )
                }
                try await body(stores)
            }
        }
    }
}

/// A database path in a fresh temporary directory, removed with everything SQLite put beside it.
enum TemporaryDatabase {
    static func with<T>(_ body: (String) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory.appendingPathComponent("store.sqlite").path)
    }
}
