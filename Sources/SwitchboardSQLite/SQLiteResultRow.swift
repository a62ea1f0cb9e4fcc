import SQLiteNIO

/// The column names of a prepared statement, shared by every row it returns.
final class SQLiteColumnNames: Sendable {
    /// The names, in the statement's column order.
    let names: [String]

    init(_ names: [String]) { self.names = names }

    /// The position of the first column called `name`.
    func index(of name: String) -> Int? { names.firstIndex(of: name) }
}

/// One row of a statement's result: its values in column order, found by column name.
struct SQLiteResultRow: Sendable {
    let columns: SQLiteColumnNames
    let values: [SQLiteData]

    /// The value of the first column called `name`, or nil when the statement has no such column.
    func column(_ name: String) -> SQLiteData? {
        columns.index(of: name).map { values[$0] }
    }

    /// Every column's name and value, in order.
    var namedValues: [(name: String, data: SQLiteData)] {
        Array(zip(columns.names, values)).map { (name: $0.0, data: $0.1) }
    }
}
