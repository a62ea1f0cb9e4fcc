import NIOCore
import SQLiteNIO
import SwitchboardCore
// SQLiteNIO's own build of SQLite (its symbols prefixed `sqlite_nio_`), so the process links one SQLite.
import VaporCSQLite

/// One open `sqlite3` connection and the statements it has prepared, called directly rather than through
/// SQLiteNIO: SQLiteNIO prepares every statement anew and hands each row to an event loop, which cost
/// more than the voice route's statements themselves.
///
/// Statements are prepared once per connection (`SQLITE_PREPARE_PERSISTENT`) and reused: they are reset
/// and their bindings cleared after every run, so a cached statement never holds a read transaction open.
///
/// `@unchecked Sendable` because the class has mutable state (the handle and the statement cache) and no
/// lock of its own: every use is confined by its owner. ``SQLiteSession`` uses its writer only on its one
/// thread and each reader only while holding that reader's mutex. The connection is also opened in
/// SQLite's serialized mode, so a mistake there would not corrupt SQLite itself.
final class SQLiteHandle: @unchecked Sendable {
    /// The database path, or `:memory:`.
    let path: String
    /// Where this connection reports damage to the file it meets (see ``SQLiteDamageReport``).
    private let damage: SQLiteDamageReport?
    private var database: OpaquePointer?
    private var statements: [String: PreparedStatement] = [:]

    /// The most statements kept prepared; past it the cache starts again (only ad hoc SQL gets there).
    private static let cacheLimit = 64

    private struct PreparedStatement {
        let handle: OpaquePointer
        let columns: SQLiteColumnNames
    }

    /// Opens (creating when `create`) the database at `path`; damage to the file that a statement meets is
    /// reported to `damage`.
    init(path: String, create: Bool, damage: SQLiteDamageReport? = nil) throws(StoreError) {
        Self.initializeOnce
        self.path = path
        self.damage = damage
        var handle: OpaquePointer?
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE
        if create { flags |= SQLITE_OPEN_CREATE }
        let code = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "code \(code)"
            sqlite_nio_sqlite3_close_v2(handle)
            throw .unavailable("Cannot open the SQLite database at \(path)", cause: message)
        }
        database = handle
    }

    /// Makes `handler` decide how this connection waits for other connections' locks, replacing any busy
    /// timeout. The caller keeps `handler` alive while the connection is open.
    func install(_ handler: SQLiteBusyHandler) {
        guard let database else { return }
        handler.install(on: database)
    }

    /// `sqlite3_initialize` once per process before the first connection, as SQLiteNIO does.
    private static let initializeOnce: Void = { _ = sqlite_nio_sqlite3_initialize() }()

    deinit { close() }

    /// Whether ``close()`` has not been called.
    var isOpen: Bool { database != nil }

    /// Finalizes the statements and closes the connection. Closing again does nothing.
    func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement.handle) }
        statements = [:]
        if let database { sqlite_nio_sqlite3_close_v2(database) }
        database = nil
    }

    /// Runs one statement with `binds` (`?1`, `?2`, … in order) and returns its rows. With `cached`, the
    /// statement is prepared once and kept; ad hoc SQL (diagnostics) passes false.
    ///
    /// SQLite prepares a statement again whenever a parameter that its plan was built on gets a new value:
    /// the value of a `LIMIT ?`, or a `column = ?` that an index also uses for ORDER BY. So the store
    /// writes limits into the SQL as integers (one kept statement per limit used) and compares such
    /// columns with `CAST(? AS TEXT)`; a test checks that the voice route's statements are never
    /// prepared again.
    func rows(_ sql: String, _ binds: [SQLiteData], cached: Bool = true) throws(StoreError) -> [SQLiteResultRow] {
        guard let database else { throw .unavailable("The SQLite store is closed") }
        let statement = try prepared(sql, in: database, cached: cached)
        defer {
            sqlite_nio_sqlite3_reset(statement.handle)
            sqlite_nio_sqlite3_clear_bindings(statement.handle)
            if !cached { sqlite_nio_sqlite3_finalize(statement.handle) }
        }
        for (index, bind) in binds.enumerated() {
            let code = Self.bind(bind, at: Int32(index + 1), in: statement.handle)
            guard code == SQLITE_OK else { throw failure(code, running: sql) }
        }
        var rows: [SQLiteResultRow] = []
        let count = statement.columns.names.count
        while true {
            let code = sqlite_nio_sqlite3_step(statement.handle)
            if code == SQLITE_DONE { return rows }
            guard code == SQLITE_ROW else { throw failure(code, running: sql) }
            var values: [SQLiteData] = []
            values.reserveCapacity(count)
            for column in 0..<Int32(count) {
                values.append(Self.value(at: column, in: statement.handle))
            }
            rows.append(SQLiteResultRow(columns: statement.columns, values: values))
        }
    }

    /// The kept statements that SQLite has had to prepare again (`SQLITE_STMTSTATUS_REPREPARE`), with how
    /// many times, for tests: each time costs as much as preparing anew.
    var reprepares: [String: Int] {
        statements.compactMapValues { statement in
            let count = Int(sqlite_nio_sqlite3_stmt_status(statement.handle, SQLITE_STMTSTATUS_REPREPARE, 0))
            return count > 0 ? count : nil
        }
    }

    private func prepared(_ sql: String, in database: OpaquePointer, cached: Bool) throws(StoreError) -> PreparedStatement {
        if cached, let statement = statements[sql] { return statement }
        var handle: OpaquePointer?
        let flags = cached ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite_nio_sqlite3_prepare_v3(database, sql, -1, flags, &handle, nil)
        guard code == SQLITE_OK else { throw failure(code, running: sql) }
        guard let handle else {
            // Only whitespace or a comment: nothing to run. Not reachable with the store's own SQL.
            throw .invalid("Empty SQL statement")
        }
        var names: [String] = []
        for column in 0..<sqlite_nio_sqlite3_column_count(handle) {
            names.append(sqlite_nio_sqlite3_column_name(handle, column).map { String(cString: $0) } ?? "")
        }
        let statement = PreparedStatement(handle: handle, columns: SQLiteColumnNames(names))
        if cached {
            if statements.count >= Self.cacheLimit {
                for old in statements.values { sqlite_nio_sqlite3_finalize(old.handle) }
                statements = [:]
            }
            statements[sql] = statement
        }
        return statement
    }

    private func failure(_ code: Int32, running sql: String) -> StoreError {
        let message = database.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? ""
        let extended = database.map { sqlite_nio_sqlite3_extended_errcode($0) } ?? code
        let error = StoreError(sqliteCode: extended, message: message, running: sql)
        if let damage, Self.isDamage(extended) { damage.record(error) }
        return error
    }

    /// Whether result code `code` says the file is damaged: `SQLITE_CORRUPT`, `SQLITE_FORMAT` or
    /// `SQLITE_NOTADB`, extended codes included.
    static func isDamage(_ code: Int32) -> Bool {
        [11, 24, 26].contains(code & 0xFF)
    }

    private static func bind(_ value: SQLiteData, at index: Int32, in statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let integer): return sqlite_nio_sqlite3_bind_int64(statement, index, Int64(integer))
        case .float(let double): return sqlite_nio_sqlite3_bind_double(statement, index, double)
        case .null: return sqlite_nio_sqlite3_bind_null(statement, index)
        case .text(let text):
            // A native Swift string is contiguous UTF-8, passed without a copy.
            return sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
        case .blob(let blob):
            return blob.withUnsafeReadableBytes { bytes in
                sqlite_nio_sqlite3_bind_blob64(statement, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), UInt64(bytes.count), transient)
            }
        }
    }

    private static func value(at column: Int32, in statement: OpaquePointer) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, column) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        default: return .null
        }
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the bound bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
