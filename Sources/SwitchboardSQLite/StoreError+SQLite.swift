import SQLiteNIO
import SwitchboardCore

extension StoreError {
    /// The store error for a failure while running `sql`: SQLite's own errors by their result code,
    /// anything else (a stopped thread pool, say) as unavailable. SQLite's message goes into the message
    /// or the cause, so logs say what SQLite said.
    init(sqlite error: any Error, running sql: String) {
        let statement = Self.summary(of: sql)
        guard let error = error as? SQLiteError else {
            self = .unavailable("SQLite did not run \(statement)", cause: "\(error)")
            return
        }
        switch error.reason {
        case .constraintUniqueFailed, .constraintPrimaryKeyFailed, .constraintUniqueRowIDFailed:
            self = .conflict("\(statement) conflicts with stored data: \(error.message)")
        case .constraint, .constraintCheckFailed, .constraintNotNullFailed, .constraintForeignKeyFailed,
            .constraintTriggerFailed, .constraintStrictDataTypeFailed, .constraintUserFunctionFailed,
            .constraintVirtualTableFailed, .constraintCommitHookFailed, .constraintUpdateTriggerDeletedRow,
            .tooBig, .mismatch:
            self = .invalid("\(statement) breaks a rule of the data: \(error.message)")
        case .busy, .busyTimeout, .busyInRecovery, .busyInSnapshot, .locked, .lockedBySharedCache, .lockedVirtualTable:
            self = .timeout("\(statement) waited too long for the database lock: \(error.message)")
        case .corrupt, .corruptIndex, .corruptSequenceSchema, .corruptVirtualTable, .notADatabase, .format:
            self = .corrupt("The SQLite database is damaged (\(statement))", cause: "\(error)")
        default:
            self = .unavailable("SQLite failed to run \(statement)", cause: "\(error)")
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
