import SQLiteNIO
import SwitchboardCore

/// Runs statements on a connection that the caller holds exclusively (see ``SQLiteSession``),
/// turning every failure into a ``StoreError``.
struct SQLiteStatementRunner {
    let connection: SQLiteConnection

    /// Runs one statement and returns its rows.
    func rows(_ sql: String, _ binds: [SQLiteData] = []) async throws(StoreError) -> [SQLiteRow] {
        do {
            return try await connection.query(sql, binds)
        } catch {
            throw StoreError(sqlite: error, running: sql)
        }
    }

    /// Runs one statement, ignoring any rows.
    func execute(_ sql: String, _ binds: [SQLiteData] = []) async throws(StoreError) {
        _ = try await rows(sql, binds)
    }
}
