import SQLiteNIO
import SwitchboardCore

/// Runs statements on a connection that the caller holds exclusively (see ``SQLiteSession``),
/// turning every failure into a ``StoreError``.
struct SQLiteStatementRunner {
    let handle: SQLiteHandle

    /// Runs one statement, prepared once and reused, and returns its rows.
    func rows(_ sql: String, _ binds: [SQLiteData] = []) throws(StoreError) -> [SQLiteResultRow] {
        try handle.rows(sql, binds)
    }

    /// Runs one statement, ignoring any rows.
    func execute(_ sql: String, _ binds: [SQLiteData] = []) throws(StoreError) {
        _ = try handle.rows(sql, binds)
    }

    /// Runs ad hoc SQL without keeping it prepared.
    func adHocRows(_ sql: String) throws(StoreError) -> [SQLiteResultRow] {
        try handle.rows(sql, [], cached: false)
    }
}
