import SQLiteNIO
import SwitchboardCore

extension StoreError {
    /// The store error for SQLite result code `code` (extended codes are read by their primary code,
    /// except for the kinds of constraint) while running `sql`. SQLite's message goes into the message or
    /// the cause, so logs say what SQLite said.
    init(sqliteCode code: Int32, message: String, running sql: String) {
        let statement = Self.summary(of: sql)
        let detail = "\(message) (SQLite code \(code))"
        if SQLiteHandle.isDamage(code) {
            self = .corrupt("The SQLite database is damaged (\(statement))", cause: detail)
            return
        }
        switch code & 0xFF {
        case 19:  // SQLITE_CONSTRAINT
            switch code {
            case 1555, 2067, 2579:  // SQLITE_CONSTRAINT_PRIMARYKEY, _UNIQUE, _ROWID
                self = .conflict("\(statement) conflicts with stored data: \(detail)")
            default:
                self = .invalid("\(statement) breaks a rule of the data: \(detail)")
            }
        case 18, 20:  // SQLITE_TOOBIG, SQLITE_MISMATCH
            self = .invalid("\(statement) breaks a rule of the data: \(detail)")
        case 5, 6:  // SQLITE_BUSY, SQLITE_LOCKED
            self = .timeout("\(statement) waited too long for the database lock: \(detail)")
        default:
            self = .unavailable("SQLite failed to run \(statement)", cause: detail)
        }
    }

    /// An unreadable stored value: a row that decodes to no valid record.
    static func unreadable(_ table: String, column: String, found: SQLiteData?) -> StoreError {
        .corrupt("Unreadable \(table) row: column \(column) holds \(found.map { "\($0)" } ?? "nothing")")
    }

    /// The statement's first words, enough to say which one failed without echoing a whole query.
    private static func summary(of sql: String) -> String {
        let words = sql.split(whereSeparator: \.isWhitespace).prefix(4)
        return words.joined(separator: " ")
    }
}
