import SQLiteNIO
import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The embedded ``CallStore`` and ``DeskStore``: one SQLite file (or `:memory:`), with the SQLite that SQLiteNIO bundles,
/// called directly with prepared statements kept per connection.
///
/// ## Concurrency
/// Each store owns a writer connection and one thread that runs everything the writer does, so a write
/// that waits for another connection's lock never blocks an event loop or Swift's cooperative pool.
/// Each operation runs whole as one job on that thread, and jobs run one at a time in order: tasks
/// sharing a store never interleave statements, and no statement joins another task's transaction.
/// Single-statement reads (the voice route's routing snapshot among them) run instead on one of a few
/// read-only connections, in the calling task, with no trip to another thread; in WAL mode they never
/// wait for a writer, and they see every transaction committed before they start (see
/// `SQLiteSession`). The voice route's two operations are cheaper still: its routing read is kept in
/// memory and checked on every call against a routing version that triggers bump with any change to
/// agents or numbers (`SQLiteRoutingCache`), and ringing-call records queued together share one commit
/// (`SQLiteWriteBatch`).
///
/// Several stores, in this process or others, may share a file. The file is in WAL mode, so readers do
/// not block the writer, and a connection waits up to ``Configuration/busyTimeout`` for another's
/// write lock before failing with ``StoreError/timeout``.
///
/// Every method honours cancellation, so a caller's time budget bounds it: an operation cancelled while
/// it waits its turn on the writer's thread fails at once and never runs, and one cancelled while it
/// waits for another connection's lock stops waiting within milliseconds (see `SQLiteBusyHandler`).
///
/// ## Claims
/// ``claimCall(_:tenant:agentIdentity:at:)`` runs in one `BEGIN IMMEDIATE` transaction: it takes the
/// database's write lock before reading anything, so among all connections to the file exactly one
/// claimer at a time reads the call and the agent, writes the winner and the agent's current call, and
/// commits; the next one reads the committed winner. The writer's thread serializes claims within a
/// store; the write lock serializes them across stores and processes.
///
/// ## Storage
/// Dates are Unix seconds as REAL: ordered correctly, and exact to well under a microsecond for dates
/// of this era. `PRAGMA user_version` records the schema version for future migrations. The file uses
/// `synchronous = NORMAL`, the usual WAL setting: commits are atomic and the file stays consistent,
/// but a power cut (not a crash of the process) can lose the last transactions.
///
/// Call ``close()`` before dropping the store; afterwards every method throws
/// ``StoreError/unavailable``.
public struct SQLiteCallStore: CallStore {
    let session: SQLiteSession
    /// The voice route's routing reads, checked against the database as ``Configuration/routingRecheckInterval`` says.
    let routingCache: SQLiteRoutingCache
    /// The database file as it was opened (nil for `:memory:`).
    let fileIdentity: SQLiteFileIdentity?

    /// The database path, or `:memory:`.
    public var path: String { session.path }

    /// Opens (creating if needed) the database at `path`, sets it up and creates or migrates the schema.
    ///
    /// - Parameters:
    ///   - path: A file path, or `:memory:` for a private database that lives as long as the store.
    ///   - configuration: Connection settings.
    /// - Throws: ``StoreError/unavailable`` when the file cannot be opened or written, is not an SQLite
    ///   database, or has a schema newer than this build; ``StoreError/timeout`` when another connection
    ///   holds the write lock past the busy timeout while the schema is being created.
    public init(path: String, configuration: Configuration = .init()) async throws(StoreError) {
        // The WAL is truncated to 64 MiB after a checkpoint that leaves it larger, so a burst does not keep
        // its disk space for good.
        let pragmas = ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA journal_size_limit = 67108864"]
        let session = try await SQLiteSession.open(
            path: path,
            busyTimeout: configuration.busyTimeout,
            pragmas: pragmas,
            recordLinger: configuration.recordLinger
        )
        do {
            try await SQLiteSchema.migrate(session)
        } catch {
            try? await session.close()
            if error == .timeout { throw error }
            throw .unavailable("Cannot create the schema in the SQLite database at \(path)", cause: error.description)
        }
        self.session = session
        self.fileIdentity = SQLiteFileIdentity(path: path)
        self.routingCache = SQLiteRoutingCache(recheckInterval: configuration.routingRecheckInterval)
    }

    /// Closes the database after the operation in progress, if any. Later calls throw
    /// ``StoreError/unavailable``; closing again does nothing.
    public func close() async throws(StoreError) {
        try await session.close()
    }

    /// Ready when the file at ``path`` is still the one the store opened, and a write commits: a store
    /// that only reads (a read-only or failing disk, a lock another process holds past the budget) is not
    /// ready, since every call writes and a voicemail would only wait in the spool. The write leaves every
    /// value as it was, so no routing cache sees a change, but it does reach the disk: the routing
    /// version goes up and back down in one transaction, whose page is written at the commit. (Setting a
    /// value to itself writes nothing, since SQLite leaves a cell it would not change alone, so a full or
    /// read-only disk passed that check.) Nor is it ready, until a restart, once any statement has met
    /// damage to the file (see ``SQLiteDamageReport``): the write here touches one page only.
    public func checkReady() async throws(StoreError) {
        try checkFileIsTheOneOpened()
        if let damage = session.damage.failure { throw damage }
        try await session.transaction { (runner) throws(StoreError) in
            try runner.execute("UPDATE routing_version SET version = version + 1 WHERE id = 1")
            try runner.execute("UPDATE routing_version SET version = version - 1 WHERE id = 1")
        }
    }

    /// Throws ``StoreError/unavailable`` when the file at ``path`` is no longer the one the store opened
    /// (removed, or replaced): what the store writes goes to a file no later start sees.
    func checkFileIsTheOneOpened() throws(StoreError) {
        if let fileIdentity, SQLiteFileIdentity(path: path) != fileIdentity {
            throw .unavailable(
                "The SQLite database at \(path) was removed or replaced while open",
                cause: "writes go to the file opened at start, which the next start will not see; restart the service"
            )
        }
    }

    public func tenant(forCalledNumber number: String) async throws(StoreError) -> TenantID? {
        let rows = try await session.read { (runner) throws(StoreError) in
            try runner.rows(
                """
                SELECT (SELECT tenant FROM numbers WHERE number = ?1) AS tenant,
                    EXISTS (SELECT 1 FROM numbers) AS any_mapped
                """,
                [.text(number)]
            )
        }
        guard let row = rows.first.map({ SQLiteRowReader(table: "numbers", row: $0) }) else {
            throw .corrupt("SQLite returned no row for a number lookup")
        }
        if let tenant = try row.optionalText("tenant") { return TenantID(tenant) }
        return try row.integer("any_mapped") == 0 ? .default : nil
    }

    public func mapNumber(_ number: String, to tenant: TenantID) async throws(StoreError) {
        try await session.exclusively { (runner) throws(StoreError) in
            try runner.execute(
                "INSERT INTO numbers (number, tenant) VALUES (?1, ?2) ON CONFLICT (number) DO UPDATE SET tenant = excluded.tenant",
                [.text(number), .text(tenant.rawValue)]
            )
        }
    }

    @discardableResult
    public func unmapNumber(_ number: String) async throws(StoreError) -> TenantID? {
        let rows = try await session.exclusively { (runner) throws(StoreError) in
            try runner.rows("DELETE FROM numbers WHERE number = ?1 RETURNING tenant", [.text(number)])
        }
        return try rows.first.map { (row) throws(StoreError) in TenantID(try SQLiteRowReader(table: "numbers", row: row).text("tenant")) }
    }

    public func numberMappings() async throws(StoreError) -> [(number: String, tenant: TenantID)] {
        let rows = try await session.read { (runner) throws(StoreError) in
            try runner.rows("SELECT number, tenant FROM numbers ORDER BY number", [])
        }
        var mappings: [(number: String, tenant: TenantID)] = []
        for row in rows {
            let reader = SQLiteRowReader(table: "numbers", row: row)
            mappings.append((number: try reader.text("number"), tenant: TenantID(try reader.text("tenant"))))
        }
        return mappings
    }
}
